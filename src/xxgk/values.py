"""Turning what a person typed into a cell value, or saying exactly why not.

Used by every reader (workbook, import). Blank stays blank (``None``): blank ≠ 0. Invisible
formatting (full-width digits, surrounding spaces, thousands separators) is normalised with a
提示; anything else that is not a number of the right kind is rejected with a 错误.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from xxgk.spec import COUNT, SIGNED

Value = int | Decimal

# Problem codes of a cell note; rules turn each into a finding (see rules/catalogue.toml).
NORMALISED = "normalised"
TEXT = "text"
NEGATIVE = "negative"
FRACTION = "fraction"
FORMULA_REPLACED = "formula_replaced"
UNREAD = "unread"
# A text cell (a section's text, a fact typed as text) holding a formula or a non-text value.
TEXT_FORMULA = "text_formula"  # read as the formula's computed value
TEXT_FORMULA_UNREAD = "text_formula_unread"  # no computed value saved: the formula is kept as text
TEXT_NOT_TEXT = "text_not_text"  # a number, date … read as text
CONTROL_CHARS = "control_chars"  # invisible control characters removed from a text at the door
# Import only: a label of a published table written differently from the format, and a row read
# by its position because its label could not be checked. Keyed by the row (``t3.new``) or table.
LABEL_VARIANT = "label_variant"
LABEL_UNVERIFIED = "label_unverified"
# Import only: a published table printed in another format version than the report (keyed by the
# table, ``t3``), and each of the report's cells that table does not have (rule FORM-VERSION).
FORM_VERSION = "form_version"

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_LEADING_NUMBER = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)")
_DASHES = {"/", "-", "—", "－", "--", "——", "无", "空", "不适用", "N/A", "n/a", "NA"}


@dataclass(frozen=True)
class Normalised:
    """The outcome of reading one raw cell value."""

    value: Value | None
    problem: str | None = None  # one of the codes above, or None when the value is clean
    fix: str = ""  # Chinese: what to type instead


def normalise(raw: object, kind: str = COUNT) -> Normalised:
    """Read ``raw`` (a workbook or parsed value) as a cell of ``kind`` (count/signed/amount/yuan)."""
    if raw is None:
        return Normalised(None)
    if isinstance(raw, bool):
        return Normalised(None, TEXT, "请填写数字")
    if isinstance(raw, (int, float, Decimal)):
        return _number(Decimal(str(raw)), kind, normalised=False)
    text = str(raw)
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace("\u2212", "-")
    if cleaned == "":
        return Normalised(None)
    if _NUMBER.match(cleaned):
        return _number(Decimal(cleaned), kind, normalised=True)
    if cleaned in _DASHES:
        return Normalised(None, TEXT, "如为零，请填写 0")
    m = _LEADING_NUMBER.match(cleaned)
    fix = f"请只填写数字 {m.group(1)}" if m else "请填写数字"
    return Normalised(None, TEXT, fix)


def _number(value: Decimal, kind: str, normalised: bool) -> Normalised:
    try:
        if not value.is_finite():
            return Normalised(None, TEXT, "请填写数字")
    except InvalidOperation:  # pragma: no cover - Decimal(str(x)) is always valid here
        return Normalised(None, TEXT, "请填写数字")
    if value < 0 and kind != SIGNED:
        return Normalised(None, NEGATIVE, "数量和金额不能为负数，请填写 0 或正数")
    if kind in (COUNT, SIGNED):
        if value != value.to_integral_value():
            return Normalised(None, FRACTION, "件数应为整数")
        result: Value = int(value)
    else:
        result = value.normalize() if value != value.to_integral_value() else Decimal(int(value))
    return Normalised(result, NORMALISED if normalised else None, "")


def format_value(value: object) -> str:
    """A value as it appears in a Chinese message: blank shows as 未填写."""
    if value is None:
        return "未填写"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value != value.to_integral_value() else str(
            int(value)
        )
    return str(value)

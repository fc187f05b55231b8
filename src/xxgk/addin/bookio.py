"""Reading an open workbook through xlwings in bulk, and the few writes the buttons make.

Reads: one ``.value`` per sheet (A1 to the last used cell), plus the defined names. Nothing is
read cell by cell: under the COM engine every read is a round trip to Excel.

Writes go only to cells the workbook leaves unlocked (input cells, the results sheet, the hidden
``_flags``/``_草稿``/``_上年`` sheets): the sheets stay protected. Only the plain xlwings
Book/Sheet/Range API is used, so the same code runs under the COM engine (a desktop click) and
the remote engine (the tests, ``xw.Book(json=...)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xxgk import layout
from xxgk.errors import InputError

_A1 = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")
TEXT_PREFIX = "'"  # Excel's (and Office.js's) "this is text" prefix


@dataclass
class Snapshot:
    """What one bulk read of a workbook saw: per sheet its values from A1, and names → address."""

    name: str
    fullname: str
    sheets: dict[str, list[list[Any]]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # defined name → "Sheet!A1"
    # (row, column) → formula text per sheet where the engine tells formulas (COM does, one more
    # bulk read per input sheet; the remote engine does not: None).
    formulas: dict[str, dict[tuple[int, int], str] | None] = field(default_factory=dict)

    @property
    def folder(self) -> Path | None:
        """The folder the workbook is saved in, or None (never saved, or on SharePoint/OneDrive web)."""
        full = self.fullname or ""
        if "://" in full or not re.search(r"[\\/]", full):
            return None
        return Path(full).parent

    def value(self, sheet: str, row: int, column: int) -> Any:
        rows = self.sheets.get(sheet) or []
        if row - 1 < len(rows) and column - 1 < len(rows[row - 1]):
            return rows[row - 1][column - 1]
        return None

    def extent(self, sheet: str) -> tuple[int, int]:
        rows = self.sheets.get(sheet) or []
        return len(rows), max((len(r) for r in rows), default=0)


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def parse_address(address: str) -> layout.Address | None:
    """``表三!D5`` / ``='表三'!$D$5`` → Address, or None for anything else (ranges, constants)."""
    text = address.lstrip("=")
    if "!" not in text:
        return None
    sheet, _, cell = text.rpartition("!")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    m = _A1.match(cell)
    if not m:
        return None
    return layout.Address(sheet, int(m.group(2)), column_number(m.group(1)))


def read_book(book: Any) -> Snapshot:
    """One bulk read per sheet of ``book`` (an ``xw.Book``)."""
    snap = Snapshot(name=str(book.name), fullname=_fullname(book))
    for sheet in book.sheets:
        values = _sheet_values(sheet)
        snap.sheets[sheet.name] = values
        snap.formulas[sheet.name] = _sheet_formulas(sheet, values) if sheet.name in layout.INPUT_SHEETS else None
    snap.names = _names(book)
    return snap


def _fullname(book: Any) -> str:
    try:
        return str(book.fullname)
    except Exception:  # an engine that cannot tell: treat as unsaved
        return ""


def _sheet_values(sheet: Any) -> list[list[Any]]:
    used = sheet.used_range
    last = used.last_cell
    nrows, ncols = last.row, last.column
    if nrows == 1 and ncols == 1:
        # Excel reports A1 for an empty sheet too; one cell read tells the two apart.
        v = sheet.range((1, 1)).value
        return [] if v is None else [[v]]
    values = sheet.range((1, 1), (nrows, ncols)).options(ndim=2).value
    # As the file reader does: anything but a number, text or truth value (a date typed into a
    # count cell) goes to the reader as text, which refuses it with a note.
    return [[v if v is None or isinstance(v, (str, int, float, bool)) else str(v) for v in r] for r in values]


def _sheet_formulas(sheet: Any, values: list[list[Any]]) -> dict[tuple[int, int], str] | None:
    if not values:
        return {}
    nrows, ncols = len(values), max(len(r) for r in values)
    try:
        raw = sheet.range((1, 1), (nrows, ncols)).formula
    except (NotImplementedError, AttributeError):  # engines that do not send formulas
        return None
    except Exception:  # formulas only sharpen the reader's notes; never fail a button over them
        return None
    if not isinstance(raw, (list, tuple)):
        raw = [[raw]]
    elif raw and not isinstance(raw[0], (list, tuple)):
        raw = [raw]
    return {(r, c): str(f) for r, row in enumerate(raw, 1) for c, f in enumerate(row, 1)
            if isinstance(f, str) and f.startswith("=")}


def _names(book: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for n in book.names:
        try:
            name, refers = str(n.name), n.refers_to
        except Exception:  # a name that refers to nothing readable (#REF!) is not ours
            continue
        if refers and "!" not in name:  # sheet-scoped names are not the workbook's keys
            a = parse_address(str(refers))
            if a is not None:
                out[name] = str(a)
    return out


# ---------------------------------------------------------------------------- writes
@dataclass
class Write:
    """One bulk write: a rectangle of values with its top-left cell. ``text``: strings are text
    as they are: Excel parses a string assigned to ``.Value`` as if typed, so "2021" would
    become a number and "1/2" a date; a leading apostrophe (Excel's text prefix, not part of
    the value) keeps them text."""

    sheet: str
    row: int
    column: int
    values: list[list[Any]]
    text: bool = False

    @property
    def cells(self) -> list[layout.Address]:
        return [layout.Address(self.sheet, self.row + i, self.column + j)
                for i, r in enumerate(self.values) for j, _ in enumerate(r)]


def apply_writes(book: Any, writes: list[Write]) -> None:
    """Carry out ``writes`` in order, one ``.value`` assignment each."""
    for w in writes:
        if not w.values or not w.values[0]:
            continue
        nrows, ncols = len(w.values), len(w.values[0])
        target = book.sheets[w.sheet].range((w.row, w.column), (w.row + nrows - 1, w.column + ncols - 1))
        values = w.values
        if w.text:
            values = [[TEXT_PREFIX + v if isinstance(v, str) and v else v for v in row] for row in values]
        target.value = values


def require_sheets(snap: Snapshot, *names: str) -> None:
    missing = [n for n in names if n not in snap.sheets]
    if missing:
        if layout.META not in snap.sheets:
            raise InputError(
                f"工作簿“{snap.name}”不是本工具生成的填报工作簿（缺少工作表：{'、'.join(missing)}）。"
                "请用“xxgk new”生成填报工作簿，在其中填写后再使用功能区按钮。"
            )
        raise InputError(
            f"工作簿“{snap.name}”缺少工作表：{'、'.join(missing)}，可能是旧版本工具生成的或被删改过。"
            "请在命令提示符中运行 xxgk new 新工作簿.xlsx --from 本工作簿.xlsx，生成新版工作簿（数字和文字会一并带过去），再在新工作簿中操作。"
        )

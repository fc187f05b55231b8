"""The report model: one year's report of one agency as plain data, and its JSON form.

A :class:`Report` holds every cell of the official tables (``None`` = blank, never silently 0),
the narrative facts, the section texts (the final text and, apart from it, the last generated
draft), the notes a reader made about cells it could not take as typed, and optionally last
year's report for the cross-year rules. JSON read or written is validated against the schema
derived from the format (:mod:`xxgk.schema`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from xxgk import __version__
from xxgk.errors import InputError
from xxgk.fileio import note_input, write_atomic
from xxgk.spec import COUNT, SIGNED, TEXT, Format, load_format
from xxgk.values import CONTROL_CHARS, Value

MAX_JSON_BYTES = 20 * 1024 * 1024  # a full report is ~50 KB; anything near this is not one
MAX_JSON_NUMBER = 10**15  # larger than any count or amount (in yuan) a report can hold
# C0/C1 controls (tab, line feed and carriage return are text), lone surrogates, non-characters.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class CellNote:
    """Something a reader noticed about one cell: rejected or normalised input, unread cells.

    ``problem`` is a code from :mod:`xxgk.values`; ``raw`` is what was in the cell, as text.
    """

    key: str
    problem: str
    raw: str = ""
    fix: str = ""
    address: str = ""

    def to_dict(self) -> dict[str, str]:
        d = {"key": self.key, "problem": self.problem, "raw": self.raw, "fix": self.fix}
        if self.address:
            d["address"] = self.address
        return d


@dataclass
class Report:
    year: int
    agency: str = ""
    format: str = "2021"
    cells: dict[str, Value | None] = field(default_factory=dict)
    facts: dict[str, Value | str | None] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    drafts: dict[str, str] = field(default_factory=dict)
    notes: list[CellNote] = field(default_factory=list)
    disabled_rules: list[str] = field(default_factory=list)
    headings: list[str] | None = None  # as found in a published document (import only)
    previous: Report | None = None

    def __post_init__(self) -> None:
        fmt = self.spec
        for key in fmt.cells:
            self.cells.setdefault(key, None)
        for key in fmt.facts:
            self.facts.setdefault(key, None)
        for key in fmt.texts:
            self.texts.setdefault(key, "")
        self._strip_invisible()

    def _strip_invisible(self) -> None:
        """Control characters and lone surrogates cannot be written to .docx, .html or UTF-8:
        every reader's report drops them here, at the door, with a note (a 提示) naming the text."""
        fmt = self.spec
        fields: list[tuple[str, str, str]] = [("agency", "机关名称", self.agency)]
        fields += [(k, fmt.texts[k].label if k in fmt.texts else k, v) for k, v in self.texts.items()]
        fields += [(k, fmt.facts[k].label if k in fmt.facts else k, v) for k, v in self.facts.items() if isinstance(v, str)]
        for key, label, text in fields:
            if not isinstance(text, str) or not _INVISIBLE.search(text):
                continue
            found = sorted(set(_INVISIBLE.findall(text)))
            clean = _INVISIBLE.sub("", text)
            codes = "、".join(f"U+{ord(c):04X}" for c in found[:5]) + ("等" if len(found) > 5 else "")
            self.notes.append(CellNote(key, CONTROL_CHARS, f"“{label}”", f"{codes} 共 {len(_INVISIBLE.findall(text))} 个",
                                       address=_address(self.format, key)))
            if key == "agency":
                self.agency = clean
            elif key in self.texts:
                self.texts[key] = clean
            else:
                self.facts[key] = clean
        for key, draft in list(self.drafts.items()):
            self.drafts[key] = _INVISIBLE.sub("", draft) if isinstance(draft, str) else draft
        if self.headings is not None:
            self.headings = [_INVISIBLE.sub("", h) if isinstance(h, str) else h for h in self.headings]

    @property
    def spec(self) -> Format:
        return load_format(self.format)

    @classmethod
    def blank(cls, year: int, agency: str = "", format: str | None = None) -> Report:
        from xxgk.spec import format_for_year

        return cls(year=year, agency=agency, format=format or format_for_year(year).version)

    def value(self, key: str) -> Any:
        if key in self.cells:
            return self.cells[key]
        if key in self.facts:
            return self.facts[key]
        return self.texts.get(key)

    # ------------------------------------------------------------------ JSON form
    def to_dict(self) -> dict[str, Any]:
        fmt = self.spec
        tables: dict[str, dict[str, Any]] = {t: {} for t in fmt.tables}
        for key, cell in fmt.cells.items():
            tables[cell.table][key.removeprefix(cell.table + ".")] = _json_value(self.cells[key])
        d: dict[str, Any] = {
            "format": self.format,
            "year": self.year,
            "agency": self.agency,
            "tables": tables,
            "facts": {k: _json_value(self.facts.get(k)) for k in fmt.facts},
            "texts": {k: self.texts.get(k, "") for k in fmt.texts},
        }
        if self.drafts:
            d["drafts"] = dict(self.drafts)
        if self.notes:
            d["notes"] = [n.to_dict() for n in self.notes]
        if self.disabled_rules:
            d["disabled_rules"] = list(self.disabled_rules)
        if self.headings is not None:
            d["headings"] = list(self.headings)
        if self.previous is not None:
            d["previous"] = self.previous.to_dict()
        d["generator"] = f"xxgk {__version__}"
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, validate: bool = True) -> Report:
        """A Report from its JSON form. Validates first unless told the data is already valid."""
        if validate:
            from xxgk.schema import validate_report_dict

            validate_report_dict(data)
        fmt = load_format(data["format"])
        cells: dict[str, Value | None] = {}
        for key, cell in fmt.cells.items():
            raw = data["tables"][cell.table][key.removeprefix(cell.table + ".")]
            cells[key] = _model_value(raw, cell.type)
        given = data.get("facts", {})
        facts = {k: _model_value(given.get(k), f.type) for k, f in fmt.facts.items()}
        prev = data.get("previous")
        return cls(
            year=data["year"],
            agency=data.get("agency", ""),
            format=data["format"],
            cells=cells,
            facts=facts,
            texts=dict(data.get("texts", {})),
            drafts=dict(data.get("drafts", {})),
            notes=[CellNote(**n) for n in data.get("notes", [])],
            disabled_rules=list(data.get("disabled_rules", [])),
            headings=data.get("headings"),
            previous=cls.from_dict(prev, validate=False) if prev else None,
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _json_value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def _model_value(raw: Any, kind: str) -> Value | str | None:
    if raw is None:
        return None
    if kind in (COUNT, SIGNED):
        return int(raw)
    if kind == TEXT:
        return str(raw)
    return Decimal(str(raw))


def loads(text: str, source: str = "JSON") -> Report:
    """Parse and validate a report JSON string. Bad input raises :class:`InputError`."""

    def constant(name: str) -> None:
        raise InputError(f"{source} 含有 {name}，这不是合法的 JSON 数值（年报中的数字都是有限的数）。"
                         "请改为实际数字，或留空（null）。")

    def number(raw: str, kind: type) -> Any:
        if len(raw) > 40:
            raise InputError(f"{source} 含有一个 {len(raw)} 位的数字（{raw[:12]}…），远超年报中任何数字，未读取。"
                             "请确认选择的是年报 JSON 文件。")
        value = kind(raw)
        if not abs(value) < MAX_JSON_NUMBER:
            raise InputError(f"{source} 含有数字 {raw}，超出年报中数字的合理范围（小于 10 的 15 次方），未读取。"
                             "请改正该数字。")
        return value

    too_deep = f"{source} 的嵌套层数过深，不是年报 JSON（年报 JSON 只有几层），未读取。"
    try:
        data = json.loads(text, parse_float=lambda r: number(r, Decimal), parse_int=lambda r: number(r, int),
                          parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{_json_reason(exc.msg)}）。"
            "请确认选择的是本工具导出的年报 JSON 文件。"
        ) from None
    except RecursionError:
        raise InputError(too_deep) from None
    if not isinstance(data, dict):
        raise InputError(f"{source} 不是年报 JSON：最外层应为一个对象（{{…}}）。")
    try:
        return Report.from_dict(data)
    except RecursionError:
        raise InputError(too_deep) from None


def load_json(path: str | Path) -> Report:
    """Read a report JSON file, refusing anything that is not one with a Chinese message."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"找不到文件：{path}。请检查路径和文件名。")
    size = path.stat().st_size
    if size > MAX_JSON_BYTES:
        raise InputError(
            f"文件 {path.name} 有 {size / 1024 / 1024:.0f} MB，远大于任何年报 JSON（通常不到 1 MB），"
            "未读取。请确认选择的文件是否正确。"
        )
    note_input(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件 {path.name}（{exc.strerror}）。请检查文件权限，或确认文件未被其他程序占用。") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            f"文件 {path.name} 不是 UTF-8 编码的文本，不是年报 JSON。请确认选择的文件是否正确。"
        ) from None
    return loads(text, source=f"文件 {path.name}")


def dump_json(report: Report, path: str | Path, *, overwrite: bool = False) -> Path:
    """Validate and atomically write ``report`` as JSON."""
    from xxgk.schema import validate_report_dict

    data = report.to_dict()
    validate_report_dict(data)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return write_atomic(Path(path), text.encode("utf-8"), overwrite=overwrite,
                        may_replace=is_own_json, what="年报 JSON")


def is_own_json(path: Path) -> bool:
    """Whether ``path`` is a report JSON this tool wrote (``"generator": "xxgk …"``): the only
    kind of file ``--force`` may replace with a report JSON."""
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            return False
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and str(data.get("generator", "")).startswith("xxgk")


def _json_reason(msg: str) -> str:
    reasons = {
        "Expecting value": "此处应为一个值",
        "Expecting property name enclosed in double quotes": "属性名应使用英文双引号",
        "Unterminated string starting at": "字符串没有结束引号",
        "Extra data": "JSON 结束后还有多余内容",
        "Expecting ',' delimiter": "缺少逗号",
        "Expecting ':' delimiter": "缺少冒号",
        "Invalid control character at": "含有无效的控制字符",
    }
    return reasons.get(msg, msg)


def _address(version: str, key: str) -> str:
    from xxgk import layout

    if key == "agency":
        return str(layout.COVER_CELLS["agency"])
    try:
        return layout.address(version, key)
    except (KeyError, ValueError):  # pragma: no cover - every format key has a place
        return ""

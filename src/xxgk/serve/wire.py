"""The service's JSON: a workbook snapshot in, a button's Outcome out.

The snapshot is what :func:`xxgk.addin.bookio.read_book` reads through xlwings, as the WPS
add-in sends it (``addin/wps/main.js: readBook``)::

    {"name": "….xlsx", "fullname": "D:\\\\年报\\\\….xlsx",
     "sheets": [{"name": "表三", "values": [[…], …], "formulas": [[row, col, "=…"], …] | null}, …],
     "names": {"xx_t3__new__natural": "表三!D8", …}}

Everything is checked before use (types and sizes): a bad or oversized body is an
:class:`~xxgk.errors.InputError` with a Chinese message, never a traceback.
"""

from __future__ import annotations

from typing import Any

from xxgk import layout
from xxgk.addin.bookio import Snapshot, parse_address
from xxgk.addin.buttons import Outcome
from xxgk.errors import InputError
from xxgk.workbook.formulas import plain_number

MAX_BODY = 8 * 1024 * 1024  # a filled workbook's snapshot is a few hundred KB
MAX_SHEETS = 64
MAX_ROWS = 20_000
MAX_COLUMNS = 1_000
MAX_CELLS = 400_000
MAX_TEXT = 32_767  # Excel's (and WPS's) limit for one cell
MAX_NAMES = 20_000

_BAD = "插件发来的工作簿数据格式不对（{what}）。请确认 WPS 加载项与 xxgk 版本一致：重新运行 xxgk addin install --wps。"


def _bad(what: str) -> InputError:
    return InputError(_BAD.format(what=what))


def snapshot_from_json(data: Any) -> Snapshot:
    if not isinstance(data, dict):
        raise _bad("book 不是对象")
    name, fullname = data.get("name"), data.get("fullname", "")
    if not isinstance(name, str) or not isinstance(fullname, str) or len(name) > 1024 or len(fullname) > 4096:
        raise _bad("name/fullname")
    sheets_in = data.get("sheets")
    if not isinstance(sheets_in, list) or len(sheets_in) > MAX_SHEETS:
        raise _bad(f"sheets 应为不超过 {MAX_SHEETS} 项的列表")
    snap = Snapshot(name=name, fullname=fullname)
    cells = 0
    for sheet in sheets_in:
        if not isinstance(sheet, dict) or not isinstance(sheet.get("name"), str):
            raise _bad("工作表缺少名称")
        values = sheet.get("values") or []
        if not isinstance(values, list) or len(values) > MAX_ROWS:
            raise _bad(f"工作表“{sheet['name']}”超过 {MAX_ROWS} 行")
        rows = []
        for row in values:
            if not isinstance(row, list) or len(row) > MAX_COLUMNS:
                raise _bad(f"工作表“{sheet['name']}”的行不是列表或超过 {MAX_COLUMNS} 列")
            cells += len(row)
            rows.append([_value(v, sheet["name"]) for v in row])
        if cells > MAX_CELLS:
            raise _bad(f"单元格总数超过 {MAX_CELLS}")
        snap.sheets[sheet["name"]] = rows
        snap.formulas[sheet["name"]] = _formulas(sheet.get("formulas"), sheet["name"])
    names = data.get("names") or {}
    if not isinstance(names, dict) or len(names) > MAX_NAMES:
        raise _bad("names")
    for n, ref in names.items():
        if not isinstance(ref, str) or len(ref) > 300:
            raise _bad(f"名称 {n}")
        a = parse_address(ref)  # only plain one-cell references are the workbook's keys
        if a is not None and "!" not in n:  # as bookio: sheet-scoped names are not the book's keys
            snap.names[n] = str(a)
    return snap


def _value(v: Any, sheet: str) -> Any:
    if v is None or isinstance(v, (bool, int, float)):
        return v
    if isinstance(v, str):
        if len(v) > MAX_TEXT:
            raise _bad(f"工作表“{sheet}”有超过 {MAX_TEXT} 个字符的单元格")
        return v
    raise _bad(f"工作表“{sheet}”的单元格值类型 {type(v).__name__}")


def _formulas(raw: Any, sheet: str) -> dict[tuple[int, int], str] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or len(raw) > MAX_CELLS:
        raise _bad(f"工作表“{sheet}”的公式")
    out = {}
    for item in raw:
        if (not isinstance(item, list) or len(item) != 3 or not all(isinstance(x, int) for x in item[:2])
                or not isinstance(item[2], str) or len(item[2]) > 8192):
            raise _bad(f"工作表“{sheet}”的公式")
        out[(item[0], item[1])] = item[2]
    return out


def outcome_to_json(outcome: Outcome) -> dict[str, Any]:
    """What the add-in needs to finish the click: the writes (to unlocked cells and the program
    sheets only, as the xlwings buttons make them), the message, and for 校验 the findings with
    their addresses and the cells flagged."""
    from xxgk.workbook.builder import PASSWORD

    flagged = sorted({a for f in outcome.findings for a in f.addresses
                      if (p := parse_address(a)) is not None and p.sheet in layout.INPUT_SHEETS})
    return {
        "ok": outcome.ok,
        "tag": outcome.tag,
        "message": outcome.message,
        "writes": [{"sheet": w.sheet, "row": w.row, "column": w.column, "text": w.text,
                    "values": [[plain_number(v) for v in r] for r in w.values]} for w in outcome.writes],
        "files": [str(p) for p in outcome.files],
        "findings": [f.to_dict() for f in outcome.findings],
        "flagged": flagged,
        "activate": layout.RESULTS if outcome.tag == "validate" and outcome.ok else None,
        # The sheets are protected with the workbook's own password (integrity, not secrecy):
        # the add-in re-protects with it after writing.
        "password": PASSWORD,
    }

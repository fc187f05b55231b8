"""A built workbook as the WPS add-in sees it, for the service and main.js tests.

``dump_workbook`` writes what a fake ET ``Application`` (tests/js/fake_et.js) needs: per sheet
the values from A1 (formula cells without a computed value, as openpyxl leaves them), the
formulas, which cells are unlocked, whether the sheet is protected and with which password, and
the workbook's defined names. ``book_json`` is the snapshot main.js's ``readBook`` sends.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl

from xxgk.report import Report
from xxgk.workbook import build_workbook
from xxgk.workbook.builder import PASSWORD


def built(report: Report | None) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(build_workbook(report, year=None if report else 2024)))


def dump_workbook(wb: openpyxl.Workbook, name: str, fullname: str = "") -> dict[str, Any]:
    sheets = []
    for ws in wb.worksheets:
        values, formulas, unlocked = [], [], []
        for r, row in enumerate(ws.iter_rows(), 1):
            out = []
            for c, cell in enumerate(row, 1):
                v = cell.value
                if isinstance(v, str) and v.startswith("="):
                    formulas.append([r, c, v])
                    v = None
                elif v is not None and not isinstance(v, (str, int, float, bool)):
                    v = str(v)
                out.append(v)
                if cell.protection.locked is False:
                    unlocked.append([r, c])
            values.append(out)
        sheets.append({"name": ws.title, "values": values, "formulas": formulas, "unlocked": unlocked,
                       "protected": bool(ws.protection.sheet),
                       "password": PASSWORD if ws.protection.sheet else "",
                       # openpyxl's flags say what is protected; ET's Allow* say what is allowed
                       "allow": {"AllowFormattingCells": not ws.protection.formatCells,
                                 "AllowFormattingColumns": not ws.protection.formatColumns,
                                 "AllowFormattingRows": not ws.protection.formatRows},
                       "visible": ws.sheet_state == "visible"})
    names = []
    for n, d in wb.defined_names.items():
        names.append({"name": n, "refers_to": "=" + d.attr_text})
    return {"name": name, "fullname": fullname, "sheets": sheets, "names": names}


def book_json(dump: dict[str, Any], *, formulas: bool = False) -> dict[str, Any]:
    from xxgk.addin.bookio import parse_address

    names = {}
    for n in dump["names"]:
        a = parse_address(n["refers_to"])
        if a is not None:
            names[n["name"]] = str(a)
    return {"name": dump["name"], "fullname": dump["fullname"], "names": names,
            "sheets": [{"name": s["name"], "values": s["values"],
                        "formulas": s["formulas"] if formulas else None} for s in dump["sheets"]]}


def save_dump(dump: dict[str, Any], path: Path) -> Path:
    import json

    path.write_text(json.dumps(dump, ensure_ascii=False), encoding="utf-8")
    return path

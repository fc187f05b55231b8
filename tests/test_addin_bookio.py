"""The bulk reader against the shapes the COM engine returns (no Excel here): formulas as a
tuple of tuples with "" for constants, numbers as floats, dates as datetime, names whose
reference text is quoted or broken."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from xxgk import layout
from xxgk.addin.bookio import parse_address, read_book


class FakeRange:
    def __init__(self, sheet: FakeSheet, a: tuple[int, int], b: tuple[int, int] | None = None) -> None:
        self.sheet, self.a, self.b = sheet, a, b or a
        self.reads = sheet.reads

    def options(self, **_: Any) -> FakeRange:
        return self

    @property
    def value(self) -> Any:
        self.reads.append(("value", self.sheet.name, self.a, self.b))
        rows = range(self.a[0] - 1, self.b[0])
        cols = range(self.a[1] - 1, self.b[1])
        grid = [[self.sheet.cells.get((r + 1, c + 1)) for c in cols] for r in rows]
        return grid if (len(rows), len(cols)) != (1, 1) else grid[0][0]

    @property
    def formula(self) -> Any:
        self.reads.append(("formula", self.sheet.name, self.a, self.b))
        return tuple(tuple(str(self.sheet.formulas.get((r + 1, c + 1), self.sheet.cells.get((r + 1, c + 1)) or ""))
                           for c in range(self.a[1] - 1, self.b[1])) for r in range(self.a[0] - 1, self.b[0]))


class FakeSheet:
    def __init__(self, name: str, cells: dict[tuple[int, int], Any], formulas=None, reads=None) -> None:
        self.name, self.cells, self.formulas = name, cells, formulas or {}
        self.reads = reads if reads is not None else []

    @property
    def used_range(self) -> Any:
        rows = max((r for r, _ in self.cells), default=1)
        cols = max((c for _, c in self.cells), default=1)
        return SimpleNamespace(last_cell=SimpleNamespace(row=rows, column=cols))

    def range(self, a: tuple[int, int], b: tuple[int, int] | None = None) -> FakeRange:
        return FakeRange(self, a, b)


class BrokenName:
    name = "xx_broken"

    @property
    def refers_to(self) -> str:
        raise RuntimeError("#REF!")


def test_com_shaped_workbook_is_read_in_one_call_per_sheet() -> None:
    reads: list[Any] = []
    t3 = layout.SECTION_SHEETS["s3"]
    sheets = [
        FakeSheet(t3, {(5, 4): 3.0, (5, 5): dt.datetime(2024, 1, 1), (6, 4): 7.0}, {(6, 4): "=SUM(D5:D5)"}, reads),
        FakeSheet(layout.RESULTS, {}, reads=reads),
        FakeSheet("校验 结果'旧", {(2, 2): "x"}, reads=reads),
    ]
    names = [SimpleNamespace(name="xx_t3__new__natural", refers_to=f"={t3}!$D$5"),
             SimpleNamespace(name="xx_q", refers_to="='校验 结果''旧'!$B$2"),
             SimpleNamespace(name="Sheet1!local", refers_to="=Sheet1!$A$1"),
             SimpleNamespace(name="xx_const", refers_to="=42"),
             BrokenName()]
    book = SimpleNamespace(name="年报.xlsx", fullname=str(Path.cwd() / "年报" / "年报.xlsx"), sheets=sheets, names=names)
    snap = read_book(book)
    assert snap.sheets[t3][4][3] == 3.0 and snap.sheets[t3][4][4] == "2024-01-01 00:00:00"
    assert snap.formulas[t3] == {(6, 4): "=SUM(D5:D5)"}
    assert snap.formulas[layout.RESULTS] is None  # formulas only for the input sheets
    assert snap.sheets[layout.RESULTS] == []
    assert snap.names == {"xx_t3__new__natural": f"{t3}!D5", "xx_q": "校验 结果'旧!B2"}
    assert snap.folder is not None and snap.folder.name == "年报"
    per_sheet = {}
    for kind, sheet, *_ in reads:
        per_sheet.setdefault(sheet, []).append(kind)
    assert per_sheet[t3] == ["value", "formula"]
    assert per_sheet["校验 结果'旧"] == ["value"]


def test_parse_address_forms() -> None:
    assert str(parse_address("='表三'!$D$5")) == "表三!D5"
    assert str(parse_address("表三!AA12")) == "表三!AA12"
    assert parse_address("=表三!D5:E6") is None and parse_address("=42") is None

"""The project's format data agrees with the independent oracle, label for label."""

from __future__ import annotations

import pytest

from oracle import official_labels
from xxgk.errors import InputError
from xxgk.spec import available_versions, format_for_year, load_format


@pytest.fixture(params=[v for v in available_versions() if v in official_labels()])
def pair(request):
    return load_format(request.param), official_labels()[request.param]


def test_headings_and_subtopics(pair) -> None:
    fmt, oracle = pair
    assert [h.label for h in fmt.headings] == oracle["headings"]
    if "overview_subtopics" in oracle:
        assert [s.label for s in fmt.subtopics] == oracle["overview_subtopics"]


def test_table2_blocks(pair) -> None:
    fmt, oracle = pair
    t2 = fmt.tables["t2"]
    assert t2.caption == oracle["table2"]["caption"]
    got = [{"title": b.title, "columns": [b.head, *(c.label for c in b.columns)], "rows": [r.label for r in b.rows]}
           for b in t2.blocks]
    assert got == oracle["table2"]["blocks"]


def test_table3(pair) -> None:
    fmt, oracle = pair
    t3, o = fmt.tables["t3"], oracle["table3"]
    assert (t3.caption, t3.corner_note, t3.column_header) == (o["caption"], o["corner_note"], o["column_header"])
    assert [list(c.labels) for c in t3.columns] == o["columns"]
    assert [list(r.labels) for r in t3.rows] == o["rows"]


def test_table4(pair) -> None:
    fmt, oracle = pair
    t4, o = fmt.tables["t4"], oracle["table4"]
    assert t4.caption == o["caption"]
    assert [list(c.labels) for c in t4.columns] == o["columns"]


def test_2021_shape() -> None:
    fmt = load_format("2021")
    assert len(fmt.table_cells("t3")) == 25 * 7
    assert len(fmt.table_cells("t4")) == 15
    assert len(fmt.cells) == len(set(fmt.cells))
    assert all(k.isascii() for k in fmt.cells)
    totals = [c for c in fmt.cells.values() if c.is_total]
    # 表三: the 总计 column (25) + the （七）总计 row (6 more); 表四: 3 group totals.
    assert len([c for c in totals if c.table == "t3"]) == 31
    assert len([c for c in totals if c.table == "t4"]) == 3


def test_format_for_year_and_unknown_versions() -> None:
    assert format_for_year(2024).version == "2021"
    with pytest.raises(InputError, match="不认识的格式版本"):
        load_format("1999")

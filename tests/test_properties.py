"""Properties over random reports: consistent ones pass; any single 表三/表四 change is caught
and the 错误 names the changed cell."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import TABLE_CELLS, consistent_reports
from xxgk.report import Report
from xxgk.rules import check

ARITHMETIC = {"T3-IDENTITY", "T3-RESULT-SUM", "T3-ROW-TOTAL", "T4-GROUP-SUM", "CELL-RANGE", "CELL-BLANK"}


@settings(max_examples=150, deadline=None)
@given(consistent_reports())
def test_consistent_reports_have_no_table_errors(report: Report) -> None:
    bad = [f for f in check(report) if f.is_error and f.rule in ARITHMETIC]
    assert not bad, [f.message for f in bad]


@settings(max_examples=300, deadline=None)
@given(consistent_reports(), st.sampled_from(TABLE_CELLS),
       st.integers(-5000, 5000).filter(lambda d: d != 0))
def test_any_single_cell_change_is_an_error_naming_that_cell(report: Report, key: str, delta: int) -> None:
    report.cells[key] += delta
    errors = [f for f in check(report) if f.is_error]
    assert any(key in f.cells for f in errors), (key, delta, [f.id for f in errors])


@settings(max_examples=100, deadline=None)
@given(consistent_reports())
def test_json_round_trip_is_lossless(report: Report) -> None:
    back = Report.from_dict(report.to_dict())
    assert back.cells == report.cells and back.facts == report.facts and back.texts == report.texts

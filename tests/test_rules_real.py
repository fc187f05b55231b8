"""Rules on real reports as they come: blank totals and partly blank sums, fee statements, prose
about 表二 (issue 11 items 7–9). Wordings are taken from real published reports."""

from __future__ import annotations

import pytest

from fixtures import HUAIAN_T3, huaian_2024
from xxgk.report import Report
from xxgk.rules import Finding, Severity, check


def fired(report: Report, rule: str) -> list[Finding]:
    return [f for f in check(report) if f.rule == rule]


def errors(report: Report) -> list[Finding]:
    return [f for f in check(report) if f.is_error]


@pytest.fixture
def huaian() -> Report:
    return huaian_2024()


def _blank_total_column(report: Report) -> None:
    for row in HUAIAN_T3:
        report.cells[f"t3.{row}.total"] = None


# ------------------------------------------------------------------ 7. blank totals, partial sums
def test_a_blank_total_column_names_what_each_total_would_be(huaian: Report) -> None:
    _blank_total_column(huaian)
    found = {f.where: f for f in errors(huaian)}
    assert all(f.rule == "CELL-BLANK" for f in found.values())
    # One finding per blank total, each naming its parts' sum; nothing else is wrong.
    assert set(found) == {f"t3.{row}.total" for row in HUAIAN_T3}, list(found)
    f = found["t3.new.total"]
    assert f.rule == "CELL-BLANK" and f.right == 3119 and "3119" in f.message
    assert f.addresses == ("表三!J5",)
    assert found["t3.results.total.total"].right == 3050


def test_blank_totals_still_let_the_prose_be_compared(huaian: Report) -> None:
    _blank_total_column(huaian)
    huaian.texts["s1.requests"] = huaian.texts["s1.requests"].replace("3119", "3120")
    found = fired(huaian, "TXT-T3-NEW")
    assert [(f.left, f.right) for f in found] == [(3120, 3119)]


def test_filled_parts_exceeding_the_total_are_reported_though_a_part_is_blank(huaian: Report) -> None:
    huaian.cells["t3.new.natural"] = None
    huaian.cells["t3.new.total"] = 100  # 53 + 0 + 0 + 61 + 4 = 118 > 100 already
    found = fired(huaian, "T3-ROW-TOTAL")
    assert len(found) == 1
    f = found[0]
    assert (f.left, f.right, f.diff) == (100, 118, -18) and f.severity is Severity.ERROR
    assert "已达 118" in f.message and "表三!D5" in f.message and "超出 18" in f.message
    # The blank part stays its own finding, and is not reported a second time as a sum.
    assert [x.where for x in fired(huaian, "CELL-BLANK")] == ["t3.new.natural"]


def test_one_blank_part_says_what_it_would_have_to_be(huaian: Report) -> None:
    huaian.cells["t3.results.granted.natural"] = None
    found = fired(huaian, "CELL-BLANK")
    assert len(found) == 1 and "应为 1288" in found[0].message
    # The gap is the blank's own finding, not also an arithmetic one.
    assert not [f for f in errors(huaian) if f.rule != "CELL-BLANK"]


def test_conflicting_completions_are_named(huaian: Report) -> None:
    huaian.cells["t3.new.natural"] = None
    huaian.cells["t3.forward.natural"] = 104  # the identity now wants 3002, the row total 3001
    [f] = fired(huaian, "CELL-BLANK")
    assert "3001" in f.message and "3002" in f.message and "不一致" in f.message


def test_identity_with_blanks_reports_what_is_decided(huaian: Report) -> None:
    huaian.cells["t3.forward.legal"] = None
    huaian.cells["t3.new.legal"] = 50  # 50 + 0 < 61 filled on the other side already
    found = fired(huaian, "T3-IDENTITY")
    assert [(f.where, f.left, f.right) for f in found] == [("legal", 50, 61)]
    assert "表三!H29" in found[0].message and "已相差 11" in found[0].message


def test_t4_blank_part_with_others_over_the_total(example: Report) -> None:
    example.cells.update({"t4.review.upheld": 2, "t4.review.pending": None, "t4.review.total": 1})
    found = fired(example, "T4-GROUP-SUM")
    assert [(f.left, f.right) for f in found] == [(1, 2)]


def test_prose_compares_what_is_known_when_cells_are_blank(huaian: Report) -> None:
    huaian.cells["t4.review.pending"] = None
    huaian.cells["t4.review.total"] = None  # parts not all known: total unknown too
    # "行政复议 351 件": the filled parts add up to 72 + 64 + 178 = 314 — fewer, so no contradiction is decided.
    assert not fired(huaian, "TXT-T4-FIGURE")
    huaian.texts["s1.requests"] = huaian.texts["s1.requests"].replace("行政复议 351 件", "行政复议 300 件")
    found = fired(huaian, "TXT-T4-FIGURE")
    assert [(f.left, f.right) for f in found] == [(300, 314)]
    assert "表四!D5" in found[0].message and "未填写" in found[0].message


def test_none_received_claim_with_a_blank_total(example: Report) -> None:
    example.cells["t3.new.natural"] = 2
    example.cells["t3.new.total"] = None
    example.cells["t3.new.commercial"] = None
    assert [f.right for f in fired(example, "TXT-T3-NONE")] == [2]


def test_all_upheld_claim_with_a_blank_part(example: Report) -> None:
    example.texts["s4.note"] = "本年度发生政府信息公开行政复议 2 件，均获维持。"
    example.cells.update({"t4.review.upheld": 1, "t4.review.corrected": None, "t4.review.pending": 1,
                          "t4.review.total": 2})
    found = fired(example, "TXT-T4-UPHELD")
    assert len(found) == 1 and found[0].right == 1

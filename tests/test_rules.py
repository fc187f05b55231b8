"""Each rule of the catalogue: a hand-made report that makes it fire, and one that keeps it quiet."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from fixtures import huaian_2024
from xxgk.errors import InputError
from xxgk.report import CellNote, Report
from xxgk.rules import Finding, Severity, catalogue, check, has_errors, iter_findings


def ids(findings: list[Finding], rule: str | None = None) -> list[str]:
    return [f.id for f in findings if rule is None or f.rule == rule]


def fired(report: Report, rule: str, previous: Report | None = None) -> list[Finding]:
    return [f for f in check(report, previous=previous) if f.rule == rule]


@pytest.fixture
def huaian() -> Report:
    return huaian_2024()


# ------------------------------------------------------------------ quiet on real reports
def test_bundled_example_has_no_errors(example: Report) -> None:
    findings = check(example)
    assert not has_errors(findings), [f.message for f in findings]


def test_huaian_has_no_errors(huaian: Report) -> None:
    findings = check(huaian)
    assert not has_errors(findings), [f.message for f in findings]
    # Its prose quotes 3119/3050/34/103 and the 复议/诉讼 figures: all read, all agree.
    assert not [f for f in findings if f.rule.startswith("TXT-")]


def test_every_rule_has_a_check_and_unique_id() -> None:
    from xxgk.rules.checks import CHECKS

    rules = catalogue()
    assert len({r.id for r in rules}) == len(rules)
    for r in rules:
        assert r.check in CHECKS, r.id
        assert r.severity in (Severity.ERROR, Severity.WARNING)
        assert r.message and r.title


# ------------------------------------------------------------------ table arithmetic
def test_identity_fires_per_column_with_left_right_diff(huaian: Report) -> None:
    huaian.cells["t3.forward.legal"] = 2  # legal column: 61 + 0 ≠ 61 + 2
    found = fired(huaian, "T3-IDENTITY")
    assert [f.where for f in found] == ["legal"]
    f = found[0]
    assert (f.left, f.right, f.diff) == (61, 63, -2)
    assert "表三!H29" in f.addresses and "t3.forward.legal" in f.cells
    assert "法律服务机构" in f.message and "为 61" in f.message and "为 63" in f.message and "相差 2" in f.message
    assert f.severity is Severity.ERROR and f.id == "T3-IDENTITY:legal"


def test_result_sum_fires_for_the_column(huaian: Report) -> None:
    huaian.cells["t3.results.withheld.process.natural"] = 13  # one more than published
    found = fired(huaian, "T3-RESULT-SUM")
    assert [f.where for f in found] == ["t3.results.total.natural"]
    assert (found[0].left, found[0].right) == (2932, 2933)


def test_row_total_fires_for_the_row(huaian: Report) -> None:
    huaian.cells["t3.new.total"] = 3120
    found = fired(huaian, "T3-ROW-TOTAL")
    assert [f.where for f in found] == ["t3.new.total"]
    assert "一、本年新收政府信息公开申请数量" in found[0].message


def test_t4_group_sum(huaian: Report) -> None:
    huaian.cells["t4.after_review.pending"] = 7
    found = fired(huaian, "T4-GROUP-SUM")
    assert [f.where for f in found] == ["t4.after_review.total"]
    assert "复议后起诉" in found[0].message and found[0].diff == -1


def test_arithmetic_skips_blank_cells_instead_of_cascading(huaian: Report) -> None:
    huaian.cells["t3.new.natural"] = None
    findings = check(huaian)
    assert ids(findings, "CELL-BLANK") == ["CELL-BLANK:t3.new.natural"]
    assert not ids(findings, "T3-IDENTITY") and not ids(findings, "T3-ROW-TOTAL")


# ------------------------------------------------------------------ cell values
def test_blank_total_over_blank_parts_is_not_reported_twice(example: Report) -> None:
    example.cells["t3.new.natural"] = None
    example.cells["t3.new.total"] = None  # a workbook reader leaves the total blank too
    assert ids(check(example), "CELL-BLANK") == ["CELL-BLANK:t3.new.natural"]
    example.cells["t3.new.natural"] = 0  # parts all filled, total still blank: report it
    assert ids(check(example), "CELL-BLANK") == ["CELL-BLANK:t3.new.total"]


def test_blank_is_not_zero(example: Report) -> None:
    example.cells["t4.review.total"] = None
    found = fired(example, "CELL-BLANK")
    assert [f.cells for f in found] == [("t4.review.total",)]
    assert "未填写" in found[0].message and found[0].addresses == ("表四!E5",)


@pytest.mark.parametrize(
    ("problem", "rule", "severity"),
    [
        ("text", "CELL-TEXT", Severity.ERROR),
        ("negative", "CELL-NEGATIVE", Severity.ERROR),
        ("fraction", "CELL-FRACTION", Severity.ERROR),
        ("unread", "CELL-UNREAD", Severity.ERROR),
        ("normalised", "CELL-NORMALISED", Severity.WARNING),
        ("formula_replaced", "CELL-FORMULA-REPLACED", Severity.WARNING),
    ],
)
def test_cell_notes_become_findings(example: Report, problem: str, rule: str, severity: Severity) -> None:
    example.notes.append(CellNote("t3.new.natural", problem, raw="5件", fix="请只填写数字 5"))
    found = fired(example, rule)
    assert len(found) == 1 and found[0].severity is severity
    assert found[0].addresses == ("表三!D5",)
    assert "自然人" in found[0].message
    # A rejected cell is not also reported as blank.
    example.cells["t3.new.natural"] = None
    assert not fired(example, "CELL-BLANK")
    # And other problem kinds stay quiet.
    others = {r.id for r in catalogue() if r.check == "cell_notes"} - {rule}
    assert not [f for f in check(example) if f.rule in others]


def test_cell_range_catches_values_that_bypassed_a_reader(example: Report) -> None:
    example.cells["t3.new.natural"] = -3
    example.cells["t3.carried.natural"] = Decimal("1.5")
    found = fired(example, "CELL-RANGE")
    assert {f.where for f in found} == {"t3.new.natural", "t3.carried.natural"}
    example.cells["t2.fees.amount"] = Decimal("0.5")  # 万元 may be decimal
    assert {f.where for f in fired(example, "CELL-RANGE")} == {"t3.new.natural", "t3.carried.natural"}


def test_blank_facts_warn(example: Report) -> None:
    assert ids(check(example), "FACT-BLANK") == ["FACT-BLANK:proactive.press_conferences"]
    example.facts["proactive.press_conferences"] = 0
    assert not fired(example, "FACT-BLANK")


# ------------------------------------------------------------------ prose vs tables
REQUESTS = "s1.requests"


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        ("受理政府信息公开申请 3119 件", "受理政府信息公开申请 3120 件", "TXT-T3-NEW"),
        ("答复 3050 件", "答复 3049 件", "TXT-T3-ANSWERED"),
        ("上年度结转申请 34 件", "上年度结转申请 43 件", "TXT-T3-CARRIED"),
        ("另有 103 件顺延到下年度答复", "另有 130 件顺延到下年度答复", "TXT-T3-FORWARD"),
        ("行政复议 351 件", "行政复议 350 件", "TXT-T4-FIGURE"),
        ("结果纠正 64 件", "结果纠正 46 件", "TXT-T4-FIGURE"),
        ("尚未审结 7 件", "尚未审结 6 件", "TXT-T4-FIGURE"),
        ("行政诉讼 46 件", "行政诉讼 26 件", "TXT-T4-FIGURE"),
    ],
)
def test_prose_figures_against_tables(huaian: Report, old: str, new: str, rule: str) -> None:
    assert old in huaian.texts[REQUESTS]
    huaian.texts[REQUESTS] = huaian.texts[REQUESTS].replace(old, new)
    found = fired(huaian, rule)
    assert len(found) == 1, [f.message for f in check(huaian)]
    f = found[0]
    assert f.severity is Severity.ERROR and f.left != f.right and f.diff == f.left - f.right
    assert f.addresses[0] == "总体情况!B10"  # the text cell, then the table cells
    assert any(a.startswith(("表三!", "表四!")) for a in f.addresses[1:])


def test_received_may_include_carried_over(huaian: Report) -> None:
    # "收到N件" meaning 新收 + 上年结转 is a known, acceptable wording.
    huaian.texts[REQUESTS] = "全年共收到政府信息公开申请 3153 件。"
    assert not fired(huaian, "TXT-T3-NEW")


def test_chinese_numerals_are_read(example: Report) -> None:
    example.texts[REQUESTS] = "本年度共收到政府信息公开申请十二件。"
    found = fired(example, "TXT-T3-NEW")
    assert found and found[0].left == 12


def test_none_received_claim(example: Report) -> None:
    assert not fired(example, "TXT-T3-NONE")  # 保定: 未收到 and 0 in the table
    example.cells["t3.new.natural"] = example.cells["t3.new.total"] = 1
    assert len(fired(example, "TXT-T3-NONE")) == 1


def test_outcome_sum_quoted_as_one_cell(huaian: Report) -> None:
    huaian.texts["s3.note"] = "予以公开和部分公开 1362 件。"  # quotes 予以公开 only; the sum is 1816
    found = fired(huaian, "TXT-T3-OUTCOME")
    assert [(f.left, f.right) for f in found] == [(1362, 1816)]
    huaian.texts["s3.note"] = "予以公开和部分公开 1816 件，其中予以公开 1362 件、部分公开 454 件，不予公开 178 件，无法提供 781 件，不予处理 88 件，其他处理 187 件。"
    assert not fired(huaian, "TXT-T3-OUTCOME")


def test_wrong_category_named(huaian: Report) -> None:
    huaian.texts["s3.note"] = "不予公开 178 件，主要是本机关不掌握相关政府信息。"
    found = fired(huaian, "TXT-T3-CATEGORY")
    assert len(found) == 1 and "（四）无法提供" in found[0].message
    huaian.texts["s3.note"] = "不予公开 178 件，主要是属于国家秘密和行政查询事项；无法提供 781 件，主要是本机关不掌握相关政府信息。"
    assert not fired(huaian, "TXT-T3-CATEGORY")


def test_all_upheld_claim_vs_pending(example: Report) -> None:
    example.texts["s4.note"] = "本年度发生政府信息公开行政复议 2 件，均获维持。"
    example.cells.update({"t4.review.upheld": 2, "t4.review.total": 2})
    assert not fired(example, "TXT-T4-UPHELD")
    example.cells.update({"t4.review.upheld": 1, "t4.review.pending": 1})
    found = fired(example, "TXT-T4-UPHELD")
    assert len(found) == 1 and "尚未审结 1 件" in found[0].message


def test_none_happened_claim(example: Report) -> None:
    example.texts["s4.note"] = "本年度未发生因政府信息公开引起的行政复议、行政诉讼案件。"
    assert not fired(example, "TXT-T4-NONE")
    example.cells.update({"t4.direct.pending": 1, "t4.direct.total": 1})
    found = fired(example, "TXT-T4-NONE")
    assert [f.where for f in found] == ["s4.note:litigation"]


def test_fee_prose_against_facts(huaian: Report) -> None:
    assert not fired(huaian, "TXT-FEE")
    huaian.texts["s6.fees"] = "全年收取政府信息公开信息处理费 3490 元。"
    found = fired(huaian, "TXT-FEE")
    assert len(found) == 1 and found[0].left == 3490 and found[0].right == 3940
    huaian.texts["s6.fees"] = "本年度未收取信息处理费。"
    assert [f.where for f in fired(huaian, "TXT-FEE")] == ["zero"]


# ------------------------------------------------------------------ form
def test_s5_and_s6_required(example: Report) -> None:
    assert not fired(example, "FORM-S5-EMPTY") and not fired(example, "FORM-S6-EMPTY")
    example.texts["s5.text"] = "  "
    example.texts["s6.fees"] = ""
    assert len(fired(example, "FORM-S5-EMPTY")) == 1
    assert len(fired(example, "FORM-S6-EMPTY")) == 1
    example.texts["s6.other"] = "无其他需要报告的事项。"
    assert not fired(example, "FORM-S6-EMPTY")


def test_s6_must_state_the_years_fees(example: Report) -> None:
    example.texts["s6.fees"] = "无其他需要报告的事项。"
    assert len(fired(example, "FORM-S6-FEE")) == 1
    example.texts["s6.fees"] = "认真贯彻执行《政府信息公开信息处理费管理办法》。"
    assert not fired(example, "FORM-S6-FEE")
    assert len(fired(example, "FORM-S6-FEE-POLICY")) == 1
    example.texts["s6.fees"] += "本年度未收取信息处理费。"
    assert not fired(example, "FORM-S6-FEE-POLICY")


def test_fee_rule_starts_with_2021() -> None:
    r = huaian_2024()
    r.texts["s6.fees"] = "无。"
    assert fired(r, "FORM-S6-FEE")
    rule = next(x for x in catalogue() if x.id == "FORM-S6-FEE")
    assert rule.params["from_year"] == 2021


def test_text_blank_warns(example: Report) -> None:
    assert not fired(example, "FORM-TEXT-BLANK")
    example.texts["s1.platform"] = ""
    assert [f.where for f in fired(example, "FORM-TEXT-BLANK")] == ["s1.platform"]


def test_statistics_period_year(example: Report) -> None:
    assert not fired(example, "FORM-PERIOD")
    example.texts["preamble"] = example.texts["preamble"].replace("2024 年 1 月 1 日", "2023 年 1 月 1 日")
    found = fired(example, "FORM-PERIOD")
    assert [(f.left, f.right) for f in found] == [(2023, 2024)]


def test_headings_of_an_imported_report(example: Report) -> None:
    official = [h.label for h in example.spec.headings]
    example.headings = list(official)
    assert not fired(example, "FORM-HEADINGS") and not fired(example, "FORM-HEADING-WORDING")
    example.headings = [h for h in official if not h.startswith("五")]
    assert len(fired(example, "FORM-HEADINGS")) == 1
    example.headings = [h.replace("改进情况", "改进措施") for h in official]
    found = fired(example, "FORM-HEADING-WORDING")
    assert len(found) == 1 and "改进措施" in found[0].message


# ------------------------------------------------------------------ across years
def previous_of(report: Report) -> Report:
    prev = copy.deepcopy(report)
    prev.year = report.year - 1
    prev.previous = None
    return prev


def test_carried_over_equals_last_years_forward(huaian: Report) -> None:
    prev = previous_of(huaian)
    prev.cells.update({f"t3.forward.{c}": huaian.cells[f"t3.carried.{c}"] for c in
                       ("natural", "commercial", "research", "nonprofit", "legal", "other", "total")})
    assert not fired(huaian, "XY-CARRIED", prev)
    prev.cells["t3.forward.natural"] = 30
    found = fired(huaian, "XY-CARRIED", prev)
    assert [(f.where, f.left, f.right) for f in found] == [("natural", 34, 30)]
    assert found[0].severity is Severity.ERROR
    # Not assessable without last year's report: nothing fires.
    assert not fired(huaian, "XY-CARRIED")


def test_in_force_count_across_years(huaian: Report) -> None:
    prev = previous_of(huaian)
    prev.cells["t2.normative.in_force"] = 84  # 84 + 8 − 26 = 66 ✓
    prev.cells["t2.rules.in_force"] = 10  # 10 + 1 − 0 = 11 ✓
    assert not fired(huaian, "XY-IN-FORCE", prev)
    prev.cells["t2.normative.in_force"] = 80
    found = fired(huaian, "XY-IN-FORCE", prev)
    assert [(f.where, f.left, f.right) for f in found] == [("normative", 66, 62)]
    assert found[0].severity is Severity.WARNING


def test_same_text_as_last_year(huaian: Report) -> None:
    prev = previous_of(huaian)
    for k in prev.texts:
        prev.texts[k] = ""
    assert not fired(huaian, "XY-SAME-TEXT", prev)
    prev.texts["s5.text"] = huaian.texts["s5.text"].replace("2024", "2023")
    found = fired(huaian, "XY-SAME-TEXT", prev)
    assert [f.where for f in found] == ["s5.text"] and "雷同" in found[0].message


def test_previous_year_must_be_last_year(huaian: Report) -> None:
    prev = previous_of(huaian)
    assert not fired(huaian, "XY-YEAR", prev)
    prev.year = 2022
    assert len(fired(huaian, "XY-YEAR", prev)) == 1


def test_report_carries_its_previous(huaian: Report) -> None:
    prev = previous_of(huaian)
    prev.cells["t3.forward.natural"] = 1
    huaian.previous = prev
    assert fired(huaian, "XY-CARRIED")


# ------------------------------------------------------------------ engine behaviour
def test_disable_by_id_per_run_and_per_report(huaian: Report) -> None:
    huaian.cells["t3.forward.legal"] = 2
    assert ids(check(huaian), "T3-IDENTITY")
    assert not ids(check(huaian, disabled=["T3-IDENTITY"]), "T3-IDENTITY")
    # A file may not switch off table arithmetic (issue 10): the rule runs as usual.
    huaian.disabled_rules = ["T3-IDENTITY"]
    assert ids(check(huaian), "T3-IDENTITY")
    huaian.texts["s1.intro"] = ""
    assert ids(check(huaian), "FORM-TEXT-BLANK")
    huaian.disabled_rules = ["FORM-TEXT-BLANK"]
    assert not ids(check(huaian), "FORM-TEXT-BLANK")
    with pytest.raises(InputError, match="没有这些规则"):
        check(huaian, disabled=["NO-SUCH-RULE"])


def test_all_findings_come_back_at_once(huaian: Report) -> None:
    huaian.cells["t3.forward.legal"] = 2
    huaian.cells["t4.review.total"] = 1
    huaian.texts["s5.text"] = ""
    rules = {f.rule for f in check(huaian)}
    assert {"T3-IDENTITY", "T4-GROUP-SUM", "FORM-S5-EMPTY"} <= rules


def test_a_failing_check_is_a_finding_not_an_exception(huaian: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    from xxgk.rules import checks

    def broken(rule, ctx):
        raise ZeroDivisionError("boom")
        yield  # pragma: no cover

    monkeypatch.setitem(checks.CHECKS, "period", broken)
    found = list(iter_findings(huaian))
    bad = [f for f in found if f.rule == "FORM-PERIOD"]
    assert len(bad) == 1 and bad[0].is_error and "执行出错" in bad[0].message


def test_finding_ids_are_stable_across_runs(huaian: Report) -> None:
    huaian.cells["t3.forward.legal"] = 2
    assert ids(check(huaian)) == ids(check(copy.deepcopy(huaian)))

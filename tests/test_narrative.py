"""Narrative drafts from the numbers: the rules accept them for any consistent report, they state
the published figures, blanks become placeholders, and regeneration keeps people's edits."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from fixtures import HUAIAN_TEXTS, huaian_2024
from strategies import FMT, consistent_reports
from xxgk import narrative
from xxgk.examples import load_example
from xxgk.report import Report
from xxgk.rules import check
from xxgk.rules.prose import review_figures

GENERATED = narrative.generated_keys(FMT)
PROSE_RULES = re.compile(r"^(TXT-|FORM-)")


def with_drafts(report: Report) -> Report:
    """``report`` with every generated text replaced by its fresh draft (the other texts kept)."""
    for key in GENERATED:
        report.texts[key] = ""
    report.texts.setdefault("s5.text", "")
    if not report.texts["s5.text"]:
        report.texts["s5.text"] = "存在的主要问题：政策解读形式较单一。改进措施：丰富解读形式。"
    new, notices = narrative.regenerate(report)
    assert not notices
    return new


def test_generated_keys_are_the_formats() -> None:
    assert GENERATED == ["preamble", "s1.proactive", "s1.requests", "s4.note", "s6.fees"]
    for key in GENERATED:
        assert narrative.render(key, load_example())


def test_example_all_zero_year_reads_naturally() -> None:
    drafts = narrative.generate(load_example())
    assert "本机关未收到政府信息公开申请" in drafts["s1.requests"]
    assert "未发生因政府信息公开工作被申请行政复议、被提起行政诉讼的情况" in drafts["s4.note"]
    assert "未收取信息处理费" in drafts["s6.fees"] and "未发出信息处理费收费通知" in drafts["s6.fees"]
    # The provincial rule is the fact's value, not a constant of the code.
    assert "《河北省实施〈中华人民共和国政府信息公开条例〉办法》" in drafts["preamble"]
    # The published report says the same about 三 and 四: no application, nothing else.
    published = load_example().texts["s1.requests"]
    assert "未收到政府信息公开申请" in published


def test_provincial_rule_is_a_parameter() -> None:
    r = load_example()
    r.facts["basis.provincial"] = "福建省政府信息公开办法"
    assert "和《福建省政府信息公开办法》要求" in narrative.render("preamble", r)
    r.facts["basis.provincial"] = None
    text = narrative.render("preamble", r)
    assert "《中华人民共和国政府信息公开条例》要求编制" in text and "河北" not in text


def test_huaian_prose_states_the_published_figures() -> None:
    drafts = narrative.generate(huaian_2024())
    requests, s4 = drafts["s1.requests"], drafts["s4.note"]
    for figure in ("新收政府信息公开申请3119件", "上年结转政府信息公开申请34件", "办结3050件",
                   "结转下年度继续办理103件"):
        assert figure in requests
    # 四: the same (subject, outcome, number) triples as the published prose, read by the rules' parser.
    published = {(f.subject, f.outcome, f.number) for f in review_figures(HUAIAN_TEXTS["s1.requests"])}
    generated = {(f.subject, f.outcome, f.number) for f in review_figures(s4)}
    assert published == {("review", "total", 351), ("review", "upheld", 72), ("review", "corrected", 64),
                         ("review", "other", 178), ("review", "pending", 37), ("litigation", "total", 46),
                         ("litigation", "upheld", 25), ("litigation", "corrected", 5),
                         ("litigation", "other", 9), ("litigation", "pending", 7)}
    assert published <= generated
    assert "尚未审结37件" in s4 and "均获维持" not in s4
    assert "实际收取信息处理费3940元" in drafts["s6.fees"]


def test_huaian_generated_prose_is_accepted_by_the_rules() -> None:
    report = with_drafts(huaian_2024())
    findings = check(report)
    assert not [f for f in findings if f.is_error], [f.message for f in findings]
    assert not [f for f in findings if f.rule.startswith("TXT-")]


def test_missing_inputs_become_placeholders_and_hints() -> None:
    r = huaian_2024()
    r.facts["proactive.items"] = None
    r.facts["fees.collected"] = None
    r.cells["t3.new.total"] = None
    r.agency = ""
    drafts = narrative.generate(r)
    text = "\n".join(drafts.values())
    assert "None" not in text and "null" not in text
    assert "【待填写：本年主动公开政府信息条数】" in drafts["s1.proactive"]
    assert "【待填写：实际收取信息处理费总金额（元）】" in drafts["s6.fees"]
    assert "【待填写：表三 一、本年新收政府信息公开申请数量 / 总计】" in drafts["s1.requests"]
    assert "【待填写：机关名称】" in drafts["preamble"]
    report = with_drafts(r)
    blank = {f.where for f in check(report) if f.rule == "FACT-BLANK"}
    assert {"proactive.items", "fees.collected"} <= blank


@settings(max_examples=120, deadline=None)
@given(consistent_reports(), st.data())
def test_generated_prose_never_contradicts_the_tables(report: Report, data: st.DataObject) -> None:
    # Some facts blank, as in a half-filled workbook: placeholders must not upset the rules either.
    for key in data.draw(st.sets(st.sampled_from(sorted(FMT.facts)))):
        report.facts[key] = None
    report = with_drafts(report)
    findings = check(report)
    bad = [f for f in findings if PROSE_RULES.match(f.rule) and f.rule != "FORM-TEXT-BLANK"]
    assert not bad, ([f.message for f in bad], {k: report.texts[k] for k in GENERATED})
    assert not [f for f in findings if f.is_error], [f.message for f in findings if f.is_error]
    for key in GENERATED:
        assert report.texts[key] and "None" not in report.texts[key]


@settings(max_examples=60, deadline=None)
@given(consistent_reports())
def test_pending_cases_are_never_called_upheld(report: Report) -> None:
    s4 = narrative.render("s4.note", report)
    pending = report.cells["t4.review.pending"] + report.cells["t4.direct.pending"] + report.cells["t4.after_review.pending"]
    if pending:
        assert "尚未审结" in s4
    for f in review_figures(s4):
        assert f.number >= 0


# ------------------------------------------------------------------ non-destructive regeneration
def test_regeneration_fills_empty_texts_and_records_drafts() -> None:
    r = load_example()
    r.texts["s4.note"] = ""
    new, notices = narrative.regenerate(r)
    assert new.texts["s4.note"] == new.drafts["s4.note"] != ""
    assert r.texts["s4.note"] == "" and not r.drafts  # the input is left alone
    # The example's published texts are a person's own: kept, each difference announced.
    assert new.texts["s1.requests"] == r.texts["s1.requests"]
    assert {n.key for n in notices} == {"preamble", "s1.proactive", "s1.requests", "s6.fees"}
    assert all("已保留" in n.message for n in notices)


def test_regeneration_replaces_untouched_drafts_and_keeps_edits() -> None:
    r = huaian_2024()
    for key in GENERATED:
        r.texts[key] = ""
    first, _ = narrative.regenerate(r)
    edited = first.texts["s4.note"] + "（已人工补充说明。）"
    first.texts["s4.note"] = edited
    # The numbers change: 1 more carried-forward application, received one more.
    first.cells["t3.new.natural"] += 1
    first.cells["t3.new.total"] += 1
    first.cells["t3.forward.natural"] += 1
    first.cells["t3.forward.total"] += 1
    first.facts["fees.collected"] = Decimal("4000")
    second, notices = narrative.regenerate(first)
    assert "新收政府信息公开申请3120件" in second.texts["s1.requests"]  # untouched draft: replaced
    assert "实际收取信息处理费4000元" in second.texts["s6.fees"]
    assert second.texts["s4.note"] == edited  # edited: kept
    assert [n.key for n in notices] == ["s4.note"]  # same draft as before, still differs from the edit
    # s4's figures did not change, so its new draft equals the old one; now change them.
    second.cells["t4.review.pending"] -= 1
    second.cells["t4.review.upheld"] += 1
    third, notices = narrative.regenerate(second)
    assert third.texts["s4.note"] == edited
    assert "结果维持73件" in third.drafts["s4.note"]
    assert [n.key for n in notices] == ["s4.note"]
    # A third run with nothing changed announces the same difference again and changes nothing.
    fourth, notices = narrative.regenerate(third)
    assert fourth.texts == third.texts and [n.key for n in notices] == ["s4.note"]


def test_trial_format_2019_uses_its_own_table_keys() -> None:
    r = Report.blank(2020, "某局")
    assert r.format == "2019"
    for key in r.cells:
        r.cells[key] = 0
    for row in ("new", "results.other", "results.total"):
        r.cells[f"t3.{row}.natural"] = r.cells[f"t3.{row}.total"] = 2
    r.cells["t2.rules.made"] = 1
    drafts = narrative.generate(r)
    assert "本年新制作规章1件" in drafts["s1.proactive"]
    assert "其中其他处理2件" in drafts["s1.requests"]
    r.texts["s5.text"] = "存在的问题。改进措施。"
    report, _ = narrative.regenerate(r)
    assert not [f for f in check(report) if f.rule.startswith("TXT-")]


def test_fee_statement_cites_the_measures_only_where_they_apply() -> None:
    """国办函〔2020〕109号 took effect on 2021-01-01: a 2020 report must not claim to follow it."""
    fees = {"fees.notices": 0, "fees.notice_amount": Decimal(0), "fees.collected": Decimal(0)}
    old, new = Report.blank(2020, "某局"), Report.blank(2024, "某局")
    old.facts.update(fees)
    new.facts.update(fees)
    assert "109号" not in narrative.generate(old)["s6.fees"]
    assert "第四十二条" in narrative.generate(old)["s6.fees"]
    assert "109号" in narrative.generate(new)["s6.fees"]
    for r in (old, new):
        r.texts["s6.fees"] = narrative.generate(r)["s6.fees"]
        assert not [f for f in check(r) if f.rule.startswith(("FORM-S6", "TXT-FEE"))]

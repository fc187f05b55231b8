"""Rules on real reports as they come: blank totals and partly blank sums, fee statements, prose
about 表二 (issue 11 items 7–9). Wordings are taken from real published reports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fixtures import HUAIAN_T3, huaian_2024, put_tables
from test_rules import fired
from xxgk.report import Report
from xxgk.rules import Finding, Severity, check


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


# ------------------------------------------------------------------ 8. fee statements
# What 六 says about this year's fees, as real reports word it.
SHUYANG_2025_S6 = (
    "我县认真落实《政府信息公开信息处理费管理办法》要求，指导推动全县行政机关按规定收取费用。"
    "全县行政机关在办理2025年度信息公开申请中收取信息处理费共计380元，其中民政局1件，收取380元。"
)
STATES_THE_YEAR = [
    # 保定市科学技术局 2024 (../shared/examples/baoding-kjj-2024.txt)
    "认真贯彻执行国务院办公厅《政府信息公开信息处理费管理办法》和《关于政府信息公开处理费管理有关事项的通知》。"
    "2024年我局未收取信息处理费。",
    # 洪泽区人民政府 2023 (../shared/examples/hongze-district-2023.pdf), as pdftotext gives it
    "2023 年，区政府严格落实《政府信息公开信息处理费管理办\n法》，全年收取政府信息公开信息处理费 0 元。",
    # 淮安市人民政府 2024 (../shared/examples/huaian-2024.txt)
    "2024 年，市政府严格落实《政府信息公开信息处理费管理\n办法》，全年收取政府信息公开信息处理费 3940 元。",
    # a provincial finance department's portal page
    "本年度未收取信息处理费。",
    # city reports quoted in public parsers' tests
    "2025 年有 1 件政府信息公开申请案件收取信息处理费 380 元。",
    "依据《政府信息公开信息处理费管理办法》规定，2025年全市实际收取信息处理费共计400元。",
    # 沭阳县人民政府 2025 (as kept in a public repository's tests, github zxj6827111-blip/KIROGOVCOMPARE)
    SHUYANG_2025_S6,
    # the wordings issue 11 lists
    "本年度无收取信息处理费情况。",
    "本机关没有收取信息处理费。",
    "本年度未产生信息处理费。",
    "本年度不涉及信息处理费收取。",
    "本年度未收取任何费用。",
    "本年度信息处理费为零。",
    "2024年收取信息处理费0元。",
    "本年度未发出信息处理费收费通知，未收取信息处理费。",
    "本年度发出收费通知 2 件，实际收取信息处理费 200 元。",
]
POLICY_ONLY = [
    # a municipal agency's guide (Chongqing): a general rule, not this year's figure
    "本机关提供政府信息不收取费用。但是，申请人申请公开政府信息的数量、频次明显超过合理范围的，本机关将按照"
    "《国务院办公厅关于印发〈政府信息公开信息处理费管理办法〉的通知》（国办函〔2020〕109号）规定收取信息处理费。",
    # the first sentence of 保定's 六 alone
    "认真贯彻执行国务院办公厅《政府信息公开信息处理费管理办法》和《关于政府信息公开处理费管理有关事项的通知》。",
    "严格执行《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），申请人申请公开政府信息的数量、频次明显超过"
    "合理范围的，可以收取信息处理费。",
    "行政机关收取信息处理费的，应当发出收费通知，列明收费依据和金额。",
    "本机关不涉及其他需要报告的事项。严格执行《政府信息公开信息处理费管理办法》。",
]


@pytest.mark.parametrize("text", STATES_THE_YEAR)
def test_a_statement_of_the_years_fees_is_read(example: Report, text: str) -> None:
    from xxgk.rules.prose import compact, fee_states_year

    assert fee_states_year(compact(text))
    example.texts["s6.fees"] = text
    assert not fired(example, "FORM-S6-FEE-POLICY") and not fired(example, "FORM-S6-FEE")


@pytest.mark.parametrize("text", POLICY_ONLY)
def test_the_fee_policy_alone_states_no_years_fees(example: Report, text: str) -> None:
    from xxgk.rules.prose import compact, fee_amounts, fee_none, fee_states_year

    flat = compact(text)
    assert not fee_states_year(flat) and not fee_none(flat) and not fee_amounts(flat)
    example.texts["s6.fees"] = text
    assert len(fired(example, "FORM-S6-FEE-POLICY")) == 1


def test_policy_recital_does_not_contradict_collected_fees(huaian: Report) -> None:
    # "不收取费用" in a recital of the rule is not "we collected nothing this year".
    huaian.texts["s6.fees"] = POLICY_ONLY[0] + "全年收取政府信息公开信息处理费 3940 元。"
    assert not fired(huaian, "TXT-FEE")


def test_zero_amount_against_collected_fees_is_one_finding(huaian: Report) -> None:
    huaian.texts["s6.fees"] = STATES_THE_YEAR[1]  # 洪泽's "收取……0 元" against 3940 filled in
    found = fired(huaian, "TXT-FEE")
    assert [(f.left, f.right) for f in found] == [(0, 3940)]


# ------------------------------------------------------------------ 9. prose against 表二
PROACTIVE = "s1.proactive"
# 淮安 2024's 表二: 规章 1/0/11, 行政规范性文件 8/26/66, 许可 447228, 处罚 3985758, 强制 88283, 收费 96171.6 万元.


@pytest.mark.parametrize(
    ("sentence", "left", "right", "cell"),
    [
        ("2024年，市政府制发规章 2 件、行政规范性文件 8 件。", 2, 1, "表二!B4"),
        ("2024年，市政府制发规章 1 件、行政规范性文件 9 件。", 9, 8, "表二!B5"),
        ("本年度制定市政府规章两件。", 2, 1, "表二!B4"),
        ("本年度废止行政规范性文件 20 件，现行有效规范性文件 66 件。", 20, 26, "表二!C5"),
        ("本机关规范性文件现行有效 60 件。", 60, 66, "表二!D5"),
        ("截至2024年底，现行有效规范性文件 70 件。", 70, 66, "表二!D5"),
        ("现行有效的 12 件规章均已在网站公布。", 12, 11, "表二!D4"),
        ("全年作出行政处罚决定 3985757 件。", 3985757, 3985758, "表二!B13"),
        ("全年行政许可决定共 447229 件。", 447229, 447228, "表二!B9"),
        ("行政事业性收费金额为 9617.16 万元。", Decimal("9617.16"), Decimal("96171.6"), "表二!B18"),
    ],
)
def test_prose_figure_for_a_table_two_item_is_checked(huaian: Report, sentence: str, left, right, cell: str) -> None:
    huaian.texts[PROACTIVE] = sentence
    found = fired(huaian, "TXT-T2-FIGURE")
    assert len(found) == 1, [f.message for f in found]
    f = found[0]
    assert (f.left, f.right, f.diff) == (left, right, left - right) and f.severity is Severity.ERROR
    assert f.addresses == ("总体情况!B9", cell)  # the text, then the table cell
    assert "表二" in f.message and "相差" in f.message


@pytest.mark.parametrize(
    "sentence",
    [
        # 淮安 2024 as published: "政策性文件" are not 行政规范性文件, "新增公开" is not 制发
        "2024 年，市政府网站主动公开各类政府信息 5500 余条，全年新增公开市政府规章 1 件、市政府及市政府办政策性文件 11 件。",
        # 上海市 2022 and 2023 (shanghai.gov.cn): published, amended, and figures in brackets
        "2022年，在上海市人民政府网站、《上海市人民政府公报》主动公开市政府规章13件(含新制定5件,修改4件,废止4件)，"
        "主动公开市政府和市政府办公厅行政规范性文件42件，人事任免文件106件，其他文件113件。",
        "2023年，全市共主动公开新增市政府规章18件(含新制定4件,修改14件)、行政规范性文件707件，其他文件34980件。",
        # 上海市人民政府参事室 2022 and 上海市财政局 2025
        "根据“三定”方案，本单位无行政许可和对外服务等社会管理职能，无实施行政处罚、行政强制等职权，"
        "无行政事业性收费项目，无制定规章及规范性文件，故无此类公开信息。",
        "我局通过“上海市财政局”网站发布信息1266条，主动公开规范性文件11件，编制主动公开目录347条。",
        # 沭阳县人民政府 2025 (表二: 行政规范性文件 本年制发 6)
        "二是提升公开质量。全年公开政策文件4件，对3件主动公开政策性文件进行意见征集并公开征集结果，让群众深度参与政策制定。",
        # other years, running totals, parts, estimates, ranges, published decisions
        "本机关2023年制发行政规范性文件 5 件。",
        "上年制发行政规范性文件 5 件。",
        "累计制发规范性文件 120 件。",
        "截至2023年底，现行有效规范性文件 70 件。",
        "本年度制发各类文件 45 件，其中行政规范性文件 3 件。",
        "其中市政府制发规范性文件 3 件。",
        "制发规范性文件 3-5 件。",
        "制发规范性文件10余件。",
        "废止规范性文件约 20 件。",
        "制发规范性文件 5 件以上。",
        "全年公示行政处罚决定 120 件。",
        "清理规范性文件 30 件。",
        "行政事业性收费 9617 元。",
        "印发3个通知涉及规范性文件。",
        "依法撤销行政许可决定 3 件。",
        "全年减免行政事业性收费 300 万元。",
    ],
)
def test_prose_about_table_two_that_must_not_fire(huaian: Report, sentence: str) -> None:
    import re

    # A real report's own year is the report year: its figures are not skipped as another year's.
    own = re.match(r"(20\d\d)年，", sentence)
    huaian.year = int(own.group(1)) if own else huaian.year
    huaian.texts[PROACTIVE] = sentence
    assert not fired(huaian, "TXT-T2-FIGURE")


def test_amounts_agree_at_the_precision_written(huaian: Report) -> None:
    for said in ("96171.6", "96171.60", "96172"):
        huaian.texts[PROACTIVE] = f"本年度行政事业性收费 {said} 万元。"
        assert not fired(huaian, "TXT-T2-FIGURE"), said


def test_blank_table_two_cell_is_its_own_finding(huaian: Report) -> None:
    huaian.texts[PROACTIVE] = "本年度制发行政规范性文件 9 件。"
    huaian.cells["t2.normative.issued"] = None
    assert not fired(huaian, "TXT-T2-FIGURE") and fired(huaian, "CELL-BLANK")


def test_hebei_2019_trial_format_made_count() -> None:
    # 河北省教育厅 2019 (../shared/examples/hebei-education-2019-copied-text.txt): "2019年印发的16个规范性文件
    # 全部在厅门户网站主动公开"; its 表二 gives 规范性文件 本年新制作数量 16.
    r = Report.blank(2019, "河北省教育厅")
    assert r.format == "2019"
    r.texts[PROACTIVE] = "2019年印发的16个规范性文件全部在厅门户网站主动公开，并配发政策解读说明。"
    r.cells["t2.normative.made"] = 16
    assert not fired(r, "TXT-T2-FIGURE")
    r.cells["t2.normative.made"] = 15
    assert [(f.left, f.right) for f in fired(r, "TXT-T2-FIGURE")] == [(16, 15)]


def test_generated_text_agrees_with_table_two(example: Report) -> None:
    from xxgk.narrative import regenerate

    report = regenerate(example)[0]
    assert not fired(report, "TXT-T2-FIGURE")


def test_generated_2019_text_is_read_and_agrees() -> None:
    from xxgk import narrative
    from xxgk.rules.prose import item_figures

    r = Report.blank(2020, "某县某局")
    for key in r.spec.cells:
        r.cells[key] = 0
    r.cells.update({"t2.rules.made": 1, "t2.normative.made": 3, "t2.normative.published": 2,
                    "t2.other_services.decisions": 7})
    text = narrative.render("s1.proactive", r)
    assert "新制作" in text and [f.number for f in item_figures(text, "document", "新公开", "规范性文件", 2020)] == [2]
    r.texts[PROACTIVE] = text
    assert not fired(r, "TXT-T2-FIGURE")
    r.cells["t2.other_services.decisions"] = 6
    r.cells["t2.normative.made"] = 4
    assert sorted((f.left, f.right) for f in fired(r, "TXT-T2-FIGURE")) == [(3, 4), (7, 6)]


def test_shuyang_fee_amount_against_the_collected_fact(huaian: Report) -> None:
    from xxgk.rules.prose import compact, fee_amounts

    assert [a for _, a in fee_amounts(compact(SHUYANG_2025_S6))] == [380]  # "其中……收取380元" is a part
    huaian.texts["s6.fees"] = SHUYANG_2025_S6
    huaian.facts["fees.collected"] = Decimal(380)
    assert not fired(huaian, "TXT-FEE")
    huaian.facts["fees.collected"] = Decimal(390)
    assert [(f.left, f.right) for f in fired(huaian, "TXT-FEE")] == [(380, 390)]


def test_shuyang_requests_sentence_agrees_with_its_table(huaian: Report) -> None:
    # 沭阳县人民政府 2025: 表三 新收 713, 上年结转 36, （七）总计 718, 结转下年度 31.
    huaian.cells.update({"t3.new.total": 713, "t3.carried.total": 36, "t3.results.total.total": 718,
                         "t3.forward.total": 31})
    huaian.texts["s1.requests"] = (
        "全县全年共受理政府信息公开申请 749 件，其中自然人申请 741 件，法人或其他组织申请 8 件；"
        "共办理 718 件，结转下一年 31 件。依法做好相关行政复议、行政诉讼案件的应诉工作，全县共办理相关案件 74 件。")
    assert not [f for f in check(huaian) if f.rule.startswith("TXT-")]


# ------------------------------------------------------------------ a real report that leaves zeros blank
# 上海市人民政府办公厅 2019 (2019 trial format), as published on its portal: most zeros are left
# blank, and so is most of the 总计 column. Figures typed by hand from the published page;
# None = blank. Columns: natural, commercial, research, nonprofit, legal, other, total.
_ = None
SHANGHAI_2019_T3 = {
    "new": [821, 35, _, _, 2, 1, 859],
    "carried": [18, _, _, _, _, _, 18],
    "results.granted": [258, 12, _, _, 1, 1, _],
    "results.partial": [3, _, _, _, _, _, _],
    "results.withheld.secret": [14, _, _, _, _, _, _],
    "results.withheld.prohibited": [_, _, _, _, _, _, _],
    "results.withheld.security": [_, _, _, _, _, _, _],
    "results.withheld.third_party": [_, _, _, _, _, _, _],
    "results.withheld.internal": [5, _, _, _, _, _, _],
    "results.withheld.process": [3, 1, _, _, _, _, _],
    "results.withheld.enforcement": [_, _, _, _, _, _, _],
    "results.withheld.inquiry": [10, 2, _, _, _, _, _],
    "results.unavailable.not_held": [252, 12, _, _, 1, _, _],
    "results.unavailable.not_existing": [44, 3, _, _, _, _, _],
    "results.unavailable.unclear": [25, _, _, _, _, _, _],
    "results.not_handled.complaint": [148, 1, _, _, _, _, _],
    "results.not_handled.repeated": [5, 4, _, _, _, _, _],
    "results.not_handled.publication": [_, _, _, _, _, _, _],
    "results.not_handled.mass": [_, _, _, _, _, _, _],
    "results.not_handled.confirm": [_, _, _, _, _, _, _],
    "results.other": [_, _, _, _, _, _, _],
    "results.total": [767, 35, _, _, 2, 1, 805],
    "forward": [72, _, _, _, _, _, 72],
}
SHANGHAI_2019_T4 = {"review": [5, _, _, 2, 7], "direct": [8, _, _, 1, 9], "after_review": [_, _, _, _, _]}
SHANGHAI_2019_REQUESTS = (
    "市政府办公厅代表市政府共受理政府信息公开申请859件，申请数量较去年回落12.3%；答复政府信息公开申请805件"
    "（含上年度结转申请18件，另有72件申请按照《条例》顺延到下年度答复），均在法定期限内予以答复。予以公开及部分公开"
    "258件，占33.9%；不予公开35件，占4.34%；因本机关不掌握等原因无法提供265件，占32.9%；不予处理158件，占19.6%；"
    "其他处理0件。信息公开类行政复议7件，诉讼9件，均获维持，继续保持了省级政府零败诉的记录。"
)


def shanghai_2019() -> Report:
    r = Report.blank(2019, "上海市人民政府办公厅")
    put_tables(r, SHANGHAI_2019_T3, SHANGHAI_2019_T4)
    r.texts["s1.requests"] = SHANGHAI_2019_REQUESTS
    return r


def test_real_report_with_blank_zeros_has_no_false_arithmetic_errors() -> None:
    r = shanghai_2019()
    assert set(r.cells) >= {k for k in r.spec.cells if k.startswith(("t3.", "t4."))}
    arithmetic = [f for f in check(r) if f.rule in ("T3-IDENTITY", "T3-RESULT-SUM", "T3-ROW-TOTAL", "T4-GROUP-SUM")]
    assert not arithmetic, [f.message for f in arithmetic]  # its filled figures all add up


def test_real_report_with_blank_zeros_prose_defects_are_found() -> None:
    # With blank totals the old rules compared nothing. The filled cells decide three real defects:
    # 予以公开及部分公开 is at least 272 + 3 (the text gives the 自然人 figure 258), 无法提供 at least
    # 265 + 47 + 25 (the text gives the 本机关不掌握 row), and 行政复议 has 2 尚未审结 cases that
    # "均获维持" counts as upheld. 不予公开 35 and 不予处理 158 agree and stay quiet.
    found = [f for f in check(shanghai_2019()) if f.rule.startswith("TXT-")]
    got = sorted((f.rule, f.left, f.right) for f in found)
    assert got == [("TXT-T3-OUTCOME", 258, 275), ("TXT-T3-OUTCOME", 265, 337), ("TXT-T4-UPHELD", 0, 2)], got
    assert all("未填写" in f.message for f in found)
    assert "表三至少为 275 件" in found[0].message or "表三至少为 275 件" in found[1].message
    upheld = next(f for f in found if f.rule == "TXT-T4-UPHELD")
    assert "结果纠正 未填写" in upheld.message and "尚未审结 2 件" in upheld.message  # a blank is not shown as 0


def test_an_unread_cell_is_named_as_unread_not_blank(huaian: Report) -> None:
    from xxgk.report import CellNote

    huaian.cells["t3.new.natural"] = None
    huaian.notes.append(CellNote("t3.new.natural", "unread", raw="", fix="PDF 中少了一个数字"))
    huaian.cells["t3.new.total"] = 100
    [f] = fired(huaian, "T3-ROW-TOTAL")
    assert "表三!D5（无法读取）" in f.message

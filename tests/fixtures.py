"""Hand-made reports for tests: the 淮安市人民政府 2024 report (real published figures, from
``shared/examples/huaian-2024.txt``) and helpers to change them."""

from __future__ import annotations

from decimal import Decimal

from xxgk.report import Report
from xxgk.spec import load_format

T3_COLUMNS = ["natural", "commercial", "research", "nonprofit", "legal", "other", "total"]
T4_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]

# 淮安市人民政府 2024, 表三 as published (columns as T3_COLUMNS).
HUAIAN_T3 = {
    "new": [3001, 53, 0, 0, 61, 4, 3119],
    "carried": [34, 0, 0, 0, 0, 0, 34],
    "results.granted": [1288, 21, 0, 0, 50, 3, 1362],
    "results.partial": [447, 7, 0, 0, 0, 0, 454],
    "results.withheld.secret": [2, 0, 0, 0, 0, 0, 2],
    "results.withheld.prohibited": [30, 1, 0, 0, 0, 0, 31],
    "results.withheld.security": [5, 0, 0, 0, 0, 0, 5],
    "results.withheld.third_party": [6, 0, 0, 0, 0, 0, 6],
    "results.withheld.internal": [7, 1, 0, 0, 0, 0, 8],
    "results.withheld.process": [12, 0, 0, 0, 0, 0, 12],
    "results.withheld.enforcement": [9, 0, 0, 0, 0, 0, 9],
    "results.withheld.inquiry": [105, 0, 0, 0, 0, 0, 105],
    "results.unavailable.not_held": [746, 12, 0, 0, 10, 1, 769],
    "results.unavailable.not_existing": [11, 0, 0, 0, 0, 0, 11],
    "results.unavailable.unclear": [1, 0, 0, 0, 0, 0, 1],
    "results.not_handled.complaint": [56, 6, 0, 0, 0, 0, 62],
    "results.not_handled.repeated": [25, 0, 0, 0, 0, 0, 25],
    "results.not_handled.publication": [0, 0, 0, 0, 0, 0, 0],
    "results.not_handled.mass": [0, 0, 0, 0, 0, 0, 0],
    "results.not_handled.confirm": [1, 0, 0, 0, 0, 0, 1],
    "results.other.no_correction": [67, 3, 0, 0, 1, 0, 71],
    "results.other.unpaid_fee": [6, 0, 0, 0, 0, 0, 6],
    "results.other.other": [108, 2, 0, 0, 0, 0, 110],
    "results.total": [2932, 53, 0, 0, 61, 4, 3050],
    "forward": [103, 0, 0, 0, 0, 0, 103],
}
HUAIAN_T4 = {"review": [72, 64, 178, 37, 351], "direct": [13, 4, 8, 1, 26], "after_review": [12, 1, 1, 6, 20]}
HUAIAN_T2 = {
    "t2.rules.issued": 1, "t2.rules.repealed": 0, "t2.rules.in_force": 11,
    "t2.normative.issued": 8, "t2.normative.repealed": 26, "t2.normative.in_force": 66,
    "t2.licensing.decisions": 447228, "t2.penalty.decisions": 3985758, "t2.coercion.decisions": 88283,
    "t2.fees.amount": Decimal("96171.6"),
}
HUAIAN_TEXTS = {
    "preamble": "本报告由淮安市人民政府办公室根据《中华人民共和国政府信息公开条例》（国令第 711 号）（以下简称《条例》）规定编制。报告所列统计期限自 2024 年 1 月 1 日至 2024 年 12 月 31 日。",
    "s1.intro": "2024 年，我市坚持以习近平新时代中国特色社会主义思想为指导，严格落实《中华人民共和国政府信息公开条例》各项规定，圆满完成了各项任务。",
    "s1.proactive": "主动公开情况。2024 年，市政府网站主动公开各类政府信息 5500 余条，全年新增公开市政府规章 1 件、市政府及市政府办政策性文件 11 件，通过文字、图片等形式制作政策解读 21 个，制作《淮安市人民政府公报》6 期。组织召开新闻发布会 12 场。",
    "s1.requests": "依申请公开情况。定期对政府信息公开申请集中的领域和热点问题进行研判。2024 年，全市共受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到下年度答复），均在法定期限内予以答复。政府信息公开行政复议 351 件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚未审结 37 件；政府信息公开行政诉讼 46 件，其中结果维持 25 件，结果纠正 5 件，其他结果 9 件，尚未审结 7 件。",
    "s1.management": "政府信息管理情况。坚持“先审查、后公开”“一事一审”工作原则，规范审查程序。",
    "s1.platform": "政府信息公开平台建设情况。进一步优化政务公开专栏设置。",
    "s1.oversight": "政府信息公开监督保障情况。全年组织 4 次政府信息公开栏目全覆盖检查。",
    "s5.text": "对照上级新要求和公众新期待，还有一些需要加强和改进的地方。一是政策解读质量仍需提升；二是政务公开队伍建设还需进一步加强。针对存在问题，下一步，我市将着力加强政策解读质效。",
    "s6.fees": "2024 年，市政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费 3940 元。",
}


def put_tables(r: Report, t3: dict[str, list], t4: dict[str, list]) -> None:
    """Put 表三 rows (figures as T3_COLUMNS) and 表四 groups (figures as T4_COLUMNS) into ``r``."""
    for row, values in t3.items():
        for col, v in zip(T3_COLUMNS, values, strict=True):
            r.cells[f"t3.{row}.{col}"] = v
    for group, values in t4.items():
        for col, v in zip(T4_COLUMNS, values, strict=True):
            r.cells[f"t4.{group}.{col}"] = v


def huaian_2024() -> Report:
    """淮安市人民政府 2024 年度报告: every table figure as published."""
    fmt = load_format("2021")
    r = Report(year=2024, agency="淮安市人民政府")
    put_tables(r, HUAIAN_T3, HUAIAN_T4)
    r.cells.update(HUAIAN_T2)
    r.facts.update({
        "proactive.items": 5500, "proactive.interpretations": 21, "proactive.press_conferences": 12,
        "fees.notices": None, "fees.notice_amount": None, "fees.collected": Decimal(3940),
    })
    r.texts.update(HUAIAN_TEXTS)
    assert set(r.cells) == set(fmt.cells)
    return r

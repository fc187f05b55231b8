"""Reading figures out of Chinese report prose: clauses, numbers (Arabic or Chinese numerals),
and the subjects (行政复议 / 行政诉讼) figures belong to."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

# A count as written in prose: "3119", "3,119", "十二", "两". {N} in catalogue patterns.
# Linear time (issue 10): a number starts only where no number goes on (not after a digit, nor
# after "digit + separator"), and is taken whole (possessive), so a long run of digits and
# separators is scanned once, not once per position.
_CN_DIGITS = "零〇一二两三四五六七八九十百千万"
NUMBER = (r"(?:为|是|达|共|共计)?(?P<n>(?<!\d)(?<!\d[,，])\d[\d,，]*+"
          rf"|(?<![{_CN_DIGITS}])[{_CN_DIGITS}]++)")
UNIT = r"(?:件|起|宗|个|次)"
# The longest text (in characters) a prose rule reads; the longest section of a real report is a
# few thousand characters. Beyond it a text is cut, with a 提示 (rule TXT-TOO-LONG).
MAX_TEXT_CHARS = 30_000

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


@lru_cache(maxsize=512)  # the same texts are compacted by many rules
def compact(text: str) -> str:
    """Text with all white space removed: PDF-extracted prose has spaces around digits and
    line breaks inside words, which must not break a pattern."""
    return re.sub(r"\s+", "", text)


def parse_number(token: str) -> int | None:
    """``"3,119"`` → 3119, ``"十二"`` → 12, ``"一百零五"`` → 105; ``None`` if not a number."""
    token = token.replace(",", "").replace("，", "")
    if token.isdigit():
        return int(token)
    total, section, current = 0, 0, 0
    for ch in token:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            section += (current or 1) * _UNITS[ch]
            current = 0
        elif ch == "万":
            total += (section + current) * 10000
            section, current = 0, 0
        else:
            return None
    return total + section + current


def expand(pattern: str) -> re.Pattern[str]:
    """A catalogue pattern with {N} (a number) and 件 (any counting unit) made a regex."""
    return re.compile(pattern.replace("{N}", NUMBER).replace("件", UNIT))


def clauses(text: str) -> list[str]:
    """Sentences and semicolon clauses of compacted text."""
    return [c for c in re.split(r"[。；;！？!?]", compact(text)) if c]


# ------------------------------------------------------------ 行政复议 / 行政诉讼
SUBJECTS = [
    # (regex, subject key, label); longest first so 直接起诉 wins over 行政诉讼
    (r"未经复议直接起诉|直接(?:提起)?(?:行政)?诉讼|直接起诉", "direct", "未经复议直接起诉"),
    (r"复议后(?:提起)?(?:行政)?(?:起诉|诉讼)", "after_review", "复议后起诉"),
    (r"行政诉讼|行政应诉", "litigation", "行政诉讼"),
    (r"行政复议", "review", "行政复议"),
]
OUTCOMES = [
    (r"尚未审结|未审结|正在审理|审理中|未结", "pending", "尚未审结"),
    (r"(?:结果)?纠正|被撤销|撤销|确认违法", "corrected", "结果纠正"),
    (r"其他结果|其他", "other", "其他结果"),
    (r"(?:结果)?维持|驳回", "upheld", "结果维持"),
]
_SUBJECT_RE = re.compile("|".join(f"(?P<s{i}>{p})" for i, (p, _, _) in enumerate(SUBJECTS)))
_FIGURE_RE = re.compile(NUMBER + UNIT)
_TOTAL_FILLER = re.compile(r"^(?:的|案件|案|申请|共计|共|总计|合计|数量|数|为|达|各|次|被|提起|了)*$")


@dataclass(frozen=True)
class ReviewFigure:
    subject: str  # review / litigation / direct / after_review
    subject_label: str
    outcome: str  # total / upheld / corrected / other / pending
    outcome_label: str
    number: int


def review_figures(text: str) -> Iterator[ReviewFigure]:
    """Every "N 件" in ``text`` that clearly belongs to a 行政复议/行政诉讼 subject, with the
    outcome it counts (or the total). Figures whose meaning is unclear are skipped."""
    subject: tuple[str, str] | None = None
    for clause in clauses(text):
        if not clause.startswith("其中"):
            subject = None
        anchor = 0  # text between the last subject/figure and the next figure decides its meaning
        marks = [(m.start(), m.end(), "s", m) for m in _SUBJECT_RE.finditer(clause)]
        marks += [(m.start(), m.end(), "n", m) for m in _FIGURE_RE.finditer(clause)]
        for start, end, kind, m in sorted(marks, key=lambda x: x[0]):
            if kind == "s":
                idx = next(i for i in range(len(SUBJECTS)) if m.group(f"s{i}"))
                subject = (SUBJECTS[idx][1], SUBJECTS[idx][2])
                anchor = end
                continue
            if subject is None or start < anchor:
                continue
            between = clause[anchor:start]
            number = parse_number(m.group("n"))
            anchor = end
            if number is None:
                continue
            outcome = _outcome(between)
            if outcome is not None:
                yield ReviewFigure(subject[0], subject[1], outcome[0], outcome[1], number)
            elif _TOTAL_FILLER.match(between.lstrip("，,、")):
                yield ReviewFigure(subject[0], subject[1], "total", "", number)


def _outcome(between: str) -> tuple[str, str] | None:
    for pattern, key, label in OUTCOMES:
        if re.search(f"(?:{pattern})(?:的|案件|为)*$", between):
            return key, label
    return None


ALL_UPHELD = re.compile(r"均(?:获|被|予以|得到|为)?维持|全部(?:获|被|予以)?维持|都(?:被|获)?维持")
NONE_HAPPENED = re.compile(r"(?:未|没有|无)(?:发生|出现|收到|产生|涉及|被申请|被提起)")


def subjects_in(fragment: str) -> list[tuple[str, str]]:
    return [
        next((k, lab) for i, (_, k, lab) in enumerate(SUBJECTS) if m.group(f"s{i}"))
        for m in _SUBJECT_RE.finditer(fragment)
    ]


# ------------------------------------------------------------ 信息处理费
# How 六 states this year's fees, as phrases seen in real reports. A phrase counts only in a
# clause that speaks of fees and does not recite the policy: "本机关提供政府信息不收取费用。
# 但是……明显超过合理范围的，本机关将按照……（国办函〔2020〕109号）……收取信息处理费" states no
# year's figure at all.
FEE_WORDS = re.compile(r"处理费|收费|费用|收取")
FEE_NONE_PHRASES = (
    r"未(?:曾)?(?:收取|产生|发生|征收|有收取)",       # 未收取任何费用, 未产生信息处理费
    r"没有(?:收取|产生|发生)",                       # 没有收取信息处理费
    r"无(?:收取|收费|信息处理费)",                    # 无收取, 无信息处理费收取情况
    r"不涉及",                                        # 不涉及信息处理费
    r"(?:为|是)(?:零|0)元?(?![\d.])",                  # 信息处理费为零, 收费金额为0
    r"收取[^。；]{0,12}?(?<![\d.零〇一二两三四五六七八九十百千万])(?:0|零)元",  # 收取信息处理费0元
    r"(?:处理费|收费|收取情况)[:：]?无$",            # 信息处理费收取情况：无
)
FEE_POLICY_MARKERS = re.compile(r"可以|可按|可收|将按|将依|应当|超过合理范围|明显超过|超出一定")
_FEE_NONE = re.compile("|".join(f"(?:{p})" for p in FEE_NONE_PHRASES))
# A count of notices, or the generator's "【待填写：…】" where that count is still to be filled in
# (FACT-BLANK says so; the sentence itself states the year's fees).
_FEE_NOTICES = re.compile(r"(?:发出|发送|送达)[^。；]{0,6}收费通知[^。；]{0,4}?(?:\d|【待填写)|未(?:发出|发送|送达)[^。；]{0,6}收费通知"
                          r"|收取[^。；]{0,10}?处理费【待填写")
_FEE_AMOUNT = re.compile(
    r"(?:收取|收缴|收到)[^。；，]{0,16}?(?:处理费|费用)[^。；，]{0,6}?"
    r"(?:为|是|达|共|共计)?(?P<amount>(?<!\d)(?<!\d[,，.])\d[\d,，.]*+)(?P<unit>万?元)"
)


def _fee_clauses(flat: str) -> Iterator[tuple[int, str]]:
    """(offset, clause) of each clause of compacted text that speaks of this year's fees."""
    for m in re.finditer(r"[^。；;！？!?]+", flat):
        clause = m.group(0)
        if FEE_WORDS.search(clause) and not FEE_POLICY_MARKERS.search(clause):
            yield m.start(), clause


def fee_none(flat: str) -> bool:
    """Whether compacted text says no fee was collected (or arose) this year."""
    return any(_FEE_NONE.search(clause) for _, clause in _fee_clauses(flat))


def fee_states_year(flat: str) -> bool:
    """Whether compacted text says what was charged this year: none, an amount, or notices."""
    return fee_none(flat) or bool(fee_amounts(flat)) or any(
        _FEE_NOTICES.search(clause) for _, clause in _fee_clauses(flat))


def fee_amounts(flat: str) -> list[tuple[int, Decimal]]:
    """(position, amount in 元) of every fee collected that compacted text states."""
    out = []
    for at, clause in _fee_clauses(flat):
        for m in _FEE_AMOUNT.finditer(clause):
            try:
                amount = Decimal(m.group("amount").replace(",", "").replace("，", "").rstrip("."))
            except ArithmeticError:  # "1.2.3元" is no amount
                continue
            out.append((at + m.start(), amount * 10000 if m.group("unit") == "万元" else amount))
    return out


# ------------------------------------------------------------ 表二 items in prose
# A figure counts for a 表二 item only when the clause binds it to the item plainly: "制发行政规范性
# 文件 3 件", "废止规章 1 件", "现行有效规范性文件 66 件", "作出行政处罚决定 120 件", "行政事业性收费
# 7730.28 万元". Clauses that speak of other periods, running totals, parts or estimates are not
# read at all: an unclear figure is no finding.
T2_SKIP = re.compile(
    r"累计|历年|以来|同比|较上年|上年|去年|上一年|前年|近\d+年|上半年|下半年|季度"
    r"|其中|清理|修改|修订|备案|审查|审核|解读|征求意见"
)
# Per kind, clauses whose figure counts something else: a decision figure about publishing
# ("公示行政处罚决定120件") or review ("撤销行政许可决定3件"), a fee amount relieved ("减免行政
# 事业性收费300万元"). Documents need a verb of their own ("制发", "废止") anyway.
T2_SKIP_KIND = {
    "decision": re.compile(r"公示|公开|上网|归集|推送|撤销|变更|复议|诉讼|纠正|听证"),
    "amount": re.compile(r"减免|免征|减征|免收|降费|减负|退还|退费|取消|停征|清理|涉企"),
}
# Words between the verb and the item that make the item something else ("印发3个通知涉及规范性
# 文件", "制发市政府及部门规范性文件").
_T2_BAD_QUAL = re.compile(r"等|通知|意见|方案|办法|涉及|相关|和|及|与|或|其他")
_T2_APPROX = re.compile(r"^(?:余|多|以上|左右|之多)")
_T2_QUAL = r"(?P<q>[^\d，,、。；;《》]{0,10}?)"  # "市政府", "本机关" between the verb and the item
_T2_FILLER = r"(?:数量|数)?(?:共计|共|合计|总计|为|是|达)?"
_T2_COUNT = r"(?P<n>\d+|[零〇一二两三四五六七八九十百千万]+)(?:件|个|部|份|宗)"
_T2_AMOUNT = r"(?P<n>\d[\d,]*(?:\.\d+)?)万元"


@dataclass(frozen=True)
class ItemFigure:
    start: int  # in the compacted text
    number: int | Decimal
    decimals: int  # digits after the point as written (amounts are compared at that precision)


@cache
def _t2_patterns(kind: str, verb: str, item: str) -> list[re.Pattern[str]]:
    v, i = f"(?:{verb})", f"(?:{item})"
    earlier = r"(?:[^\d，,。；;]{0,12}?\d+(?:件|个|部|份)、)?"  # "制发规章1件、规范性文件5件"
    if kind == "document":
        return [re.compile(f"{v}(?:了|的)?{earlier}{_T2_QUAL}{i}{_T2_FILLER}{_T2_COUNT}"),
                re.compile(f"{v}(?:了|的)?(?:各类)?{_T2_COUNT}{_T2_QUAL}{i}")]
    if kind == "in_force":
        return [re.compile(f"{v}(?:的)?{_T2_QUAL}{i}{_T2_FILLER}{_T2_COUNT}"),
                re.compile(f"{i}{v}(?:的)?{_T2_FILLER}{_T2_COUNT}"),
                re.compile(f"{v}(?:的)?{_T2_COUNT}{_T2_QUAL}{i}")]
    if kind == "decision":
        return [re.compile(f"{i}(?:处理)?决定(?:书)?{_T2_FILLER}{_T2_COUNT}")]
    if kind == "amount":
        return [re.compile(f"{i}(?:金额|收入|总额|总金额)?{_T2_FILLER}{_T2_AMOUNT}")]
    raise ValueError(kind)


@cache
def _item_named(item: str) -> re.Pattern[str]:
    return re.compile(item)


def item_figures(text: str, kind: str, verb: str, item: str, year: int) -> list[ItemFigure]:
    """Every figure ``text`` plainly states for one 表二 item (see the note above)."""
    out: list[ItemFigure] = []
    flat = compact(text)
    if not _item_named(item).search(flat):  # every pattern needs the item: most texts never name it
        return out
    patterns = _t2_patterns(kind, verb, item)
    for sent in re.finditer(r"[^。；;！？!?]+", flat):
        # A year names the period of its whole sentence: "截至2023年底，现行有效……".
        if {int(y) for y in re.findall(r"(\d{4})年", sent.group(0))} - {year}:
            continue
        for c in re.finditer(r"[^，,（）()]+", sent.group(0)):
            out += _clause_figures(c.group(0), sent.start() + c.start(), kind, patterns)
    return out


def _clause_figures(clause: str, at: int, kind: str, patterns: list[re.Pattern[str]]) -> list[ItemFigure]:
    skip_kind = T2_SKIP_KIND.get(kind)
    if T2_SKIP.search(clause) or (skip_kind and skip_kind.search(clause)):
        return []
    out: list[ItemFigure] = []
    taken: set[int] = set()
    for pattern in patterns:
        for m in pattern.finditer(clause):
            q = m.groupdict().get("q") or ""
            if m.start("n") in taken or _T2_BAD_QUAL.search(q) or _T2_APPROX.match(clause[m.end():]):
                continue
            if m.start("n") > 0 and clause[m.start("n") - 1] in "约近逾超":
                continue
            raw = m.group("n").replace(",", "")
            number: int | Decimal | None
            if kind == "amount":
                number, decimals = Decimal(raw), len(raw.partition(".")[2])
            else:
                number, decimals = parse_number(raw), 0
            if number is None:
                continue
            taken.add(m.start("n"))
            out.append(ItemFigure(at + m.start(), number, decimals))
    return out

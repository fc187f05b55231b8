"""Reading figures out of Chinese report prose: clauses, numbers (Arabic or Chinese numerals),
and the subjects (行政复议 / 行政诉讼) figures belong to."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

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
# "未收取…", "不收取…", "收取…0元" (but not the 0 that ends "3940元").
FEE_NONE = re.compile(
    r"未(?:收取|产生|发生|征收)|没有(?:收取|产生|发生)|不收取|免(?:予)?收取|免收|零收费"
    r"|收取[^。；]{0,12}?(?<![\d.零〇一二两三四五六七八九十百千万])(?:0|零)元"
)
_FEE_AMOUNT = re.compile(
    r"(?:收取|收缴|收到)[^。；，]{0,16}?(?:处理费|费用)[^。；，]{0,6}?"
    r"(?:为|是|达|共|共计)?(?P<amount>(?<!\d)(?<!\d[,，.])\d[\d,，.]*+)(?P<unit>万?元)"
)


def fee_amounts(flat: str) -> list[tuple[int, Decimal]]:
    """(position, amount in 元) of every fee collected that compacted text states."""
    out = []
    for m in _FEE_AMOUNT.finditer(flat):
        try:
            amount = Decimal(m.group("amount").replace(",", "").replace("，", "").rstrip("."))
        except ArithmeticError:  # "1.2.3元" is no amount
            continue
        out.append((m.start(), amount * 10000 if m.group("unit") == "万元" else amount))
    return out

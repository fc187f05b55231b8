"""The parts of a report around the tables: the title (year, agency), the six headings, the
（一）…（五） sub-topics of 一, and which paragraph belongs to which section text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from xxgk.importer.doc import PARA, Document
from xxgk.importer.labels import canon, tidy

_ORDINALS = "一二三四五六"
_HEADING = re.compile(r"^([一二三四五六])\s*[、.．,，]\s*(\S.{0,40})$")
# Words that identify each part's heading (any one): the official wording and its common drift.
_HEADING_WORDS = {
    "s1": ("总体",),
    "s2": ("主动公开",),
    "s3": ("申请",),
    "s4": ("复议", "诉讼"),
    "s5": ("问题", "改进"),
    "s6": ("其他", "事项"),
}
_SUB = re.compile(r"^[（(]\s*([一二三四五六七八九十])\s*[）)]\s*")
_TITLE = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年\s*(?:度\s*)?(?:的\s*)?(?:政府信息公开|政务公开|信息公开)[^。]{0,12}?报告")
# "2024年度保定市科学技术局政府信息公开工作年度报告": the year first, the agency after it.
_TITLE_YEAR_FIRST = re.compile(r"^(?P<year>(?:19|20)\d{2})\s*年\s*(?:度\s*)?(?P<agency>[^\d。，,\s][^\d。，,]{1,29}?)\s*(?:政府信息公开|政务公开)[^。]{0,12}?报告")
_FOOTER = re.compile(r"版权所有|网站标识码|ICP备|主办单位|承办单位|扫一扫|打印本页|关闭窗口|【打印】|【关闭】|分享到|相关链接|上一篇|下一篇")
_FEE = re.compile(r"处理费|收费")
# What makes a line a sentence rather than a title, and what no agency name holds.
_SENTENCE = re.compile(r"[。，,；;！？!?]|根据|按照|编写|编制|我[厅局委办院区县市镇乡]")
_NOT_IN_NAME = re.compile(r"[：:“”\"《》]")
_MAX_TITLE = 60
_DATE_LINE = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
# Before the first heading, without a title line: where the report's preamble starts (page
# navigation and menus say none of this).
_PREAMBLE = re.compile(r"条例|统计期限|统计期间|本报告|年度报告")


def heading_key(text: str) -> str | None:
    """``"s3"`` for a line that is the heading of part 三 (by its ordinal and its words)."""
    t = text.strip()
    m = _HEADING.match(t)
    if not m or "。" in t or len(t) > 40:
        return None
    key = f"s{_ORDINALS.index(m.group(1)) + 1}"
    return key if any(w in t for w in _HEADING_WORDS[key]) else None


def headings_run_in(doc: Document, official: list[str]) -> list[str]:
    """The official headings found anywhere in the text, even run into the
    prose around them (a page kept as one line: ``…情况二、主动公开政府信息情况三、收到和…``)."""
    text = canon(" ".join(it.text for it in doc.items))
    return [h for h in official if canon(h) in text]


@dataclass
class Sections:
    year: int | None = None
    agency: str = ""
    title: str = ""
    headings: list[str] = field(default_factory=list)  # as found, in order
    heading_keys: list[str] = field(default_factory=list)
    texts: dict[str, list[str]] = field(default_factory=dict)
    section_of: dict[int, str] = field(default_factory=dict)  # item index → section key


def is_name(text: str) -> bool:
    """Whether ``text`` can be an agency's name: a short run of Chinese with no clause in it
    (``根据《条例》……我厅编写了`` is a sentence, ``source: …`` a note, neither a name)."""
    t = tidy(text)
    cjk = len(re.findall(r"[\u3400-\u9fff]", t))
    return 2 <= len(t) <= 30 and cjk >= 0.8 * len(t) and not _SENTENCE.search(t) and not _NOT_IN_NAME.search(t)


def _is_title_line(text: str) -> bool:
    """A title stands on a line of its own; a sentence that names the report (``我厅编写了
    2019年政府信息公开工作年度报告``) is the preamble, not a title."""
    t = tidy(text)
    return len(t) <= _MAX_TITLE and not _SENTENCE.search(t)


def find_title(doc: Document) -> tuple[int | None, str, int | None]:
    """(year, agency, index of the title paragraph) from the first paragraphs or the page title.
    Without a title line, the year of a sentence that names the report, no agency, no index."""
    paras = [(i, it.cells[0]) for i, it in enumerate(doc.items) if it.kind == PARA]
    first_heading = next((i for i, t in paras if heading_key(t)), len(doc.items))
    in_sentence = None
    for n, (i, t) in enumerate(paras):
        if i > first_heading:
            break
        m = _TITLE.search(t)
        if m and not _is_title_line(t):
            in_sentence = in_sentence or int(m.group("year"))
            continue
        if not m:
            m2 = _TITLE_YEAR_FIRST.match(t.strip())
            if m2:
                agency = tidy(m2.group("agency"))
                return int(m2.group("year")), agency if is_name(agency) else "", i
            continue
        agency = tidy(t[: m.start()]).strip("《》 ")
        if not agency and n > 0:
            prev = paras[n - 1][1].strip()
            if len(prev) <= 30 and "。" not in prev and "报告" not in prev:
                agency = tidy(prev)
        return int(m.group("year")), agency if is_name(agency) else "", i
    m = _TITLE.search(doc.title_hint or "")
    if m:
        # A page title is the portal's: its agency counts only if the report itself names it.
        agency = tidy(doc.title_hint[: m.start()]).strip("《》 ")
        body = "".join(it.text for it in doc.items)
        return int(m.group("year")), agency if is_name(agency) and agency in body else "", None
    return in_sentence, "", None


def _signature(doc: Document) -> tuple[int, int] | None:
    """(item index of the name, of the date) when the report ends signed: a name on its own line
    right above the closing date, among the last paragraphs."""
    paras = [i for i, it in enumerate(doc.items) if it.kind == PARA][-6:]
    for above, line in pairwise(paras):
        if _DATE_LINE.match(doc.items[line].cells[0].strip()) and is_name(doc.items[above].cells[0]):
            return above, line
    return None


def signed_agency(doc: Document) -> str:
    """The agency that signs the report (see :func:`_signature`), or ``""``."""
    sig = _signature(doc)
    return tidy(doc.items[sig[0]].cells[0]) if sig else ""


def split_run_in_heading(text: str, official: list[str]) -> tuple[str, str] | None:
    """(heading, the rest) for a paragraph that starts with an official heading and runs on into
    its first sentence (``一、总体情况2024年，我局……``), as some portals print it."""
    flat = re.sub(r"\s+", "", text)
    for label in official:
        if flat.startswith(label) and len(flat) > len(label):
            # Walk the original text until the heading's characters are consumed.
            n, i = 0, 0
            while n < len(label) and i < len(text):
                if not text[i].isspace():
                    n += 1
                i += 1
            return text[:i].strip(), text[i:].lstrip("：: \t")
    return None


def read_sections(doc: Document, subtopics: list[str], official: list[str] | None = None) -> Sections:
    """Walk the document once: headings, and each paragraph into the text it belongs to.

    ``subtopics`` are the keys of 一's （一）…（五） texts, in order (``s1.proactive`` …);
    ``official`` the format's headings (to split a heading run into its paragraph)."""
    out = Sections()
    out.year, out.agency, title_at = find_title(doc)
    section, sub, last_ord = "", "s1.intro", 0
    started = title_at is not None
    signature = set(_signature(doc) or ())
    for i, it in enumerate(doc.items):
        if (title_at is not None and i <= title_at) or i in signature:
            continue  # the title and the signature are no section's text
        if it.kind != PARA:
            out.section_of[i] = section
            continue
        text = it.cells[0].strip()
        key = heading_key(text)
        run_in = None if key else split_run_in_heading(text, official or [])
        if run_in:
            key = heading_key(run_in[0])
            if key and int(key[1]) > last_ord:
                text = run_in[0]
            else:
                run_in = None
        if key and int(key[1]) > last_ord:
            section, last_ord, sub, started = key, int(key[1]), "s1.intro", True
            out.headings.append(tidy(text))
            out.heading_keys.append(key)
            out.section_of[i] = key
            if not run_in:
                continue
            text = run_in[1]
        out.section_of[i] = section
        if not started and title_at is None and section == "" and _PREAMBLE.search(text) and "。" in text:
            started = True  # no title line: the preamble starts the report
        if not started:
            continue
        if section == "s6" and _FOOTER.search(text):
            break
        target = _target(section, text, sub, subtopics)
        if target is None:
            continue
        if section == "s1" and target != sub:
            sub = target
        if section == "s1":
            text = _SUB.sub("", text, count=1) if _SUB.match(text) else text
        out.texts.setdefault(target, []).append(text)
    return out


def _target(section: str, text: str, sub: str, subtopics: list[str]) -> str | None:
    if section == "":
        return "preamble"
    if section == "s1":
        m = _SUB.match(text)
        if m:
            n = "一二三四五六七八九十".index(m.group(1))
            if n < len(subtopics):
                return subtopics[n]
        return sub
    if section in ("s2", "s3", "s4"):
        # Table titles and headers that portals put outside the table are not notes.
        if "。" in text or "；" in text or len(canon(text)) > 40:
            return f"{section}.note"
        return None
    if section == "s5":
        return "s5.text"
    if section == "s6":
        return "s6.fees" if _FEE.search(text) else "s6.other"
    return None

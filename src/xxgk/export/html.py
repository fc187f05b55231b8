"""The report as one self-contained HTML page for the agency's portal.

Accessible by construction (WCAG 1.3.1 / GB/T 37668): ``lang="zh-CN"``, the title as ``<h1>``,
一…六 as ``<h2>``, （一）…（五） as ``<h3>``, every table with a ``<caption>``, header cells as
``<th id scope>`` and every data cell naming all its row and column headers in ``headers``
(technique H43: 表三 has three levels of each). No script, no external file; a print stylesheet
gives A4 with the GB/T 9704 margins. The page layout is ``templates/html/report.html.j2``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup, escape

from xxgk import __version__
from xxgk.export.tables import CORNER, DATA, PLACEHOLDER_RE, ROW_HEADER, TITLE, GridCell, grids, subtopic_text
from xxgk.report import Report
from xxgk.resources import templates_dir

LEAD_RE = re.compile(r"^([^。；！？\n]{2,24})。(.+)$", re.S)
CN_NUMERALS = "一二三四五六七八九十"


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir() / "html"), encoding="utf-8"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _para(text: str) -> Markup:
    """Escaped text with placeholders marked, so they stand out on screen."""
    parts = PLACEHOLDER_RE.split(text)
    return Markup("").join(Markup("<mark>{}</mark>").format(p) if PLACEHOLDER_RE.fullmatch(p) else escape(p)
                           for p in parts if p)


def _paragraphs(text: str) -> list[Markup]:
    return [_para(line.strip()) for line in text.splitlines() if line.strip()]


def _cell(c: GridCell) -> Markup:
    attrs: list[tuple[str, str]] = []
    if c.rowspan > 1:
        attrs.append(("rowspan", str(c.rowspan)))
    if c.colspan > 1:
        attrs.append(("colspan", str(c.colspan)))
    if c.kind == CORNER:
        tag, attrs = "td", [*attrs, ("class", "corner")]
    elif c.kind == DATA:
        tag = "td"
        attrs.append(("headers", " ".join(c.headers)))
        if not c.text:
            attrs.append(("class", "blank"))
    else:
        tag = "th"
        attrs = [("id", c.id), ("scope", c.scope), *attrs]
        if c.kind in (TITLE,) or c.scope.endswith("group") or (c.kind == ROW_HEADER and c.rowspan > 1):
            attrs.append(("class", "group"))
    text = c.text if c.text or c.kind != DATA else "未填写"
    rendered = " ".join(f'{k}="{escape(v)}"' for k, v in attrs)
    return Markup(f"<{tag} {rendered}>{escape(text)}</{tag}>" if rendered else f"<{tag}>{escape(text)}</{tag}>")


def context(report: Report) -> dict[str, Any]:
    fmt = report.spec
    tables = {g_key: g for g_key, g in grids(report).items()}
    subtopics = {f"s1.{h.key}": (i, h.label) for i, h in enumerate(fmt.subtopics)}
    sections = []
    for heading in fmt.headings:
        blocks: list[dict[str, Any]] = []
        if heading.key in tables:
            table = next(t for t in fmt.tables.values() if t.section == heading.key)
            caption = f"{table.short} {table.caption.split('、', 1)[-1]}"
            blocks.append({"kind": "table", "grid": tables[heading.key], "caption": caption})
        for key, field in fmt.texts.items():
            if field.section != heading.key:
                continue
            text = (report.texts.get(key) or "").strip()
            if key in subtopics:
                n, label = subtopics[key]
                text = subtopic_text(report, key, label)
                m = LEAD_RE.match(text)
                lead, rest = (m.group(1), m.group(2)) if m else (label, text)
                blocks.append({"kind": "sub", "heading": f"（{CN_NUMERALS[n]}）{lead}",
                               "paragraphs": _paragraphs(rest)})
            elif text:
                blocks.append({"kind": "text", "paragraphs": _paragraphs(text)})
        sections.append({"id": f"sec-{heading.key}", "heading": heading.label, "blocks": blocks})
    preamble = [p for k, f in fmt.texts.items() if f.section == "" for p in _paragraphs(report.texts.get(k) or "")]
    agency = report.agency.strip() or "【待填写：机关名称】"
    return {
        "title": f"{report.agency}{report.year}年政府信息公开工作年度报告",
        "agency": agency,
        "year": report.year,
        "preamble": preamble,
        "sections": sections,
        "generator": f"xxgk {__version__}",
        "source": fmt.source,
        "cell": _cell,
    }


def render(report: Report) -> bytes:
    """The page's UTF-8 bytes."""
    html = _environment().get_template("report.html.j2").render(context(report))
    return html.encode("utf-8")

"""The report as a Word document in the layout of GB/T 9704-2012 (党政机关公文格式).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 2号 (22 pt) 小标宋; body 3号
(16 pt) 仿宋 on an exact 28.95 pt line pitch with −0.25 pt character spacing (22 lines × 28
characters); "一、" headings 黑体, "（一）" 楷体; page numbers 4号 宋体 "— N —", odd pages right,
even pages left, one character in from the edge of the type area.

python-docx pitfalls handled here (see shared/research/peers.md §5–6): it never writes the East
Asian font, so every run property sets ``w:eastAsia`` itself; LibreOffice ignores cell widths
without ``tblGrid``; table paragraphs get ``snapToGrid=0`` so they do not snap to the 28.95 pt
line grid; the section grid is ``lines`` only (Word's ``linesAndChars`` grid breaks LibreOffice).
The licensed fonts (仿宋, 方正小标宋简体 …) are named, never embedded: each machine uses its own.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from xxgk.export.tables import CORNER, PLACEHOLDER_RE, ROW_HEADER, TITLE, Grid, grids, subtopic_text
from xxgk.report import Report

# ---------------------------------------------------------------- GB/T 9704-2012 numbers
PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
FOOTER_DISTANCE = Mm(22)  # puts the number's top ≈ 7 mm below the type area (peers.md §6)
LINE_PITCH_TWIPS = 579  # 28.95 pt: 22 lines on the 225 mm type area
LINE_PITCH = Pt(28.95)
CHAR_SPACING_TWENTIETHS = -5  # −0.25 pt: 28 characters per 156 mm line
BODY_SIZE, TITLE_SIZE, FOOTER_SIZE = Pt(16), Pt(22), Pt(14)
INDENT = Pt(32)  # 空两字

FANGSONG, KAITI, HEITI, SONGTI, XIAOBIAOSONG = "仿宋", "楷体", "黑体", "宋体", "方正小标宋简体"
LATIN = "Times New Roman"

# Table columns in millimetres (the type area is 156 mm wide), font size and side padding.
TABLE_LAYOUT = {
    "s2": ([58, 33, 33, 32], Pt(12), Mm(1.0)),
    "s3": ([11, 19, 49] + [11] * 7, Pt(9), Mm(1.2)),
    "s4": ([156 / 15] * 15, Pt(9), Mm(1.2)),
}

T3_SECTION = "s3"
LEAD_RE = re.compile(r"^([^。；！？\n]{2,24}。)(.+)$", re.S)
CN_NUMERALS = "一二三四五六七八九十"


# ---------------------------------------------------------------- low-level XML helpers
# Child order of the property elements we add to (ECMA-376 Part 1; the same sequences python-docx
# uses). Word refuses a document whose properties are out of order, LibreOffice does not, so a
# LibreOffice rendering alone would not catch it: every child we create goes in its place.
ORDER = {
    "w:pPr": (
        "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
        "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
        "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
        "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
        "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
    ),
    "w:rPr": (
        "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
        "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
        "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs",
        "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
        "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
    ),
    "w:tblPr": (
        "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
        "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
        "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange",
    ),
    "w:tblBorders": ("w:top", "w:left", "w:start", "w:bottom", "w:right", "w:end", "w:insideH", "w:insideV"),
    "w:tblCellMar": ("w:top", "w:left", "w:start", "w:bottom", "w:right", "w:end"),
}
_ORDER_BY_TAG = {qn(parent): tuple(qn(t) for t in seq) for parent, seq in ORDER.items()}


def _set(el, tag: str, **attrs: str):
    """Get or create child ``tag`` of ``el`` (in its schema position) and set ``w:`` attributes."""
    child = el.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        seq = _ORDER_BY_TAG.get(el.tag, ())
        later = set(seq[seq.index(qn(tag)) + 1:]) if qn(tag) in seq else set()
        follower = next((c for c in el if c.tag in later), None)
        if follower is not None:
            follower.addprevious(child)
        else:
            el.append(child)
    for k, v in attrs.items():
        child.set(qn(f"w:{k}"), str(v))
    return child


def set_fonts(rpr, east_asia: str, latin: str = LATIN) -> None:
    """Name the fonts on a ``w:rPr``: python-docx only writes ascii/hAnsi, and theme attributes
    would override ours, so remove them."""
    fonts = _set(rpr, "w:rFonts")
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr, name in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east_asia), ("cs", latin)):
        fonts.set(qn(f"w:{attr}"), name)


def _run(paragraph: Paragraph, text: str, east_asia: str | None = None, size: Pt | None = None,
         latin: str | None = None):
    run = paragraph.add_run(text)
    rpr = run._r.get_or_add_rPr()
    if east_asia:
        set_fonts(rpr, east_asia, latin or LATIN)
    if size is not None:
        run.font.size = size
    return run


def _no_grid_snap(paragraph: Paragraph) -> None:
    _set(paragraph._p.get_or_add_pPr(), "w:snapToGrid", val="0")


def _field(paragraph: Paragraph, instruction: str, shown: str, east_asia: str, size: Pt) -> None:
    def fld(kind: str) -> None:
        r = _run(paragraph, "", east_asia, size)
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        r._r.append(el)

    fld("begin")
    r = _run(paragraph, "", east_asia, size)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    r._r.append(instr)
    fld("separate")
    _run(paragraph, shown, east_asia, size)
    fld("end")


# ---------------------------------------------------------------- document set-up
def _setup_styles(doc: DocumentObject) -> None:
    styles = doc.styles
    # Document defaults: the language (Word's proofing and line breaking) and East Asian fonts.
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr_default, FANGSONG)
    _set(rpr_default, "w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")

    normal = styles["Normal"]
    normal.font.size = BODY_SIZE
    normal.font.color.rgb = RGBColor(0, 0, 0)
    rpr = normal.element.get_or_add_rPr()
    set_fonts(rpr, FANGSONG)
    _set(rpr, "w:spacing", val=CHAR_SPACING_TWENTIETHS)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE_PITCH
    pf.space_before = pf.space_after = Pt(0)
    pf.first_line_indent = INDENT
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.widow_control = False

    title = styles["Title"]
    title.base_style = normal
    _restyle(title, XIAOBIAOSONG, TITLE_SIZE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.line_spacing = Pt(35)  # a 22 pt title needs more than the body pitch
    title.paragraph_format.keep_with_next = True
    title.paragraph_format.space_before = title.paragraph_format.space_after = Pt(0)
    # The title's bottom border in the default template is decoration GB/T 9704 does not have.
    ppr = title.element.get_or_add_pPr()
    for bdr in ppr.findall(qn("w:pBdr")):
        ppr.remove(bdr)

    h1 = styles["Heading 1"]
    h1.base_style = normal
    _restyle(h1, HEITI, BODY_SIZE)
    h1.paragraph_format.first_line_indent = INDENT
    h1.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    h1.paragraph_format.keep_with_next = True
    h1.paragraph_format.space_before = h1.paragraph_format.space_after = Pt(0)
    h1.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    h1.paragraph_format.line_spacing = LINE_PITCH

    footer = styles["Footer"]
    _restyle(footer, SONGTI, FOOTER_SIZE, latin=SONGTI)
    footer.paragraph_format.first_line_indent = Pt(0)
    footer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _restyle(style, east_asia: str, size: Pt, latin: str = LATIN) -> None:
    font = style.font
    font.size = size
    font.bold = False
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    set_fonts(rpr, east_asia, latin)
    _set(rpr, "w:spacing", val="0")
    for tag in ("w:caps", "w:smallCaps"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)


def _setup_page(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = Mm(15)
    section.footer_distance = FOOTER_DISTANCE
    section.gutter = Mm(0)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    for attr in list(grid.attrib):
        del grid.attrib[attr]
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))

    doc.settings.odd_and_even_pages_header_footer = True
    # python-docx's template zooms "bestFit" without the percent the schema requires (Word
    # writes both); a part off the schema is what makes Word offer a repair.
    zoom = doc.settings.element.find(qn("w:zoom"))
    if zoom is not None and zoom.get(qn("w:percent")) is None:
        zoom.set(qn("w:percent"), "100")
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p.style = doc.styles["Footer"]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
        # 空一字: one 4号 character in from the edge of the type area.
        if odd:
            p.paragraph_format.right_indent = FOOTER_SIZE
        else:
            p.paragraph_format.left_indent = FOOTER_SIZE
        p.paragraph_format.first_line_indent = Pt(0)
        _run(p, "— ", SONGTI, FOOTER_SIZE, latin=SONGTI)
        _field(p, "PAGE", "1", SONGTI, FOOTER_SIZE)
        _run(p, " —", SONGTI, FOOTER_SIZE, latin=SONGTI)


# ---------------------------------------------------------------- text
def _text_runs(paragraph: Paragraph, text: str, east_asia: str | None = None) -> None:
    """``text`` as runs; placeholders 【待填写：…】 highlighted so nobody prints them unnoticed."""
    from docx.enum.text import WD_COLOR_INDEX

    for part in PLACEHOLDER_RE.split(text):
        if not part:
            continue
        run = _run(paragraph, part, east_asia)
        if PLACEHOLDER_RE.fullmatch(part):
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _body(doc: DocumentObject, text: str, lead: str = "") -> None:
    """Paragraphs of ``text`` (one per line). ``lead`` (e.g. "（一）") starts the first one in
    楷体, together with the text's own short first sentence ("主动公开情况。") if it has one."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines and lead:
        lines = [""]
    for i, line in enumerate(lines):
        p = doc.add_paragraph(style="Normal")
        if i == 0 and lead:
            m = LEAD_RE.match(line)
            head, rest = (m.group(1), m.group(2)) if m else ("", line)
            _run(p, lead + head, KAITI)
            line = rest
        _text_runs(p, line)


def _heading(doc: DocumentObject, label: str, new_page: bool = False) -> None:
    p = doc.add_paragraph(label, style="Heading 1")
    p.paragraph_format.page_break_before = new_page


# ---------------------------------------------------------------- tables
def _table(doc: DocumentObject, grid: Grid, widths_mm: list[float], size: Pt, pad: Mm) -> None:
    """The table in one pass: its XML written as text and parsed once. Cell by cell through
    python-docx (every property a lookup, merges that re-walk the grid) took most of a render;
    the XML is the same as that way wrote, bar the widths of vertically merged continuation cells
    (here their real widths)."""
    nrows = len(grid.rows)
    twips = [round(w / 25.4 * 1440) for w in widths_mm]
    pad_twips = round(pad.mm / 25.4 * 1440)
    hp = round(size.pt * 2)
    border = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
    out = [f'<w:tbl xmlns:w="{_W}"><w:tblPr><w:tblW w:type="dxa" w:w="{sum(twips)}"/><w:jc w:val="center"/>',
           "<w:tblBorders>",
           *(f"<w:{side} {border}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV")),
           '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>',
           *(f'<w:{side} w:w="{value}" w:type="dxa"/>'
             for side, value in (("top", 28), ("left", pad_twips), ("bottom", 28), ("right", pad_twips))),
           '</w:tblCellMar><w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
           'w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>',
           *(f'<w:gridCol w:w="{w}"/>' for w in twips), "</w:tblGrid>"]
    # Every paragraph, including the empty ones vertically merged cells keep: in Word their
    # 16 pt body format would otherwise set the row height.
    ppr = ('<w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto" w:before="0" w:after="0"/>'
           '<w:ind w:firstLine="0"/>')
    mark = f'<w:rPr><w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/></w:rPr>'
    starts = {(c.row, c.col): c for c in grid.cells()}
    below = {(r, c.col): c for c in grid.cells() for r in range(c.row + 1, c.row + c.rowspan)}
    for r in range(nrows):
        out.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if r < grid.header_rows else "") + "</w:trPr>")
        col = 0
        while col < grid.ncols:
            cell = starts.get((r, col))
            above = below.get((r, col)) if cell is None else None
            span = (cell or above).colspan if (cell or above) else 1
            width = Mm(sum(widths_mm[col: col + span])).twips
            tcpr = f'<w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>' + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "")
            if cell is None:  # the rest of a vertically merged cell (or a gap): an empty paragraph
                merge = "<w:vMerge/>" if above else ""
                out.append(f"<w:tc>{tcpr}{merge}</w:tcPr><w:p><w:pPr>{ppr}{mark}</w:pPr></w:p></w:tc>")
                col += span
                continue
            # Keep a table on one page where it fits (Word and LibreOffice both read keep-with-next
            # on every row as "do not split"); a longer table still breaks, its header repeated.
            keep = "<w:keepNext/>" if cell.row + cell.rowspan < nrows else '<w:keepNext w:val="0"/>'
            left = cell.kind in (CORNER, TITLE) or (cell.kind == ROW_HEADER and cell.scope == "row")
            font = HEITI if cell.kind == TITLE else FANGSONG
            restart = '<w:vMerge w:val="restart"/>' if cell.rowspan > 1 else ""
            jc = "left" if left else "center"
            out.append(f'<w:tc>{tcpr}{restart}<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr>{keep}{ppr}'
                       f'<w:jc w:val="{jc}"/>{mark}</w:pPr>'
                       f'<w:r><w:rPr><w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{font}" w:cs="{LATIN}"/>'
                       f'<w:spacing w:val="0"/><w:sz w:val="{hp}"/></w:rPr>{_run_content(cell.text)}</w:r></w:p></w:tc>')
            col += span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    doc.element.body._insert_tbl(parse_xml("".join(out)))


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _run_content(text: str) -> str:
    """A run's content as python-docx writes it: tabs and line breaks as their own elements,
    text kept with its outer spaces."""
    out = []
    for part in re.split(r"(\t|\r\n|\r|\n)", text) if text else ():
        if part == "\t":
            out.append("<w:tab/>")
        elif part in ("\r", "\n", "\r\n"):
            out.append("<w:br/>" * len(part))
        elif part:
            space = ' xml:space="preserve"' if len(part.strip()) < len(part) else ""
            out.append(f"<w:t{space}>{xml_escape(part)}</w:t>")
    return "".join(out)


# ---------------------------------------------------------------- the report
def _texts_of(report: Report, section: str) -> Iterable[tuple[str, str]]:
    for key, field in report.spec.texts.items():
        if field.section == section:
            yield key, report.texts.get(key) or ""


def build(report: Report) -> DocumentObject:
    """The report as a python-docx Document."""
    fmt = report.spec
    doc = Document()
    _setup_styles(doc)
    _setup_page(doc)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)

    agency = report.agency.strip() or "【待填写：机关名称】"
    doc.add_paragraph(agency, style="Title")
    title = f"{report.year}年政府信息公开工作年度报告"  # the agency's name goes before it
    doc.add_paragraph(title, style="Title")
    doc.add_paragraph("", style="Normal")  # GB/T 9704: 标题下空一行

    for _key, text in _texts_of(report, ""):
        if text.strip():
            _body(doc, text)
    tables = grids(report)
    subtopics = {f"s1.{h.key}": (i, h.label) for i, h in enumerate(fmt.subtopics)}
    for heading in fmt.headings:
        # 表三 (25 rows) starts a page, so it is never split and its heading stays with it, the
        # same in Word, WPS and LibreOffice (LibreOffice does not always honour keep-with-next).
        _heading(doc, heading.label, new_page=heading.key == T3_SECTION)
        if heading.key in tables:
            widths, size, pad = TABLE_LAYOUT[heading.key]
            _table(doc, tables[heading.key], list(widths), size, pad)
        for key, text in _texts_of(report, heading.key):
            if key in subtopics:
                n, label = subtopics[key]
                _body(doc, subtopic_text(report, key, label), lead=f"（{CN_NUMERALS[n]}）")
            elif text.strip():
                _body(doc, text)

    props = doc.core_properties
    # Core properties hold at most 255 characters; the document itself keeps the full name.
    props.title = report.agency[:255 - len(title)] + title
    props.author = (report.agency or "xxgk")[:255]
    props.last_modified_by = "xxgk"
    props.subject = "政府信息公开工作年度报告"
    props.keywords = "政府信息公开;年度报告"
    props.comments = f"由 xxgk 按 {fmt.source} 格式生成"
    props.language = "zh-CN"
    return doc


def render(report: Report) -> bytes:
    """The .docx file's bytes."""
    buf = io.BytesIO()
    build(report).save(buf)
    return buf.getvalue()

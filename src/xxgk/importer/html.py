"""HTML pages as portals publish them: ``td``-only tables with rowspan/colspan, headings as
``<p>``, often the whole article inside layout tables, GBK or UTF-8."""

from __future__ import annotations

import re

from xxgk.errors import InputError
from xxgk.importer.doc import Document
from xxgk.limits import check_html_size, check_table_extent

_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
          "table", "tr", "td", "th", "tbody", "thead", "tfoot", "blockquote", "center", "pre", "body",
          "html", "main", "header", "footer", "form", "dl", "dt", "dd", "figure", "caption", "hr"}
_SKIP = {"script", "style", "noscript", "head", "template", "iframe", "object", "svg", "nav", "footer", "aside"}
_TABLE_PARTS = {"table", "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "colgroup", "col"}
# Elements nested deeper than this, after unwrapping pure wrappers, are no report page (real
# pages nest a few dozen levels); the reader walks the tree recursively.
MAX_DEPTH = 400
_CHARSET = re.compile(rb"""charset\s*=\s*(?:["']\s*)?([A-Za-z0-9_\-]+)""", re.I)


def decode_html(raw: bytes, name: str) -> str:
    """The page's text: UTF-8 if it is, else the declared charset, else GB18030 (a superset of
    GBK/GB2312, what Chinese portals use)."""
    if b"\x00" in raw[:4096]:
        raise InputError(f"{name} 不是网页文件（含有二进制内容）。请选择年报网页（.html）。")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(raw[:4096])
    for enc in ([m.group(1).decode("ascii", "ignore")] if m else []) + ["gb18030"]:
        try:
            return raw.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("gb18030", errors="replace")


def read_html(raw: bytes, name: str) -> Document:
    from lxml import etree
    from lxml import html as lhtml

    check_html_size(len(raw), name)
    text = decode_html(raw, name)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        raise InputError(f"{name} 是空的，没有内容。")
    # Portal templates nest deep; libxml2 silently cuts a page at 256 levels unless told.
    parser = lhtml.HTMLParser(huge_tree=True)
    try:
        root = lhtml.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{name} 无法按网页解析（{exc}）。请确认文件是完整的年报网页。") from None
    if any("Excessive depth" in e.message for e in parser.error_log):
        raise _too_deep(name)
    _unwrap(root)
    if _depth(root) > MAX_DEPTH:
        raise _too_deep(name)
    doc = Document("html")
    title = root.find(".//title")
    if title is not None:
        doc.title_hint = _text(title)
    body = root.find("body")
    try:
        _walk(body if body is not None else root, doc, [0])
    except InputError as exc:  # a table too large to be a report's: name the file
        raise InputError(f"{name}：{exc}") from None
    return doc


def _text(el) -> str:
    parts = []
    for node in el.iter():
        if node.tag in _SKIP and node is not el:
            continue
        if node.tag == "br":
            parts.append("\n")
        if node.text and node.tag not in _SKIP:
            parts.append(_flat(node.text))
        if node is not el and node.tail:
            parts.append(_flat(node.tail))
    return re.sub(r"[ \t\r\f\v\u00a0\u3000]+", " ", "".join(parts)).strip()


def _is_data_table(el) -> bool:
    """A table of figures; a table holding tables, or a single cell, only lays a page out."""
    if el.tag != "table" or el.find(".//table") is not None:
        return False
    return len([c for c in el.iter("td", "th")]) > 1


def _walk(el, doc: Document, counter: list[int]) -> None:
    """Paragraphs and tables in document order. Layout tables (a table holding tables, as many
    portals wrap their articles) are walked like any container."""
    run: list[str] = []

    def flush() -> None:
        for line in "".join(run).split("\n"):
            doc.para(re.sub(r"[ \t\r\f\v\u00a0\u3000]+", " ", line))
        run.clear()

    if el.text:
        run.append(_flat(el.text))
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _SKIP or not tag:
            pass
        elif tag == "br":
            run.append("\n")
        elif _is_data_table(child):
            flush()
            _table(child, doc, counter[0])
            counter[0] += 1
        elif tag in _BLOCK:
            flush()
            if _has_block(child):
                _walk(child, doc, counter)
            else:
                for line in _text(child).split("\n"):
                    doc.para(line)
        else:
            if _has_block(child):
                flush()
                _walk(child, doc, counter)
            else:
                run.append(_text(child))
        if child.tail:
            run.append(_flat(child.tail))
    flush()


def _flat(text: str) -> str:
    """Source line breaks are white space in HTML; only <br> breaks a line."""
    return text.replace("\r", " ").replace("\n", " ")


def _has_block(el) -> bool:
    return any(isinstance(d.tag, str) and d.tag in _BLOCK for d in el.iterdescendants())


def _table(el, doc: Document, index: int) -> None:
    """A table's rows with rowspan/colspan resolved: a merged cell's text sits in its first grid
    position only; the positions it covers are dropped from the row."""
    covered: dict[tuple[int, int], bool] = {}
    rows = [tr for tr in el.iter("tr")]
    check_table_extent(len(rows), 0, "网页")
    for r, tr in enumerate(rows):
        cells: list[str] = []
        c = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            while covered.get((r, c)):
                c += 1
            rs, cs = _span(td.get("rowspan")), _span(td.get("colspan"))
            rs = min(rs, len(rows) - r)  # a span past the last row covers nothing
            check_table_extent(len(rows), c + cs, "网页")  # before covering: the grid is bounded
            for dr in range(rs):
                for dc in range(cs):
                    if dr or dc:
                        covered[(r + dr, c + dc)] = True
            # A <br> inside a cell wraps a label ("结果<br>维持"): no space in Chinese.
            cells.append(_text(td).replace("\n", ""))
            c += cs
        doc.row(cells, index)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(str(value).strip()), 200))
    except (TypeError, ValueError):
        return 1


def _too_deep(name: str) -> InputError:
    return InputError(f"{name} 的网页元素嵌套过深（超过 {MAX_DEPTH} 层，正常网页只有几十层），无法完整读取，未导入。"
                      "请在浏览器中打开该网页，另存为“网页，仅 HTML”后再试，或改用 Word/PDF 版本。")


def _unwrap(root) -> None:
    """Replace each pure wrapper (an element holding nothing but one block element, or an inline
    element holding one inline element) by what it wraps: a page nested hundreds of <div>s or
    <font>s deep reads like one nested a few levels deep."""
    for el in list(root.iter()):
        parent = el.getparent()
        if parent is None or not isinstance(el.tag, str) or el.tag in _TABLE_PARTS or el.tag in _SKIP \
                or el.tag in ("body", "html"):
            continue
        if parent.tag in _TABLE_PARTS and parent.tag not in ("td", "th"):
            continue
        if len(el) != 1 or (el.text or "").strip():
            continue
        child = el[0]
        if not isinstance(child.tag, str) or child.tag in _SKIP or child.tag in _TABLE_PARTS - {"table"}:
            continue
        if child.tag not in _BLOCK and el.tag in _BLOCK:  # a block around inline text is a paragraph
            continue
        if (child.tail or "").strip():
            continue
        child.tail = el.tail
        parent.replace(el, child)


def _depth(root) -> int:
    deepest, stack = 0, [(root, 0)]
    while stack:
        el, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((c, d + 1) for c in el)
    return deepest

"""Word documents (.docx): paragraphs and tables in body order. python-docx repeats a merged
cell at every grid position it covers; the XML says where each merge starts, so read that."""

from __future__ import annotations

import zipfile
from io import BytesIO

from xxgk.errors import InputError
from xxgk.importer.doc import Document


def read_docx(raw: bytes, name: str) -> Document:
    if not zipfile.is_zipfile(BytesIO(raw)):
        if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise InputError(f"{name} 是旧版 Word（.doc）或 WPS 文件，不能直接读取。请在 Word/WPS 中另存为 .docx 后再导入。")
        raise InputError(f"{name} 不是有效的 Word 文档（.docx）。请确认文件完整，或另存为 .docx 后再导入。")
    try:
        import docx
        from docx.oxml.ns import qn

        d = docx.Document(BytesIO(raw))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise InputError(f"{name} 无法按 Word 文档打开（{type(exc).__name__}）。请在 Word/WPS 中打开并另存为 .docx 后再试。") from None
    root = d.element
    if root.tag != qn("w:document") or root.find(qn("w:body")) is None:
        raise InputError(f"{name} 不是完整的 Word 文档：正文部分（word/document.xml 中的 <w:body>）缺失或不是 Word 正文。"
                         "请在 Word/WPS 中打开并另存为 .docx 后再导入。")
    doc = Document("docx")
    table_no = 0
    for block in _blocks(root.find(qn("w:body")), qn):
        if block.tag == qn("w:p"):
            for line in _para_text(block, qn).split("\n"):
                doc.para(line)
        elif block.tag == qn("w:tbl"):
            for tr in block.iter(qn("w:tr")):
                cells = []
                for tc in tr.iterchildren(qn("w:tc")):
                    tcpr = tc.find(qn("w:tcPr"))
                    vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
                    if vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue"):
                        continue  # covered by the cell above
                    # A label typed over two lines of a cell is one label: no space in Chinese.
                    cells.append("".join(_para_text(p, qn) for p in tc.iter(qn("w:p"))).strip())
                doc.row(cells, table_no)
            table_no += 1
    return doc


def _blocks(parent, qn):
    """Body-level paragraphs and tables in order, looking inside content controls (w:sdt), which
    Word and WPS templates wrap around parts of a document."""
    for el in parent.iterchildren():
        if el.tag == qn("w:sdt"):
            content = el.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content, qn)
        else:
            yield el


def _para_text(p, qn) -> str:
    out = []
    for node in p.iter():
        if node.tag == qn("w:t"):
            out.append(node.text or "")
        elif node.tag == qn("w:tab"):
            out.append("\t")
        elif node.tag in (qn("w:br"), qn("w:cr")):
            out.append("\n")
    return "".join(out)

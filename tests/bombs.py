"""Decompression and expansion bombs of the shapes issue 10 found, at any size: the tests build
small ones, ``bench/bench_bombs.py`` the full-size ones. Each writes its file and returns it."""

from __future__ import annotations

import zipfile
from pathlib import Path

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
         ' Target="{target}"/></Relationships>')
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<dimension ref="{dimension}"/><sheetData>')


def xlsx(path: Path, sheet_xml_parts: list[bytes] | bytes) -> Path:
    """A minimal one-sheet workbook whose sheet XML is the given bytes (streamed into the zip)."""
    overrides = ('<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
                 'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
    workbook = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                '<sheets><sheet name="表三" sheetId="1" r:id="rId1"/></sheets></workbook>')
    wb_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"'
               ' Target="worksheets/sheet1.xml"/></Relationships>')
    parts = [sheet_xml_parts] if isinstance(sheet_xml_parts, bytes) else sheet_xml_parts
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT.format(overrides=overrides))
        z.writestr("_rels/.rels", _RELS.format(target="xl/workbook.xml"))
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", wb_rels)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for part in parts:
                fh.write(part)
    return path


def xlsx_far_cells(path: Path, rows: int, column: str = "XFD", honest_dimension: bool = True) -> Path:
    """One cell at ``column`` on each of ``rows`` rows (the 1 MB file that took 6 GB). With
    ``honest_dimension=False`` the sheet claims to be A1 only, as some writers leave it."""
    dimension = f"A1:{column}{rows}" if honest_dimension else "A1"

    def chunks():
        yield _SHEET_HEAD.format(dimension=dimension).encode()
        for start in range(1, rows + 1, 10_000):
            yield "".join(f'<row r="{r}"><c r="{column}{r}"><v>1</v></c></row>'
                          for r in range(start, min(start + 10_000, rows + 1))).encode()
        yield b"</sheetData></worksheet>"

    return xlsx(path, list(chunks()))


def xlsx_zip_bomb(path: Path, inflated_mb: int) -> Path:
    """A sheet whose XML inflates to ``inflated_mb`` MB of white space (compresses ~1000×)."""
    block = b" " * (1024 * 1024)
    return xlsx(path, [_SHEET_HEAD.format(dimension="A1").encode(), *([block] * inflated_mb),
                       b"</sheetData></worksheet>"])


def docx_bomb(path: Path, inflated_mb: int, varied: bool = False) -> Path:
    """A Word file whose document.xml inflates to ``inflated_mb`` MB of tiny paragraphs
    (``varied``: of different numbers, which compress like real text, not ~1000×)."""
    import random

    rnd = random.Random(1)
    overrides = ('<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                 'officedocument.wordprocessingml.document.main+xml"/>')
    para = b"<w:p><w:r><w:t>1</w:t></w:r></w:p>" * (1024 * 1024 // 34)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT.format(overrides=overrides))
        z.writestr("_rels/.rels", _RELS.format(target="word/document.xml"))
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                     b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            for _ in range(inflated_mb):
                if varied:
                    para = "".join(f"<w:p><w:r><w:t>{rnd.randrange(10**9)}</w:t></w:r></w:p>"
                                   for _ in range(1024 * 1024 // 42)).encode()
                fh.write(para)
            fh.write(b"</w:body></w:document>")
    return path


def xlsx_full(path: Path, rows: int, columns: int) -> Path:
    """A sheet filled with different numbers up to ``rows`` × ``columns`` (within the bounds)."""
    import random

    from openpyxl.utils import get_column_letter

    rnd = random.Random(1)
    letters = [get_column_letter(c) for c in range(1, columns + 1)]

    def chunks():
        yield _SHEET_HEAD.format(dimension=f"A1:{letters[-1]}{rows}").encode()
        for r in range(1, rows + 1):
            yield (f'<row r="{r}">' + "".join(f'<c r="{x}{r}"><v>{rnd.randrange(10**6)}</v></c>' for x in letters)
                   + "</row>").encode()
        yield b"</sheetData></worksheet>"

    return xlsx(path, list(chunks()))


def html_span_bomb(path: Path, rows: int, cells_per_row: int, span: int = 200) -> Path:
    """A page whose one table has ``rowspan=span colspan=span`` cells (68 KB ran out of memory)."""
    cell = f'<td rowspan="{span}" colspan="{span}">1</td>'
    body = "".join(f"<tr>{cell * cells_per_row}</tr>" for _ in range(rows))
    path.write_text(f"<html><head><title>2024年政府信息公开工作年度报告</title></head><body>"
                    f"<p>一、总体情况</p><table>{body}</table></body></html>", encoding="utf-8")
    return path

"""The .docx table builder as it was before issue 12 (python-docx, cell by cell), kept only so
tests/test_docx_tables.py can show the one-pass builder writes the same tables. Not used by the
tool."""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from xxgk.export.docx import FANGSONG, HEITI, _no_grid_snap, _run, _set
from xxgk.export.tables import CORNER, DATA, ROW_HEADER, TITLE, Grid


def _table(doc: DocumentObject, grid: Grid, widths_mm: list[float], size: Pt, pad: Mm) -> None:
    nrows = len(grid.rows)
    table = doc.add_table(rows=nrows, cols=grid.ncols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    twips = [round(w / 25.4 * 1440) for w in widths_mm]
    tbl = table._tbl
    tblPr = tbl.tblPr
    for el in tblPr.findall(qn("w:tblStyle")):
        tblPr.remove(el)
    _set(tblPr, "w:tblW", w=sum(twips), type="dxa")
    _set(tblPr, "w:tblLayout", type="fixed")
    borders = _set(tblPr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _set(borders, f"w:{side}", val="single", sz="4", space="0", color="000000")
    margins = _set(tblPr, "w:tblCellMar")
    pad_twips = round(pad.mm / 25.4 * 1440)
    for side, value in (("top", 28), ("left", pad_twips), ("bottom", 28), ("right", pad_twips)):
        _set(margins, f"w:{side}", w=value, type="dxa")
    # LibreOffice lays out fixed tables from tblGrid only.
    tbl_grid = tbl.tblGrid
    for col, w in zip(tbl_grid.findall(qn("w:gridCol")), twips, strict=True):
        col.set(qn("w:w"), str(w))

    for r, row in enumerate(table.rows):
        trPr = row._tr.get_or_add_trPr()
        _set(trPr, "w:cantSplit")
        if r < grid.header_rows:
            _set(trPr, "w:tblHeader")

    # Every paragraph, including the empty ones vertically merged cells keep: in Word their
    # 16 pt body format would otherwise set the row height.
    for p_el in tbl.iter(qn("w:p")):
        _cell_paragraph(Paragraph(p_el, table), size)

    rows = tbl.tr_lst
    for cell in grid.cells():
        # Straight to the row's w:tc: python-docx's table.cell() rebuilds the whole cell matrix
        # on every call, which made a report take seconds.
        top = rows[cell.row].tc_at_grid_offset(cell.col)
        if cell.rowspan > 1 or cell.colspan > 1:
            corner = rows[cell.row + cell.rowspan - 1].tc_at_grid_offset(cell.col + cell.colspan - 1)
            top = top.merge(corner)
        tc = _Cell(top, table)
        tc.width = Mm(sum(widths_mm[cell.col: cell.col + cell.colspan]))
        tc.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for extra in tc.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        p = tc.paragraphs[0]
        pf = p.paragraph_format
        # Keep a table on one page where it fits (Word and LibreOffice both read keep-with-next
        # on every row as "do not split"); a longer table still breaks, its header repeated.
        pf.keep_with_next = cell.row + cell.rowspan < nrows
        left = cell.kind in (CORNER, TITLE) or (cell.kind == ROW_HEADER and cell.scope == "row")
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
        run = _run(p, cell.text, HEITI if cell.kind == TITLE else FANGSONG, size)
        _set(run._r.get_or_add_rPr(), "w:spacing", val="0")
        if cell.kind == DATA and not cell.text:
            run.text = ""


def _cell_paragraph(p: Paragraph, size: Pt) -> None:
    pf = p.paragraph_format
    pf.first_line_indent = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.space_before = pf.space_after = Pt(0)
    _no_grid_snap(p)
    rpr = _set(p._p.get_or_add_pPr(), "w:rPr")  # the paragraph mark's own size
    _set(rpr, "w:sz", val=round(size.pt * 2))
    _set(rpr, "w:szCs", val=round(size.pt * 2))

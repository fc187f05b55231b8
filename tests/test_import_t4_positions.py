"""表四 with blank cells in a PDF: ``pdftotext -layout`` drops a blank cell without a trace but a
wider gap, so a figure row prints fewer figures than 表四 has columns. The figures are placed
only when their positions tell the columns apart exactly (each figure under the label of one
column, the header showing each column's label apart); otherwise the row stays unread."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oracle import EXAMPLES
from support import needs_soffice, soffice_convert
from xxgk.examples import load_example
from xxgk.export import export
from xxgk.importer import import_report
from xxgk.importer.doc import ROW, Item
from xxgk.importer.positions import label_pieces, place_by_position
from xxgk.rules import check
from xxgk.spec import load_format

T4 = load_format("2021").tables["t4"]
PIECES = label_pieces([c.labels[-1] for c in T4.columns])
# The 表四 header as pdftotext -layout gives it for a PDF LibreOffice made from our own .docx
# export (each column's label pieces stand apart, one column per start position).
HEADER = [
    "结果   结果    其他    尚未",
    "                      总计   结果   结果   其他   尚未        结果   结果   其他   尚未",
    "维持   纠正    结果    审结                            总计                       总计",
    "                           维持   纠正   结果   审结        维持   纠正   结果   审结",
]


def _item(line: str) -> Item:
    cells = list(re.finditer(r"\S+(?: \S+)*", line))
    return Item(ROW, [m.group() for m in cells], line=0, spans=[m.span() for m in cells])


def _place(figures: str) -> list[str] | None:
    return place_by_position([_item(h) for h in HEADER], _item(figures), 15, PIECES)


def test_figures_are_placed_only_when_their_positions_are_exact() -> None:
    row = "3          1          4         2              2    1                   1"
    assert _place(row) == ["3", "", "1", "", "4", "", "2", "", "", "2", "1", "", "", "", "1"]
    # A figure in the gap between two columns, or over two of them: no column is certain.
    assert _place("3   1") is None
    assert _place("3    1234567") is None
    # Every column filled is placed the same way (and agrees with reading the row in order).
    full = "1    2     3     4     5    6    7    8    9    10   11   12   13   14   15"
    assert _place(full) is None or _place(full) == [str(i) for i in range(1, 16)]
    # A header whose pieces do not show all fifteen columns apart decides nothing.
    assert place_by_position([_item(h) for h in HEADER[:2]], _item(row), 15, PIECES) is None


def test_blank_in_a_real_pdf_whose_header_runs_labels_together_stays_unread(tmp_path: Path) -> None:
    # 淮安市洪泽区 2023 (a real PDF): its 表四 header prints "总 计 结果 结果 其他" as one run, so
    # positions cannot tell its columns apart. Blank one figure of its row (keeping the layout):
    # the row must stay unread, never be placed by guesswork.
    from xxgk.importer.text import pdf_to_text

    text = pdf_to_text(EXAMPLES / "hongze-district-2023.pdf", "hongze.pdf").decode("utf-8")
    row = "10    1      0   0    0   0    0   0   0    0   5   0     0   0   0"
    assert row in text
    path = tmp_path / "hongze-blank.txt"
    path.write_text(text.replace(row, row.replace("   5   ", "       ")), encoding="utf-8")
    result = import_report(path)
    t4 = {k: v for k, v in result.report.cells.items() if k.startswith("t4.")}
    assert all(v is None for v in t4.values())
    assert set(t4) <= set(result.cells_unread)


@pytest.mark.slow
@needs_soffice
def test_table4_blank_cells_in_a_pdf_are_read_by_position(tmp_path: Path) -> None:
    report = load_example()
    typed = [3, None, 1, None, 4, None, 2, None, None, 2, 1, None, None, None, 1]
    keys = [k for k in report.cells if k.startswith("t4.")]
    report.cells.update(dict(zip(keys, typed, strict=True)))
    docx = export(report, ["docx"], tmp_path, force=True, stem="t4-blanks")[0]
    pdf = soffice_convert(Path(docx), "pdf", tmp_path)
    result = import_report(pdf)
    assert [result.report.cells[k] for k in keys] == typed
    found = {f.id for f in check(result.report)}
    assert {f"CELL-BLANK:{k}" for k, v in zip(keys, typed, strict=True) if v is None} <= found
    assert not any(i.startswith("CELL-UNREAD") for i in found)

"""Decompression and expansion bombs (issue 10 item 3): refused at the door with exit 2 and a
Chinese message saying what is too big and the limit, before anything is inflated. The bombs
have the issue's shapes at small sizes (tests/bombs.py; full size in bench/bench_bombs.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import bombs
from xxgk import limits
from xxgk.cli import main
from xxgk.examples import load_example
from xxgk.export import export
from xxgk.importer import import_report
from xxgk.workbook import write_workbook


def refused(capsys, *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert "Traceback" not in err
    return err


def test_sheet_bounds_come_from_the_format_with_headroom() -> None:
    rows, cols = limits.sheet_bounds()
    from xxgk import layout

    at = layout.addresses("2021")
    assert rows >= 10 * len(at) and cols >= 10 * max(layout.flag_for("2021", k).column for k in at)
    assert rows < 100_000 and cols < 16_384  # and far below what a sheet allows


def test_a_cell_far_out_on_many_rows_is_refused_from_the_dimension(capsys, tmp_path: Path) -> None:
    rows, cols = limits.sheet_bounds()
    path = bombs.xlsx_far_cells(tmp_path / "far.xlsx", rows + 1)
    err = refused(capsys, "check", str(path))
    assert f"上限 {rows} 行 × {cols} 列" in err and "第 16384 列" in err and "far.xlsx" in err


def test_a_sheet_whose_dimension_lies_is_refused_while_read(capsys, tmp_path: Path) -> None:
    path = bombs.xlsx_far_cells(tmp_path / "far.xlsx", 3, honest_dimension=False)
    err = refused(capsys, "check", str(path))
    assert "第 16384 列" in err and "远超填报工作簿的范围" in err
    # the reader itself bounds what it reads, whoever calls it
    from xxgk.errors import InputError
    from xxgk.workbook.reader import read_workbook

    with pytest.raises(InputError, match="远超填报工作簿的范围"):
        read_workbook(path)


@pytest.mark.parametrize("command", ["check", "new"])
def test_a_zip_bomb_workbook_is_refused_from_the_zip_directory(capsys, tmp_path: Path, command: str) -> None:
    path = bombs.xlsx_zip_bomb(tmp_path / "bomb.xlsx", limits.MAX_XML_PART_BYTES // limits.MB + 1)
    argv = ["check", str(path)] if command == "check" else ["new", str(tmp_path / "n.xlsx"), "--from", str(path)]
    err = refused(capsys, *argv)
    assert "压缩炸弹" in err and "xl/worksheets/sheet1.xml" in err
    assert f"超过单个部件的上限 {limits.MAX_XML_PART_BYTES // limits.MB} MB" in err
    assert not (tmp_path / "n.xlsx").exists()


def test_a_highly_compressed_part_is_refused_by_its_ratio(capsys, tmp_path: Path) -> None:
    path = bombs.xlsx_zip_bomb(tmp_path / "ratio.xlsx", 2)  # 2 MB of spaces: ~1000×
    info = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size < limits.MAX_XML_PART_BYTES  # only the ratio can catch it
    err = refused(capsys, "check", str(path))
    assert "压缩比约" in err and f"上限 {limits.MAX_RATIO} 倍" in err


@pytest.mark.parametrize("command", ["import", "audit", "check"])
def test_a_docx_bomb_is_refused(capsys, tmp_path: Path, command: str) -> None:
    path = bombs.docx_bomb(tmp_path / "bomb.docx", limits.MAX_XML_PART_BYTES // limits.MB + 1)
    err = refused(capsys, command, str(path))
    assert "bomb.docx" in err and "压缩炸弹" in err and "word/document.xml" in err


def test_a_spanned_html_table_is_bounded(capsys, tmp_path: Path) -> None:
    rows, cols = limits.table_bounds()
    path = bombs.html_span_bomb(tmp_path / "span.html", rows=10, cells_per_row=10)
    err = refused(capsys, "import", str(path))
    assert "span.html" in err and f"上限 {rows} 行 × {cols} 列" in err and "表格" in err
    # A rowspan reaching past the table's last row covers nothing: a row of rowspan=200 cells
    # over a few rows stays within bounds and is read.
    first = "".join('<td rowspan="200">1</td>' for _ in range(cols // 2))
    path = tmp_path / "tall.html"
    path.write_text(f"<html><body><table><tr>{first}</tr>{'<tr></tr>' * 20}</table></body></html>", encoding="utf-8")
    main(["import", str(path)])  # read (it is not a report, which is another matter)
    assert "表格有" not in capsys.readouterr().err


def test_a_web_page_too_large_to_parse_is_refused(capsys, tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_bytes(b"<html><body><p>x</p>" + b"<p>1</p>" * (limits.MAX_HTML_BYTES // 7) + b"</body></html>")
    err = refused(capsys, "import", str(path))
    assert "big.html" in err and f"超过网页的上限 {limits.MAX_HTML_BYTES // limits.MB} MB" in err


def test_a_table_with_too_many_rows_is_refused(capsys, tmp_path: Path) -> None:
    rows, _ = limits.table_bounds()
    path = bombs.html_span_bomb(tmp_path / "rows.html", rows=rows + 1, cells_per_row=2, span=1)
    err = refused(capsys, "import", str(path))
    assert f"{rows + 1} 行" in err


def test_real_reports_pass_the_door(tmp_path: Path) -> None:
    report = load_example()
    for path in [write_workbook(tmp_path / "r.xlsx", report),
                 *export(report, ["docx", "html"], tmp_path / "out")]:
        limits.check_file(path)
    assert import_report(next((tmp_path / "out").glob("*.docx"))).cells_read
    assert import_report(next((tmp_path / "out").glob("*.html"))).cells_read

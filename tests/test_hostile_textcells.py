"""Issue 10 item 6: prose written as a formula (or a value of another type) in a text cell is
a finding, read as its computed value when one was saved, and never silently empty, so that
``export --generate`` keeps it."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cli_run import run
from support import needs_soffice, soffice_convert
from xxgk import layout
from xxgk.examples import load_example
from xxgk.rules import check
from xxgk.workbook import write_workbook
from xxgk.workbook.reader import read_workbook

PROSE = "本年度存在的主要问题是培训不足。"
XLSX = "xlsx:Calc MS Excel 2007 XML"  # no shell: no quotes around the filter name
FORMULA = '="本年度存在的主要问题"&"是培训不足。"'


@pytest.fixture(autouse=True)
def _logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_LOG_DIR", str(tmp_path / "logs"))


def _with_cell(tmp_path: Path, key: str, value: object, *, cached: str | None = None) -> Path:
    """The example's workbook with ``value`` typed into the cell of ``key`` (by openpyxl, which
    saves no computed value; ``cached`` adds one the way Excel stores a text result)."""
    src = write_workbook(tmp_path / "built.xlsx", load_example())
    sheet, cell = layout.address("2021", key).split("!")
    wb = openpyxl.load_workbook(src)
    wb[sheet][cell].value = value
    out = tmp_path / "填好.xlsx"
    wb.save(out)
    if cached is None:
        return out
    index = wb.sheetnames.index(sheet) + 1
    part = f"xl/worksheets/sheet{index}.xml"
    patched = tmp_path / "填好-已计算.xlsx"
    with zipfile.ZipFile(out) as zin, zipfile.ZipFile(patched, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                xml, n = re.subn(rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*(?:/>|></v>)',
                                 rf'<c r="{cell}"\1 t="str"><f>\2</f><v>{cached}</v>', data.decode())
                assert n == 1
                data = xml.encode()
            zout.writestr(info, data)
    return patched


def test_formula_with_computed_value_is_read_and_noted(tmp_path: Path) -> None:
    report = read_workbook(_with_cell(tmp_path, "s5.text", FORMULA, cached=PROSE))
    assert report.texts["s5.text"] == PROSE
    [f] = [f for f in check(report) if f.rule == "TEXT-FORMULA"]
    assert f.addresses == (layout.address("2021", "s5.text"),)
    assert "公式" in f.message and FORMULA in f.message


def test_formula_without_computed_value_is_an_error_and_survives_generate(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _with_cell(tmp_path, "s5.text", FORMULA)
    report = read_workbook(path)
    assert report.texts["s5.text"] == FORMULA  # never silently empty
    assert any(f.rule == "TEXT-FORMULA-UNREAD" and f.is_error for f in check(report))
    code, out, err = run(capsys, "export", path, "--generate", "--force", "--to", "json", "-o", tmp_path / "out")
    assert code == 0, err
    assert "已保留" in out
    [written] = (tmp_path / "out").glob("*.json")
    assert json.loads(written.read_text(encoding="utf-8"))["texts"]["s5.text"] == FORMULA


def test_number_in_a_text_cell_is_noted(tmp_path: Path) -> None:
    report = read_workbook(_with_cell(tmp_path, "s5.text", 2024))
    assert report.texts["s5.text"] == "2024"
    assert [f.rule for f in check(report) if f.rule.startswith("TEXT-")] == ["TEXT-NOT-TEXT"]


def test_text_starting_with_equals_is_plain_text(tmp_path: Path) -> None:
    """Text stored as text (how a workbook keeps "=…" safe from formula injection) is not a formula."""
    wb = _with_cell(tmp_path, "s5.text", None)
    book = openpyxl.load_workbook(wb)
    sheet, cell = layout.address("2021", "s5.text").split("!")
    book[sheet][cell].value = "=一是培训不足"
    book[sheet][cell].data_type = "s"
    book.save(wb)
    read = read_workbook(wb)
    assert read.texts["s5.text"] == "=一是培训不足"
    assert not [f for f in check(read) if f.rule.startswith("TEXT-")]


@pytest.mark.slow
@needs_soffice
def test_formula_text_saved_by_a_spreadsheet_is_read(tmp_path: Path) -> None:
    """LibreOffice computes and saves the formula's text, as Excel and WPS do on saving."""
    path = _with_cell(tmp_path, "s5.text", FORMULA)
    saved = soffice_convert(path, XLSX, tmp_path / "saved")
    report = read_workbook(saved)
    assert report.texts["s5.text"] == PROSE
    assert [f.rule for f in check(report) if f.rule.startswith("TEXT-")] == ["TEXT-FORMULA"]

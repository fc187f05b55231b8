"""Reading the workbook back: by names, totals recomputed, every kind of bad input refused or
noted with a Chinese message naming the sheet, the cell and the fix."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from xxgk import layout
from xxgk.errors import InputError
from xxgk.findings_report import render_text
from xxgk.report import Report
from xxgk.rules import check
from xxgk.sources import read_report
from xxgk.workbook import build_workbook
from xxgk.workbook.names import name_for
from xxgk.workbook.reader import SheetData, WorkbookData, load_data, read_workbook, report_from_data

AT = layout.addresses("2021")


def saved(tmp_path: Path, report: Report | None = None, edit=None, name: str = "wb.xlsx", **kw) -> Path:
    """Build a workbook, optionally change it with openpyxl (as a user with protection off
    would), and save it."""
    path = tmp_path / name
    data = build_workbook(report, **kw)
    if edit is None:
        path.write_bytes(data)
        return path
    wb = load_workbook(io.BytesIO(data))
    edit(wb)
    wb.save(path)
    return path


def put(key: str, value):
    def edit(wb):
        a = AT[key]
        wb[a.sheet][a.cell].value = value
    return edit


# ---------------------------------------------------------------------- the good path
def test_round_trip_of_the_example(tmp_path, example):
    assert read_workbook(saved(tmp_path, example)) == example
    assert read_report(saved(tmp_path, example, name="b.xlsx")) == example


def test_round_trip_with_previous_drafts_and_disabled_rules(tmp_path, example):
    this = Report.from_dict(example.to_dict())
    this.year = 2025
    this.previous = example
    this.drafts = {"s1.requests": "本年度未收到政府信息公开申请。"}
    this.disabled_rules = ["FACT-BLANK", "XY-SAME-TEXT"]
    back = read_workbook(saved(tmp_path, this))
    assert back == this and back.previous == example


def test_huaian_figures_and_decimal_amounts(tmp_path):
    from fixtures import huaian_2024

    rep = huaian_2024()
    rep.cells["t2.fees.amount"] = Decimal("24252.311082")
    back = read_workbook(saved(tmp_path, rep))
    assert back.cells == rep.cells
    assert back.cells["t3.results.total.total"] == rep.cells["t3.results.total.total"] > 0


def test_blank_template_reads_as_blank_with_year_and_agency(tmp_path):
    back = read_workbook(saved(tmp_path, year=2024, agency="某县人民政府办公室"))
    assert (back.year, back.agency) == (2024, "某县人民政府办公室")
    assert all(v is None for v in back.cells.values())  # blank ≠ 0, totals of blanks are blank
    assert not back.notes


def test_report_from_data_needs_no_openpyxl(tmp_path, example):
    """The add-in path: plain values + formulas + names, e.g. from xlwings."""
    data = load_data(saved(tmp_path, example))
    plain = WorkbookData({k: SheetData(s.values, dict(s.formulas or {})) for k, s in data.sheets.items()},
                         dict(data.names), source="当前工作簿")
    assert report_from_data(plain) == example
    # a source that knows no formulas (values only): totals still recomputed, nothing flagged
    a = AT["t3.new.total"]
    values_only = WorkbookData({k: SheetData(s.values, None) for k, s in data.sheets.items()}, dict(data.names))
    values_only.sheets[a.sheet].values[a.row - 1][a.column - 1] = 999  # a stale cached value
    back = report_from_data(values_only)
    assert back.cells["t3.new.total"] == 0 and not back.notes


def test_wrong_dimension_element(tmp_path, example):
    """Some writers leave <dimension ref="A1"/>: the reader must still see every cell."""
    import re

    src = zipfile.ZipFile(io.BytesIO(build_workbook(example)))
    path = tmp_path / "dim.xlsx"
    with zipfile.ZipFile(path, "w") as dst:
        for n in src.namelist():
            d = src.read(n)
            if n.startswith("xl/worksheets/sheet"):
                d = re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1"/>', d)
            dst.writestr(n, d)
    assert read_workbook(path) == example


def test_names_not_coordinates(tmp_path, example):
    """Move a cell and its name together: the reader follows the name."""
    def edit(wb):
        a = AT["t3.new.natural"]
        ws = wb[a.sheet]
        ws["Z99"].value = 7
        ws[a.cell].value = None
        wb.defined_names[name_for("t3.new.natural")].attr_text = f"'{a.sheet}'!$Z$99"

    back = read_workbook(saved(tmp_path, example, edit))
    assert back.cells["t3.new.natural"] == 7 and back.cells["t3.new.total"] == 7


# ---------------------------------------------------------------------- bad cell values
@pytest.mark.parametrize(
    ("raw", "value", "problem", "rule"),
    [
        ("5件", None, "text", "CELL-TEXT"),
        ("３", 3, "normalised", "CELL-NORMALISED"),
        (" 3 ", 3, "normalised", "CELL-NORMALISED"),
        (-1, None, "negative", "CELL-NEGATIVE"),
        (2.5, None, "fraction", "CELL-FRACTION"),
        ("无", None, "text", "CELL-TEXT"),
    ],
)
def test_bad_cell_values_are_noted_with_the_address(tmp_path, example, raw, value, problem, rule):
    back = read_workbook(saved(tmp_path, example, put("t3.new.natural", raw)))
    assert back.cells["t3.new.natural"] == value
    (note,) = back.notes
    assert (note.key, note.problem, note.address) == ("t3.new.natural", problem, "表三!D5")
    findings = [f for f in check(back) if f.rule == rule]
    assert findings and findings[0].addresses == ("表三!D5",)
    text = render_text(findings, back, "wb.xlsx")
    assert "表三!D5" in text and "自然人" in text


def test_blank_cell_is_a_finding_naming_the_cell(tmp_path, example):
    back = read_workbook(saved(tmp_path, example, put("t3.forward.legal", None)))
    assert back.cells["t3.forward.legal"] is None and back.cells["t3.forward.total"] is None
    blanks = [f for f in check(back) if f.rule == "CELL-BLANK"]
    assert "表三!H29" in {a for f in blanks for a in f.addresses}
    assert any("未填写" in f.message for f in blanks)


def test_fact_amount_with_text(tmp_path, example):
    back = read_workbook(saved(tmp_path, example, put("fees.collected", "0元")))
    (note,) = back.notes
    assert note.address == str(AT["fees.collected"]) and note.problem == "text"


def test_formula_replaced_by_a_number(tmp_path, example):
    back = read_workbook(saved(tmp_path, example, put("t3.results.total.natural", 5)))
    assert back.cells["t3.results.total.natural"] == 0  # recomputed from the parts
    (note,) = back.notes
    assert (note.problem, note.raw, note.address) == ("formula_replaced", "5", "表三!D28")
    (f,) = [f for f in check(back) if f.rule == "CELL-FORMULA-REPLACED"]
    assert f.addresses == ("表三!D28",) and "公式" in f.message


def test_total_formula_cleared(tmp_path, example):
    back = read_workbook(saved(tmp_path, example, put("t4.review.total", None)))
    (note,) = back.notes
    assert (note.problem, note.raw, note.address) == ("formula_replaced", "（已清空）", "表四!E5")
    assert back.cells["t4.review.total"] == 0


def test_formula_typed_into_an_input_cell(tmp_path, example):
    back = read_workbook(saved(tmp_path, example, put("t3.new.natural", "=1+2")))
    (note,) = back.notes  # openpyxl stores no computed value: the cell cannot be read
    assert note.problem == "unread" and note.address == "表三!D5" and "公式" in note.fix


# ---------------------------------------------------------------------- refused workbooks
def refused(path: Path) -> str:
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    return str(exc.value)


def test_renamed_sheet(tmp_path, example):
    # openpyxl leaves the names pointing at the old title: the sheet is simply gone
    def rename(wb):
        wb["表三"].title = "表3"

    msg = refused(saved(tmp_path, example, rename))
    assert "表三" in msg and "删除或改名" in msg

    # Excel rewrites the names to the new title: we say which name it got
    def rename_like_excel(wb):
        wb["表三"].title = "表3"
        for d in wb.defined_names.values():
            d.attr_text = d.attr_text.replace("'表三'!", "'表3'!")

    msg = refused(saved(tmp_path, example, rename_like_excel, name="b.xlsx"))
    assert "工作表“表三”被改名为“表3”：请改回“表三”" in msg


def test_deleted_sheet(tmp_path, example):
    def delete(wb):
        del wb["表四"]

    msg = refused(saved(tmp_path, example, delete))
    assert "找不到工作表“表四”" in msg


def test_missing_name(tmp_path, example):
    def drop(wb):
        del wb.defined_names[name_for("t3.forward.other")]

    msg = refused(saved(tmp_path, example, drop))
    assert "xx_t3__forward__other" in msg and "表三!I29" in msg and "xxgk new" in msg


@pytest.mark.parametrize(("sheet", "words"), [(layout.META, "已被删除"), (layout.PREVIOUS, "_上年"),
                                              (layout.COVER, "找不到工作表“说明”")])
def test_deleted_hidden_or_cover_sheet(tmp_path, example, sheet, words):
    def delete(wb):
        del wb[sheet]

    msg = refused(saved(tmp_path, example, delete))
    assert words in msg and "xxgk new" in msg


def test_not_our_workbook(tmp_path):
    path = tmp_path / "other.xlsx"
    Workbook().save(path)
    msg = refused(path)
    assert "不是本工具生成的填报工作簿" in msg and "xxgk new" in msg


@pytest.mark.parametrize(("version", "words"), [("2019", "说明!C4"), ("2030", "不支持该格式版本")])
def test_other_format_version(tmp_path, example, version, words):
    def edit(wb):
        wb[layout.META]["C3"].value = version

    msg = refused(saved(tmp_path, example, edit))
    assert words in msg and version in msg


def test_year_before_the_format(tmp_path, example):
    msg = refused(saved(tmp_path, example, lambda wb: wb[layout.COVER].__setitem__("C4", 2019)))
    assert "说明!C4" in msg and "2019" in msg and "2021" in msg


@pytest.mark.parametrize("raw", [None, "二〇二四"])
def test_year_blank_or_not_a_year(tmp_path, example, raw):
    msg = refused(saved(tmp_path, example, lambda wb: wb[layout.COVER].__setitem__("C4", raw)))
    assert "说明!C4" in msg and "报告年度" in msg


def test_xls_file(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    msg = refused(path)
    assert ".xls" in msg and "另存为" in msg
    with pytest.raises(InputError, match=r"\.xls"):
        read_report(path.rename(tmp_path / "old.xls"))


def test_encrypted_workbook(tmp_path, example):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = saved(tmp_path, example)
    locked = tmp_path / "locked.xlsx"
    with plain.open("rb") as src, locked.open("wb") as out:
        OOXMLFile(src).encrypt("secret", out)
    assert msoffcrypto.olefile.isOleFile(str(locked))
    msg = refused(locked)
    assert "打开密码" in msg and "清除" in msg


def test_csv_named_xlsx(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_text("项目,数量\n新收,3\n", encoding="utf-8")
    assert "CSV" in refused(path)


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    assert "压缩包" in refused(path)
    docx = tmp_path / "b.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert "Word" in refused(docx)


def test_damaged_workbook(tmp_path):
    path = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", "not xml")
    assert "损坏" in refused(path)


def test_missing_file(tmp_path):
    assert "找不到文件" in refused(tmp_path / "nope.xlsx")


def test_round_trip_of_a_2019_format_report(tmp_path):
    """2019 and 2020 reports use the trial format: its own 表二 (本年增/减 may be negative) and a
    one-row （六）其他处理."""
    rep = Report.blank(2020, "某县人民政府办公室")
    assert rep.format == "2019"
    fmt = rep.spec
    for i, (key, cell) in enumerate(fmt.cells.items()):
        if not cell.total_of:
            rep.cells[key] = -(i % 3) if cell.type == "signed" else i % 4
    from xxgk.workbook.reader import _total

    for key, cell in fmt.cells.items():
        if cell.total_of:
            rep.cells[key] = _total(fmt, key, rep.cells)
    back = read_workbook(saved(tmp_path, rep))
    assert back == rep
    assert any(v < 0 for v in back.cells.values() if v is not None)

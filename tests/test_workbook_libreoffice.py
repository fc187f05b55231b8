"""A real spreadsheet engine opens the workbook: LibreOffice recalculates on load and saves it
again. The formulas must compute the totals and the live checks; protection, unlocked cells,
validation, conditional formats and names must survive; and the Report read back from
LibreOffice's file must equal the one written (JSON → workbook → LibreOffice → Report).

Two soffice runs for the whole module (the example, and 淮安 2024 with one column unbalanced)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from support import needs_soffice, soffice_convert
from xxgk import layout
from xxgk.report import Report, load_json
from xxgk.spec import load_format
from xxgk.workbook import write_workbook
from xxgk.workbook.builder import WRITABLE_SHEETS
from xxgk.workbook.formulas import live_checks
from xxgk.workbook.names import name_for
from xxgk.workbook.reader import Ref, parse_ref, read_workbook, recomputed_totals

pytestmark = [pytest.mark.slow, needs_soffice]

FMT = load_format("2021")
AT = layout.addresses("2021")
XLSX = "xlsx:Calc MS Excel 2007 XML"  # no shell: no quotes around the filter name


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    from fixtures import huaian_2024
    from xxgk.examples import load_example
    from xxgk.report import dump_json

    src = tmp_path_factory.mktemp("src")
    out = tmp_path_factory.mktemp("lo")
    # The example goes through JSON on disk, as `xxgk new --from report.json` does.
    example_json = dump_json(load_example(), src / "example.json")
    example = load_json(example_json)
    broken = huaian_2024()
    broken.cells["t3.forward.commercial"] += 2  # 一+二 ≠ 三+四 in the 商业企业 column
    broken.cells["t3.forward.total"] += 2
    blanks = load_example()
    blanks.cells["t3.new.natural"] = blanks.cells["t4.review.upheld"] = None  # 未填写
    blanks.cells["t3.new.total"] = blanks.cells["t4.review.total"] = None  # as a reader sees them
    write_workbook(src / "example.xlsx", example)
    write_workbook(src / "broken.xlsx", broken)
    write_workbook(src / "blanks.xlsx", blanks)
    return {
        "example": (example, soffice_convert(src / "example.xlsx", XLSX, out)),
        "broken": (broken, soffice_convert(src / "broken.xlsx", XLSX, out)),
        "blanks": (blanks, soffice_convert(src / "blanks.xlsx", XLSX, out)),
    }


def values(path: Path):
    return load_workbook(path, data_only=True)


def test_totals_and_checks_are_computed_by_libreoffice(runs):
    report, path = runs["broken"]
    wb = values(path)
    totals = [k for k, c in FMT.cells.items() if c.total_of]
    assert not recomputed_totals(report)  # the report's own totals are the sums of its parts
    for key in totals:
        a = AT[key]
        assert wb[a.sheet][a.cell].value == report.cells[key], key
    # the grand total, two levels of formulas deep
    inputs = [k for k, c in FMT.cells.items() if not c.total_of and k.startswith("t3.results.")]
    assert wb["表三"][AT["t3.results.total.total"].cell].value == sum(report.cells[k] for k in inputs)
    checks = {c.key: wb[c.address.sheet][c.address.cell].value for c in live_checks("2021")}
    new, carried = report.cells["t3.new.commercial"], report.cells["t3.carried.commercial"]
    done = sum(report.cells[k] for k in inputs if k.endswith(".commercial"))
    fwd = report.cells["t3.forward.commercial"]
    assert checks["identity.commercial"] == f"不平衡：一+二为{new + carried}，三+四为{done + fwd}"
    assert checks["identity.total"].startswith("不平衡")
    for col in ("natural", "research", "nonprofit", "legal", "other"):
        assert checks[f"identity.{col}"] == "平衡", col
    assert all(not v for k, v in checks.items() if k.startswith("sum."))  # totals are formulas
    cover = wb[layout.COVER]
    assert cover[layout.COVER_CELLS["unbalanced"].cell].value == 2
    assert cover[layout.COVER_CELLS["status"].cell].value == "2 处勾稽关系不平衡；表格已全部填写"
    # the red format is attached to the failing cell
    ws = load_workbook(path)["表三"]
    cell = layout.check_addresses("2021")["identity.commercial"].cell
    rules = [r for cf in ws.conditional_formatting for r in cf.rules if cell in str(cf.sqref).split()
             or any(cell == c for rng in cf.sqref.ranges for c in [rng.coord])]
    assert any('LEFT(' in f and '"不平衡"' in f for r in rules for f in r.formula)
    assert any(r.dxf is not None and r.dxf.fill is not None for r in rules)


def test_example_is_balanced_and_complete(runs):
    _, path = runs["example"]
    cover = values(path)[layout.COVER]
    assert cover[layout.COVER_CELLS["status"].cell].value == "勾稽关系全部平衡；表格已全部填写"


def test_protection_validation_and_names_survive(runs):
    _, path = runs["example"]
    wb = load_workbook(path)
    # LibreOffice writes an empty <workbookProtection/> when it saves .xlsx: sheet protection
    # survives, the structure lock does not. Pin that down, so a LibreOffice that keeps it is
    # noticed; the reader refuses renamed or deleted sheets either way.
    assert wb.security is not None and not wb.security.lockStructure
    states = {ws.title: ws.sheet_state for ws in wb.worksheets}
    for title in (layout.META, layout.PREVIOUS, layout.DRAFTS, layout.FLAGS):
        assert states[title] == "hidden", title
    for ws in wb.worksheets:
        if ws.title not in WRITABLE_SHEETS:
            assert ws.protection.sheet, ws.title
    for key, a in AT.items():
        cell = wb[a.sheet][a.cell]
        total = key in FMT.cells and FMT.cells[key].total_of
        assert cell.protection.locked == bool(total), key
        assert parse_ref(wb.defined_names[name_for(key)].attr_text) == Ref(a.sheet, a.row, a.column), key
        if key in FMT.cells and not total:
            dvs = [dv for dv in wb[a.sheet].data_validations.dataValidation if a.cell in dv.sqref]
            assert dvs and dvs[0].type in ("whole", "decimal") and dvs[0].prompt, key
            assert dvs[0].errorStyle in (None, "stop")  # LibreOffice omits the default
    # the highlight mirror: conditional formats on input cells still read _flags
    formulas = [f for cf in wb["表三"].conditional_formatting for r in cf.rules for f in r.formula]
    assert any("_flags" in f for f in formulas)


def test_report_read_back_equals_the_report_written(runs):
    for report, path in runs.values():
        back = read_workbook(path)
        assert back.cells == report.cells
        assert back.facts == report.facts
        assert back.texts == report.texts
        assert (back.year, back.agency, back.notes) == (report.year, report.agency, [])
    example, path = runs["example"]
    assert read_workbook(path) == example
    assert isinstance(example, Report)


@pytest.mark.parametrize("which", ["example", "broken", "blanks"])
def test_stored_results_equal_libreoffices_recalculation(runs, which):
    """The results we store beside the formulas (for previewers that never recalculate) are
    what a spreadsheet computes: every formula cell, totals, checks and cover status."""

    from xxgk.workbook import build_workbook

    report, path = runs[which]
    assert _stored_equal_computed(build_workbook(report), path) > 50
    if which == "blanks":
        cover = load_workbook(path, data_only=True)[layout.COVER]
        assert cover[layout.COVER_CELLS["blank"].cell].value == 2
        assert cover[layout.COVER_CELLS["status"].cell].value.endswith("2 个表格单元格未填写")


def test_table3_prints_with_its_note(tmp_path):
    """Printed by a real engine, the 表三 page ends with the note row (its label and text)."""
    import subprocess

    from xxgk.examples import load_example

    report = load_example()
    report.texts["s3.note"] = "表三说明文字样例"
    book = write_workbook(tmp_path / "t3.xlsx", report)
    pdf = soffice_convert(book, "pdf", tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    caption = FMT.tables["t3"].caption
    page = next(p for p in text.split("\f") if caption in p)
    assert "本列勾稽关系核对" in page
    assert "表三说明文字样例" in page, "the note row does not print"


def _stored_equal_computed(ours: bytes, computed_path: Path) -> int:
    """Compare every formula cell's stored result in ``ours`` with the value LibreOffice computed
    in ``computed_path``; return how many formula cells there are."""
    import io

    formulas = load_workbook(io.BytesIO(ours))
    stored = load_workbook(io.BytesIO(ours), data_only=True)
    computed = values(computed_path)
    n = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type != "f":
                    continue
                mine = stored[ws.title][c.coordinate].value
                lo = computed[ws.title][c.coordinate].value
                # an empty text result reads back as None from either file
                assert (mine if mine != "" else None) == (lo if lo != "" else None), (ws.title, c.coordinate)
                n += 1
    return n


def test_stored_results_of_a_2019_format_workbook(tmp_path):
    """The 2019 trial format (signed 表二 changes, one 其他处理 row): unbalanced columns, a blank."""
    from xxgk.report import Report
    from xxgk.spec import SIGNED
    from xxgk.workbook import build_workbook

    report = Report.blank(2020, "测试局")
    fmt = report.spec
    for i, key in enumerate(k for k, c in fmt.cells.items() if not c.total_of):
        report.cells[key] = -(i % 3) if fmt.cells[key].type == SIGNED else (i * 7) % 11
    report.cells["t3.new.natural"] = None
    data = build_workbook(report)
    src = tmp_path / "y2020.xlsx"
    src.write_bytes(data)
    path = soffice_convert(src, XLSX, tmp_path / "lo")
    assert _stored_equal_computed(data, path) > 50
    shown = load_workbook(path, data_only=True)[layout.COVER][layout.COVER_CELLS["status"].cell].value
    assert "处勾稽关系不平衡" in shown and "1 个表格单元格未填写" in shown

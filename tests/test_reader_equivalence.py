"""Issue 12: the fast workbook reader (only the cells the names point to, straight from the
package) gives the same report, the same findings and the same refusals as the reader it
replaced (``tests/old_reader.py``: openpyxl, every cell), on every kind of workbook the tests
use: built, the committed template, edited by openpyxl as a user with protection off would,
damaged or hostile, random consistent reports, and saved by LibreOffice."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import Workbook, load_workbook

import old_reader
from strategies import consistent_reports
from support import needs_soffice, soffice_convert
from written import workbooks
from xxgk import layout
from xxgk.errors import InputError
from xxgk.examples import load_example
from xxgk.report import Report
from xxgk.rules import check
from xxgk.workbook import build_workbook, reader
from xxgk.workbook.names import name_for

AT = layout.addresses("2021")


def outcome(read: Callable[[Path], Report], path: Path) -> tuple[str, object]:
    try:
        report = read(path)
        return "read", (report.to_dict(), report.notes, check(report))
    except InputError as exc:
        return "refused", str(exc)


def assert_same(path: Path) -> None:
    old, new = outcome(old_reader.read_workbook, path), outcome(reader.read_workbook, path)
    assert new == old


@cache
def example_workbook() -> bytes:
    return build_workbook(load_example())


def edited(tmp_path: Path, edit, name: str = "edited.xlsx", report: Report | None = None) -> Path:
    wb = load_workbook(io.BytesIO(build_workbook(report) if report is not None else example_workbook()))
    edit(wb)
    path = tmp_path / name
    wb.save(path)
    return path


def put(key: str, value, kind: str = "value"):
    def edit(wb):
        a = AT[key] if kind == "value" else None
        if a is None:  # a cover/meta/previous cell: where its name points
            target = reader.parse_ref(wb.defined_names[name_for(key, kind)].attr_text)
            wb[target.sheet][target.cell].value = value
        else:
            wb[a.sheet][a.cell].value = value
    return edit


def patched(tmp_path: Path, part: str, edit: Callable[[str], str], name: str = "patched.xlsx") -> Path:
    src = zipfile.ZipFile(io.BytesIO(example_workbook()))
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            out.writestr(info, edit(data.decode()).encode() if info.filename == part else data)
    return path


# ---------------------------------------------------------------------- what we write
@pytest.mark.parametrize("kind", sorted(workbooks()))
def test_every_workbook_we_write(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(workbooks()[kind])
    assert_same(path)
    reader._load_needed(path)  # read the fast way, not by falling back


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(report=consistent_reports())
def test_random_consistent_reports(tmp_path: Path, report: Report) -> None:
    path = tmp_path / "random.xlsx"
    path.write_bytes(build_workbook(report))
    assert_same(path)
    assert reader.read_workbook(path) == report


# ---------------------------------------------------------------------- edited by a person
CELL_VALUES = ["5件", "３", " 3 ", -1, 2.5, "无", None, True, "=1+2", 10 ** 17, 1e-7, "", "#N/A",
               datetime.datetime(2024, 5, 1), Decimal("3.0")]


@pytest.mark.parametrize("value", CELL_VALUES, ids=repr)
def test_values_typed_into_cells(tmp_path: Path, value) -> None:
    """Into a count, an amount, a fact, a text and two totals at once."""
    keys = ["t3.new.natural", "t2.fees.amount", "fees.collected", "s5.text", "t3.results.total.natural",
            "t4.review.total"]

    def edit(wb):
        for key in keys:
            put(key, value)(wb)

    assert_same(edited(tmp_path, edit))


@pytest.mark.parametrize(("key", "kind", "value"), [
    ("year", "cover", None), ("year", "cover", "二〇二四"), ("year", "cover", 2019), ("year", "cover", 2024.0),
    ("year", "cover", " 2024 "), ("agency", "cover", 12345), ("agency", "cover", "=A1"),
    ("format", "meta", "2019"), ("format", "meta", "2030"), ("format", "meta", 2021), ("kind", "meta", "x"),
    ("disabled_rules", "meta", "FACT-BLANK, XY-SAME-TEXT"), ("disabled_rules", "meta", "NO-SUCH-RULE"),
    ("year", "previous", 2023), ("t3.new.natural", "previous", "五"), ("s5.text", "draft", "旧的草稿"),
])
def test_cover_meta_previous_and_draft_cells(tmp_path: Path, key: str, kind: str, value) -> None:
    assert_same(edited(tmp_path, put(key, value, kind)))


def _rename(wb, excel_like: bool) -> None:
    wb["表三"].title = "表3"
    if excel_like:
        for d in wb.defined_names.values():
            d.attr_text = d.attr_text.replace("'表三'!", "'表3'!")


def _move(wb) -> None:
    a = AT["t3.new.natural"]
    wb[a.sheet]["Z99"].value = 7
    wb[a.sheet][a.cell].value = None
    wb.defined_names[name_for("t3.new.natural")].attr_text = f"'{a.sheet}'!$Z$99"


STRUCTURE = {
    "renamed": lambda wb: _rename(wb, False),
    "renamed-like-excel": lambda wb: _rename(wb, True),
    "deleted-t4": lambda wb: wb.remove(wb["表四"]),
    "deleted-meta": lambda wb: wb.remove(wb[layout.META]),
    "deleted-previous": lambda wb: wb.remove(wb[layout.PREVIOUS]),
    "deleted-cover": lambda wb: wb.remove(wb[layout.COVER]),
    "missing-name": lambda wb: wb.defined_names.pop(name_for("t3.forward.other")),
    "name-to-a-range": lambda wb: setattr(wb.defined_names[name_for("t3.forward.other")], "attr_text", "'表三'!$D$5:$E$6"),
    "moved-name": _move,
    "row-inserted": lambda wb: wb["表三"].insert_rows(7),
}


@pytest.mark.parametrize("change", sorted(STRUCTURE))
def test_structure_changed(tmp_path: Path, change: str) -> None:
    assert_same(edited(tmp_path, STRUCTURE[change]))


def test_report_with_previous_drafts_and_blanks(tmp_path: Path) -> None:
    this = load_example()
    this.year = 2025
    this.previous = load_example()
    this.drafts = {"s1.requests": "本年度未收到政府信息公开申请。"}
    this.cells["t3.new.legal"] = None
    path = tmp_path / "prev.xlsx"
    path.write_bytes(build_workbook(this))
    assert_same(path)


# ---------------------------------------------------------------------- not ours, damaged, hostile
DTD = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x "abc">]>'
SHEET_EDITS = {
    "dtd": lambda s: DTD + s,
    "undefined-entity": lambda s: s.replace("</t></is>", "&x;</t></is>", 1),
    "huge-number": lambda s: re.sub(r"<v>\d+</v>", "<v>1e400</v>", s, count=1),
    "not-a-number": lambda s: re.sub(r"<v>\d+</v>", "<v>abc</v>", s, count=1),
    "nan": lambda s: re.sub(r"<v>\d+</v>", "<v>NaN</v>", s, count=1),
    "truncated": lambda s: s[: len(s) // 2],
    "text-formula-cached": lambda s: re.sub(r'<c r="B(\d+)"([^>]*?) t="inlineStr"><is><t>([^<]*)</t></is></c>',
                                            r'<c r="B\1"\2 t="str"><f>"x"&amp;"y"</f><v>\3</v></c>', s),
    "crlf-text": lambda s: s.replace("</t></is>", "&#13;&#10;二\r\n三\r四</t></is>"),
    "cell-without-address": lambda s: s.replace('<c r="B3"', "<c", 1),
    "far-cell": lambda s: s.replace("</sheetData>", '<row r="9000"><c r="XFD9000"><v>1</v></c></row></sheetData>'),
    "far-row": lambda s: s.replace("</sheetData>", '<row r="90000"><c r="A90000"><v>1</v></c></row></sheetData>'),
    "bool-cell": lambda s: re.sub(r'<c r="D5"([^>]*?)( t="n")?>(<v>\d+</v>)?</c>', r'<c r="D5"\1 t="b"><v>1</v></c>', s),
    "error-cell": lambda s: re.sub(r'<c r="D5"([^>]*?)( t="n")?>(<v>\d+</v>)?</c>', r'<c r="D5"\1 t="e"><v>#DIV/0!</v></c>', s),
}


def _shared_totals(s: str) -> str:
    """表三's row totals (column J) as Excel writes a filled-down formula: the first cell holds
    the text, the others refer to it."""
    rows = [int(r) for r in re.findall(r'<c r="J(\d+)"[^>]*><f>SUM\(D\d+:I\d+\)</f>', s)]
    assert len(rows) > 5
    first, last = rows[0], rows[-1]

    def share(m: re.Match[str]) -> str:
        row = int(m.group(1))
        if row == first:
            return f'<c r="J{row}"{m.group(2)}><f t="shared" ref="J{first}:J{last}" si="0">{m.group(3)}</f>'
        return f'<c r="J{row}"{m.group(2)}><f t="shared" si="0"/>'

    return re.sub(r'<c r="J(\d+)"([^>]*)><f>(SUM\(D\d+:I\d+\))</f>', share, s)


def test_shared_formulas_in_totals_are_read_the_fast_way(tmp_path: Path) -> None:
    path = patched(tmp_path, "xl/worksheets/sheet4.xml", _shared_totals)
    assert b't="shared"' in zipfile.ZipFile(path).read("xl/worksheets/sheet4.xml")
    assert_same(path)
    reader._load_needed(path)


def test_a_shared_formula_in_an_input_cell_is_left_to_openpyxl(tmp_path: Path) -> None:
    """Its text (shown in the finding) is openpyxl's translation of the first cell's."""
    def edit(s: str) -> str:
        s = re.sub(r'<c r="D5"([^>]*?)( t="n")?>(<v>\d+</v>)?</c>',
                   r'<c r="D5"\1><f t="shared" ref="D5:D6" si="7">1+1</f></c>', s)
        return re.sub(r'<c r="D6"([^>]*?)( t="n")?>(<v>\d+</v>)?</c>', r'<c r="D6"\1><f t="shared" si="7"/></c>', s)

    path = patched(tmp_path, "xl/worksheets/sheet4.xml", edit)
    assert_same(path)
    with pytest.raises(reader.package.Unusual):
        reader._load_needed(path)


@pytest.mark.parametrize("sheet", [3, 4, 6])
@pytest.mark.parametrize("change", sorted(SHEET_EDITS))
def test_damaged_or_hostile_sheets(tmp_path: Path, change: str, sheet: int) -> None:
    assert_same(patched(tmp_path, f"xl/worksheets/sheet{sheet}.xml", SHEET_EDITS[change]))


@pytest.mark.parametrize(("part", "edit"), [
    ("xl/workbook.xml", lambda s: s[:100]),
    ("xl/workbook.xml", lambda s: s.replace("'表三'!$D$5", "&apos;表三&apos;!$D$5")),
    ("xl/_rels/workbook.xml.rels", lambda s: s.replace('Target="/xl/worksheets/', 'Target="worksheets/')),
    ("xl/styles.xml", lambda s: s.replace("<cellXfs", '<numFmts count="1"><numFmt numFmtId="200" formatCode="yyyy-mm-dd"/></numFmts><cellXfs', 1)),
])
def test_damaged_or_unusual_package_parts(tmp_path: Path, part: str, edit) -> None:
    assert_same(patched(tmp_path, part, edit))


def test_files_that_are_not_our_workbooks(tmp_path: Path) -> None:
    Workbook().save(tmp_path / "other.xlsx")
    (tmp_path / "data.xlsx").write_text("项目,数量\n新收,3\n", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "zip.xlsx", "w") as z:
        z.writestr("readme.txt", "hello")
    with zipfile.ZipFile(tmp_path / "bad.xlsx", "w") as z:
        z.writestr("xl/workbook.xml", "not xml")
    for name in ("other.xlsx", "data.xlsx", "zip.xlsx", "bad.xlsx", "missing.xlsx"):
        assert_same(tmp_path / name)


# ---------------------------------------------------------------------- saved by a spreadsheet
@pytest.mark.slow
@needs_soffice
def test_workbooks_saved_by_libreoffice(tmp_path: Path) -> None:
    """LibreOffice writes shared strings, its own styles and cached formula results."""
    report = load_example()
    report.cells["t3.new.natural"] = None  # a blank the totals carry
    report.texts["s5.text"] = "=一是培训不足"
    sources = {"example": edited(tmp_path, put("t3.results.total.natural", 5), "a.xlsx", report),
               "formula": edited(tmp_path, put("s6.other", '="甲"&"乙"'), "b.xlsx")}
    for name, src in sources.items():
        saved = soffice_convert(src, "xlsx:Calc MS Excel 2007 XML", tmp_path / name)
        assert_same(saved)
        reader._load_needed(saved)  # the fast way, not by falling back


@pytest.mark.parametrize("offset", [40, 400, 1500])
def test_flipped_bytes_inside_a_compressed_sheet(tmp_path: Path, offset: int) -> None:
    """What a damaged download does: the inflated sheet no longer matches its CRC, or does not
    inflate at all."""
    data = bytearray(example_workbook())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet4.xml")
    at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + offset
    data[at] ^= 0x55
    path = tmp_path / "flipped.xlsx"
    path.write_bytes(bytes(data))
    assert_same(path)
    assert outcome(reader.read_workbook, path)[0] == "refused"

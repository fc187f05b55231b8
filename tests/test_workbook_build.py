"""The built workbook, read with openpyxl: official labels (against the independent oracle),
merged headers, locked/unlocked cells, formulas, validation, names, hidden sheets, printing,
and the committed template being exactly a fresh build."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from oracle import official_labels
from xxgk import layout
from xxgk.spec import COUNT, load_format
from xxgk.workbook import build_workbook, write_workbook
from xxgk.workbook import styles as S
from xxgk.workbook.builder import PASSWORD, WRITABLE_SHEETS
from xxgk.workbook.formulas import live_checks
from xxgk.workbook.names import key_for, name_for

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "workbook" / "政府信息公开年报模板-2021.xlsx"
FMT = load_format("2021")
AT = layout.addresses("2021")


@pytest.fixture(scope="module")
def wb():
    return load_workbook(io.BytesIO(build_workbook()))


@pytest.fixture(scope="module")
def filled(request):
    from xxgk.examples import load_example

    return load_workbook(io.BytesIO(build_workbook(load_example())))


def merged_value(ws, row: int, col: int):
    """The value shown in (row, col): the top-left cell of the merge it belongs to."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return ws.cell(rng.min_row, rng.min_col).value
    return ws.cell(row, col).value


def merge_of(ws, row: int, col: int) -> str:
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return rng.coord
    return ""


# ---------------------------------------------------------------------- labels vs the oracle
VERSION_YEARS = {"2021": 2024, "2019": 2020}


@pytest.fixture(scope="module", params=sorted(VERSION_YEARS))
def versioned(request):
    version = request.param
    return version, load_workbook(io.BytesIO(build_workbook(year=VERSION_YEARS[version])))


def test_table3_labels_equal_the_oracle(versioned):
    version, wb = versioned
    o = official_labels()[version]["table3"]
    first = layout.addresses(version)["t3.new.natural"]
    ws = wb[first.sheet]
    assert ws.cell(1, 1).value == o["caption"]
    assert merged_value(ws, 2, 1) == o["corner_note"]
    assert merge_of(ws, 2, 1) == "A2:C4"  # corner note over 3 label columns × 3 header rows
    for j, labels in enumerate(o["columns"]):
        col = first.column + j
        header = [merged_value(ws, r, col) for r in range(2, first.row)]
        shown = list(dict.fromkeys(header))  # a label merged down appears once
        assert shown == [o["column_header"], *labels]
    assert ws.cell(first.row, first.column + len(o["columns"]) - 1).value.startswith("=SUM(")
    for i, labels in enumerate(o["rows"]):
        row = first.row + i
        shown = list(dict.fromkeys(merged_value(ws, row, c) for c in range(1, first.column)))
        assert shown == labels, row
    # nothing but the check rows below the last official row
    assert not str(merged_value(ws, first.row + len(o["rows"]), 1)).startswith(("一", "二", "三", "四"))


def test_table2_and_table4_labels_equal_the_oracle(versioned):
    version, wb = versioned
    o2 = official_labels()[version]["table2"]
    at = layout.addresses(version)
    ws = wb[at[next(k for k in at if k.startswith("t2."))].sheet]
    assert ws.cell(1, 1).value == o2["caption"]
    for block, rows in zip(o2["blocks"], layout.t2_block_rows(version), strict=True):
        assert merged_value(ws, rows.title, 1) == block["title"]
        assert [ws.cell(rows.header, 1 + j).value for j in range(len(block["columns"]))] == block["columns"]
        assert [ws.cell(rows.first + i, 1).value for i in range(len(block["rows"]))] == block["rows"]
    o4 = official_labels()[version]["table4"]
    first = at["t4.review.upheld"]
    ws = wb[first.sheet]
    assert ws.cell(1, 1).value == o4["caption"]
    for j, labels in enumerate(o4["columns"]):
        shown = list(dict.fromkeys(merged_value(ws, r, first.column + j) for r in range(2, first.row)))
        assert shown == labels


def test_headings_and_overview_subtopics(versioned):
    version, wb = versioned
    o = official_labels()[version]
    titles = [wb[s].cell(1, 1).value for s in layout.INPUT_SHEETS]
    # 一、五、六 head their sheets; 二、三、四 are the table captions (tested above)
    assert titles[0] == o["headings"][0] and titles[-2:] == o["headings"][-2:]
    at = layout.addresses(version)
    labels = [wb[a.sheet].cell(a.row, a.column - 1).value for k, a in at.items() if k.startswith("s1.")]
    for topic in o.get("overview_subtopics", []):
        assert any(label.endswith("）" + topic) for label in labels), topic


def test_table3_merges(wb):
    ws = wb[AT["t3.new.natural"].sheet]
    merges = {r.coord for r in ws.merged_cells.ranges}
    assert {"A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4"} <= merges
    assert "A5:C5" in merges and "A29:C29" in merges  # 一、 and 四、 span the label columns
    assert "A7:A28" in merges  # 三、本年度办理结果 over all result rows
    assert "B7:C7" in merges and "B28:C28" in merges  # （一） and （七）总计
    groups = {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}
    for label, n in groups.items():
        cell = next(c for row in ws.iter_rows(min_col=2, max_col=2) for c in row if c.value == label)
        rng = merge_of(ws, cell.row, 2)
        assert rng == f"B{cell.row}:B{cell.row + n - 1}", label


def test_every_total_is_a_locked_formula_and_every_input_unlocked(wb):
    for key, a in AT.items():
        c = wb[a.sheet][a.cell]
        cell = FMT.cells.get(key)
        if cell is not None and cell.total_of:
            assert isinstance(c.value, str) and c.value.startswith("=SUM("), key
            assert c.protection.locked, key
        else:
            assert not c.protection.locked, key
            assert c.fill.fgColor.rgb.endswith("FFF2CC"), key
    ws = wb[AT["t3.new.natural"].sheet]
    assert ws["J5"].value == "=SUM(D5:I5)" and ws["D28"].value == "=SUM(D7:D27)"
    # only input cells (and the cover's agency/year) are unlocked
    inputs = {(a.sheet, a.cell) for k, a in AT.items() if not (k in FMT.cells and FMT.cells[k].total_of)}
    inputs |= {(a.sheet, a.cell) for k, a in layout.COVER_CELLS.items() if k in ("agency", "year")}
    for name in [layout.COVER, *layout.INPUT_SHEETS]:
        for row in wb[name].iter_rows():
            for c in row:
                if not c.protection.locked and type(c).__name__ != "MergedCell":
                    assert (name, c.coordinate) in inputs, (name, c.coordinate)


def test_protection(wb):
    assert wb.security.lockStructure
    for ws in wb.worksheets:
        if ws.title in WRITABLE_SHEETS:
            assert not ws.protection.sheet, ws.title  # the add-in writes here
        else:
            assert ws.protection.sheet, ws.title
            assert ws.protection.password  # hashed
    assert len(PASSWORD) >= 4


def test_hidden_sheets(wb):
    states = {ws.title: ws.sheet_state for ws in wb.worksheets}
    for name in (layout.META, layout.PREVIOUS, layout.DRAFTS, layout.FLAGS):
        assert states[name] == "hidden"
    for name in (layout.COVER, *layout.INPUT_SHEETS, layout.RESULTS):
        assert states[name] == "visible"


def test_data_validation_per_type(wb):
    for key, a in AT.items():
        cell = FMT.cells.get(key)
        kind = cell.type if cell else (FMT.facts[key].type if key in FMT.facts else "text")
        if (cell and cell.total_of) or kind == "text":
            continue
        found = [dv for dv in wb[a.sheet].data_validations.dataValidation if a.cell in dv.sqref]
        assert len(found) == 1, key
        dv = found[0]
        assert dv.type == ("whole" if kind == COUNT else "decimal"), key
        assert dv.operator == "greaterThanOrEqual" and dv.formula1 == "0"
        assert dv.showErrorMessage and dv.errorStyle == "stop"
        assert re.search(r"[\u4e00-\u9fff]", dv.prompt) and re.search(r"[\u4e00-\u9fff]", dv.error)
        # Excel refuses (and "repairs" away) longer prompts and titles
        assert len(dv.prompt) <= 255 and len(dv.error) <= 255
        assert len(dv.promptTitle) <= 32 and len(dv.errorTitle) <= 32


def test_live_checks_and_their_red_format(wb):
    checks = live_checks("2021")
    assert len([c for c in checks if c.key.startswith("identity.")]) == 7
    assert len([c for c in checks if c.key.startswith("sum.row.t4")]) == 3
    for check in checks:
        ws = wb[check.address.sheet]
        assert ws[check.address.cell].value == check.formula
        rules = [r for rng in ws.conditional_formatting for r in rng.rules
                 if check.address.cell in str(rng.sqref).split()]
        assert any('="不平衡"' in f for r in rules for f in r.formula), check.key
    ident = next(c for c in checks if c.key == "identity.natural")
    assert ident.formula.startswith('=IF(COUNT(D5:D27,D29)<24,"未填写",IF((D5+D6)=(D28+D29)')
    status = wb[layout.COVER][layout.COVER_CELLS["status"].cell].value
    assert "处勾稽关系不平衡" in status and "勾稽关系全部平衡" in status


def test_every_input_cell_has_a_flag_highlight(wb):
    for key, a in AT.items():
        if key in FMT.cells and FMT.cells[key].total_of:
            continue
        ws = wb[a.sheet]
        flag = layout.flag_for("2021", key)
        hit = False
        for rng in ws.conditional_formatting:
            for cr in rng.sqref.ranges:
                if cr.min_row <= a.row <= cr.max_row and cr.min_col <= a.column <= cr.max_col:
                    for rule in rng.rules:
                        m = re.match(r"LEN\('_flags'!([A-Z]+)(\d+)\)>0", rule.formula[0])
                        if m:
                            # the formula is relative to the range's top-left cell
                            from openpyxl.utils import column_index_from_string

                            dc = column_index_from_string(m.group(1)) - cr.min_col
                            dr = int(m.group(2)) - cr.min_row
                            assert (a.row + dr, a.column + dc) == (flag.row, flag.column), key
                            hit = True
        assert hit, key


# ---------------------------------------------------------------------- names
def test_a_name_per_key(wb):
    names = wb.defined_names
    cell_like = re.compile(r"^[A-Za-z]{1,3}\d+$|^[Rr]\d*[Cc]\d*$")
    for key, a in AT.items():
        n = name_for(key)
        assert not cell_like.match(n)
        assert key_for(n) == ("value", key)
        assert names[n].attr_text == f"'{a.sheet}'!${layout.column_letter(a.column)}${a.row}", key
    for key in FMT.texts:
        assert name_for(key, "draft") in names
    for key in FMT.cells:
        assert name_for(key, "previous") in names
    for key in ("kind", "format", "tool", "disabled_rules"):
        assert name_for(key, "meta") in names


def test_print_setup(wb):
    ws3 = wb[AT["t3.new.natural"].sheet]
    assert ws3.page_setup.orientation == "landscape"
    assert int(ws3.page_setup.paperSize) == 9  # A4
    assert ws3.page_setup.fitToWidth == 1 and ws3.page_setup.fitToHeight == 0
    assert ws3.sheet_properties.pageSetUpPr.fitToPage
    assert ws3.print_title_rows == "$2:$4"
    assert ws3.column_dimensions["C"].width > ws3.column_dimensions["D"].width
    fonts = {ws3["C10"].font.name, ws3["D5"].font.name}
    assert fonts == {"宋体"}
    assert wb[AT["s5.text"].sheet][AT["s5.text"].cell].font.name == "仿宋"


# ---------------------------------------------------------------------- values and determinism
def test_filled_values(filled):
    from xxgk.examples import load_example

    ex = load_example()
    for key, a in AT.items():
        v = filled[a.sheet][a.cell].value
        if key in FMT.cells and FMT.cells[key].total_of:
            continue
        want = ex.value(key)
        assert (v if v is not None else ("" if key in FMT.texts else None)) == (
            want if not hasattr(want, "is_finite") else int(want)), key
    assert filled[layout.COVER]["C3"].value == ex.agency and filled[layout.COVER]["C4"].value == ex.year


def test_build_is_deterministic_and_the_committed_template_is_a_fresh_build():
    assert build_workbook() == build_workbook()
    assert TEMPLATE.is_file(), "run: python -m xxgk new workbook/政府信息公开年报模板-2021.xlsx"
    assert TEMPLATE.read_bytes() == build_workbook(), (
        "the committed template is stale: rm it and run python -m xxgk new workbook/政府信息公开年报模板-2021.xlsx")


def test_write_workbook_never_overwrites(tmp_path):
    from xxgk.errors import InputError

    p = write_workbook(tmp_path / "a.xlsx", year=2024, agency="某局")
    with pytest.raises(InputError, match="已存在"):
        write_workbook(p)
    assert write_workbook(p, overwrite=True) == p


def test_text_starting_with_equals_stays_text(example):
    example.texts["s5.text"] = "=1+1 不是公式"
    wb = load_workbook(io.BytesIO(build_workbook(example)))
    a = AT["s5.text"]
    assert wb[a.sheet][a.cell].value == "=1+1 不是公式" and wb[a.sheet][a.cell].data_type == "s"


# ---------------------------------------------------------------------- what Excel shows
def _dxfs(xlsx: bytes) -> list:
    import zipfile

    from lxml import etree

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        root = etree.fromstring(z.read("xl/styles.xml"))
    return root.findall("m:dxfs/m:dxf", ns), ns


@pytest.mark.parametrize("which", ["template", "new", "prefilled", "demo", "format-2019"])
def test_conditional_fills_show_in_excel(which):
    """Excel takes a conditional format's solid fill from bgColor, LibreOffice from fgColor: a
    dxf fill with fgColor only is invisible in Excel. The flag style must change the font too."""
    from written import workbooks

    dxfs, ns = _dxfs(workbooks()[which])
    assert dxfs
    fills = 0
    for i, dxf in enumerate(dxfs):
        for pf in dxf.findall("m:fill/m:patternFill", ns):
            if pf.get("patternType", "solid") == "solid":
                fg, bg = pf.find("m:fgColor", ns), pf.find("m:bgColor", ns)
                assert bg is not None, f"dxf {i}: solid fill without bgColor"
                assert fg is None or fg.attrib == bg.attrib, f"dxf {i}: fgColor and bgColor differ"
                fills += 1
    assert fills >= 2  # the red 不平衡 and the orange flag
    flag_rgb = "00" + S.FLAG_FILL.fgColor.rgb[-6:]
    flag = [d for d in dxfs if d.find(f"m:fill/m:patternFill/m:bgColor[@rgb='{flag_rgb}']", ns) is not None]
    assert len(flag) == 1, "the orange flag style"
    font = flag[0].find("m:font", ns)
    assert font is not None, "the flag style has no font part: a flagged cell shows nothing in Excel"
    assert font.find("m:b", ns) is not None and font.find("m:color", ns) is not None


def test_table3_print_area_includes_the_note(wb):
    note = AT["s3.note"]
    ws = wb[note.sheet]
    ref = ws.print_area
    last_row = int(re.findall(r"\$(\d+)$", ref.split(":")[-1])[0])
    assert last_row >= note.row, f"print area {ref} stops above the note row {note.row}"


def test_sheet_protection_forbids_objects_and_scenarios_like_excel(wb):
    for ws in wb.worksheets:
        if ws.protection.sheet:
            assert ws.protection.objects and ws.protection.scenarios, ws.title


@pytest.mark.parametrize("where", ["text", "draft", "previous", "agency"])
def test_a_text_over_excels_cell_limit_is_refused(example, where):
    """Excel cells hold at most 32,767 characters; a longer one makes Excel repair the file."""
    from xxgk.errors import InputError
    from xxgk.examples import load_example

    long = "长" * 32768
    previous = None
    if where == "text":
        example.texts["s5.text"] = long
    elif where == "draft":
        example.drafts["s5.text"] = long
    elif where == "previous":
        previous = load_example()
        previous.texts["s5.text"] = long
    else:
        example.agency = long
    with pytest.raises(InputError) as err:
        build_workbook(example, previous=previous)
    msg = err.value.message
    assert "32767" in msg and "32768" in msg
    if where != "agency":
        assert FMT.texts["s5.text"].label in msg
    if where == "text":
        assert f"{AT['s5.text'].sheet}!{AT['s5.text'].cell}" in msg
    example.texts["s5.text"] = "长" * 32767  # the limit itself is fine
    example.drafts.pop("s5.text", None)
    example.agency = "某局"
    assert build_workbook(example)


# ---------------------------------------------------------------------- cached formula results
def _formula_cells(xlsx: bytes):
    """(sheet, cell, formula, cached value) of every formula cell, read as a previewer does."""
    formulas = load_workbook(io.BytesIO(xlsx))
    cached = load_workbook(io.BytesIO(xlsx), data_only=True)
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    yield ws.title, c.coordinate, c.value, cached[ws.title][c.coordinate].value


@pytest.mark.parametrize("which", ["template", "prefilled", "format-2019"])
def test_every_formula_stores_its_result(which):
    """Phone and mail previewers show a formula's stored result, not a recalculation: every
    formula carries one, and the totals are the sums of their parts."""
    import zipfile

    from lxml import etree

    from written import workbooks

    data = workbooks()[which]
    m = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    stored = 0
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for part in (n for n in z.namelist() if n.startswith("xl/worksheets/")):
            for c in etree.fromstring(z.read(part)).iter(f"{m}c"):
                if c.find(f"{m}f") is not None:
                    v = c.find(f"{m}v")
                    # an empty <v> is a stored result only for text (the checks' "" when fine)
                    assert v is not None and (v.text or c.get("t") == "str"), (part, c.get("r"))
                    stored += 1
    cells = list(_formula_cells(data))
    assert stored == len(cells) > 50
    if which == "prefilled":
        from xxgk.examples import load_example

        ex = load_example()
        got = {(s, c): v for s, c, _, v in cells}
        for key, cell in FMT.cells.items():
            if cell.total_of:
                assert got[(AT[key].sheet, AT[key].cell)] == ex.cells[key], key
        status = got[(layout.COVER, layout.COVER_CELLS["status"].cell)]
        assert status == "勾稽关系全部平衡；表格已全部填写"

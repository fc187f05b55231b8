"""Export without external programs: the .docx's GB/T 9704 settings in its XML, the .html's
structure and table headers, the .json round trip, refusal on 错误, and bad output places."""

from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from fixtures import huaian_2024
from oracle import official_labels
from xxgk import narrative
from xxgk.cli import main
from xxgk.examples import load_example
from xxgk.export import ExportRefused, default_stem, export
from xxgk.export import docx as docx_export
from xxgk.export import html as html_export
from xxgk.report import Report, dump_json, load_json
from xxgk.values import format_value

MM = 1440 / 25.4  # twips per millimetre


@pytest.fixture(scope="module")
def huaian() -> Report:
    report = huaian_2024()
    for key in narrative.generated_keys(report.spec):
        report.texts[key] = ""
    return narrative.regenerate(report)[0]


# ------------------------------------------------------------------ .docx
@pytest.fixture(scope="module")
def doc(huaian: Report, tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("docx") / "r.docx"
    path.write_bytes(docx_export.render(huaian))
    return Document(str(path))


def test_docx_page_setup_is_gbt9704(doc) -> None:
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"
    assert b"linesAndChars" not in doc.element.xml.encode()


def test_docx_fonts_sizes_and_spacing(doc) -> None:
    def fonts(style):
        rf = style.element.rPr.find(qn("w:rFonts"))
        return rf.get(qn("w:eastAsia")), rf.get(qn("w:eastAsiaTheme"))

    normal = doc.styles["Normal"]
    assert fonts(normal) == ("仿宋", None) and normal.font.size.pt == 16
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95)
    assert normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    assert fonts(doc.styles["Title"])[0] == "方正小标宋简体" and doc.styles["Title"].font.size.pt == 22
    assert fonts(doc.styles["Heading 1"])[0] == "黑体"
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == official_labels()["2021"]["headings"]
    # （一）…（五） start in 楷体; the rest of the paragraph is body text.
    subs = [p for p in doc.paragraphs if p.text.startswith("（")]
    assert [p.text[:3] for p in subs] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    for p in subs:
        assert p.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "楷体"
    assert subs[0].runs[0].text == "（一）主动公开情况。"


def test_docx_tables_grid_widths_merges_and_headers(doc, huaian: Report) -> None:
    t2, t3, t4 = doc.tables
    for table in (t2, t3, t4):
        cols = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(cols) == pytest.approx(156 * MM, abs=8)  # the type area: 156 mm
        for p in table._tbl.iter(qn("w:p")):
            assert p.find(qn("w:pPr")).find(qn("w:snapToGrid")).get(qn("w:val")) == "0"
    assert len(t3._tbl.tblGrid.findall(qn("w:gridCol"))) == 10
    header_rows = [tr for tr in t3._tbl.tr_lst if tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None]
    assert len(header_rows) == 3
    # The corner note spans 3 label columns and 3 header rows; 申请人情况 spans the 7 data columns.
    first = t3._tbl.tr_lst[0].tc_lst
    assert first[0].grid_span == 3 and first[1].grid_span == 7
    assert "勾稽关系" in t3.cell(0, 0).text and t3.cell(0, 3).text == "申请人情况"
    assert t3.cell(0, 0)._tc is t3.cell(2, 2)._tc  # one merged cell
    # Every figure in its row and column.
    fmt = huaian.spec
    table = fmt.tables["t3"]
    for i, row in enumerate(table.rows):
        for j, col in enumerate(table.columns):
            assert t3.cell(3 + i, 3 + j).text == format_value(huaian.cells[f"t3.{row.key}.{col.key}"])
    assert [c.text for c in t4.rows[3].cells] == [format_value(huaian.cells[f"t4.{c.key}"]) for c in fmt.tables["t4"].columns]
    texts = {c.text for t in (t2, t3, t4) for r in t.rows for c in r.cells}
    oracle = official_labels()["2021"]
    assert {lab for r in oracle["table3"]["rows"] for lab in r} <= texts
    assert {lab for c in oracle["table3"]["columns"] for lab in c} <= texts
    assert {b["title"] for b in oracle["table2"]["blocks"]} <= texts


def test_docx_page_numbers_odd_right_even_left(doc) -> None:
    assert doc.settings.odd_and_even_pages_header_footer
    s = doc.sections[0]
    for footer, align in ((s.footer, "right"), (s.even_page_footer, "left")):
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert " PAGE " in xml and p.text.startswith("— ") and p.text.endswith(" —")
        assert p._p.pPr.find(qn("w:jc")).get(qn("w:val")) == align
        assert p.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
        assert p.runs[0].font.size.pt == 14


# ------------------------------------------------------------------ .html
class _Table(HTMLParser):
    """Cells of every table, with their position resolved through rowspan/colspan."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[dict]] = {}
        self.current: str | None = None
        self.row = -1
        self.taken: set[tuple[int, int]] = set()
        self.cell: dict | None = None
        self.starts: list[str] = []
        self.captions: dict[str, str] = {}
        self.in_caption = False
        self.lang = None
        self.headings: list[tuple[str, str]] = []
        self.heading: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.starts.append(tag)
        if tag == "html":
            self.lang = a.get("lang")
        if tag in ("h1", "h2", "h3"):
            self.heading = [tag, ""]
        if tag == "table":
            self.current, self.row, self.taken = a["id"], -1, set()
            self.tables[self.current] = []
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr":
            self.row += 1
        elif tag in ("td", "th"):
            col = 0
            while (self.row, col) in self.taken:
                col += 1
            rs, cs = int(a.get("rowspan", 1)), int(a.get("colspan", 1))
            for r in range(self.row, self.row + rs):
                for c in range(col, col + cs):
                    self.taken.add((r, c))
            self.cell = {"tag": tag, "row": self.row, "col": col, "rs": rs, "cs": cs, "text": "", **a}
            self.tables[self.current].append(self.cell)

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.cell = None
        elif tag == "caption":
            self.in_caption = False
        elif tag in ("h1", "h2", "h3") and self.heading:
            self.headings.append(tuple(self.heading))
            self.heading = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data
        if self.in_caption:
            self.captions[self.current] = self.captions.get(self.current, "") + data
        if self.heading is not None:
            self.heading[1] += data


@pytest.fixture(scope="module")
def page(huaian: Report) -> tuple[str, _Table]:
    html = html_export.render(huaian).decode("utf-8")
    parsed = _Table()
    parsed.feed(html)
    return html, parsed


def test_html_structure(page) -> None:
    html, p = page
    assert p.lang == "zh-CN"
    assert [t for t, _ in p.headings].count("h1") == 1
    assert [h for t, h in p.headings if t == "h2"] == official_labels()["2021"]["headings"]
    assert [h[:3] for t, h in p.headings if t == "h3"] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert p.captions == {"t2": "表二 主动公开政府信息情况", "t3": "表三 收到和处理政府信息公开申请情况",
                          "t4": "表四 政府信息公开行政复议、行政诉讼情况"}
    # Self-contained: no script, no external file of any kind.
    for bad in ("<script", "<link", "src=", "href=", "@import", "url("):
        assert bad not in html
    assert "@media print" in html and "@page" in html
    ids = [c["id"] for t in p.tables.values() for c in t if c["tag"] == "th"]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("table", ["t2", "t3", "t4"])
def test_html_every_data_cell_names_its_row_and_column_headers(page, table: str) -> None:
    """Independent of the exporter's own grid: from the cells' positions, the headers of a data
    cell are the row headers to its left in its row and the column headers above it."""
    _, p = page
    cells = p.tables[table]
    ths = [c for c in cells if c["tag"] == "th"]
    data = [c for c in cells if c["tag"] == "td" and c.get("class") != "corner"]
    assert data

    def covers(th, row, col):
        return th["row"] <= row < th["row"] + th["rs"] and th["col"] <= col < th["col"] + th["cs"]

    for td in data:
        named = set(td["headers"].split())
        row_headers = {th["id"] for th in ths if th["col"] < td["col"] and covers(th, td["row"], th["col"])
                       and th["scope"] in ("row", "rowgroup")}
        col_headers = {th["id"] for th in ths if th["row"] < td["row"] and covers(th, th["row"], td["col"])
                       and th["scope"] in ("col", "colgroup")}
        # 表二's block title and 信息内容 head sit above the row label column only.
        col_headers |= {th["id"] for th in ths if th["row"] < td["row"] and th["scope"] == "colgroup"
                        and covers(th, th["row"], td["col"])}
        if table == "t2":
            col_headers = {h for h in col_headers if not h.endswith("-head")}
            # Only the nearest block above applies.
            nearest = max((th for th in ths if th["id"] in col_headers and th["scope"] == "colgroup"),
                          key=lambda th: th["row"])
            col_headers = {h for h in col_headers if not h.startswith("t2-b") or h.startswith(nearest["id"])}
        assert col_headers and (row_headers or table == "t4"), td  # 表四 has one unlabelled row
        assert named == row_headers | col_headers, (td, named ^ (row_headers | col_headers))


def test_html_t3_has_three_header_levels_each_way_and_the_figures(page, huaian: Report) -> None:
    _, p = page
    t3 = p.tables["t3"]
    fmt = huaian.spec
    td = next(c for c in t3 if c.get("headers", "").startswith("t3-r-results-withheld-secret") and c["col"] == 4)
    assert td["headers"].split() == ["t3-r-results-withheld-secret", "t3-r-results-withheld", "t3-r-results",
                                     "t3-c-commercial", "t3-cg2", "t3-cg1"]
    data = [c for c in t3 if c["tag"] == "td" and c.get("class") != "corner"]
    table = fmt.tables["t3"]
    expected = [format_value(huaian.cells[f"t3.{r.key}.{c.key}"]) for r in table.rows for c in table.columns]
    assert [c["text"] for c in sorted(data, key=lambda c: (c["row"], c["col"]))] == expected


def test_html_placeholders_are_marked_never_none() -> None:
    r = load_example()
    r.facts["proactive.items"] = None
    for key in narrative.generated_keys(r.spec):
        r.texts[key] = ""
    r, _ = narrative.regenerate(r)
    html = html_export.render(r).decode("utf-8")
    assert "<mark>【待填写：本年主动公开政府信息条数】</mark>" in html
    assert "None" not in html
    assert "None" not in "".join(p.text for p in docx_export.build(r).paragraphs)


# ------------------------------------------------------------------ export(): refusal, files
def test_export_writes_all_three_and_json_round_trips(huaian: Report, tmp_path: Path) -> None:
    paths = export(huaian, "docx,html,json", tmp_path)
    assert [p.suffix for p in paths] == [".docx", ".html", ".json"]
    assert all(p.name.startswith("淮安市人民政府2024年政府信息公开工作年度报告") for p in paths)
    back = load_json(paths[2])
    assert back.cells == huaian.cells and back.texts == huaian.texts and back.drafts == huaian.drafts
    assert not paths.forced and not [f for f in paths.findings if f.is_error]


def test_export_refuses_a_report_with_errors_and_lists_them(huaian: Report, tmp_path: Path) -> None:
    bad = huaian_2024()
    bad.cells["t3.new.natural"] += 5
    with pytest.raises(ExportRefused) as exc:
        export(bad, ["docx"], tmp_path / "out")
    msg = exc.value.message
    assert "未导出" in msg and "T3-IDENTITY" in msg and "T3-ROW-TOTAL" in msg and "--force" in msg
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    forced = export(bad, ["docx", "html"], tmp_path / "out", force=True)
    assert forced.forced and len(forced) == 2


def test_existing_files_are_never_overwritten(huaian: Report, tmp_path: Path) -> None:
    first = export(huaian, ["html", "json"], tmp_path)
    before = [p.read_bytes() for p in first]
    second = export(huaian, ["html", "json"], tmp_path)
    assert [p.name for p in second] == [f"{default_stem(huaian)} (2).html", f"{default_stem(huaian)} (2).json"]
    assert [p.read_bytes() for p in first] == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~")]  # no temp files left


def test_agency_names_become_safe_file_names() -> None:
    r = load_example()
    r.agency = '某市/某局:"测试"'
    assert default_stem(r) == "某市某局测试2024年政府信息公开工作年度报告"
    r.agency = ""
    assert default_stem(r).startswith("未填写机关名称")


# ------------------------------------------------------------------ the CLI
def test_cli_export_refuses_lists_and_exits_1(tmp_path: Path, capsys) -> None:
    bad = huaian_2024()
    bad.cells["t4.review.upheld"] += 1
    src = dump_json(bad, tmp_path / "bad.json")
    assert main(["export", str(src), "--to", "docx,html", "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "T4-GROUP-SUM" in err and "未导出" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert main(["export", str(src), "--to", "html", "-o", str(tmp_path / "out"), "--force"]) == 0
    out = capsys.readouterr().out
    assert "强制导出" in out and "已导出网页" in out


def test_cli_export_default_folder_and_input_kept(tmp_path: Path, capsys) -> None:
    report = load_example()
    src = dump_json(report, tmp_path / f"{default_stem(report)}.json")
    original = src.read_bytes()
    assert main(["export", str(src), "--to", "json,html"]) == 0
    assert src.read_bytes() == original
    names = sorted(p.name for p in tmp_path.iterdir())
    assert f"{default_stem(report)} (2).json" in names and f"{default_stem(report)}.html" in names


def test_cli_export_bad_arguments_and_places(tmp_path: Path, capsys) -> None:
    src = dump_json(load_example(), tmp_path / "r.json")
    assert main(["export", str(src), "--to", "pdf"]) == 2
    assert "不支持导出为“pdf”" in capsys.readouterr().err
    afile = tmp_path / "a-file.txt"
    afile.write_text("x")
    assert main(["export", str(src), "-o", str(afile)]) == 2
    assert "是一个文件，不是文件夹" in capsys.readouterr().err
    assert main(["export", str(src), "-o", str(afile / "sub")]) == 2
    assert "无法创建导出文件夹" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "missing.json")]) == 2
    assert "找不到文件" in capsys.readouterr().err


def test_cli_export_unwritable_folder(tmp_path: Path, capsys) -> None:
    src = dump_json(load_example(), tmp_path / "r.json")
    if os.geteuid() == 0:
        target = Path("/proc")  # root may write anywhere else; nobody can create files in /proc
    else:  # pragma: no cover - developers' machines
        target = tmp_path / "ro"
        target.mkdir()
        target.chmod(0o500)
    assert main(["export", str(src), "--to", "html", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "无法在文件夹" in err and "请检查权限或换一个位置" in err
    assert "Traceback" not in err


def test_cli_demo_writes_four_files_and_never_overwrites(tmp_path: Path, capsys) -> None:
    out = tmp_path / "示例"
    assert main(["demo", str(out)]) == 0
    printed = capsys.readouterr().out
    files = sorted(p.suffix for p in out.iterdir())
    assert files == [".docx", ".html", ".json", ".xlsx"]
    assert "可以导出（错误 0 处" in printed and "FACT-BLANK" in printed
    for p in out.iterdir():
        assert str(p) in printed
    report = load_json(next(out.glob("*.json")))
    assert "本机关未收到政府信息公开申请" in report.texts["s1.requests"]
    assert report.texts["s1.management"] == load_example().texts["s1.management"]
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert main(["demo", str(out)]) == 0
    assert len(list(out.iterdir())) == 8
    assert all((out / n).read_bytes() == b for n, b in before.items())
    data = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert data["agency"] == "保定市科学技术局"


def test_docx_property_elements_are_in_schema_order(huaian: Report, tmp_path: Path) -> None:
    """Word rejects out-of-order properties (LibreOffice does not): check every part we write."""
    import zipfile

    from lxml import etree

    from xxgk.export.docx import ORDER

    path = tmp_path / "r.docx"
    path.write_bytes(docx_export.render(huaian))
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")]
        checked = 0
        for name in parts:
            root = etree.fromstring(z.read(name))
            for parent, seq in ORDER.items():
                rank = {qn(t): i for i, t in enumerate(seq)}
                for el in root.iter(qn(parent)):
                    positions = [rank[c.tag] for c in el if c.tag in rank]
                    assert positions == sorted(positions), (name, parent, [c.tag for c in el])
                    unknown = [c.tag for c in el if c.tag not in rank and parent != "w:rPr"]
                    assert not unknown or parent == "w:pPr", (name, parent, unknown)
                    checked += 1
    assert checked > 500


def test_cli_export_from_a_workbook_with_generate(tmp_path: Path, capsys) -> None:
    from xxgk.workbook import write_workbook

    report = load_example()
    for key in narrative.generated_keys(report.spec):
        report.texts[key] = ""
    book = write_workbook(tmp_path / "年报.xlsx", report)
    # Without --generate 六 is empty (its only text is the generated fee statement): refused.
    assert main(["export", str(book), "--to", "json", "-o", str(tmp_path / "a")]) == 1
    assert "FORM-S6-EMPTY" in capsys.readouterr().err
    assert main(["export", str(book), "--to", "json,docx", "-o", str(tmp_path / "b"), "--generate"]) == 0
    out = capsys.readouterr().out
    assert "可以导出" in out and "已导出Word 文档" in out
    exported = load_json(next((tmp_path / "b").glob("*.json")))
    assert exported.texts["s6.fees"] == exported.drafts["s6.fees"] and "未收取信息处理费" in exported.texts["s6.fees"]


def test_an_unwritten_sub_part_shows_as_a_gap_not_a_bare_number() -> None:
    r = load_example()
    r.texts["s1.management"] = ""
    paragraphs = [p.text for p in docx_export.build(r).paragraphs]
    assert "（三）政府信息管理。【待填写】" in paragraphs
    html = html_export.render(r).decode("utf-8")
    assert "<h3>（三）政府信息管理</h3>" in html and "<mark>【待填写】</mark>" in html

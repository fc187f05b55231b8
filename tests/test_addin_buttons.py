"""The Python side of every ribbon button, run through xlwings' own API.

``xw.Book(json=payload)`` is xlwings' remote engine: the same ``Book``/``Sheet``/``Range`` calls a
desktop click makes through COM, recorded as actions instead of sent to Excel. The payload's
sheets are a workbook built by ``build_workbook`` (what ``xxgk new`` writes), read with openpyxl.
Every test checks the recorded actions: what was written where, that every write lands on an
unlocked cell (or a sheet the workbook leaves unprotected), and the Chinese alert.

The remote engine is licence-gated: ``XLWINGS_LICENSE_KEY=noncommercial`` is set here, in the
tests only (the product's desktop path is the BSD COM engine and needs no key).
"""

from __future__ import annotations

import copy
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from xxgk import layout
from xxgk.addin import dispatch
from xxgk.addin.buttons import Outcome
from xxgk.examples import load_example
from xxgk.report import Report, dump_json
from xxgk.workbook import build_workbook
from xxgk.workbook.names import name_for

BOOK_NAME = "保定市科学技术局2024年政府信息公开工作年度报告.xlsx"


@pytest.fixture(scope="module", autouse=True)
def remote_engine() -> Iterator[None]:
    old = os.environ.get("XLWINGS_LICENSE_KEY")
    os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
    import xlwings as xw

    if "remote" not in [e.name for e in xw.engines]:  # xlwings was imported before the key was set
        from xlwings.pro import _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))
    yield
    if old is None:
        os.environ.pop("XLWINGS_LICENSE_KEY", None)
    else:
        os.environ["XLWINGS_LICENSE_KEY"] = old


class Excel:
    """A built workbook, its openpyxl view (for the lock check) and an xlwings remote Book on it."""

    def __init__(self, report: Report | Path | None, name: str = BOOK_NAME, edit=None, floats: bool = False) -> None:
        import xlwings as xw

        if isinstance(report, Path):  # a workbook file, e.g. written by `xxgk new`
            self.wb = openpyxl.load_workbook(report)
        else:
            self.wb = openpyxl.load_workbook(io.BytesIO(build_workbook(report, year=None if report else 2024)))
        if edit:
            edit(self.wb)
        self.payload = payload(self.wb, name)
        if floats:  # the COM engine hands every number over as a float
            for sheet in self.payload["sheets"]:
                sheet["values"] = [[float(v) if isinstance(v, int) and not isinstance(v, bool) else v
                                    for v in row] for row in sheet["values"]]
        self.book = xw.Book(json=copy.deepcopy(self.payload))

    def run(self, tag: str, **options: Any) -> Outcome:
        outcome = dispatch(tag, self.book, **options)
        self.check_writes()
        return outcome

    @property
    def actions(self) -> list[dict[str, Any]]:
        return self.book.json()["actions"]

    def writes(self, raw: bool = False) -> dict[tuple[str, int, int], Any]:
        """Every cell written, (sheet, row, column) 1-based → value (the last write wins), as
        the cell then holds it: Excel takes a leading apostrophe as "text", not as content
        (``raw`` keeps it)."""
        out: dict[tuple[str, int, int], Any] = {}
        for a in self.actions:
            if a["func"] != "setValues":
                continue
            sheet = self.wb.worksheets[a["sheet_position"]].title
            for i, row in enumerate(a["values"]):
                for j, v in enumerate(row):
                    if not raw and isinstance(v, str) and v.startswith("'"):
                        v = v[1:]
                    out[(sheet, a["start_row"] + 1 + i, a["start_column"] + 1 + j)] = v
        return out

    def check_writes(self) -> None:
        allowed_funcs = {"setValues", "alert", "activateSheet"}
        assert {a["func"] for a in self.actions} <= allowed_funcs, self.actions
        for (sheet, r, c) in self.writes():
            ws = self.wb[sheet]
            assert not ws.protection.sheet or ws.cell(r, c).protection.locked is False, \
                f"write to locked cell {sheet}!{ws.cell(r, c).coordinate}"

    def applied(self) -> Excel:
        """A new Excel on the payload with this one's writes applied, as Excel would hold it
        after the click (the next click reads that)."""
        import xlwings as xw

        data = copy.deepcopy(self.payload)
        for (sheet, r, c), v in self.writes().items():
            values = next(s for s in data["sheets"] if s["name"] == sheet)["values"]
            while len(values) < r:
                values.append([])
            values[r - 1].extend([None] * (c - len(values[r - 1])))
            values[r - 1][c - 1] = None if v == "" else v
        nxt = copy.copy(self)
        nxt.payload = data
        nxt.book = xw.Book(json=copy.deepcopy(data))
        return nxt

    def alerts(self) -> list[list[Any]]:
        return [a["args"] for a in self.actions if a["func"] == "alert"]

    def at(self, key: str) -> layout.Address:
        return layout.addresses("2021")[key]


def payload(wb: openpyxl.Workbook, name: str) -> dict[str, Any]:
    """The JSON xlwings' Office.js client sends: values per sheet from A1, names with addresses.
    Formula cells carry no computed value here (openpyxl computes nothing); the reader
    recomputes totals and never trusts them."""
    def values(ws) -> list[list[Any]]:
        rows = [[None if isinstance(v, str) and v.startswith("=") else v for v in row]
                for row in ws.iter_rows(values_only=True)]
        return rows or [[]]

    names = []
    for n, d in wb.defined_names.items():
        dest = list(d.destinations)
        if len(dest) != 1:
            continue
        sheet, cell = dest[0]
        names.append({"name": n, "sheet_index": wb.sheetnames.index(sheet), "address": cell.replace("$", ""),
                      "book_scope": True, "scope_sheet_index": None, "scope_sheet_name": None,
                      "refers_to": "=" + d.attr_text})
    return {
        "client": "Office.js", "version": "0.0.0",
        "book": {"name": name, "active_sheet_index": 0, "selection": "A1"},
        "names": names,
        "sheets": [{"name": ws.title, "values": values(ws), "pictures": [], "tables": [], "charts": [],
                    "shapes": [], "pivot_tables": []} for ws in wb.worksheets],
    }


def broken() -> Report:
    """The example with 表三's identity broken in one column and one 表四 cell left blank."""
    report = load_example()
    report.cells["t3.new.natural"] = (report.cells["t3.new.natural"] or 0) + 5
    report.cells["t4.review.upheld"] = None
    return report


def flag_cells(excel: Excel) -> dict[tuple[int, int], Any]:
    return {(r, c): v for (s, r, c), v in excel.writes().items() if s == layout.FLAGS and r > 1}


# ------------------------------------------------------------------------- 校验
def clean() -> Report:
    report = load_example()
    report.facts["proactive.press_conferences"] = 0  # the example's one blank (a 提示)
    return report


def test_validate_clean_report_writes_results_and_clears_flags() -> None:
    excel = Excel(clean())
    outcome = excel.run("validate")
    assert outcome.ok
    (alert,) = excel.alerts()
    assert alert[0].startswith("校验完成：可以导出（错误 0 处，提示 0 处）") and alert[1] == "信息公开年报助手"
    assert "未发现问题" in alert[0]
    assert all(v in (None, "") for v in flag_cells(excel).values())
    results = {(r, c): v for (s, r, c), v in excel.writes().items() if s == layout.RESULTS}
    assert results  # the results table was rewritten (old "尚未运行校验" note gone)
    assert min(r for r, _c in results) == 3  # the title and header rows stay
    assert any(a["func"] == "activateSheet" for a in excel.actions)


def test_blank_workbook_from_xxgk_new(tmp_path: Path) -> None:
    from xxgk.cli import main

    path = tmp_path / "某某局2024年年报.xlsx"
    assert main(["new", str(path), "--year", "2024", "--agency", "某某市某某局"]) == 0
    excel = Excel(path, name=path.name)
    outcome = excel.run("validate")
    assert outcome.ok and outcome.message.startswith("校验完成")
    results = [r for (s, r, c), v in excel.writes().items() if s == layout.RESULTS and c == 1 and v not in (None, "")]
    flags = [v for v in flag_cells(excel).values() if v]
    assert len(results) > 10 and len(flags) > 10  # every blank input is a finding and a flag
    outcome = excel.run("narrative")
    texts = [v for (s, r, c), v in excel.writes().items()
             if s in layout.INPUT_SHEETS and isinstance(v, str) and len(v) > 20]
    assert outcome.ok and texts and any("【待填写" in t for t in texts)


def test_numbers_as_floats_read_the_same() -> None:
    excel = Excel(clean(), floats=True)
    outcome = excel.run("validate")
    assert outcome.ok and "错误 0 处，提示 0 处" in outcome.message


def test_validate_lists_findings_with_links_and_flags_the_cells() -> None:
    excel = Excel(broken())
    outcome = excel.run("validate")
    from xxgk.rules import check
    from xxgk.workbook.reader import read_workbook

    assert outcome.ok
    rows = {}
    for (s, r, c), v in excel.writes().items():
        if s == layout.RESULTS and v not in (None, ""):
            rows.setdefault(r, {})[c] = v
    # The same findings the CLI would report on the saved workbook, in the same order.
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"xxgk-addin-{os.getpid()}.xlsx"
    excel.wb.save(path)
    try:
        expected = check(read_workbook(path))
    finally:
        path.unlink()
    assert [rows[r][3] for r in sorted(rows)] == [f.id for f in expected]
    by_id = {rows[r][3]: rows[r] for r in rows}
    ident = next(f for f in expected if f.is_error and "t3.new.natural" in f.cells)
    row = by_id[ident.id]
    assert row[2] == "错误" and row[4] == ident.message
    a = excel.at("t3.new.natural")
    assert f'=HYPERLINK("#\'{a.sheet}\'!{a.cell}","{a}")' in row.values()
    # Flags: every finding's input cells, by the workbook's own mirror mapping.
    flags = {k: v for k, v in flag_cells(excel).items() if v}
    fa = layout.flag_address(a.sheet, a.row, a.column)
    assert flags[(fa.row, fa.column)] == "错误"
    blank = excel.at("t4.review.upheld")
    fb = layout.flag_address(blank.sheet, blank.row, blank.column)
    assert flags[(fb.row, fb.column)] in ("错误", "提示")
    wanted = {(layout.flag_address(p.sheet, p.row, p.column).row, layout.flag_address(p.sheet, p.row, p.column).column)
              for f in expected for p in map(_parse, f.addresses) if p and p.sheet in layout.INPUT_SHEETS}
    assert set(flags) == wanted
    (alert,) = excel.alerts()
    assert "不可导出" in alert[0] and "请先改正全部“错误”" in alert[0]


def _parse(text: str):
    from xxgk.addin.bookio import parse_address

    return parse_address(text)


def test_fixing_a_cell_and_validating_again_clears_its_flag() -> None:
    import xlwings as xw

    excel = Excel(broken())
    excel.run("validate")
    a = excel.at("t3.new.natural")
    fa = layout.flag_address(a.sheet, a.row, a.column)
    assert flag_cells(excel)[(fa.row, fa.column)] == "错误"
    first = [v for (s, _r, c), v in excel.writes().items() if s == layout.RESULTS and c == 3 and v]
    assert any(i.startswith("T3-IDENTITY") for i in first), first
    after = excel.applied()
    # The user corrects the cell (back to the example's figure) and clicks 校验 again.
    values = next(s for s in after.payload["sheets"] if s["name"] == a.sheet)["values"]
    values[a.row - 1][a.column - 1] = load_example().cells["t3.new.natural"]
    after.book = xw.Book(json=copy.deepcopy(after.payload))
    after.run("validate")
    assert flag_cells(after)[(fa.row, fa.column)] in (None, "")
    ids = [v for (s, _r, c), v in after.writes().items() if s == layout.RESULTS and c == 3 and v]
    assert not any(i.startswith("T3-IDENTITY") for i in ids), ids


def test_validate_clears_stale_flags_and_old_results() -> None:
    def stale(wb):
        wb[layout.FLAGS]["C40"] = "错误"
        for r in range(3, 30):
            wb[layout.RESULTS].cell(r, 4, "旧的校验结果")

    excel = Excel(load_example(), edit=stale)
    excel.run("validate")
    written = excel.writes()
    assert written[(layout.FLAGS, 40, 3)] in (None, "")
    assert all(written[(layout.RESULTS, r, 4)] != "旧的校验结果" for r in range(3, 30))


def test_clear_flags_blanks_every_flag_and_touches_nothing_else() -> None:
    def flagged(wb):
        wb[layout.FLAGS]["D7"] = "错误"
        wb[layout.FLAGS]["AJ9"] = "提示"

    excel = Excel(load_example(), edit=flagged)
    outcome = excel.run("clear_flags")
    assert outcome.ok and "已清除 2 处标记" in outcome.message
    written = excel.writes()
    assert {s for s, _r, _c in written} == {layout.FLAGS}
    assert written[(layout.FLAGS, 7, 4)] in (None, "") and written[(layout.FLAGS, 9, 36)] in (None, "")
    assert all(r > 1 for _s, r, _c in written)  # the builder's captions in row 1 stay


# ------------------------------------------------------------------------- 生成说明
def test_narrative_fills_empty_texts_keeps_edited_ones_and_stores_drafts() -> None:
    report = load_example()
    report.texts["s4.note"] = ""  # empty: gets the draft
    report.texts["s1.proactive"] = "本机关今年主动公开工作由办公室统筹（人工撰写）。"  # edited: kept
    excel = Excel(report)
    outcome = excel.run("narrative")
    assert outcome.ok
    written = excel.writes()
    s4 = excel.at("s4.note")
    assert "2024年" in str(written[(s4.sheet, s4.row, s4.column)])
    edited = excel.at("s1.proactive")
    assert (edited.sheet, edited.row, edited.column) not in written
    drafts = {(r, c): v for (s, r, c), v in written.items() if s == layout.DRAFTS}
    assert drafts and any("主动公开" in str(v) for v in drafts.values())
    (alert,) = excel.alerts()
    assert "已保留原文" in alert[0] and "（一）主动公开" in alert[0]


def test_narrative_twice_changes_nothing_the_second_time() -> None:
    excel = Excel(load_example())
    excel.run("narrative")
    excel = excel.applied()  # as Excel holds it after the first click
    outcome = excel.run("narrative")
    assert outcome.ok and "写入 0 处" in outcome.message
    assert excel.writes() == {}


# ------------------------------------------------------------------------- 导出
def test_export_writes_files_next_to_a_chinese_folder(tmp_path: Path) -> None:
    folder = tmp_path / "二〇二四年 年报"
    folder.mkdir()
    excel = Excel(load_example())
    outcome = excel.run("export_all", folder=folder)
    assert outcome.ok, outcome.message
    assert sorted(p.suffix for p in folder.iterdir()) == [".docx", ".html", ".json"]
    assert str(folder) in excel.alerts()[0][0]
    assert excel.writes() == {}  # export never writes into the workbook
    exported = json.loads((folder / next(p.name for p in folder.iterdir() if p.suffix == ".json")).read_text("utf-8"))
    assert exported["agency"] == "保定市科学技术局" and exported["year"] == 2024


def test_export_refuses_on_errors_and_lists_them(tmp_path: Path) -> None:
    excel = Excel(broken())
    outcome = excel.run("export_docx", folder=tmp_path)
    assert not outcome.ok
    assert list(tmp_path.iterdir()) == []
    (alert,) = excel.alerts()
    assert "错误" in alert[0] and "未导出" in alert[0] and alert[3] == "critical"


def test_export_of_an_unsaved_workbook_says_save_first() -> None:
    excel = Excel(load_example())  # the remote engine knows no folder, like a never-saved book
    outcome = excel.run("export_json")
    assert not outcome.ok and "另存为" in outcome.message


def test_export_to_an_unwritable_folder_says_so(tmp_path: Path) -> None:
    excel = Excel(load_example())
    outcome = excel.run("export_json", folder=Path("/proc"))
    assert not outcome.ok
    assert "/proc" in outcome.message and "工作簿未作改动" in outcome.message
    assert "Traceback" not in outcome.message


# ------------------------------------------------------------------------- 导入上年数据
def previous_year(tmp_path: Path) -> Path:
    prev = load_example()
    prev.year = 2023
    for col in ("natural", "commercial", "research", "nonprofit", "legal", "other"):
        prev.cells[f"t3.forward.{col}"] = 2 if col == "natural" else 0
    return dump_json(prev, tmp_path / "2023年 年报.json")


def test_import_previous_fills_carried_blanks_and_the_previous_sheet(tmp_path: Path) -> None:
    report = load_example()
    for col in ("natural", "commercial", "research", "nonprofit", "legal", "other"):
        report.cells[f"t3.carried.{col}"] = None
    report.cells["t3.carried.commercial"] = 7  # already filled and different: kept, reported
    excel = Excel(report)
    outcome = excel.run("import_previous", path=previous_year(tmp_path))
    assert outcome.ok, outcome.message
    written = excel.writes()
    nat = excel.at("t3.carried.natural")
    assert written[(nat.sheet, nat.row, nat.column)] == 2
    com = excel.at("t3.carried.commercial")
    assert (com.sheet, com.row, com.column) not in written
    prev_cells = {(s, r, c): v for (s, r, c), v in written.items() if s == layout.PREVIOUS}
    year_ref = _name_address(excel, name_for("year", "previous"))
    assert prev_cells[year_ref] == 2023
    # "2021" typed into a cell becomes a number in Excel; the reader wants the format as text.
    fmt_ref = _name_address(excel, name_for("format", "previous"))
    assert excel.writes(raw=True)[fmt_ref] == "'2021" and prev_cells[fmt_ref] == "2021"
    assert "已填入“上年结转”5 处" in outcome.message and "未覆盖" in outcome.message


def test_import_previous_from_last_years_published_web_page(tmp_path: Path) -> None:
    """Last year's report as it was published on the portal (the exported .html), read back by
    the importer through the same read_report every command uses."""
    from xxgk.export import export

    prev = load_example()
    prev.year = 2023
    for col in ("natural", "commercial", "research", "nonprofit", "legal", "other"):
        prev.cells[f"t3.forward.{col}"] = 3 if col == "natural" else 0
    (page,) = export(prev, ["html"], tmp_path, force=True)
    report = load_example()
    report.cells["t3.carried.natural"] = None
    excel = Excel(report)
    outcome = excel.run("import_previous", path=page)
    assert outcome.ok, outcome.message
    nat = excel.at("t3.carried.natural")
    assert excel.writes()[(nat.sheet, nat.row, nat.column)] == 3


def test_imported_year_feeds_the_cross_year_rules(tmp_path: Path) -> None:
    report = load_example()
    for col in ("natural", "commercial", "research", "nonprofit", "legal", "other"):
        report.cells[f"t3.carried.{col}"] = None
    report.cells["t3.carried.commercial"] = 7  # last year carried 0 forward: a cross-year 错误
    excel = Excel(report)
    assert excel.run("import_previous", path=previous_year(tmp_path)).ok
    after = excel.applied()
    outcome = after.run("validate")
    ids = [v for (s, _r, c), v in after.writes().items() if s == layout.RESULTS and c == 3 and v]
    # Filled 上年结转 cells now agree with last year; the one kept 7 does not (and so its total).
    assert {i for i in ids if i.startswith("XY-CARRIED")} == {"XY-CARRIED:commercial", "XY-CARRIED:total"}
    assert "不可导出" in outcome.message


def _name_address(excel: Excel, name: str) -> tuple[str, int, int]:
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    sheet, cell = next(iter(excel.wb.defined_names[name].destinations))
    col, row = coordinate_from_string(cell.replace("$", ""))
    return sheet, row, column_index_from_string(col)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda d: (d / "坏文件.xlsx").write_bytes(b"PK\x03\x04 not really a zip") and d / "坏文件.xlsx", "无法读取上年文件"),
        (lambda d: (d / "坏文件.json").write_text("{\"year\": ", encoding="utf-8") and d / "坏文件.json", "不是有效的 JSON"),
        (lambda d: dump_json(load_example(), d / "同年.json"), "不是上一年度"),
        (lambda d: dump_json(Report.blank(2022, "某局"), d / "前年.json"), "请选择 2023 年度"),
        (lambda d: dump_json(Report.blank(2023, "某局", format="2019"), d / "旧格式.json"), "两版表格不同"),
        (lambda d: d / "不存在.json", "找不到文件"),
    ],
    ids=["broken-xlsx", "broken-json", "same-year", "two-years-ago", "other-format", "missing"],
)
def test_import_previous_refuses_bad_files_and_changes_nothing(tmp_path: Path, make, expected: str) -> None:
    excel = Excel(load_example())
    outcome = excel.run("import_previous", path=make(tmp_path))
    assert not outcome.ok
    assert expected in outcome.message and "工作簿未作改动" in outcome.message
    assert excel.writes() == {}
    assert excel.alerts()[0][3] == "critical"


def test_import_previous_without_a_file_dialog_points_to_the_cli() -> None:
    excel = Excel(load_example())
    outcome = excel.run("import_previous")  # the remote engine has no Open dialog (no .api)
    assert not outcome.ok and "xxgk check" in outcome.message


# ------------------------------------------------------------------------- bad input, errors
def test_a_workbook_that_is_not_ours_is_refused_in_chinese() -> None:
    import xlwings as xw

    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.active["A1"] = "随便一个表格"
    book = xw.Book(json=payload(wb, "别的表格.xlsx"))
    for tag in ("validate", "narrative", "export_json", "clear_flags"):
        outcome = dispatch(tag, book)
        assert not outcome.ok
        assert "不是本工具生成的" in outcome.message or "缺少工作表" in outcome.message
    assert {a["func"] for a in book.json()["actions"]} == {"alert"}


def test_an_older_workbook_without_the_flag_sheet_is_sent_to_xxgk_new() -> None:
    def old(wb):
        wb.remove(wb[layout.FLAGS])

    excel = Excel(load_example(), edit=old)
    for tag in ("validate", "clear_flags"):
        outcome = excel.run(tag)
        assert not outcome.ok and layout.FLAGS in outcome.message and "--from" in outcome.message
    assert excel.writes() == {}


def test_a_workbook_of_an_unknown_format_version_is_refused() -> None:
    def old(wb):
        ws = wb[layout.META]
        for row in ws.iter_rows(min_col=1, max_col=3):
            if row[0].value == "format":
                row[2].value = "2007"

    excel = Excel(load_example(), edit=old)
    outcome = excel.run("validate")
    assert not outcome.ok and "2007" in outcome.message and "格式" in outcome.message
    assert excel.writes() == {}


def test_an_internal_error_gives_the_log_path_and_writes_nothing(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XXGK_LOG_DIR", str(tmp_path / "日志"))

    def boom(*_a, **_k):
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr("xxgk.rules.check", boom)
    excel = Excel(load_example())
    outcome = excel.run("validate")
    assert not outcome.ok and outcome.log is not None
    assert str(outcome.log) in excel.alerts()[0][0] and "内部错误" in excel.alerts()[0][0]
    assert "ZeroDivisionError" in outcome.log.read_text(encoding="utf-8")
    assert "Traceback" not in excel.alerts()[0][0]
    assert excel.writes() == {}


def test_an_error_while_writing_says_what_may_be_incomplete(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XXGK_LOG_DIR", str(tmp_path))

    def refuse(*_a, **_k):
        raise OSError("the cell or chart you're trying to change is on a protected sheet")

    monkeypatch.setattr("xxgk.addin.buttons.apply_writes", refuse)
    excel = Excel(broken())
    outcome = excel.run("validate")
    assert not outcome.ok and "部分结果可能没有写全" in outcome.message and str(outcome.log) in outcome.message


def test_no_workbook_is_a_chinese_message() -> None:
    outcome = dispatch("validate")  # no Excel behind xw.Book.caller() here
    assert not outcome.ok and "没有找到要处理的工作簿" in outcome.message


def test_unknown_tag_is_a_chinese_message() -> None:
    excel = Excel(load_example())
    outcome = excel.run("format_c_drive")
    assert not outcome.ok and "xxgk addin install" in outcome.message


def test_help_shows_version_and_log_folder() -> None:
    from xxgk import __version__
    from xxgk.logs import log_dir

    excel = Excel(load_example())
    outcome = excel.run("help")
    assert __version__ in outcome.message and str(log_dir()) in outcome.message


def test_every_alert_is_chinese() -> None:
    excel = Excel(broken())
    for tag in ("validate", "clear_flags", "narrative", "help", "export_json"):
        excel.run(tag)
    for prompt, title, *_ in excel.alerts():
        assert title == "信息公开年报助手"
        assert sum("\u4e00" <= ch <= "\u9fff" for ch in prompt) > len(prompt) // 5, prompt


# ------------------------------------------------------------------------- UDFs
def test_udf_status_and_paragraph() -> None:
    from xxgk.addin.udf_core import paragraph, status

    excel = Excel(broken())
    assert status(excel.book).startswith("不可导出")
    assert status(Excel(load_example()).book).startswith("可以导出")
    assert "2024年" in paragraph(excel.book, "s4.note")
    assert "没有这段说明" in paragraph(excel.book, "nope")


def test_udfs_take_the_calling_cell() -> None:
    from xxgk.addin.udfs import XXGK_PARAGRAPH, XXGK_STATUS

    excel = Excel(broken())
    cell = excel.book.sheets[layout.COVER].range("E2")
    assert XXGK_STATUS(cell).startswith("不可导出")
    assert "2024年" in XXGK_PARAGRAPH("s4.note", cell)


def test_udf_on_a_foreign_workbook_answers_in_the_cell() -> None:
    import xlwings as xw

    from xxgk.addin.udf_core import status

    wb = openpyxl.Workbook()
    book = xw.Book(json=payload(wb, "别的表格.xlsx"))
    assert status(book).startswith("无法校验：")


# ------------------------------------------------------------------------- desktop dialogs
class DesktopBook:
    """The remote Book plus the two Excel dialogs the desktop offers through COM (``.api``):
    the folder picker (FileDialog) and the Open dialog (GetOpenFilename)."""

    def __init__(self, book: Any, chosen: Path | None) -> None:
        from types import SimpleNamespace

        self._book = book
        chosen_text = str(chosen) if chosen else None

        class Dialog:
            Title = ""

            def Show(self) -> int:
                return -1 if chosen_text else 0

            def SelectedItems(self, i: int) -> str:
                return chosen_text or ""

        api = SimpleNamespace(FileDialog=lambda kind: Dialog(),
                              GetOpenFilename=lambda *a: chosen_text if chosen_text else False)
        self.app = SimpleNamespace(api=api, alert=book.app.alert)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._book, name)


def test_export_of_an_unsaved_workbook_asks_for_a_folder(tmp_path: Path) -> None:
    excel = Excel(load_example())
    outcome = dispatch("export_json", DesktopBook(excel.book, tmp_path))
    assert outcome.ok, outcome.message
    assert [p.suffix for p in tmp_path.iterdir()] == [".json"]


def test_import_previous_through_the_open_dialog_and_cancel(tmp_path: Path) -> None:
    excel = Excel(load_example())
    cancelled = dispatch("import_previous", DesktopBook(excel.book, None))
    assert cancelled.ok and cancelled.message == "" and excel.writes() == {} and excel.alerts() == []
    chosen = dispatch("import_previous", DesktopBook(excel.book, previous_year(tmp_path)))
    assert chosen.ok and "2023 年度" in chosen.message
    excel.check_writes()

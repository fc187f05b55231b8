"""Rule switches (issue 10 item 2): a report file may switch off rules, but not 错误 of the table
arithmetic and table cells; only the person running the command can (--disable). Every run
(check/audit/export, text and JSON, the add-in's results sheet) says which rules were off and
who switched them off; the exported JSON records it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oracle import EXAMPLES
from test_addin_buttons import Excel, remote_engine  # noqa: F401  (the xlwings engine fixture)
from xxgk import layout
from xxgk.cli import main
from xxgk.examples import load_example
from xxgk.report import Report, dump_json
from xxgk.rules import CATALOGUE, catalogue
from xxgk.workbook import write_workbook

LOCKED = ["T3-IDENTITY", "T3-RESULT-SUM", "T3-ROW-TOTAL", "T4-GROUP-SUM", "CELL-BLANK", "CELL-TEXT"]


def broken() -> Report:
    """The example with 表三's identity broken in one column."""
    report = load_example()
    report.cells["t3.new.natural"] = (report.cells["t3.new.natural"] or 0) + 5
    return report


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_which_rules_a_file_may_switch_off_is_catalogue_data() -> None:
    rules = {r.id: r for r in catalogue()}
    assert "[switches]" in CATALOGUE.read_text(encoding="utf-8")
    assert not any(rules[i].file_may_disable for i in LOCKED)
    # 提示 of the same families, and prose/form rules, a file may switch off.
    assert rules["CELL-NORMALISED"].file_may_disable
    assert rules["TXT-T3-NEW"].file_may_disable and rules["FORM-TEXT-BLANK"].file_may_disable
    for r in rules.values():
        if r.check in ("equation", "sums") and r.severity.value == "error":
            assert not r.file_may_disable, r.id


def test_a_file_cannot_switch_off_table_arithmetic(capsys, tmp_path: Path) -> None:
    report = broken()
    report.disabled_rules = ["T3-IDENTITY", "T3-ROW-TOTAL", "XY-SAME-TEXT"]
    path = dump_json(report, tmp_path / "r.json")
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1 and "■ T3-IDENTITY" in out and "■ T3-ROW-TOTAL" in out
    assert "文件要求停用、但不能由文件停用的规则" in out and "T3-IDENTITY" in out.split("【错误】")[0]
    assert "XY-SAME-TEXT 正文与上年报告雷同（由文件停用）" in out
    code, out, _ = run(capsys, "check", str(path), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["errors"] >= 2
    assert [(s["rule"], s["by"]) for s in data["rules_off"]] == [("XY-SAME-TEXT", "file")]
    assert [(s["rule"], s["by"]) for s in data["rules_kept_on"]] == [("T3-IDENTITY", "file"), ("T3-ROW-TOTAL", "file")]
    # export goes no further without --force.
    code, _, err = run(capsys, "export", str(path), "-o", str(tmp_path / "out"))
    assert code == 1 and "未导出" in err and not list((tmp_path / "out").glob("*"))


def test_the_person_running_the_command_can_and_it_is_said(capsys, tmp_path: Path) -> None:
    report = broken()
    report.disabled_rules = ["FORM-TEXT-BLANK"]
    path = dump_json(report, tmp_path / "r.json")
    off = "T3-IDENTITY,T3-ROW-TOTAL"
    code, out, _ = run(capsys, "check", str(path), "--disable", off)
    assert code == 0 and "■ T3-IDENTITY" not in out
    head = out.split("【")[0]
    assert "T3-IDENTITY 表三勾稽关系" in head and "（由命令停用）" in head and "（由文件停用）" in head
    code, out, _ = run(capsys, "export", str(path), "--disable", off, "-o", str(tmp_path / "out"), "--to", "json")
    assert code == 0 and "停用的规则（未校验）：T3-IDENTITY" in out
    (exported,) = (tmp_path / "out").glob("*.json")
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["rules_off"] == [{"rule": "T3-IDENTITY", "by": "command"}, {"rule": "T3-ROW-TOTAL", "by": "command"},
                                 {"rule": "FORM-TEXT-BLANK", "by": "file"}]
    assert data["disabled_rules"] == ["FORM-TEXT-BLANK"]  # the command's switches do not become the file's
    # The exported file is still a report JSON the tool reads, and its errors come back.
    code, out, _ = run(capsys, "check", str(exported))
    assert code == 1 and "■ T3-IDENTITY" in out


def test_the_workbook_meta_cell_cannot_switch_off_table_arithmetic(capsys, tmp_path: Path) -> None:
    report = broken()
    report.disabled_rules = ["T3-IDENTITY"]
    path = write_workbook(tmp_path / "r.xlsx", report)
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1 and "■ T3-IDENTITY" in out and "不能由文件停用" in out


def test_audit_lists_rules_off(capsys) -> None:
    src = EXAMPLES / "huaian-2024.txt"
    _, out, _ = run(capsys, "audit", str(src), "--disable", "XY-SAME-TEXT")
    assert "XY-SAME-TEXT 正文与上年报告雷同（由命令停用）" in out
    _, out, _ = run(capsys, "audit", str(src), "--disable", "XY-SAME-TEXT", "--format", "json")
    data = json.loads(out)
    assert {"rule": "XY-SAME-TEXT", "by": "command"}.items() <= data["rules_off"][-1].items()


@pytest.fixture
def excel_with_switches() -> Excel:
    report = broken()
    report.disabled_rules = ["T3-IDENTITY", "XY-SAME-TEXT"]
    return Excel(report)


def test_addin_results_sheet_lists_rules_off(excel_with_switches: Excel) -> None:
    excel = excel_with_switches
    outcome = excel.run("validate")
    assert outcome.ok
    results = {(r, c): v for (s, r, c), v in excel.writes().items() if s == layout.RESULTS}
    rows = {}
    for (r, c), v in results.items():
        rows.setdefault(r, {})[c] = v
    by_rule = {row.get(3): row for row in rows.values() if row.get(2) in ("停用", "照常")}
    assert "由文件停用" in by_rule["XY-SAME-TEXT"][4] and by_rule["XY-SAME-TEXT"][2] == "停用"
    assert "不能由文件停用" in by_rule["T3-IDENTITY"][4] and by_rule["T3-IDENTITY"][2] == "照常"
    assert any(row.get(3, "").startswith("T3-IDENTITY:") for row in rows.values())  # and it was checked
    (alert,) = excel.alerts()
    assert "停用的规则（未校验）：XY-SAME-TEXT" in alert[0]


def test_addin_writes_a_finding_text_that_looks_like_a_formula_as_text(excel_with_switches: Excel) -> None:
    from xxgk.addin.buttons import results_writes
    from xxgk.rules import Finding, Severity

    f = Finding(rule="X", severity=Severity.WARNING, message="=cmd|' /C calc'!A0", addresses=("表三!D5",))
    (w,) = results_writes(_snap(excel_with_switches), [f])
    assert w.values[0][3] == "'=cmd|' /C calc'!A0"  # Excel's text prefix
    assert w.values[0][4].startswith("=HYPERLINK(")  # the link stays a formula


def _snap(excel: Excel):
    from xxgk.addin.bookio import read_book

    return read_book(excel.book)

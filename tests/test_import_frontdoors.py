"""Published reports through the other front doors: `xxgk new --from/--previous` and the
add-in's 导入上年数据 (driven through xlwings' own API, as in test_addin_buttons)."""

from __future__ import annotations

from pathlib import Path

from oracle import EXAMPLES
from test_addin_buttons import Excel, remote_engine  # noqa: F401  (the fixture must be in scope)
from xxgk.cli import main
from xxgk.report import Report
from xxgk.workbook.reader import read_workbook

HUAIAN = EXAMPLES / "huaian-2024.txt"


def test_new_from_and_previous_published_report(tmp_path: Path, capsys) -> None:
    out = tmp_path / "淮安 2024.xlsx"
    assert main(["new", str(out), "--from", str(HUAIAN)]) == 0
    said = capsys.readouterr().out
    assert "未能按数字读取" not in said  # label notes of the import are not cell problems
    r = read_workbook(out)
    assert (r.year, r.agency) == (2024, "淮安市人民政府")
    assert r.cells["t3.results.total.total"] == 3050 and r.cells["t2.penalty.decisions"] == 3985758
    nxt = tmp_path / "淮安 2025.xlsx"
    assert main(["new", str(nxt), "--previous", str(HUAIAN), "--year", "2025", "--agency", "淮安市人民政府"]) == 0
    assert main(["check", str(nxt), "--previous", str(HUAIAN)]) in (0, 1)


def test_addin_import_previous_reads_a_published_report(tmp_path: Path) -> None:
    report = Report.blank(2025, "淮安市人民政府")
    excel = Excel(report)
    outcome = excel.run("import_previous", path=HUAIAN)
    assert outcome.ok, outcome.message
    written = excel.writes()
    a = excel.at("t3.carried.natural")
    assert written[(a.sheet, a.row, a.column)] == 103  # 淮安 2024: 结转下年度继续办理, 自然人

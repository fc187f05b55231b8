"""The collecting office end to end (issue 13): a region of 52 agencies × 2 years is audited,
reviewed on the command line and in the summary workbook, then audited again with one report
corrected and one changed."""

from __future__ import annotations

import sqlite3

import pytest
from openpyxl import load_workbook

from office_region import agency_names, make_region, write_region
from xxgk.cli import main
from xxgk.office.indicators import evaluate, indicators
from xxgk.office.summary_xlsx import FINDING_COLUMNS, FINDINGS_SHEET
from xxgk.report import dump_json

N = 52
MISSING = "示范县未报送局"


def _sheet(path, name):
    wb = load_workbook(path)
    ws = wb[name]
    rows = list(ws.iter_rows(values_only=True))
    return wb, ws, rows[0], rows[1:]


def _findings(path):
    _, _, header, rows = _sheet(path, FINDINGS_SHEET)
    return [dict(zip(header, r, strict=False)) for r in rows]


def _reviews(db):
    with sqlite3.connect(db) as con:
        return sorted(con.execute("SELECT agency_key, year, finding_id, status, note FROM reviews").fetchall())


def _shown(percent: float, base: int) -> str:
    """An indicator as the summary shows it: 样本不足 below 30 cases."""
    text = f"{percent:.1f}%"
    return text if base >= 30 else f"样本不足（{text}）"


@pytest.fixture
def office(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    region = make_region(N)
    paths = write_region(tmp_path / "in", region)
    names = agency_names(N)
    (tmp_path / "名单.csv").write_text("单位,级别,上级\n" + "".join(
        f"{n},{'乡镇' if '人民政府' in n else '县级部门'},示范县\n" for n in [*names, MISSING]), encoding="utf-8")
    return tmp_path, region, paths, names


def test_audit_review_edit_rerun(office, capsys):
    tmp, region, paths, names = office
    db = tmp / "审核.sqlite"
    args = ["audit", "in", "--db", "--roster", "名单.csv"]
    assert main([*args, "--to", "汇总.xlsx"]) == 1
    out = capsys.readouterr().out
    assert f"审核库：{db.resolve()}" in out and "名单中未报送 2 份" in out
    found = _findings(tmp / "汇总.xlsx")
    by = {(f["单位"], f["年度"], f["规则"]): f for f in found}

    # Copied text: both agencies of each copy are told, naming the other.
    for a, b, label in ((5, 6, "五、存在的主要问题及改进情况"), (8, 9, "一、总体情况")):
        for me, other in ((a, b), (b, a)):
            f = by[(names[me], 2024, "OFFICE-COPIED")]
            assert names[other] in f["问题说明"] and label in f["问题说明"]
    assert not any(f["规则"] == "OFFICE-COPIED" and f["年度"] == 2023 for f in found)
    assert {f["单位"] for f in found if f["类别"] == "错误"} == {names[3]}

    # Review on the command line: one by its 编号, one in bulk by rule and agency.
    err24 = by[(names[3], 2024, "T3-IDENTITY")]
    assert main(["review", err24["编号"], "--status", "确认有误", "--note", "已电话通知"]) == 0
    assert main(["review", "--rule", "OFFICE-COPIED", "--agency", names[6], "--status", "不是问题",
                 "--note", "两单位合署办公"]) == 0
    capsys.readouterr()

    # Review in the workbook written after that: the status column edited with openpyxl.
    assert main([*args, "--to", "汇总.xlsx"]) == 1
    assert "汇总 (2).xlsx" in capsys.readouterr().out  # the first workbook is never replaced
    book = tmp / "汇总 (2).xlsx"
    wb, ws, header, rows = _sheet(book, FINDINGS_SHEET)
    col = {h: header.index(h) + 1 for h in header}
    assert [h for h, _ in FINDING_COLUMNS] == list(header)
    for n, r in enumerate(rows, 2):
        row = dict(zip(header, r, strict=False))
        if (row["单位"], row["年度"], row["规则"]) == (names[3], 2023, "T3-ROW-TOTAL"):
            ws.cell(n, col["状态"]).value = "不是问题"
            note = ws.cell(n, col["备注"])
            note.value = "=误报，已核对原件"  # typed text that looks like a formula
            note.data_type = "s"
        if (row["单位"], row["年度"], row["规则"]) == (names[5], 2024, "OFFICE-COPIED"):
            assert row["状态"] == "待核实"
            ws.cell(n, col["状态"]).value = "确认有误"
    wb.save(book)
    before = _reviews(db)
    assert main(["review", "--from", str(book)]) == 0
    assert "2 条有变化" in capsys.readouterr().out
    decided = _reviews(db)
    assert len(decided) == len(before) + 2

    # A malformed feed-back file is refused whole, naming the row; nothing changes.
    wb, ws, header, rows = _sheet(book, FINDINGS_SHEET)
    ws.cell(2, col["状态"]).value = "差不多"
    ws.cell(3, col["备注"]).value = "这一行本身没问题"
    wb.save(tmp / "坏.xlsx")
    assert main(["review", "--from", str(tmp / "坏.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "第 2 行" in err and "差不多" in err and "未读入" in err
    assert _reviews(db) == decided

    # One report corrected (agency 3, 2024), one changed (agency 3, 2023: its total now off by 3).
    fixed = region[(names[3], 2024)]
    fixed.cells["t3.results.total.total"] -= 1
    dump_json(fixed, paths[(names[3], 2024)], overwrite=True)
    changed = region[(names[3], 2023)]
    changed.cells["t3.results.total.total"] += 2
    dump_json(changed, paths[(names[3], 2023)], overwrite=True)
    assert main([*args, "--to", "再审.xlsx"]) == 1
    out = capsys.readouterr().out
    assert "新读取或有变化 2 份" in out
    assert "重新打开：" in out and names[3] in out and "原为“不是问题”" in out

    found = _findings(tmp / "再审.xlsx")
    by = {(f["单位"], f["年度"], f["规则"]): f for f in found}
    assert not any(f["单位"] == names[3] and f["年度"] == 2024 for f in found)  # corrected: gone
    reopened = by[(names[3], 2023, "T3-ROW-TOTAL")]
    assert (reopened["状态"], reopened["备注"], reopened["重新打开"]) == ("待核实", "=误报，已核对原件", "是")
    assert by[(names[5], 2024, "OFFICE-COPIED")]["状态"] == "确认有误"  # unchanged: kept
    assert by[(names[6], 2024, "OFFICE-COPIED")]["状态"] == "不是问题"
    assert by[(names[6], 2024, "OFFICE-COPIED")]["备注"] == "两单位合署办公"
    # The note that looks like a formula is still text.
    wb = load_workbook(tmp / "再审.xlsx")
    assert all(c.data_type == "s" for row in wb[FINDINGS_SHEET].iter_rows(min_row=2) for c in row
               if isinstance(c.value, str))
    # Every decision ever typed is in the log, the reopened one's too.
    with sqlite3.connect(db) as con:
        log = con.execute("SELECT status, note, source FROM review_log").fetchall()
    assert ("不是问题", "=误报，已核对原件", "汇总工作簿 汇总 (2).xlsx") in log
    assert any(s.startswith("重新打开") for _, _, s in log)

    # Counts leave out 不是问题.
    summary = {(r[0], r[3]): r for r in _sheet(tmp / "再审.xlsx", "汇总")[3]}
    _, _, header, _ = _sheet(tmp / "再审.xlsx", "汇总")
    h = {name: header.index(name) for name in header}
    assert summary[(names[6], 2024)][h["提示"]] == 0
    assert summary[(names[5], 2024)][h["提示"]] == 1

    # The agency on the roster that never reported is listed, once per year.
    _, _, _, missing = _sheet(tmp / "再审.xlsx", "未报送")
    assert sorted((m[0], m[3]) for m in missing) == [(MISSING, 2023), (MISSING, 2024)]

    # Indicators equal the values computed by hand from the report's cells.
    for i in (0, 1, 11):
        r, prev = region[(names[i], 2024)], region[(names[i], 2023)]
        c = r.cells
        done = c["t3.results.total.total"]
        by_hand = {
            "申请量": f"{c['t3.new.total']}件",
            "实质公开率": (c["t3.results.granted.total"] + c["t3.results.partial.total"]) / done * 100,
            "申请量同比": (c["t3.new.total"] - prev.cells["t3.new.total"]) / prev.cells["t3.new.total"] * 100,
        }
        row = summary[(names[i], 2024)]
        assert row[h["申请量"]] == by_hand["申请量"]
        bases = {"实质公开率": done, "申请量同比": prev.cells["t3.new.total"]}
        for name in ("实质公开率", "申请量同比"):
            assert row[h[name]] == _shown(by_hand[name], bases[name]), name
        base = c["t4.review.upheld"] + c["t4.review.corrected"] + c["t4.review.other"]
        if base == 0:
            assert row[h["复议纠错率"]] == "无数据"
            continue
        assert row[h["复议纠错率"]] == _shown(c["t4.review.corrected"] / base * 100, base)

    # The two-year comparison names the carried-over figures and the text similarity.
    _, _, _, comp = _sheet(tmp / "再审.xlsx", "两年对比")
    assert any(r[0] == names[0] and r[3] == "结转核对" and r[7] == 0 for r in comp)
    assert any(r[0] == names[3] and r[3] == "结转核对" and r[7] not in (0, None) for r in comp) is False
    assert any(r[0] == names[0] and r[3] == "文字相似" for r in comp)


def test_indicator_not_rated_below_minimum(office):
    _, region, _, names = office
    r = region[(names[0], 2024)]
    ind = {i.name: i for i in indicators()}["复议纠错率"]
    r.cells.update({"t4.review.upheld": 5, "t4.review.corrected": 2, "t4.review.other": 3})
    got = evaluate(ind, r)
    assert got["rated"] is False and got["shown"] == "样本不足（20.0%）"
    r.cells.update({"t4.review.upheld": 25, "t4.review.corrected": 5, "t4.review.other": 10})
    assert evaluate(ind, r) == {"value": 12.5, "shown": "12.5%", "rated": True}
    r.cells["t4.review.upheld"] = None
    assert evaluate(ind, r)["shown"] == "无数据"

"""The office store (issue 13 item 1): re-runs read only new or changed files, a run killed
with SIGKILL mid-way leaves a sound store that the next run completes, two runs at once on one
store both finish, and a store locked too long gives a Chinese message."""

from __future__ import annotations

import copy
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from office_region import agency_names, make_region, write_region
from xxgk.cli import main
from xxgk.errors import InputError
from xxgk.office.store import Store
from xxgk.report import dump_json, load_json


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    folder = tmp_path_factory.mktemp("region")
    return folder, write_region(folder / "in", make_region(52))


def _xxgk(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "xxgk", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _count(db: Path, sql: str = "SELECT count(*) FROM files") -> int:
    with sqlite3.connect(db, timeout=30) as con:
        return con.execute(sql).fetchone()[0]


def _snapshot(db: Path) -> list[tuple]:
    with sqlite3.connect(db, timeout=30) as con:
        return sorted(con.execute("SELECT f.path, f.id, f.fingerprint FROM findings f").fetchall())


def test_rerun_reads_only_changed_files(region, tmp_path, capsys):
    folder, paths = region
    shutil.copytree(folder / "in", tmp_path / "in")
    folder = tmp_path
    db = tmp_path / "审核.sqlite"
    assert main(["audit", str(folder / "in"), "--db", str(db)]) == 1
    first = capsys.readouterr().out
    assert "新读取或有变化 104 份" in first and str(db.resolve()) in first
    before = _snapshot(db)
    assert main(["audit", str(folder / "in"), "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "新读取或有变化 0 份，未变化（未重读）104 份" in out
    assert _snapshot(db) == before
    # One 2023 report changes: it is read again, and the 2024 report of that agency (checked
    # against it) is checked again; nothing else.
    (name, _year), path = next((k, p) for k, p in paths.items() if k[1] == 2023)
    report = load_json(path)
    report.cells["t3.forward.natural"] += 1
    dump_json(report, tmp_path / "in" / path.relative_to(paths_root(paths)), overwrite=True)
    assert main(["audit", str(folder / "in"), "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "新读取或有变化 1 份，未变化（未重读）103 份" in out
    assert "与上年报告重新对照 1 份" in out
    after = _snapshot(db)
    assert any(p.endswith(f"{name}-2024.json") and i.startswith("XY-CARRIED") for p, i, _ in after)
    assert not any(p.endswith(f"{name}-2024.json") and i.startswith("XY-CARRIED") for p, i, _ in before)


def paths_root(paths: dict) -> Path:
    return Path(os.path.commonpath([str(p) for p in paths.values()]))


def test_kill_minus_9_mid_run_then_rerun(region, tmp_path):
    folder, _ = region
    db = tmp_path / "审核.sqlite"
    proc = _xxgk("audit", str(folder / "in"), "--db", str(db), cwd=tmp_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if db.exists() and _count(db) >= 5:
                break
        except sqlite3.OperationalError:  # the run has not made its tables yet
            pass
        time.sleep(0.01)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    written = _count(db)
    assert 0 < written < 104
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # Every file row that is there is whole: its cells came with it.
        assert con.execute("SELECT count(*) FROM files f WHERE status = 'checked' AND"
                           " (SELECT count(*) FROM cells c WHERE c.path = f.path) = 0").fetchone()[0] == 0
    rerun = _xxgk("audit", str(folder / "in"), "--db", str(db), cwd=tmp_path)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 1, err
    assert f"未变化（未重读）{written} 份" in out
    reference = tmp_path / "ref.sqlite"
    assert main(["audit", str(folder / "in"), "--db", str(reference)]) == 1
    assert _snapshot(db) == _snapshot(reference)


def test_two_runs_at_once_on_one_store(region, tmp_path):
    folder, _ = region
    db = tmp_path / "审核.sqlite"
    # One of them reads in two worker processes (--jobs 2): only the parent writes the store.
    runs = [_xxgk("audit", str(folder / "in"), "--db", str(db), *extra, cwd=tmp_path)
            for extra in ((), ("--jobs", "2"))]
    outcomes = [r.communicate(timeout=180) for r in runs]
    for r, (out, err) in zip(runs, outcomes, strict=True):
        assert r.returncode == 1, err
        assert "审核库：" in out
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _count(db) == 104
    reference = tmp_path / "ref.sqlite"
    assert main(["audit", str(folder / "in"), "--db", str(reference)]) == 1
    assert _snapshot(db) == _snapshot(reference)


def test_store_locked_too_long_is_a_chinese_refusal(tmp_path):
    db = tmp_path / "审核.sqlite"
    Store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(InputError, match="正被另一个 xxgk 审核占用"):
            store = Store(db, busy_seconds=0.2)
            with store.write():
                pass
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    bad = tmp_path / "x.sqlite"
    bad.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(InputError, match="无法使用"):
        Store(bad)


def test_a_bad_file_is_recorded_and_the_batch_goes_on(tmp_path, capsys):
    region = make_region(3, years=(2024,))
    write_region(tmp_path / "in", region)
    bad = tmp_path / "in" / "2024" / "坏文件.json"
    bad.write_text("{不是 JSON", encoding="utf-8")
    db = tmp_path / "审核.sqlite"
    assert main(["audit", str(tmp_path / "in"), "--db", str(db), "--to", str(tmp_path / "汇总.xlsx")]) == 2
    out, err = capsys.readouterr()
    assert "坏文件.json：无法读取" in err and "不是有效的 JSON" in err
    assert "审核库中共 3 份年报" in out
    from openpyxl import load_workbook

    rows = list(load_workbook(tmp_path / "汇总.xlsx")["无法读取"].iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0].endswith("坏文件.json") and "不是有效的 JSON" in rows[1][1]
    # Unchanged, it is not read again but still named; mended, it is read.
    assert main(["audit", str(tmp_path / "in"), "--db", str(db)]) == 2
    assert "未变化（未重读）4 份" in capsys.readouterr().out
    bad.unlink()
    dump_json(region[next(iter(region))], bad)
    assert main(["audit", str(tmp_path / "in"), "--db", str(db)]) == 0
    assert "新读取或有变化 1 份" in capsys.readouterr().out


def test_disabled_rules_are_part_of_a_files_version(tmp_path, capsys):
    write_region(tmp_path / "in", make_region(12))
    db = str(tmp_path / "审核.sqlite")

    def rules() -> set[str]:
        return {r for (r,) in sqlite3.connect(db).execute("SELECT DISTINCT rule FROM findings")}

    assert main(["audit", str(tmp_path / "in"), "--db", db]) == 1
    assert "T3-IDENTITY" in rules()
    assert main(["audit", str(tmp_path / "in"), "--db", db, "--disable", "T3-IDENTITY,XY-SAME-TEXT"]) == 1
    assert "新读取或有变化 24 份" in capsys.readouterr().out
    assert "T3-IDENTITY" not in rules() and "XY-SAME-TEXT" not in rules() and "T3-ROW-TOTAL" in rules()
    assert main(["audit", str(tmp_path / "in"), "--db", db]) == 1
    assert "T3-IDENTITY" in rules()
    assert main(["audit", str(tmp_path / "in"), "--db", db, "--disable", "NO-SUCH-RULE"]) == 2
    assert "NO-SUCH-RULE" in capsys.readouterr().err


def test_unnamed_reports_stand_alone_and_duplicates_are_named(tmp_path, capsys):
    region = make_region(2, years=(2024,))
    write_region(tmp_path / "in", region)
    first, second = region.values()
    for n, r in enumerate((first, second)):  # two reports whose agency could not be read
        unnamed = copy.deepcopy(r)
        unnamed.agency = ""
        dump_json(unnamed, tmp_path / "in" / f"无名{n}.json")
    dump_json(first, tmp_path / "in" / "重复.json")  # the same agency and year again
    db = str(tmp_path / "审核.sqlite")
    assert main(["audit", str(tmp_path / "in"), "--db", db, "--to", str(tmp_path / "汇总.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "审核库中共 4 份年报（4 个单位）" in out
    assert f"注意：{first.agency} 2024 年度有 2 份文件" in out and "重复.json" in out
    from openpyxl import load_workbook

    names = [r[0] for r in load_workbook(tmp_path / "汇总.xlsx")["汇总"].iter_rows(min_row=2, values_only=True)]
    assert "（未识别单位：无名0.json）" in names and "（未识别单位：无名1.json）" in names


def test_a_file_gone_from_the_folder_leaves_the_store_but_decisions_stay(tmp_path, capsys):
    region = make_region(12, years=(2024,))
    paths = write_region(tmp_path / "in", region)
    db = str(tmp_path / "审核.sqlite")
    assert main(["audit", str(tmp_path / "in"), "--db", db]) == 1
    name = agency_names(12)[3]
    assert main(["review", "--db", db, "--agency", name, "--status", "确认有误", "--note", "待重报"]) == 0
    paths[(name, 2024)].unlink()
    capsys.readouterr()
    assert main(["audit", str(tmp_path / "in"), "--db", db]) == 0
    assert "已从文件夹中移除 1 份" in capsys.readouterr().out
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM files").fetchone()[0] == 11
        assert con.execute("SELECT count(*) FROM findings f WHERE path LIKE ?", (f"%{name}%",)).fetchone()[0] == 0
        assert {r[0] for r in con.execute("SELECT note FROM reviews")} == {"待重报"}
    # Published again, its unchanged findings come back with their decisions.
    dump_json(region[(name, 2024)], paths[(name, 2024)])
    assert main(["audit", str(tmp_path / "in"), "--db", db, "--to", str(tmp_path / "汇总.xlsx")]) == 1
    from openpyxl import load_workbook

    rows = list(load_workbook(tmp_path / "汇总.xlsx")["问题清单"].iter_rows(min_row=2, values_only=True))
    mine = [r for r in rows if r[1] == name]  # not vacuous: its findings must be back
    assert mine and all(r[11] == "确认有误" and r[12] == "待重报" for r in mine)


def test_kill_minus_9_while_rereading_keeps_every_decision(region, tmp_path, capsys):
    folder, paths = region
    shutil.copytree(folder / "in", tmp_path / "in")
    root = paths_root(paths)
    db = tmp_path / "审核.sqlite"
    assert main(["audit", str(tmp_path / "in"), "--db", str(db)]) == 1
    name = agency_names(52)[3]
    assert main(["review", "--db", str(db), "--agency", name, "--status", "确认有误", "--note", "已通知重报"]) == 0
    decided = sqlite3.connect(db).execute("SELECT * FROM reviews ORDER BY finding_id").fetchall()
    assert decided
    # Every report is republished with one sentence added: the next run reads them all again.
    new_hashes = []
    for path in paths.values():
        copy_path = tmp_path / "in" / path.relative_to(root)
        report = load_json(copy_path)
        report.texts["s6.other"] = "无其他需要报告的事项。"
        copy_path.write_text(report.to_json(), encoding="utf-8")  # as the agency would replace it
        new_hashes.append(hashlib.sha256(copy_path.read_bytes()).hexdigest())
    marks = ",".join(f"'{h}'" for h in new_hashes)
    proc = _xxgk("audit", str(tmp_path / "in"), "--db", str(db), cwd=tmp_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _count(db, f"SELECT count(*) FROM files WHERE hash IN ({marks})") < 5:
        time.sleep(0.01)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT * FROM reviews ORDER BY finding_id").fetchall() == decided
    capsys.readouterr()
    assert main(["audit", str(tmp_path / "in"), "--db", str(db), "--to", str(tmp_path / "汇总.xlsx")]) == 1
    assert "重新打开" not in capsys.readouterr().out  # the values the decisions compared did not change
    rows = list(load_workbook(tmp_path / "汇总.xlsx")["问题清单"].iter_rows(min_row=2, values_only=True))
    mine = [r for r in rows if r[1] == name]
    assert mine and all((r[11], r[12]) == ("确认有误", "已通知重报") for r in mine)

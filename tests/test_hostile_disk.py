"""Issue 10 item 7 (a full disk during export) and item 11's log folder on a full or unwritable
disk. The failure comes from the kernel: a child process with a file-size limit
(RLIMIT_FSIZE, SIGXFSZ ignored) gets EFBIG on the real write path, as a full disk gives ENOSPC;
in-process, ENOSPC itself is raised by os.fsync, which write_atomic calls for every file."""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cli_run import run, tree
from xxgk.examples import load_example
from xxgk.report import dump_json


@pytest.fixture(autouse=True)
def _logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_LOG_DIR", str(tmp_path / "logs"))


def _limited(max_bytes: int):
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return preexec


def test_export_on_a_full_disk_says_what_was_written(tmp_path: Path) -> None:
    src = dump_json(load_example(), tmp_path / "a.json")
    out = tmp_path / "out"
    # The .docx (~44 KB) is over the limit, the .html (~34 KB) and .json (~13 KB) are under it.
    proc = subprocess.run([sys.executable, "-m", "xxgk", "export", str(src), "--to", "docx,html,json",
                           "-o", str(out)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "XXGK_LOG_DIR": str(tmp_path / "logs")},
                          preexec_fn=_limited(40_000))
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "导出未完成" in proc.stderr and "文件超出系统允许的大小" in proc.stderr
    names = sorted(p.name for p in out.iterdir())  # hidden temporary files included
    assert names == []  # the .docx comes first: nothing written, nothing left
    assert "已写出（完整可用）：无" in proc.stderr and ".docx；" in proc.stderr


def test_export_stops_midway_and_lists_both_sides(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    src = dump_json(load_example(), tmp_path / "a.json")
    out = tmp_path / "out"
    import xxgk.fileio as fileio

    calls = []
    real = os.fsync

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:  # the second file of the export: the disk is full now
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(fileio.os, "fsync", fsync)
    code, out_text, err = run(capsys, "export", src, "--to", "docx,html,json", "-o", out)
    assert code == 2 and "Traceback" not in out_text + err
    assert "磁盘空间不足" in err
    files = sorted(p.name for p in out.iterdir())  # hidden temporary files included
    assert files == ["保定市科学技术局2024年政府信息公开工作年度报告.docx"]
    written, missing = err.split("已写出（完整可用）：")[1].split("未写出：")
    assert ".docx" in written and ".html" not in written
    assert ".html" in missing and ".json" in missing
    # Once there is room again, the rest is exported under new names; the first file stays.
    before = tree(out)
    monkeypatch.setattr(fileio.os, "fsync", real)
    assert run(capsys, "export", src, "-o", out)[0] == 0
    assert {k: v for k, v in tree(out).items() if k in before} == before


def test_log_folder_full_or_unwritable_is_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """An internal error whose log cannot be written still ends with a Chinese message."""
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XXGK_LOG_DIR", str(blocked / "logs"))  # cannot be created
    monkeypatch.setenv("HOME", str(blocked))
    monkeypatch.setenv("TMPDIR", str(blocked))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(blocked))
    import xxgk.cli as cli

    def boom(args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "cmd_rules", boom)
    code, out, err = run(capsys, "rules")
    assert code == 3
    assert "Traceback" not in out + err and "内部错误" in err and "日志" in err


def test_log_write_failing_mid_way_is_no_traceback(tmp_path: Path) -> None:
    """The log file itself hits the file-size limit (a full disk)."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "xxgk.log").write_bytes(b"x" * 5000)
    code = ("import sys, xxgk.cli as c\n"
            "def boom(a): raise RuntimeError('a bug ' * 2000)\n"
            "c.cmd_rules = boom\n"
            "sys.exit(c.main(['rules']))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "XXGK_LOG_DIR": str(logs), "HOME": str(tmp_path),
                               "TMPDIR": str(tmp_path)}, preexec_fn=_limited(6000))
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr and "内部错误" in proc.stderr

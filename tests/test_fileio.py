"""Safe writes: atomic, never over an existing file unless asked, ordinary permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from xxgk.errors import InputError
from xxgk.fileio import free_name, write_atomic


def test_write_refuses_existing_and_leaves_it_intact(tmp_path: Path) -> None:
    target = tmp_path / "年报.json"
    target.write_text("原内容", encoding="utf-8")
    with pytest.raises(InputError, match="文件已存在"):
        write_atomic(target, b"new")
    assert target.read_text(encoding="utf-8") == "原内容"
    write_atomic(target, b"new", overwrite=True)
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["年报.json"]  # no temp files left behind


def test_written_files_get_ordinary_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = write_atomic(tmp_path / "a.docx", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_missing_folder_and_free_names(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="输出文件夹不存在"):
        write_atomic(tmp_path / "无" / "a.json", b"x")
    first = tmp_path / "报告.docx"
    first.write_bytes(b"1")
    assert free_name(first).name == "报告 (2).docx"
    (tmp_path / "报告 (2).docx").write_bytes(b"2")
    assert free_name(first).name == "报告 (3).docx"

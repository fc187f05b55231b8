"""Safe writes: atomic, never over an input, never over an existing file unless asked."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from xxgk.errors import InputError


def write_atomic(path: Path, data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` to ``path`` so that a reader sees the old file or the whole new one.

    With ``overwrite=False`` an existing ``path`` is left alone and an :class:`InputError` says so.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"输出文件夹不存在：{folder}。请先创建该文件夹或换一个位置。")
    if path.exists() and not overwrite:
        raise InputError(f"文件已存在：{path}。为免覆盖，未写入；请换一个文件名或删除原文件。")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".~" + path.name, suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"无法在文件夹 {folder} 中写入文件（{exc.strerror}）。请检查权限或换一个位置。") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); a report is an ordinary document.
        os.chmod(tmp, 0o666 & ~_umask())
        if overwrite:
            os.replace(tmp, path)
        else:
            # link() fails if path appeared meanwhile, unlike replace(): no silent clobbering.
            try:
                os.link(tmp, path)
            except FileExistsError as exc:
                raise InputError(f"文件已存在：{path}。为免覆盖，未写入。") from exc
            except OSError:
                if path.exists():
                    raise InputError(f"文件已存在：{path}。为免覆盖，未写入。") from None
                os.replace(tmp, path)
    except OSError as exc:
        raise InputError(f"写入 {path} 失败（{exc.strerror}）。请检查磁盘空间和权限。") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def free_name(path: Path) -> Path:
    """``path`` if it is free, else ``stem (2).ext``, ``stem (3).ext`` …"""
    path = Path(path)
    if not path.exists():
        return path
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


def same_file(a: Path, b: Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:  # pragma: no cover
        return False

"""Safe writes: atomic, never over an input, never over an existing file unless asked."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from xxgk.errors import InputError

# Every file read as input in this run (by identity, so links and other spellings of the same
# path count too). write_atomic refuses them all: no command writes over one of its inputs.
_inputs: set[tuple[int, int]] = set()


def note_input(path: str | Path) -> None:
    """Record ``path`` as an input of the running command (see :func:`write_atomic`)."""
    try:
        st = os.stat(path)
    except OSError:
        return
    _inputs.add((st.st_dev, st.st_ino))


def forget_inputs() -> None:
    """Start a new command: no file is an input yet."""
    _inputs.clear()


def is_input(path: str | Path) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) in _inputs


def check_target(path: str | Path, *, overwrite: bool = False,
                 may_replace: Callable[[Path], bool] | None = None, what: str = "文件") -> None:
    """Refuse (InputError) to write ``path`` if it is an input of this run, or exists and may not
    be replaced: always without ``overwrite``; with it, unless ``may_replace(path)`` says the
    file is this command's own earlier output (a report JSON, an add-in …)."""
    path = Path(path)
    if is_input(path):
        raise InputError(f"输出文件 {path} 就是本次读取的输入文件。为免覆盖输入，未写入（加 --force 也不会覆盖）；"
                         "请换一个输出文件名。")
    if not path.exists():
        return
    if not overwrite:
        raise InputError(f"文件已存在：{path}。为免覆盖，未写入；请换一个文件名或删除原文件。")
    if path.is_dir():
        raise InputError(f"{path} 是文件夹，不能作为输出文件。请换一个输出文件名。")
    if may_replace is not None and not may_replace(path):
        raise InputError(f"文件 {path} 已存在，且不是本工具以前生成的{what}。为免覆盖他人的文件，未写入"
                         "（加 --force 也不会覆盖）；请换一个输出文件名。")


def write_atomic(path: Path, data: bytes, *, overwrite: bool = False,
                 may_replace: Callable[[Path], bool] | None = None, what: str = "文件") -> Path:
    """Write ``data`` to ``path`` so that a reader sees the old file or the whole new one.

    Never over an input of this run (:func:`note_input`). With ``overwrite=False`` an existing
    ``path`` is left alone and an :class:`InputError` says so; with ``overwrite=True`` it is
    replaced only if ``may_replace`` (when given) recognises it as our own earlier ``what``.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"输出文件夹不存在：{folder}。请先创建该文件夹或换一个位置。")
    check_target(path, overwrite=overwrite, may_replace=may_replace, what=what)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".~" + path.name, suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteFailed(f"无法在文件夹 {folder} 中写入文件（{os_reason(exc)}）。请检查权限或换一个位置。", path) from exc
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
        raise WriteFailed(f"写入 {path} 失败（{os_reason(exc)}）。请检查磁盘空间和权限。", path) from exc
    finally:
        try:
            os.unlink(tmp)  # the hidden temporary file never stays behind, written or not
        except FileNotFoundError:
            pass
        except OSError:  # pragma: no cover - a folder that lets us create but not delete
            pass
    return path


class WriteFailed(InputError):
    """Writing ``path`` failed for a reason of the system (full disk, quota, permissions); no
    part of it was left behind."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EFBIG: "文件超出系统允许的大小",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "磁盘为只读",
    errno.EIO: "磁盘读写出错",
}


def os_reason(exc: OSError) -> str:
    """The system's reason for a failed read or write, in Chinese where we know it."""
    return _REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__


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

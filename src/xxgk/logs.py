"""Where full tracebacks go, so that users see a short Chinese message and maintainers the trace."""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
import traceback
from pathlib import Path


def _candidates() -> list[str]:
    candidates = [os.environ.get("XXGK_LOG_DIR")]
    if os.name == "nt":
        candidates.append(os.path.join(os.environ.get("LOCALAPPDATA", ""), "xxgk", "logs"))
    candidates += [os.path.join(Path.home(), ".local", "state", "xxgk"), os.path.join(tempfile.gettempdir(), "xxgk")]
    return [c for c in candidates if c]


def log_dir() -> Path:
    """``%LOCALAPPDATA%\\xxgk\\logs`` on Windows, ``~/.local/state/xxgk`` elsewhere, or the temp
    folder when neither can be written; ``XXGK_LOG_DIR`` overrides."""
    for c in _candidates():
        try:
            Path(c).mkdir(parents=True, exist_ok=True)
            return Path(c)
        except OSError:
            continue
    return Path(tempfile.gettempdir())


def log_exception(context: str) -> Path | None:
    """Append the current exception's traceback to the log file; return its path, or ``None``
    when no log folder can be written (a full disk, no permission): logging never raises, so
    the user still gets the short Chinese message instead of a second traceback."""
    stamp = _dt.datetime.now().isoformat(timespec="seconds")
    entry = f"\n=== {stamp} {context}\n{traceback.format_exc()}"
    for c in _candidates():
        try:
            Path(c).mkdir(parents=True, exist_ok=True)
            path = Path(c) / "xxgk.log"
            with open(path, "a", encoding="utf-8", errors="replace") as fh:
                fh.write(entry)
            return path
        except (OSError, ValueError):
            continue
    return None


def log_note(path: Path | None) -> str:
    """Where the details went, for the user's message."""
    if path is None:
        return "详细信息未能写入日志（日志文件夹已满或无写入权限）。"
    return f"详细信息已写入日志：{path}"

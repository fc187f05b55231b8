"""Where full tracebacks go, so that users see a short Chinese message and maintainers the trace."""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
import traceback
from pathlib import Path


def log_dir() -> Path:
    """``%LOCALAPPDATA%\\xxgk\\logs`` on Windows, ``~/.local/state/xxgk`` elsewhere, or the temp
    folder when neither can be written; ``XXGK_LOG_DIR`` overrides."""
    candidates = [os.environ.get("XXGK_LOG_DIR")]
    if os.name == "nt":
        candidates.append(os.path.join(os.environ.get("LOCALAPPDATA", ""), "xxgk", "logs"))
    candidates += [os.path.join(Path.home(), ".local", "state", "xxgk"), os.path.join(tempfile.gettempdir(), "xxgk")]
    for c in candidates:
        if not c:
            continue
        try:
            Path(c).mkdir(parents=True, exist_ok=True)
            return Path(c)
        except OSError:
            continue
    return Path(tempfile.gettempdir())


def log_exception(context: str) -> Path:
    """Append the current exception's traceback to the log file; return its path."""
    path = log_dir() / "xxgk.log"
    stamp = _dt.datetime.now().isoformat(timespec="seconds")
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"\n=== {stamp} {context}\n{traceback.format_exc()}")
    return path

"""The service's address and secret: ``~/.xxgk/serve.json`` = ``{"port", "token", "pid", "version"}``.

A fresh random token per start. The file is the only way to learn it: it is created user-only
(0600 in a 0700 folder; on Windows the profile folder is already private), never served over
HTTP. The WPS add-in reads it with ``wps.FileSystem.ReadFile`` before every request, so a
restarted service (new port, new token) is found without configuration.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

STATE_DIR = ".xxgk"  # the same per-user folder `xxgk addin install` writes xlwings' config to
STATE_NAME = "serve.json"


def default_path() -> Path:
    return Path.home() / STATE_DIR / STATE_NAME


def new_token() -> str:
    return secrets.token_urlsafe(32)


def write_state(path: Path, data: dict[str, Any]) -> None:
    """Atomically and privately: the file is born 0600 (not chmod-ed after), so no other user
    can read the token even for an instant. (Not xxgk.fileio.write_atomic: that one makes
    ordinary documents world-readable on purpose.)"""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~" + path.name, dir=path.parent)  # mkstemp: 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def read_state(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def remove_state(path: Path, token: str) -> None:
    """Remove the file if it is still ours (a newer service may have replaced it)."""
    data = read_state(path)
    if data and data.get("token") == token:
        try:
            path.unlink()
        except OSError:
            pass

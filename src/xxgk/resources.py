"""Where the data folders that ship beside the code live: ``templates/`` (narrative and document
templates) and ``addin/`` (ribbon and VBA sources).

They sit at the repository root (the design card names them), and the wheel force-includes them
as ``xxgk/_data/<name>`` (see pyproject.toml). This is the one place that knows both spots, so an
editable checkout and an installed package find the same files.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from xxgk.errors import InputError

_PACKAGE = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE.parent.parent  # src/xxgk → repository root in a checkout


@cache
def data_dir(name: str) -> Path:
    """The folder ``name`` (``"templates"`` or ``"addin"``): installed copy first, then the
    checkout's. Raises :class:`InputError` when neither exists (a broken installation)."""
    for candidate in (_PACKAGE / "_data" / name, _REPO_ROOT / name):
        if candidate.is_dir():
            return candidate
    raise InputError(
        f"找不到本工具自带的“{name}”文件夹，安装可能不完整。请重新安装 xxgk（pip install --force-reinstall xxgk）。"
    )


def templates_dir() -> Path:
    return data_dir("templates")


def addin_dir() -> Path:
    return data_dir("addin")

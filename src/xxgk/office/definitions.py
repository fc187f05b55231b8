"""The office's own data (office.toml): cross-report findings and review statuses."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_NAME = "审核.sqlite"  # the store (--db) when no file is named: in the current folder


@cache
def _data() -> dict[str, Any]:
    return tomllib.loads(Path(__file__).with_name("office.toml").read_text(encoding="utf-8"))


def office_finding(id: str) -> dict[str, Any]:
    return next(f for f in _data()["findings"] if f["id"] == id)


def statuses() -> list[str]:
    return list(_data()["reviews"]["statuses"])


def uncounted() -> set[str]:
    return set(_data()["reviews"]["uncounted"])


def open_statuses() -> set[str]:
    return set(_data()["reviews"]["open"])


def new_status() -> str:
    return statuses()[0]

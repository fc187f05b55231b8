"""templates/ and addin/ are found both in a checkout and in an installed wheel (xxgk/_data/…)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from xxgk import resources
from xxgk.errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def test_checkout_folders_are_found() -> None:
    assert resources.templates_dir() == ROOT / "templates"
    assert (resources.templates_dir() / "narrative" / "s1.requests.j2").is_file()


def test_installed_copy_wins_and_matches_the_wheel_layout(tmp_path: Path, monkeypatch) -> None:
    force = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = force["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert mapping["templates"] == "xxgk/_data/templates" and mapping["addin"] == "xxgk/_data/addin"
    package = tmp_path / "site-packages" / "xxgk"
    (package / "_data" / "templates").mkdir(parents=True)
    monkeypatch.setattr(resources, "_PACKAGE", package)
    monkeypatch.setattr(resources, "_REPO_ROOT", tmp_path / "nowhere")
    resources.data_dir.cache_clear()
    try:
        assert resources.templates_dir() == package / "_data" / "templates"
        with pytest.raises(InputError, match="安装可能不完整"):
            resources.addin_dir()
    finally:
        resources.data_dir.cache_clear()

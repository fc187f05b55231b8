"""The code base stays ruff-clean (the same check CI and the pre-stop hook run)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_clean() -> None:
    # The ruff of the running interpreter, never one found on PATH: the README runs
    # `.venv/bin/python -m pytest` without activating the venv, and a system-wide ruff may be
    # another version (or missing, as on a fresh machine).
    if importlib.util.find_spec("ruff") is None:
        pytest.fail(f"ruff is not installed for {sys.executable}: pip install -e '.[test]'")
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--quiet", str(ROOT)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_tests_find_python_tools_through_the_interpreter() -> None:
    """A tool pip installs (ruff, olevba, pytest, xlwings …) lives beside the venv's python; a
    test that looks it up on PATH passes only where it also happens to be installed system-wide.
    System programs that .ci/run installs with apt (soffice, pdftotext, chromium) are fine."""
    pip_tools = ("ruff", "olevba", "pytest", "xlwings", "hypothesis", "mraptor", "olefile")
    tools = "|".join(pip_tools)
    pattern = re.compile(rf"""(?:which\(|(?:run|Popen|call|check_call|check_output)\(\s*\[)\s*["']({tools})["']""")
    offenders = [f"{path.name}: {m.group(0)}" for path in sorted((ROOT / "tests").glob("*.py"))
                 for m in pattern.finditer(path.read_text(encoding="utf-8"))]
    assert not offenders


def test_core_never_imports_xlwings() -> None:
    """Only the add-in adapter may import xlwings; the core must run without Excel."""
    offenders = []
    for path in (ROOT / "src" / "xxgk").rglob("*.py"):
        if "addin" in path.relative_to(ROOT / "src" / "xxgk").parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "import xlwings" in text or "from xlwings" in text:
            offenders.append(str(path))
    assert not offenders
    code = "import sys, xxgk.rules, xxgk.report, xxgk.schema, xxgk.cli; assert 'xlwings' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0

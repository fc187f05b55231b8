"""The code base stays ruff-clean (the same check CI and the pre-stop hook run)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_clean() -> None:
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed: pip install -e '.[test]'")
    proc = subprocess.run([ruff, "check", "--quiet", str(ROOT)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


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

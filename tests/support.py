"""Shared test helpers: run LibreOffice headless on a file, with a private profile per call so
parallel runs never collide, and with "recalculate on load" switched on so formulas written by
openpyxl (which stores no cached values) are really computed by a spreadsheet engine."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

needs_soffice = pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed; .ci/run installs it",
)

_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice_convert(
    src: Path,
    to: str,
    outdir: Path,
    *,
    infilter: str | None = None,
    env: dict[str, str] | None = None,
    timeout: int = 180,
) -> Path:
    """Convert ``src`` with LibreOffice (``to`` as for ``--convert-to``, e.g. ``"xlsx"``,
    ``"pdf"``, ``'xlsx:"Calc MS Excel 2007 XML"'``); return the output path."""
    assert SOFFICE, "LibreOffice (soffice) is required"
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
        cmd = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--nologo", "--nodefault"]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", to, "--outdir", str(outdir), str(src)]
        run_env = {**os.environ, **(env or {})}
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=run_env)
    ext = to.split(":")[0]
    out = outdir / f"{Path(src).stem}.{ext}"
    if proc.returncode != 0 or not out.exists():
        raise AssertionError(f"soffice failed ({proc.returncode}): {proc.stdout}\n{proc.stderr}")
    return out

"""Runs tests/js (``node --test``) against the built main.js, a real ``xxgk serve`` on 127.0.0.1
and fake ET workbooks dumped from workbooks we built; the expected cells are what the xlwings
buttons write on the same workbooks (through xlwings' own remote engine)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from test_addin_buttons import BOOK_NAME, Excel, broken, clean, remote_engine  # noqa: F401 (fixture)
from wps_support import built, dump_workbook, save_dump
from xxgk import layout
from xxgk.addin import wps_build
from xxgk.examples import load_example
from xxgk.serve import server
from xxgk.workbook.builder import PASSWORD

NODE = shutil.which("node")
JS = Path(__file__).parent / "js"


def expected_cells(excel: Excel) -> dict[str, object]:
    return {f"{s}|{r}|{c}": (None if v == "" else v) for (s, r, c), v in excel.writes().items()}


@pytest.mark.skipif(NODE is None and not os.environ.get("CI"), reason="node is not installed; .ci/run installs it")
def test_main_js_with_node(tmp_path: Path) -> None:
    assert NODE, "node is required under CI (Debian package nodejs)"
    folder = tmp_path / "二〇二四 年报"
    folder.mkdir()
    saved = folder / BOOK_NAME
    saved.write_bytes(b"PK")
    narrative = load_example()
    narrative.texts["s4.note"] = ""
    narrative.texts["s1.proactive"] = "本机关今年主动公开工作由办公室统筹（人工撰写）。"
    for name, report in {"broken": broken(), "clean": clean(), "narrative": narrative}.items():
        save_dump(dump_workbook(built(report), BOOK_NAME, str(saved)), tmp_path / f"{name}.json")

    expected: dict[str, object] = {}
    for tag, report in {"validate": broken(), "narrative": narrative, "clear_flags": broken()}.items():
        excel = Excel(report)
        outcome = excel.run(tag)
        expected[tag] = {"cells": expected_cells(excel), "message": outcome.message}
    wb = built(None)
    service = server.start_in_thread(state_file=tmp_path / "state" / "serve.json")
    try:
        python = "/nonexistent/xxgk-python"
        cfg = wps_build.config(python=python, state_file=str(tmp_path / "state" / "serve.json"))
        (tmp_path / "main.js").write_text(wps_build.main_js(cfg), encoding="utf-8")
        expected.update({
            "stateFile": str(tmp_path / "state" / "serve.json"), "python": python, "password": PASSWORD,
            "tags": cfg["tags"], "results": layout.RESULTS, "flags": layout.FLAGS,
            "protectedSheets": [ws.title for ws in wb.worksheets if ws.protection.sheet],
            "allow": {ws.title: {"AllowFormattingColumns": not ws.protection.formatColumns,
                                 "AllowFormattingRows": not ws.protection.formatRows} for ws in wb.worksheets},
        })
        (tmp_path / "expected.json").write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run([NODE, "--test", str(JS / "main.test.js")], capture_output=True, text=True,
                              encoding="utf-8", env={**os.environ, "XXGK_JS_DIR": str(tmp_path)}, timeout=600)
    finally:
        service.stop()
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    assert "# fail 0" in proc.stdout and "# pass 11" in proc.stdout, proc.stdout[-3000:]

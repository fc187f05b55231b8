"""Issue 12: what makes batches fast and flat, pinned without timing anything: one schema
validator per process, html/json export without python-docx, and ``check``/``audit`` that
write each file's result and drop it (only a summary row is kept, on disk)."""

from __future__ import annotations

import gc
import io
import json
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from cli_run import run
from oracle import EXAMPLES
from xxgk import schema
from xxgk.examples import load_example
from xxgk.importer import audit as audit_module
from xxgk.jsonstream import JsonList
from xxgk.report import dump_json, load_json

BAODING = EXAMPLES / "baoding-kjj-2024.txt"
HUAIAN = EXAMPLES / "huaian-2024.txt"


@pytest.fixture(autouse=True)
def _logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_LOG_DIR", str(tmp_path / "logs"))


def test_one_schema_validator_per_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = []
    real = schema.Draft202012Validator

    def counting(*args, **kwargs):  # the real validator, counted
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(schema, "Draft202012Validator", counting)
    schema.validator.cache_clear()
    try:
        paths = [dump_json(load_example(), tmp_path / f"{i}.json") for i in range(3)]
        for path in paths:
            load_json(path)
    finally:
        schema.validator.cache_clear()
    assert len(built) == 1


def _modules_after(argv: list[str]) -> set[str]:
    code = ("import sys, json; from xxgk.cli import main; code = main(sys.argv[1:]); "
            "print(json.dumps([code, sorted(sys.modules)]))")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True).stdout
    exit_code, modules = json.loads(out.strip().splitlines()[-1])
    assert exit_code == 0
    return set(modules)


def test_html_and_json_export_do_not_import_python_docx(tmp_path: Path) -> None:
    src = dump_json(load_example(), tmp_path / "a.json")
    light = _modules_after(["export", str(src), "--to", "html,json", "-o", str(tmp_path / "light")])
    assert "docx" not in light and "xxgk.export.docx" not in light
    heavy = _modules_after(["export", str(src), "--to", "docx", "-o", str(tmp_path / "heavy")])
    assert "docx" in heavy  # the check above can fail


# ---------------------------------------------------------------------- streaming batches
@pytest.mark.parametrize("bare_if_one", [False, True])
@pytest.mark.parametrize("level", [0, 1])
@pytest.mark.parametrize("count", [0, 1, 2, 3])
def test_json_list_writes_what_json_dumps_would(count: int, level: int, bare_if_one: bool) -> None:
    items = [{"n": i, "text": "第一行\n第二行\u2028", "list": [1, {"a": None}], "empty": {}} for i in range(count)]
    out = io.StringIO()
    stream = JsonList(out, level=level, bare_if_one=bare_if_one)
    for item in items:
        stream.add(item)
    stream.close()
    whole = items[0] if bare_if_one and count == 1 else items
    expected = json.dumps({"x": whole} if level else whole, ensure_ascii=False, indent=2)
    if level:
        expected = expected[len('{\n  "x": '): -len("\n}")]
    assert out.getvalue() == expected


def test_audit_drops_each_files_result(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """While file n+1 is read, nothing holds the result of file n any more."""
    kept: list[weakref.ref] = []
    real = audit_module.audit_file

    def audit_file(path, disabled=()):
        gc.collect()
        assert all(ref() is None for ref in kept), "an earlier file's result is still held"
        result = real(path, disabled)
        kept.append(weakref.ref(result.result))
        return result

    monkeypatch.setattr(audit_module, "audit_file", audit_file)
    files = [BAODING, HUAIAN, BAODING]
    for argv in (["--format", "json"], ["--summary", "--format", "json"], []):
        kept.clear()
        code, _out, _err = run(capsys, "audit", *argv, *files)
        assert code in (0, 1) and len(kept) == 3


def test_streamed_audit_output_is_what_it_was(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The summary written row by row is the summary_dict of the same audits, and each file's
    JSON is its audit_dict."""
    empty = tmp_path / "空文件.txt"
    empty.write_text("", encoding="utf-8")
    files = [BAODING, empty, HUAIAN]
    audits = []
    for f in files:
        try:
            audits.append(audit_module.audit_file(f))
        except Exception as exc:
            from xxgk.batch import FileFailure

            audits.append(audit_module.Audit(str(f), error=FileFailure.of(f, exc).reason))
    code, out, _ = run(capsys, "audit", "--summary", "--format", "json", *files)
    assert code == 2
    assert out == json.dumps(audit_module.summary_dict(audits), ensure_ascii=False, indent=2) + "\n"
    _code, out, _ = run(capsys, "audit", "--format", "json", *files)
    assert json.loads(out) == json.loads(json.dumps([audit_module.audit_dict(a) for a in audits], ensure_ascii=False))
    _code, out, _ = run(capsys, "audit", "--summary", *files)
    assert out == "【汇总】\n" + audit_module.summary_table(audits)


def test_audit_finds_a_folders_reports_in_the_order_it_did(tmp_path: Path) -> None:
    """Folder by folder with a name list each, not a Path object per file (a national year is
    100,000 files), in the order of sorted Path objects, as before."""
    import os

    from xxgk.importer import SUFFIXES

    root = tmp_path / "年报"
    for rel in ("a/x.html", "a.html", "a-b/y.txt", "B.pdf", "b/c/d.docx", ".hidden.html", "notes.md",
                "a/z/readme.xlsx", "甲/乙.htm", "甲.txt"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x", encoding="utf-8")
    os.symlink(root / "b", root / "link-to-b")
    before = [str(p) for p in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)]
    assert audit_module.expand_inputs([root]) == before
    assert len(before) == 8

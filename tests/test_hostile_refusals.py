"""Issue 10 item 9: malformed input is a clear Chinese refusal (exit 2) or is cleaned at the door
with a finding, never an internal error (exit 3) later on."""

from __future__ import annotations

import builtins
import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from cli_run import W, bodiless_docx, run
from xxgk.examples import load_example
from xxgk.report import dump_json
from xxgk.workbook import write_workbook


@pytest.fixture(autouse=True)
def _logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_LOG_DIR", str(tmp_path / "logs"))


@pytest.fixture
def example_json(tmp_path: Path) -> Path:
    return dump_json(load_example(), tmp_path / "a.json")


def _json_with(tmp_path: Path, name: str, **changes: object) -> Path:
    data = load_example().to_dict()
    for key, value in changes.items():
        if key == "s5_text":
            data["texts"]["s5.text"] = value
        else:
            data[key] = value
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")  # \\u escapes keep surrogates
    return path


# ------------------------------------------------------------------ invisible characters
@pytest.mark.parametrize(("field", "value", "code"), [
    ("agency", "保定市\x00科学\x01技术局", "U+0000、U+0001"),
    ("s5_text", "问题\ud800一是培训不足。", "U+D800"),
    ("s5_text", "问题\x0b一是\x1f培训不足。", "U+000B、U+001F"),
])
def test_control_characters_are_dropped_at_the_door_with_a_finding(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str, value: str, code: str) -> None:
    path = _json_with(tmp_path, "ctl.json", **{field: value})
    code_, out, err = run(capsys, "check", path)
    assert code_ == 0, err
    assert "TEXT-CONTROL-CHARS" in out and code in out
    assert ("机关名称" if field == "agency" else "五、存在的主要问题及改进情况") in out
    code_, out, err = run(capsys, "export", path, "-o", tmp_path / "out")
    assert code_ == 0, err
    for written in (*(tmp_path / "out").glob("*.html"), *(tmp_path / "out").glob("*.json")):
        data = written.read_bytes()
        assert b"\x00" not in data and b"\x01" not in data and b"\x0b" not in data
    exported = json.loads(next((tmp_path / "out").glob("*.json")).read_text(encoding="utf-8"))
    assert exported["agency"] == "保定市科学技术局"
    assert "\ud800" not in exported["texts"]["s5.text"]


# ------------------------------------------------------------------ JSON numbers and depth
@pytest.mark.parametrize(("literal", "words"), [
    ("Infinity", "Infinity"), ("-Infinity", "Infinity"), ("NaN", "NaN"),
    ("9" * 5000, "5000 位"), ("1e400", "超出"), ("123456789012345678", "超出"),
])
def test_json_numbers_that_no_report_holds_are_refused(
        example_json: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], literal: str, words: str) -> None:
    text = example_json.read_text(encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(re.sub(r'("fees\.collected": )[^,\n]+', rf"\g<1>{literal}", text, count=1), encoding="utf-8")
    assert literal in bad.read_text(encoding="utf-8")
    for argv in (["check", bad], ["export", bad, "--force", "-o", tmp_path / "out"]):
        code, _, err = run(capsys, *argv)
        assert code == 2 and words in err, (argv, err)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("nest", ["[" * 100_000 + "]" * 100_000,
                                  '{"format": "2021", "year": 2024, "previous": ' * 2000 + "{}" + "}" * 2000])
def test_very_deep_json_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], nest: str) -> None:
    bad = tmp_path / "deep.json"
    bad.write_text(nest, encoding="utf-8")
    code, _, err = run(capsys, "check", bad)
    assert code == 2, err


# ------------------------------------------------------------------ damaged sheets
def _patched_workbook(tmp_path: Path, edit) -> Path:
    src = write_workbook(tmp_path / "built.xlsx", load_example())
    out = tmp_path / "改过.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet3.xml":
                data = edit(data.decode()).encode()
            zout.writestr(info, data)
    return out


DTD = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x "abc">]>'


@pytest.mark.parametrize(("edit", "words"), [
    (lambda s: DTD + s, "DTD"),
    (lambda s: DTD + s.replace("</t></is>", "&x;</t></is>", 1), "DTD"),
    (lambda s: s.replace("</t></is>", "&x;</t></is>", 1), "已损坏"),
    (lambda s: re.sub(r"<v>\d+</v>", "<v>1e400</v>", s, count=1), "超出了 Excel"),
    (lambda s: re.sub(r"<v>\d+</v>", "<v>abc</v>", s, count=1), "已损坏"),
])
def test_damaged_sheets_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], edit, words: str) -> None:
    path = _patched_workbook(tmp_path, edit)
    for argv in (["check", path], ["new", tmp_path / "n.xlsx", "--from", path]):
        code, _, err = run(capsys, *argv)
        assert code == 2 and words in err, (argv, err)


def test_docx_with_another_root_element_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = bodiless_docx(tmp_path / "x.docx", f'<w:settings xmlns:w="{W}"><w:body/></w:settings>')
    code, _, err = run(capsys, "audit", path)
    assert code == 2 and "<w:body>" in err


# ------------------------------------------------------------------ unreadable files
def test_file_without_read_permission(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    json_path = dump_json(load_example(), tmp_path / "a.json")
    xlsx = write_workbook(tmp_path / "a.xlsx", load_example())
    page = tmp_path / "a.html"
    page.write_text("<html><body><p>一、总体情况</p></body></html>", encoding="utf-8")
    targets = [json_path, xlsx, page]
    if os.geteuid() != 0:  # root reads anything: there, the refusal comes from the system call below
        for t in targets:
            t.chmod(0)
    else:
        real_open, real_io_open = builtins.open, io.open

        def guarded(opener):
            def open_(file, *a, **kw):
                if isinstance(file, (str, os.PathLike)) and Path(file) in targets:
                    raise PermissionError(13, "Permission denied", str(file))
                return opener(file, *a, **kw)
            return open_

        monkeypatch.setattr(builtins, "open", guarded(real_open))
        monkeypatch.setattr(io, "open", guarded(real_io_open))
    for argv in (["check", json_path], ["check", xlsx], ["import", page], ["audit", page],
                 ["new", tmp_path / "n.xlsx", "--from", xlsx]):
        code, out, err = run(capsys, *argv)
        assert code == 2 and "无法读取" in err and "Traceback" not in out + err, (argv, err)


# ------------------------------------------------------------------ agency names in file names
def test_long_agency_names_are_shortened_and_stay_apart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stems = set()
    for n, tail in enumerate(["甲", "乙"]):
        path = _json_with(tmp_path, f"{n}.json", agency="很长的机关名称" * 60 + tail)
        code, _, err = run(capsys, "export", path, "-o", tmp_path / "out")
        assert code == 0, err
    for written in (tmp_path / "out").iterdir():
        assert len(written.name.encode("utf-8")) <= 200
        stems.add(written.stem)
    assert len(stems) == 2


@pytest.mark.parametrize("control", ["\u202e", "\u202d", "\u2066", "\u200f", "\u200b", "\ufeff"])
def test_bidi_and_format_characters_never_reach_file_names(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], control: str) -> None:
    path = _json_with(tmp_path, "b.json", agency=f"保定{control}xcod.exe")
    code, _, err = run(capsys, "export", path, "-o", tmp_path / "out")
    assert code == 0, err
    names = [p.name for p in (tmp_path / "out").iterdir()]
    assert len(names) == 3
    assert all(control not in n and n.startswith("保定xcod.exe2024年") for n in names)

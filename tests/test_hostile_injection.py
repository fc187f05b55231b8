"""Formula injection (issue 10 item 1): every text we put in a workbook cell is written as text,
wherever it came from (--agency, a report JSON, a published page, last year's report, drafts,
the file's rule switches). No hostile value may become a ``<f>`` in the sheet XML."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from xxgk.cli import main
from xxgk.examples import load_example
from xxgk.report import Report
from xxgk.spec import TEXT
from xxgk.workbook import build_workbook
from xxgk.workbook.reader import read_workbook

# The usual CSV/Excel injection openers: =, +, -, @ (and a DDE payload).
HOSTILE = ["=cmd|' /C calc'!A0", "+HYPERLINK(\"http://x\")", "-2+3+cmd|' /C x'!A0", "@SUM(1+1)*cmd|' /C x'!A0"]


def formulas(data: bytes) -> dict[tuple[str, str], str]:
    """(sheet part, cell) → formula text, straight from the sheet XML."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if not name.startswith("xl/worksheets/sheet"):
                continue
            xml = z.read(name).decode("utf-8")
            for m in re.finditer(r'<c r="([A-Z]+\d+)"[^>]*>(?:(?!</c>).)*?<f>([^<]*)</f>', xml, re.S):
                out[(name, m.group(1))] = m.group(2)
    return out


def hostile_report(payload: str) -> Report:
    """The example report with ``payload`` in every text a person or a file can supply."""
    report = load_example()
    fmt = report.spec
    report.agency = payload
    report.texts = {k: payload for k in fmt.texts}
    report.drafts = {k: payload for k in fmt.texts}
    for key, fact in fmt.facts.items():
        if fact.type == TEXT:
            report.facts[key] = payload
    report.disabled_rules = [payload]
    prev = load_example()
    prev.year = report.year - 1
    prev.agency = payload
    prev.texts = {k: payload for k in fmt.texts}
    report.previous = prev
    return report


@pytest.fixture(scope="module")
def clean_formulas() -> dict[tuple[str, str], str]:
    report = load_example()
    report.previous = load_example()
    return formulas(build_workbook(report))


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_texts_are_written_as_text(payload: str, clean_formulas, tmp_path: Path) -> None:
    data = build_workbook(hostile_report(payload))
    found = formulas(data)
    # Exactly the builder's own formulas, none of them carrying the payload.
    assert set(found) == set(clean_formulas)
    assert not [f for f in found.values() if payload.lstrip("=+-@")[:6] in f]
    path = tmp_path / "inj.xlsx"
    path.write_bytes(data)
    back = read_workbook(path)
    fmt = back.spec
    assert back.agency == payload
    assert back.texts == {k: payload for k in fmt.texts}
    assert back.drafts == {k: payload for k in fmt.texts}
    assert all(back.facts[k] == payload for k, f in fmt.facts.items() if f.type == TEXT)
    assert back.disabled_rules == [payload]
    assert back.previous is not None and back.previous.agency == payload
    assert back.previous.texts == {k: payload for k in fmt.texts}


def test_cli_new_agency_is_text(tmp_path: Path, capsys) -> None:
    out = tmp_path / "inj.xlsx"
    assert main(["new", str(out), "--year", "2024", "--agency", HOSTILE[0]]) == 0
    assert not [f for f in formulas(out.read_bytes()).values() if "cmd" in f]
    assert read_workbook(out).agency == HOSTILE[0]


def test_cli_new_from_json_is_text(tmp_path: Path, capsys) -> None:
    """A report JSON from someone else (or imported from a published page's title) is data."""
    src = tmp_path / "r.json"
    data = load_example().to_dict()
    data["agency"] = HOSTILE[0]
    data["texts"]["s5.text"] = HOSTILE[3]
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "from.xlsx"
    assert main(["new", str(out), "--from", str(src)]) == 0
    assert not [f for f in formulas(out.read_bytes()).values() if "cmd" in f]
    back = read_workbook(out)
    assert back.agency == HOSTILE[0] and back.texts["s5.text"] == HOSTILE[3]

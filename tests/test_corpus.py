"""`xxgk audit` over a corpus of real published reports, compared with what a person found in
each by hand: the verdict, the report's real defects (each must be found), no 错误 outside them
(a false 错误), the hand-checked figures, and for a refused file the true reason.

The files are not in the repository (see tests/corpus/README.md); without them the comparison
skips, but the manifest and the expected files are still checked against each other.
A report whose comparison fails because of a known reader gap is marked xfail (strict) with the
gap: when the gap is closed the test says so and the mark must go.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_data import (
    EXPECTED,
    REFUSED,
    VERDICTS,
    audit_outcome,
    corpus_dir,
    load_expected,
    load_manifest,
    missing_reason,
    sha256,
)
from xxgk.rules import rule_ids

MANIFEST = load_manifest()
FIELDS = ("file", "sha256", "size", "source", "agency", "level", "province", "year", "format", "layout")


def _params() -> list:
    out = []
    for entry in MANIFEST:
        exp = load_expected(entry["file"])
        marks = [pytest.mark.xfail(strict=True, reason=f"{exp.gap_class}: {exp.gap}")] if exp.gap else []
        if entry["file"].endswith(".pdf"):
            marks.append(pytest.mark.slow)  # pdftotext
        out.append(pytest.param(entry, exp, marks=marks, id=entry["file"]))
    return out


def test_manifest_and_expected_files_agree() -> None:
    files = [e["file"] for e in MANIFEST]
    assert len(files) == len(set(files)), "a file is listed twice"
    assert sorted(Path(f).stem for f in files) == sorted(p.stem for p in EXPECTED.glob("*.toml"))
    known = set(rule_ids())
    for entry in MANIFEST:
        assert all(k in entry for k in FIELDS), f"{entry['file']}: manifest lacks {set(FIELDS) - set(entry)}"
        exp = load_expected(entry["file"])
        assert exp.file == entry["file"]
        assert exp.verdict in VERDICTS
        named = {r for d in exp.defects for r in d.split("|")}
        assert named | set(exp.accepted) <= known, f"{exp.file}: unknown rule id"
        if exp.verdict == REFUSED:
            assert exp.refusal, f"{exp.file}: a refusal must name the words of its true reason"
        else:
            # At least one hand-checked figure per table found in the file.
            assert {k.split(".")[0] for k in exp.figures} >= set(exp.present), exp.file


@pytest.mark.parametrize(("entry", "exp"), _params())
def test_corpus_report(entry: dict, exp) -> None:
    folder = corpus_dir()
    if folder is None:
        pytest.skip(missing_reason())
    path = folder / entry["file"]
    assert path.is_file(), f"{path} missing from the corpus folder"
    assert sha256(path) == entry["sha256"], f"{path} is not the file the manifest records"
    outcome = audit_outcome(path, exp)
    assert outcome.problems(exp) == []

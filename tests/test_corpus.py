"""`xxgk audit` over a corpus of real published reports, compared with what a person found in
each by hand: the verdict, the report's real defects (each must be found), no 错误 outside them
(a false 错误), the hand-checked figures, and for a refused file the true reason.

The files are not in the repository (see tests/corpus/README.md); without them the comparison
skips, but the manifest and the expected files are still checked against each other.
A report whose comparison fails because of a known reader gap is marked xfail (strict) with the
gap: when the gap is closed the test says so and the mark must go.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from corpus_data import (
    CLEAN,
    ERRORS,
    EXPECTED,
    REFUSED,
    VERDICTS,
    Expected,
    Outcome,
    audit_outcome,
    load_expected,
    load_manifest,
    missing_reason,
    report_path,
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


def test_comparison_names_every_difference() -> None:
    """The comparison itself, without the corpus: each way an audit can disagree is reported."""
    exp = Expected(file="x.txt", verdict=ERRORS, defects=["T4-GROUP-SUM", "CELL-BLANK|CELL-UNREAD"],
                   accepted=["FORM-S6-FEE"], figures={"t3.new.total": Decimal(21)})
    agrees = Outcome(verdict=ERRORS, rules={"T4-GROUP-SUM", "CELL-UNREAD", "FORM-S6-FEE"},
                     error_rules={"T4-GROUP-SUM", "CELL-UNREAD", "FORM-S6-FEE"}, figures={"t3.new.total": 21})
    assert agrees.problems(exp) == []
    wrong = Outcome(verdict=CLEAN, rules={"T3-IDENTITY"}, error_rules={"T3-IDENTITY"}, figures={"t3.new.total": 12})
    assert wrong.problems(exp) == [
        "verdict 未发现错误 != expected 有错误",
        "missed defect T4-GROUP-SUM",
        "missed defect CELL-BLANK|CELL-UNREAD",
        "false 错误 T3-IDENTITY",
        "figure t3.new.total: read 12, printed 21",
    ]
    refusal = Expected(file="y.txt", verdict=REFUSED, refusal=["连在一起"], refusal_lacks=["看起来不是"])
    assert Outcome(verdict=REFUSED, refusal="表格的数字连在一起，请改用 .html").problems(refusal) == []
    assert len(Outcome(verdict=REFUSED, refusal="看起来不是年报").problems(refusal)) == 2


@pytest.mark.parametrize(("entry", "exp"), _params())
def test_corpus_report(entry: dict, exp) -> None:
    path = report_path(entry)
    if path is None:
        pytest.skip(missing_reason())
    assert path.is_file(), f"{path} missing from the corpus folder"
    assert sha256(path) == entry["sha256"], f"{path} is not the file the manifest records"
    outcome = audit_outcome(path, exp)
    assert outcome.problems(exp) == []

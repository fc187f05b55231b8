"""The corpus of real published reports: where its files are, what the manifest says of each,
what a person found in each by hand (tests/corpus/expected/<file stem>.toml), and how an audit
compares with that. Shared by tests/test_corpus.py and bench/bench_corpus.py.

The report files themselves are not in this repository (they are other people's publications):
they live in the folder named by XXGK_CORPUS, else in ../shared/corpus beside the checkout.
Only our own work is here: the manifest (provenance and sha256 of every file) and the expected
results, typed from each document by hand, never copied from the tool's output.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomllib

from xxgk.errors import InputError

HERE = Path(__file__).resolve().parent / "corpus"
MANIFEST = HERE / "manifest.toml"
EXPECTED = HERE / "expected"
ENV = "XXGK_CORPUS"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"

# What the audit says of a file, as the expected files spell it.
CLEAN, ERRORS, REFUSED = "未发现错误", "有错误", "拒绝读取"
VERDICTS = (CLEAN, ERRORS, REFUSED)


def corpus_dir() -> Path | None:
    """The folder holding the report files, or None when neither place exists."""
    named = os.environ.get(ENV)
    if named:
        path = Path(named)
        return path if path.is_dir() else None
    return SHARED if SHARED.is_dir() else None


def report_path(entry: dict[str, Any]) -> Path | None:
    """Where the file of one manifest entry is: the corpus folder, else (for the reports that are
    also shared examples) ../shared/examples, which every checkout and CI run has beside it."""
    folder = corpus_dir()
    if folder is not None:
        return folder / entry["file"]
    if entry.get("shared_example"):
        path = SHARED.parent / "examples" / entry["shared_example"]
        return path if path.is_file() else None
    return None


def missing_reason() -> str:
    return (f"语料库文件夹不存在：请设置环境变量 {ENV}，或把文件放到 {SHARED}。"
            f" / Corpus folder not found: set {ENV} or place the files in {SHARED}.")


@dataclass
class Expected:
    """What a person found in one report by hand."""

    file: str
    verdict: str
    # Rule ids of the report's real defects; "A|B" when either rule names the defect rightly.
    defects: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)  # other 错误 rules that are right to raise
    figures: dict[str, Decimal] = field(default_factory=dict)  # cell key -> value, typed by hand
    present: dict[str, int] = field(default_factory=dict)  # figures printed per table
    refusal: list[str] = field(default_factory=list)  # words the refusal must contain
    refusal_lacks: list[str] = field(default_factory=list)  # words of a false reason it must not
    # Printed figures no cell of the report's format holds (a 2019 表三's one （六）其他处理 row in
    # a 2021-format report, which splits it in three): present, but rightly not read.
    no_cell: int = 0
    gap: str = ""  # a known reader gap: the comparison is expected to fail, for this reason
    gap_class: str = ""
    note: str = ""

    @property
    def cells_present(self) -> int:
        return sum(self.present.values())

    @property
    def cells_readable(self) -> int:
        return self.cells_present - self.no_cell


def load_manifest() -> list[dict[str, Any]]:
    return tomllib.loads(MANIFEST.read_text(encoding="utf-8"))["report"]


def row_figures(rows: dict[str, list[Any]], version: str = "2021") -> dict[str, Decimal]:
    """``[rows]`` of an expected file: a row (``t3.new``) or table (``t4``) typed by hand as its
    figures in printed order, spread over the format's cells under that key, in spec order."""
    from xxgk.spec import load_format

    cells = list(load_format(version).cells)
    out: dict[str, Decimal] = {}
    for prefix, values in rows.items():
        keys = [k for k in cells if k.startswith(prefix + ".")]
        if len(keys) != len(values):
            raise ValueError(f"[rows] {prefix}: {len(values)} figures typed, the format has {len(keys)} cells")
        out.update({k: Decimal(str(v)) for k, v in zip(keys, values, strict=True)})
    return out


def load_expected(file: str) -> Expected:
    path = EXPECTED / (Path(file).stem + ".toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    gap = data.get("known_gap", {})
    figures = row_figures(data.get("rows", {}), data.get("rows_format", "2021"))
    typed = {k: Decimal(str(v)) for k, v in data.get("figures", {}).items()}
    clash = {k for k in typed if k in figures and typed[k] != figures[k]}
    if clash:
        raise ValueError(f"{file}: [figures] and [rows] disagree on {sorted(clash)}")
    figures.update(typed)
    return Expected(
        file=data["file"],
        verdict=data["verdict"],
        defects=list(data.get("defects", [])),
        accepted=list(data.get("accepted", [])),
        figures=figures,
        present=dict(data.get("present", {})),
        refusal=list(data.get("refusal", {}).get("contains", [])),
        refusal_lacks=list(data.get("refusal", {}).get("lacks", [])),
        no_cell=data.get("no_cell", 0),
        gap=gap.get("reason", ""),
        gap_class=gap.get("class", ""),
        note=data.get("note", ""),
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Outcome:
    """An audit of one corpus file set against its expected file."""

    verdict: str
    refusal: str = ""  # the Chinese message, when refused
    rules: set[str] = field(default_factory=set)  # every rule that fired
    error_rules: set[str] = field(default_factory=set)
    cells_read: int = 0
    # Cells of the report's format that a table printed in another format version lacks.
    cells_other_format: int = 0
    tables_other_format: dict[str, str] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)  # key -> what the reader got

    def problems(self, exp: Expected) -> list[str]:
        """Every way this outcome differs from what was found by hand (empty: it agrees)."""
        out: list[str] = []
        if self.verdict != exp.verdict:
            out.append(f"verdict {self.verdict} != expected {exp.verdict}"
                       + (f" ({self.refusal})" if self.refusal else ""))
        if exp.verdict == REFUSED:
            out += [f"refusal lacks {w!r}: {self.refusal}" for w in exp.refusal if w not in self.refusal]
            out += [f"refusal says {w!r}: {self.refusal}" for w in exp.refusal_lacks if w in self.refusal]
            return out
        out += [f"missed defect {r}" for r in self.missed(exp)]
        out += [f"false 错误 {r}" for r in sorted(self.false_errors(exp))]
        for key, want in exp.figures.items():
            got = self.figures.get(key)
            if got is None or Decimal(str(got)) != want:
                out.append(f"figure {key}: read {got}, printed {want}")
        return out

    def missed(self, exp: Expected) -> list[str]:
        return [d for d in exp.defects if not set(d.split("|")) & self.rules]

    def false_errors(self, exp: Expected) -> set[str]:
        named = {r for d in exp.defects for r in d.split("|")}
        return self.error_rules - named - set(exp.accepted)


def audit_outcome(path: Path, exp: Expected) -> Outcome:
    """Run the audit ``xxgk audit`` runs (import + every rule), in-process."""
    from xxgk.importer.audit import audit_file

    try:
        audit = audit_file(path)
    except InputError as exc:
        return Outcome(verdict=REFUSED, refusal=str(exc))
    assert audit.result is not None
    cells = audit.result.report.cells
    return Outcome(
        verdict=ERRORS if audit.errors else CLEAN,
        rules={f.rule for f in audit.findings},
        error_rules={f.rule for f in audit.findings if f.is_error},
        cells_read=audit.result.cells_read,
        cells_other_format=len(audit.result.cells_other_format),
        tables_other_format=dict(audit.result.tables_other_format),
        figures={k: cells.get(k) for k in exp.figures},
    )

"""One input file → its hash, its report (as JSON data) and the findings of the rules that need
no other report. Runs in worker processes (``--jobs``): plain data in, plain data out."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from xxgk.errors import InputError
from xxgk.rules import Finding

# Facts feed the narrative generator; a collected report need not carry them (as in audit).
OFFICE_DISABLED = ("FACT-BLANK",)
SUFFIXES = {".json", ".xlsx", ".xlsm"}  # besides the importer's published-report suffixes


def input_suffixes() -> set[str]:
    from xxgk.importer import SUFFIXES as PUBLISHED

    return SUFFIXES | set(PUBLISHED)


# Written into everything the office writes (summary workbook, dashboard, letters) so that a
# later audit of the same folder does not take them for reports.
OUTPUT_MARK = "xxgk-office-output"


def is_office_output(path: Path) -> bool:
    """Is this a file the office wrote (found by :data:`OUTPUT_MARK`)?"""
    import zipfile

    suffix = path.suffix.lower()
    try:
        if suffix in (".html", ".htm"):
            with open(path, "rb") as fh:
                return OUTPUT_MARK.encode() in fh.read(4096)
        if suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as z:
                return OUTPUT_MARK.encode() in z.read("docProps/core.xml")[:20000]
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return False


def expand(names: list[str]) -> list[Path]:
    """Each name as given; a folder as every report file in it (sub-folders too), sorted, less
    what the office itself wrote there."""
    suffixes = input_suffixes()
    out: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes
                           and not p.name.startswith((".", "~$")) and not is_office_output(p))
            if not found:
                raise InputError(f"文件夹 {path} 中没有可读取的年报文件（{'/'.join(sorted(suffixes))}）。")
            out += found
        elif path.is_file():
            out.append(path)
        else:
            raise InputError(f"找不到文件或文件夹：{path}。请检查路径。")
    return list(dict.fromkeys(out))


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fingerprint(left: Any, right: Any, diff: Any) -> str:
    """What a finding compared, as a short hash: a decision stays with these values."""
    text = json.dumps([left, right, diff], ensure_ascii=False, default=str, sort_keys=True)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def finding_row(f: Finding, origin: str = "rules") -> dict[str, Any]:
    d = f.to_dict()
    return {"id": f.id, "origin": origin, "rule": f.rule, "severity": f.severity.value, "title": f.title,
            "message": f.message, "addresses": d["addresses"], "left": d["left"], "right": d["right"],
            "diff": d["diff"], "fingerprint": fingerprint(d["left"], d["right"], d["diff"])}


def read_one(path: str, digest: str = "", disabled: tuple[str, ...] = ()) -> dict[str, Any]:
    """Read and check one file. Never raises for a bad file: the outcome says why it was refused."""
    from xxgk.rules import check
    from xxgk.sources import read_report

    p = Path(path)
    out: dict[str, Any] = {"path": path, "hash": digest or file_hash(p)}
    try:
        report = read_report(p)
        findings = check(report, disabled=[*OFFICE_DISABLED, *disabled])
    except Exception as exc:  # one bad file never stops a batch: refused, or the trace goes to the log
        from xxgk.batch import FileFailure

        failed = FileFailure.of(path, exc)
        return {**out, "status": failed.status, "error": failed.reason}
    return {**out, "status": "checked", "report": report.to_dict(),
            "findings": [finding_row(f) for f in findings]}

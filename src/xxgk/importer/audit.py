"""``xxgk audit``: import published reports and run every rule on each, for the office that
collects them. One Chinese report per file and a summary table over many."""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from xxgk.findings_report import as_dict, render_text
from xxgk.importer import ImportResult, import_report
from xxgk.jsonstream import JsonList
from xxgk.rules import Finding, check

# Facts are inputs of the narrative generator, not part of a published report: a published
# report cannot "lack" them, so audit does not ask for them.
AUDIT_DISABLED = ("FACT-BLANK",)


# What became of one file of a batch. "refused": it could not be read (``Audit.error`` says
# why); "read": it was read but its rules could not all be run; "checked": read and checked.
REFUSED, READ, CHECKED = "refused", "read", "checked"
STATUS_LABELS = {REFUSED: "无法读取", READ: "已读取、未校验", CHECKED: "已校验"}

# The exit code of a batch, worst first: an internal error reading a file → 3, else any file
# refused → 2, else any 错误 → 1, else 0.
BATCH_EXIT_RULE = "退出码：有文件读取时发生内部错误为 3；否则有文件无法读取为 2；否则有文件有错误为 1；否则为 0。"


@dataclass
class Audit:
    source: str
    result: ImportResult | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str = ""  # why the file could not be read, or (read but not checked) not checked
    checked: bool = True  # False: read, but the rules could not be run on it
    disabled: tuple[str, ...] = ()  # rules the command switched off (listed in the output)
    internal: bool = False  # not read because of an internal error (its trace is in the log)

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    @property
    def status(self) -> str:
        if self.result is None:
            return REFUSED
        return CHECKED if self.checked else READ


def batch_exit_code(audits: Sequence[Audit]) -> int:
    """The exit code of a batch (:data:`BATCH_EXIT_RULE`)."""
    return exit_code(internal=any(a.internal for a in audits),
                     not_checked=any(a.status != CHECKED for a in audits),
                     with_errors=any(a.errors for a in audits))


def exit_code(*, internal: bool, not_checked: bool, with_errors: bool) -> int:
    """:data:`BATCH_EXIT_RULE`: 3 if reading a file met an internal error, else 2 if any file was
    refused or could not be checked, else 1 if any has 错误, else 0."""
    from xxgk.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK

    return EXIT_INTERNAL if internal else EXIT_INPUT if not_checked else EXIT_FINDINGS if with_errors else EXIT_OK


def expand_inputs(names: Sequence[str | Path]) -> list[str]:
    """The files to audit: each name as given, a folder as every published-report file in it
    (and its sub-folders), sorted. A folder without any is an InputError. Names, not Path
    objects: a national year's batch holds 100,000 of them."""
    from xxgk.errors import InputError
    from xxgk.importer import SUFFIXES

    out: list[str] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            found = list(_report_files(str(path), SUFFIXES))
            if not found:
                raise InputError(f"文件夹 {path} 中没有可读取的年报文件（.html/.htm/.docx/.pdf/.txt）。")
            out += found
        else:
            out.append(str(path))
    return out


def _report_files(folder: str, suffixes: Iterable[str]) -> Iterator[str]:
    """The report files under ``folder``, in the order of sorted Path objects (as ``rglob``
    finds them: symlinked folders not followed), holding one folder's names at a time."""
    for name in sorted(os.listdir(folder), key=os.path.normcase):
        path = os.path.join(folder, name)
        if os.path.isdir(path) and not os.path.islink(path):
            yield from _report_files(path, suffixes)
        elif os.path.splitext(name)[1].lower() in suffixes and os.path.isfile(path):
            yield path


def audit_file(path: str | Path, disabled: Iterable[str] = ()) -> Audit:
    """Import and check one file. Raises :class:`~xxgk.errors.InputError` if it cannot be read."""
    result = import_report(path)
    off = (*AUDIT_DISABLED, *disabled)
    findings = check(result.report, disabled=off)
    return Audit(str(path), result, findings, disabled=off)


def render_audit(audit: Audit, limit: int = 10) -> str:
    assert audit.result is not None
    head = "【读取情况】\n" + "".join(f"  {ln}\n" for ln in audit.result.summary_text().splitlines())
    body = render_text(audit.findings, audit.result.report, Path(audit.source).name, limit=limit,
                       disabled=audit.disabled)
    # A published report is not exported again: say what the verdict means for it.
    verdict = f"结论：{'有错误' if audit.errors else '未发现错误'}（错误 {audit.errors} 处，提示 {audit.warnings} 处）"
    body = "\n".join(verdict if ln.startswith("结论：") else ln for ln in body.split("\n"))
    return head + "【校验结果】\n" + body


def audit_dict(audit: Audit) -> dict[str, Any]:
    if audit.result is None:
        return {"source": audit.source, "readable": False, "status": audit.status, "error": audit.error}
    d = as_dict(audit.findings, audit.result.report, audit.source, disabled=audit.disabled)
    d["readable"] = True
    d["status"] = audit.status
    d["import"] = audit.result.to_dict()
    return d


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def summary_row(n: int, a: Audit) -> dict[str, Any]:
    """What became of file number ``n`` of a batch: refused (and why), read, or checked (with its counts)."""
    row: dict[str, Any] = {"n": n, "source": a.source, "file": Path(a.source).name, "status": a.status,
                           "status_label": STATUS_LABELS[a.status]}
    if a.result is None:
        row["reason"] = a.error
        return row
    r = a.result
    row.update(agency=r.report.agency or None, year=r.report.year, format=r.report.format,
               cells_read=r.cells_read, cells_total=r.cells_total)
    if a.status == READ:
        row["reason"] = a.error
    else:
        row.update(errors=a.errors, warnings=a.warnings, exportable=a.errors == 0,
                   rules=sorted({f.rule for f in a.findings if f.is_error}))
    return row


class Summary:
    """The summary of a batch, built one file at a time: the counts in memory, the rows in a
    temporary file. A batch of any size keeps one file's result and one row in memory, so the
    collecting office can audit a national year in one run."""

    def __init__(self) -> None:
        self.files = 0
        self.count = {CHECKED: 0, READ: 0, REFUSED: 0}
        self.with_errors = 0
        self.internal = 0
        self._rows = tempfile.TemporaryFile("w+", encoding="utf-8")

    @classmethod
    def of(cls, audits: Iterable[Audit]) -> Summary:
        summary = cls()
        for audit in audits:
            summary.add(audit)
        return summary

    def add(self, audit: Audit) -> dict[str, Any]:
        self.files += 1
        row = summary_row(self.files, audit)
        self.count[row["status"]] += 1
        self.with_errors += bool(row.get("errors"))
        self.internal += audit.internal
        self._rows.write(json.dumps(row, ensure_ascii=False) + "\n")
        return row

    def rows(self) -> Iterator[dict[str, Any]]:
        self._rows.flush()
        self._rows.seek(0)
        for line in self._rows:
            yield json.loads(line)
        self._rows.seek(0, 2)  # further rows go at the end

    @property
    def exit_code(self) -> int:
        """:data:`BATCH_EXIT_RULE`, as :func:`batch_exit_code`."""
        return exit_code(internal=bool(self.internal), not_checked=bool(self.count[READ] or self.count[REFUSED]),
                         with_errors=bool(self.with_errors))

    def head(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "checked": self.count[CHECKED],
            "read_not_checked": self.count[READ],
            "refused": self.count[REFUSED],
            "with_errors": self.with_errors,
            "without_errors": self.count[CHECKED] - self.with_errors,  # only checked files count errors
            "exit_code": self.exit_code,
            "exit_rule": BATCH_EXIT_RULE,
        }

    def write_json(self, out: TextIO) -> None:
        """The summary as :func:`summary_dict` gives it, written row by row."""
        head = json.dumps(self.head(), ensure_ascii=False, indent=2)
        out.write(head[: -len("\n}")] + ',\n  "results": ')
        rows = JsonList(out, level=1)
        for row in self.rows():
            rows.add(row)
        rows.close()
        out.write("\n}\n")

    def close(self) -> None:
        self._rows.close()

    def __enter__(self) -> Summary:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def summary_dict(audits: Sequence[Audit] | Summary) -> dict[str, Any]:
    """The batch summary as data (``xxgk audit --summary --format json``)."""
    if isinstance(audits, Summary):
        return {**audits.head(), "results": list(audits.rows())}
    with Summary.of(audits) as summary:
        return summary_dict(summary)


def summary_table(audits: Sequence[Audit] | Summary) -> str:
    """One line per file: who, which year and format, how much was read, errors, warnings."""
    if not isinstance(audits, Summary):
        with Summary.of(audits) as summary:
            return summary_table(summary)
    summary = audits
    header = ["序号", "文件", "机关", "年度", "格式", "读到单元格", "错误", "提示", "结论"]
    widths = [_width(h) for h in header]
    for cells in _table_rows(summary):  # first pass: the column widths
        widths = [max(w, _width(c)) for w, c in zip(widths, cells, strict=True)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(header, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(cells, widths, strict=True)).rstrip()
              for cells in _table_rows(summary)]
    d = summary.head()
    lines.append("")
    lines.append(f"共 {d['files']} 份：未发现错误 {d['without_errors']} 份，有错误 {d['with_errors']} 份，"
                 + (f"已读取但未能校验 {d['read_not_checked']} 份，" if d["read_not_checked"] else "")
                 + f"无法读取 {d['refused']} 份。")
    lines.append(f"本次退出码为 {d['exit_code']}。{BATCH_EXIT_RULE}")
    return "\n".join(lines) + "\n"


def _table_rows(summary: Summary) -> Iterator[list[str]]:
    for row in summary.rows():
        head = [str(row["n"]), row["file"]]
        if row["status"] == REFUSED:
            yield [*head, "—", "—", "—", "—", "—", "—", f"{STATUS_LABELS[REFUSED]}：" + _first_line(row["reason"])]
            continue
        head += [row["agency"] or "（未识别）", str(row["year"]), row["format"], f"{row['cells_read']}/{row['cells_total']}"]
        if row["status"] == READ:
            yield [*head, "—", "—", "未能校验：" + _first_line(row["reason"])]
        else:
            yield [*head, str(row["errors"]), str(row["warnings"]), "有错误" if row["errors"] else "未发现错误"]


def _first_line(reason: str) -> str:
    return (reason.splitlines() or [""])[0][:40]

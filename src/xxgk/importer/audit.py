"""``xxgk audit``: import published reports and run every rule on each, for the office that
collects them. One Chinese report per file and a summary table over many."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xxgk.findings_report import as_dict, render_text
from xxgk.importer import ImportResult, import_report
from xxgk.rules import Finding, check

# Facts are inputs of the narrative generator, not part of a published report: a published
# report cannot "lack" them, so audit does not ask for them.
AUDIT_DISABLED = ("FACT-BLANK",)


# What became of one file of a batch. "refused": it could not be read (``Audit.error`` says
# why); "read": it was read but its rules could not all be run; "checked": read and checked.
REFUSED, READ, CHECKED = "refused", "read", "checked"
STATUS_LABELS = {REFUSED: "无法读取", READ: "已读取、未校验", CHECKED: "已校验"}

# The exit code of a batch, worst first: any file refused → 2, else any 错误 → 1, else 0.
BATCH_EXIT_RULE = "退出码：有文件无法读取为 2；否则有文件有错误为 1；否则为 0。"


@dataclass
class Audit:
    source: str
    result: ImportResult | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str = ""  # why the file could not be read, or (read but not checked) not checked
    checked: bool = True  # False: read, but the rules could not be run on it
    disabled: tuple[str, ...] = ()  # rules the command switched off (listed in the output)

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
    """The exit code of a batch (:data:`BATCH_EXIT_RULE`): 2 if any file was refused or could
    not be checked, else 1 if any has 错误, else 0."""
    if any(a.status != CHECKED for a in audits):
        return 2
    return 1 if any(a.errors for a in audits) else 0


def expand_inputs(names: Sequence[str | Path]) -> list[Path]:
    """The files to audit: each name as given, a folder as every published-report file in it
    (and its sub-folders), sorted. A folder without any is an InputError."""
    from xxgk.errors import InputError
    from xxgk.importer import SUFFIXES

    out: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not found:
                raise InputError(f"文件夹 {path} 中没有可读取的年报文件（.html/.htm/.docx/.pdf/.txt）。")
            out += found
        else:
            out.append(path)
    return out


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


def summary_rows(audits: Sequence[Audit]) -> list[dict[str, Any]]:
    """Per file, what became of it: refused (and why), read, or checked (with its counts)."""
    rows: list[dict[str, Any]] = []
    for n, a in enumerate(audits, 1):
        row: dict[str, Any] = {"n": n, "source": a.source, "file": Path(a.source).name, "status": a.status,
                               "status_label": STATUS_LABELS[a.status]}
        if a.result is None:
            row["reason"] = a.error
            rows.append(row)
            continue
        r = a.result
        row.update(agency=r.report.agency or None, year=r.report.year, format=r.report.format,
                   cells_read=r.cells_read, cells_total=r.cells_total)
        if a.status == READ:
            row["reason"] = a.error
        else:
            row.update(errors=a.errors, warnings=a.warnings, exportable=a.errors == 0,
                       rules=sorted({f.rule for f in a.findings if f.is_error}))
        rows.append(row)
    return rows


def summary_dict(audits: Sequence[Audit]) -> dict[str, Any]:
    """The batch summary as data (``xxgk audit --summary --format json``)."""
    rows = summary_rows(audits)
    count = {s: sum(1 for r in rows if r["status"] == s) for s in (CHECKED, READ, REFUSED)}
    return {
        "files": len(rows),
        "checked": count[CHECKED],
        "read_not_checked": count[READ],
        "refused": count[REFUSED],
        "with_errors": sum(1 for r in rows if r.get("errors")),
        "without_errors": sum(1 for r in rows if r["status"] == CHECKED and not r["errors"]),
        "exit_code": batch_exit_code(audits),
        "exit_rule": BATCH_EXIT_RULE,
        "results": rows,
    }


def summary_table(audits: Sequence[Audit]) -> str:
    """One line per file: who, which year and format, how much was read, errors, warnings."""
    header = ["序号", "文件", "机关", "年度", "格式", "读到单元格", "错误", "提示", "结论"]
    rows = []
    for row in summary_rows(audits):
        if row["status"] == REFUSED:
            rows.append([str(row["n"]), row["file"], "—", "—", "—", "—", "—", "—",
                         "无法读取：" + (row["reason"].splitlines() or [""])[0][:40]])
            continue
        read = f"{row['cells_read']}/{row['cells_total']}"
        if row["status"] == READ:
            rows.append([str(row["n"]), row["file"], row["agency"] or "（未识别）", str(row["year"]), row["format"],
                         read, "—", "—", "未能校验：" + (row["reason"].splitlines() or [""])[0][:40]])
            continue
        rows.append([str(row["n"]), row["file"], row["agency"] or "（未识别）", str(row["year"]), row["format"],
                     read, str(row["errors"]), str(row["warnings"]), "有错误" if row["errors"] else "未发现错误"])
    widths = [max(_width(x) for x in col) for col in zip(header, *rows, strict=True)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(header, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    d = summary_dict(audits)
    lines.append("")
    lines.append(f"共 {d['files']} 份：未发现错误 {d['without_errors']} 份，有错误 {d['with_errors']} 份，"
                 + (f"已读取但未能校验 {d['read_not_checked']} 份，" if d["read_not_checked"] else "")
                 + f"无法读取 {d['refused']} 份。")
    lines.append(f"本次退出码为 {d['exit_code']}。{BATCH_EXIT_RULE}")
    return "\n".join(lines) + "\n"

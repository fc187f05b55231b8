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


@dataclass
class Audit:
    source: str
    result: ImportResult | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str = ""  # why the file could not be read
    disabled: tuple[str, ...] = ()  # rules the command switched off (listed in the output)

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


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
        return {"source": audit.source, "readable": False, "error": audit.error}
    d = as_dict(audit.findings, audit.result.report, audit.source, disabled=audit.disabled)
    d["readable"] = True
    d["import"] = audit.result.to_dict()
    return d


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def summary_table(audits: Sequence[Audit]) -> str:
    """One line per file: who, which year and format, how much was read, errors, warnings."""
    header = ["序号", "文件", "机关", "年度", "格式", "读到单元格", "错误", "提示", "结论"]
    rows = []
    for n, a in enumerate(audits, 1):
        name = Path(a.source).name
        if a.result is None:
            rows.append([str(n), name, "—", "—", "—", "—", "—", "—", "无法读取：" + a.error.splitlines()[0][:40]])
            continue
        r = a.result
        verdict = "有错误" if a.errors else "未发现错误"
        rows.append([str(n), name, r.report.agency or "（未识别）", str(r.report.year), r.report.format,
                     f"{r.cells_read}/{r.cells_total}", str(a.errors), str(a.warnings), verdict])
    widths = [max(_width(x) for x in col) for col in zip(header, *rows, strict=True)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(header, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    bad = sum(1 for a in audits if a.result is None)
    with_errors = sum(1 for a in audits if a.result is not None and a.errors)
    lines.append("")
    lines.append(f"共 {len(audits)} 份：未发现错误 {len(audits) - bad - with_errors} 份，有错误 {with_errors} 份，无法读取 {bad} 份。")
    return "\n".join(lines) + "\n"

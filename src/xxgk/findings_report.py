"""Findings as a person reads them (grouped by severity, then rule, counted) or as JSON."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import Any

from xxgk.report import Report
from xxgk.rules import BY_LABEL, Finding, Severity, Switch, catalogue, switches


def verdict(findings: Sequence[Finding]) -> str:
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    head = "不可导出：请先改正全部错误" if errors else "可以导出"
    return f"{head}（错误 {errors} 处，提示 {warnings} 处）"


def switch_lines(report: Report | None, disabled: Iterable[str] = ()) -> list[str]:
    """Which rules were off in this run and who switched them off (文件 or 命令), and which a
    file asked to switch off but may not. Empty when every rule ran."""
    lines = []
    off, kept = _off_and_kept(report, disabled)
    if off:
        lines.append("停用的规则（未校验）：" + "；".join(
            f"{s.rule} {s.title}（由{BY_LABEL[s.by]}停用）" for s in off))
    if kept:
        lines.append("文件要求停用、但不能由文件停用的规则（已照常校验；确需停用请在命令中用 --disable）："
                     + "；".join(f"{s.rule} {s.title}" for s in kept))
    return lines


def switches_dict(report: Report | None, disabled: Iterable[str] = ()) -> dict[str, Any]:
    """The same as :func:`switch_lines`, for JSON: ``rules_off`` and ``rules_kept_on``."""
    off, kept = _off_and_kept(report, disabled)
    return {"rules_off": [s.to_dict() for s in off], "rules_kept_on": [s.to_dict() for s in kept]}


def _off_and_kept(report: Report | None, disabled: Iterable[str]) -> tuple[list[Switch], list[Switch]]:
    """The switches of a run: those applied, and those a file asked for but may not make."""
    all_switches = switches(report, disabled)
    return [s for s in all_switches if s.applied], [s for s in all_switches if not s.applied]


def render_text(
    findings: Sequence[Finding], report: Report | None = None, source: str = "", limit: int = 10,
    disabled: Iterable[str] = (),
) -> str:
    """A Chinese report: a verdict, the rules that were off (and who switched them off), then
    per severity, per rule, the findings (at most ``limit`` per rule; 0 = all) with the cells
    to look at. ``disabled`` are the rules the command switched off."""
    lines: list[str] = []
    if report is not None:
        who = f"{report.agency or '（未填写机关名称）'} {report.year} 年度报告"
        lines.append(f"{who}{f'（{source}）' if source else ''}")
    elif source:
        lines.append(source)
    lines.append(f"结论：{verdict(findings)}")
    lines += switch_lines(report, disabled)
    order = {r.id: i for i, r in enumerate(catalogue())}
    for severity in (Severity.ERROR, Severity.WARNING):
        group = sorted((f for f in findings if f.severity is severity), key=lambda f: order.get(f.rule, 0))
        if not group:
            continue
        lines.append("")
        lines.append(f"【{severity.label}】共 {len(group)} 处")
        for rule_id, items in groupby(group, key=lambda f: f.rule):
            items = list(items)
            lines.append(f"  ■ {rule_id} {items[0].title}（{len(items)} 处）")
            shown = items if limit <= 0 else items[:limit]
            for f in shown:
                where = "、".join(f.addresses[:4]) + ("等" if len(f.addresses) > 4 else "")
                lines.append(f"    - {f.message}" + (f"  [{where}]" if where else ""))
            if len(shown) < len(items):
                lines.append(f"    ……另有 {len(items) - len(shown)} 处同类问题（加 --limit 0 显示全部）")
    return "\n".join(lines) + "\n"


def as_dict(findings: Sequence[Finding], report: Report | None = None, source: str = "",
            disabled: Iterable[str] = ()) -> dict[str, Any]:
    errors = sum(f.is_error for f in findings)
    return {
        "source": source,
        "agency": report.agency if report else None,
        "year": report.year if report else None,
        "errors": errors,
        "warnings": len(findings) - errors,
        "exportable": errors == 0,
        **switches_dict(report, disabled),
        "findings": [f.to_dict() for f in findings],
    }

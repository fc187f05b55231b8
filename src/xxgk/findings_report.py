"""Findings as a person reads them (grouped by severity, then rule, counted) or as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import groupby
from typing import Any

from xxgk.report import Report
from xxgk.rules import Finding, Severity, catalogue


def verdict(findings: Sequence[Finding]) -> str:
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    head = "不可导出：请先改正全部错误" if errors else "可以导出"
    return f"{head}（错误 {errors} 处，提示 {warnings} 处）"


def render_text(
    findings: Sequence[Finding], report: Report | None = None, source: str = "", limit: int = 10
) -> str:
    """A Chinese report: a verdict, then per severity, per rule, the findings (at most ``limit``
    per rule; 0 = all) with the cells to look at."""
    lines: list[str] = []
    if report is not None:
        who = f"{report.agency or '（未填写机关名称）'} {report.year} 年度报告"
        lines.append(f"{who}{f'（{source}）' if source else ''}")
    elif source:
        lines.append(source)
    lines.append(f"结论：{verdict(findings)}")
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


def as_dict(findings: Sequence[Finding], report: Report | None = None, source: str = "") -> dict[str, Any]:
    errors = sum(f.is_error for f in findings)
    return {
        "source": source,
        "agency": report.agency if report else None,
        "year": report.year if report else None,
        "errors": errors,
        "warnings": len(findings) - errors,
        "exportable": errors == 0,
        "findings": [f.to_dict() for f in findings],
    }


def render_json(results: list[dict[str, Any]]) -> str:
    return json.dumps(results if len(results) != 1 else results[0], ensure_ascii=False, indent=2) + "\n"

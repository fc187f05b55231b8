"""The rule engine: every rule of the catalogue runs, all findings come back at once.

Modelled on python-jsonschema: :func:`iter_findings` yields :class:`Finding` values (it never
raises for a problem in the report), :func:`check` collects them, and :func:`has_errors` says
whether export must refuse. The rules themselves are data (``catalogue.toml``); each names a
check function in :mod:`xxgk.rules.checks` that interprets it.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from xxgk.errors import InputError
from xxgk.report import Report

CATALOGUE = Path(__file__).with_name("catalogue.toml")


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "提示"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    check: str
    message: str
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Finding:
    """One problem found: which rule, how bad, what (in Chinese), and where.

    ``left``/``right``/``diff`` are the two sides of the rule's comparison (``None`` where the
    rule compares nothing). ``cells`` are keys, ``addresses`` the workbook cells they live in.
    ``where`` tells findings of one rule apart (a column, a cell, a text) and with the rule id
    makes the stable finding id.
    """

    rule: str
    severity: Severity
    message: str
    cells: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    left: Any = None
    right: Any = None
    diff: Any = None
    where: str = ""
    title: str = ""

    @property
    def id(self) -> str:
        return f"{self.rule}:{self.where}" if self.where else self.rule

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, Any]:
        from xxgk.report import _json_value

        return {
            "id": self.id,
            "rule": self.rule,
            "severity": self.severity.value,
            "severity_label": self.severity.label,
            "title": self.title,
            "message": self.message,
            "cells": list(self.cells),
            "addresses": list(self.addresses),
            "left": _json_value(self.left),
            "right": _json_value(self.right),
            "diff": _json_value(self.diff),
        }


@cache
def catalogue() -> tuple[Rule, ...]:
    """Every rule, in catalogue order."""
    raw = tomllib.loads(CATALOGUE.read_text(encoding="utf-8"))
    rules = []
    for r in raw["rules"]:
        r = dict(r)
        rules.append(
            Rule(
                id=r.pop("id"),
                severity=Severity(r.pop("severity")),
                title=r.pop("title"),
                check=r.pop("check"),
                message=r.pop("message"),
                params=r,
            )
        )
    return tuple(rules)


def rule_ids() -> list[str]:
    return [r.id for r in catalogue()]


def iter_findings(
    report: Report,
    previous: Report | None = None,
    disabled: Iterable[str] = (),
) -> Iterator[Finding]:
    """Run every rule not switched off and yield what they find.

    ``previous`` is last year's report (defaults to the one the report carries). Rules are
    switched off by id, per run (``disabled``) or per report (``report.disabled_rules``).
    """
    from xxgk.rules.checks import CHECKS, Context

    off = set(disabled) | set(report.disabled_rules)
    unknown = off - set(rule_ids())
    if unknown:
        raise InputError(
            f"没有这些规则：{'、'.join(sorted(unknown))}。可用 `xxgk rules` 查看全部规则编号。"
        )
    ctx = Context(report, previous if previous is not None else report.previous)
    for rule in catalogue():
        if rule.id in off:
            continue
        try:
            yield from CHECKS[rule.check](rule, ctx)
        except Exception:  # a bug in one check must not hide the others' findings
            yield Finding(
                rule=rule.id,
                severity=Severity.ERROR,
                message=f"规则 {rule.id}（{rule.title}）执行出错，未能完成检查。请把日志发给维护人员："
                + traceback.format_exc(limit=3).strip().splitlines()[-1],
                title=rule.title,
                where="internal",
            )


def check(
    report: Report, previous: Report | None = None, disabled: Iterable[str] = ()
) -> list[Finding]:
    """All findings, errors first, in catalogue order within each severity."""
    found = list(iter_findings(report, previous, disabled))
    return sorted(found, key=lambda f: 0 if f.is_error else 1)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)

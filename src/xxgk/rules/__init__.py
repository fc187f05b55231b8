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
    # May the report itself (its disabled_rules) switch this rule off? See [switches] in the
    # catalogue: not for 错误 of the table arithmetic and table cells.
    file_may_disable: bool = True


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
    locked = raw.get("switches", {})
    rules = []
    for r in raw["rules"]:
        r = dict(r)
        severity = Severity(r.pop("severity"))
        check = r.pop("check")
        default = not (severity.value in locked.get("locked_severities", ())
                       and check in locked.get("locked_checks", ()))
        rules.append(
            Rule(
                id=r.pop("id"),
                severity=severity,
                title=r.pop("title"),
                check=check,
                message=r.pop("message"),
                file_may_disable=bool(r.pop("file_may_disable", default)),
                params=r,
            )
        )
    return tuple(rules)


# Who switched a rule off: the report file itself (its disabled_rules, chosen by whoever filled
# it) or the person running the command (--disable, or the command's own choice).
FILE, COMMAND = "file", "command"
BY_LABEL = {FILE: "文件", COMMAND: "命令"}


@dataclass(frozen=True)
class Switch:
    """A rule switched off for a run. ``applied`` is False when a file asked to switch off a
    rule it may not (the rule then runs as usual)."""

    rule: str
    by: str
    applied: bool = True

    @property
    def title(self) -> str:
        return next((r.title for r in catalogue() if r.id == self.rule), "")

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "title": self.title, "by": self.by, "by_label": BY_LABEL[self.by]}


def switches(report: Report | None, disabled: Iterable[str] = ()) -> list[Switch]:
    """The rules off in a run of ``report`` with the command's ``disabled``, and who switched
    each off; a file's switch of a rule it may not switch off comes back with ``applied=False``.
    Unknown rule ids are an :class:`InputError` naming where they came from."""
    rules = {r.id: r for r in catalogue()}
    command = list(dict.fromkeys(disabled))
    own = list(dict.fromkeys(report.disabled_rules)) if report is not None else []
    for where, ids in (("命令的 --disable", command), ("年报文件中停用的校验规则（disabled_rules）", own)):
        unknown = [i for i in ids if i not in rules]
        if unknown:
            raise InputError(
                f"没有这些规则：{'、'.join(unknown)}（见{where}）。可用 `xxgk rules` 查看全部规则编号。"
            )
    out = [Switch(i, COMMAND) for i in command]
    out += [Switch(i, FILE, rules[i].file_may_disable) for i in own if i not in command]
    return out


def rule_ids() -> list[str]:
    return [r.id for r in catalogue()]


def iter_findings(
    report: Report,
    previous: Report | None = None,
    disabled: Iterable[str] = (),
) -> Iterator[Finding]:
    """Run every rule not switched off and yield what they find.

    ``previous`` is last year's report (defaults to the one the report carries). Rules are
    switched off by id, per run (``disabled``) or per report (``report.disabled_rules``, only
    for rules a file may switch off: see :func:`switches`).
    """
    from xxgk.rules.checks import CHECKS, Context

    off = {s.rule for s in switches(report, disabled) if s.applied}
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

"""Indicators as data (indicators.toml): a name, a formula over cell keys, a unit, a note and a
minimum count below which the indicator is not rated. The formula is read with :mod:`ast` and
only + − × ÷, numbers, cell keys and prev(key) are allowed: the file is data, not code."""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from xxgk.report import Report

NOT_RATED = "样本不足"
NO_DATA = "无数据"


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    formula: str
    unit: str = ""
    note: str = ""
    base: str = ""
    min_count: int = 0


@cache
def indicators() -> tuple[Indicator, ...]:
    raw = tomllib.loads(Path(__file__).with_name("indicators.toml").read_text(encoding="utf-8"))
    out = tuple(Indicator(**item) for item in raw["indicators"])
    for ind in out:  # a typo in the data file fails at load, not in the middle of a run
        _parse(ind.formula)
        if ind.base:
            _parse(ind.base)
    return out


def _key(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_key(node.value)}.{node.attr}"
    raise ValueError(f"公式中不能使用 {ast.dump(node)}")


@cache
def _parse(formula: str) -> ast.Expression:
    tree = ast.parse(formula, mode="eval")
    for node in ast.walk(tree):
        allowed = (ast.Expression, ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.UnaryOp, ast.USub,
                   ast.Constant, ast.Name, ast.Attribute, ast.Load, ast.Call)
        if not isinstance(node, allowed):
            raise ValueError(f"指标公式“{formula}”中有不允许的写法：{type(node).__name__}")
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id == "prev"
                                               and len(node.args) == 1):
            raise ValueError(f"指标公式“{formula}”只能使用 prev(单元格) 一种函数")
    return tree


class _Blank(Exception):
    pass


def _eval(node: ast.AST, report: Report, prev: Report | None) -> Decimal:
    if isinstance(node, ast.Expression):
        return _eval(node.body, report, prev)
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.UnaryOp):
        return -_eval(node.operand, report, prev)
    if isinstance(node, ast.BinOp):
        a, b = _eval(node.left, report, prev), _eval(node.right, report, prev)
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        if b == 0:
            raise _Blank
        return a / b
    if isinstance(node, ast.Call):
        if prev is None:
            raise _Blank
        return _eval(node.args[0], prev, None)
    value = report.cells.get(_key(node))
    if value is None:
        raise _Blank
    return Decimal(value)


def evaluate(ind: Indicator, report: Report, prev: Report | None = None) -> dict[str, Any]:
    """{"value": float|None, "shown": text, "rated": bool}. Blank inputs or a zero divisor give
    无数据; a base below ``min_count`` gives 样本不足 (the value is still computed)."""
    try:
        value = _eval(_parse(ind.formula), report, prev)
    except _Blank:
        return {"value": None, "shown": NO_DATA, "rated": False}
    rated = True
    if ind.base:
        try:
            rated = _eval(_parse(ind.base), report, prev) >= ind.min_count
        except _Blank:
            rated = False
    number = float(value * 100) if ind.unit == "%" else float(value)
    shown = f"{number:.1f}%" if ind.unit == "%" else f"{number:g}{ind.unit}"
    return {"value": number, "shown": shown if rated else f"{NOT_RATED}（{shown}）", "rated": rated}


def evaluate_all(report: Report, prev: Report | None = None) -> dict[str, dict[str, Any]]:
    return {ind.key: evaluate(ind, report, prev) for ind in indicators()}

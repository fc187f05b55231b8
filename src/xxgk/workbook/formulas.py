"""The workbook's formulas, derived from the format data and the rule catalogue.

Totals are ``SUM`` formulas over their parts (``Cell.total_of``). The live checks are formulas
too, so the workbook checks itself in Excel, WPS or LibreOffice with no Python: the 表三 identity
(taken from the catalogue's equation rule, per column), and every printed total against its
parts (a total is a formula, so this only fails when someone replaced the formula by a number).
Only functions every spreadsheet engine knows are used (SUM, COUNT, COUNTBLANK, IF, LEFT,
SUMPRODUCT); no wildcards, whose support differs between engines.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from xxgk import layout
from xxgk.layout import Address, column_letter
from xxgk.spec import Format, load_format

UNBALANCED = "不平衡"  # every failing check's text starts with this; the cover counts them
BLANK = "未填写"
BALANCED = "平衡"


def ref(a: Address, here: str, absolute: bool = False) -> str:
    """A reference to ``a`` from a formula on sheet ``here``."""
    cell = f"${column_letter(a.column)}${a.row}" if absolute else a.cell
    return cell if a.sheet == here else f"{quote(a.sheet)}!{cell}"


def quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def compact(cells: Iterable[Address], here: str) -> list[str]:
    """Ranges covering exactly ``cells``: runs of consecutive rows, then of whole equal runs in
    neighbouring columns (``D7:I27``), so even the 175 cells of 表三 take a few arguments."""
    by_col: dict[tuple[str, int], list[int]] = defaultdict(list)
    for a in cells:
        by_col[(a.sheet, a.column)].append(a.row)
    runs: list[tuple[str, int, int, int]] = []  # sheet, column, first row, last row
    for (sheet, col), rows in sorted(by_col.items()):
        rows = sorted(set(rows))
        start = prev = rows[0]
        for r in rows[1:]:
            if r != prev + 1:
                runs.append((sheet, col, start, prev))
                start = r
            prev = r
        runs.append((sheet, col, start, prev))
    # Merge a run with the same rows in the next column into one rectangle.
    rects: list[list[int | str]] = []
    for sheet, col, r1, r2 in runs:
        for rect in rects:
            if rect[0] == sheet and rect[2] == r1 and rect[3] == r2 and rect[4] == col - 1:
                rect[4] = col
                break
        else:
            rects.append([sheet, col, r1, r2, col])
    out = []
    for sheet, c1, r1, r2, c2 in rects:
        first, last = Address(sheet, r1, c1), Address(sheet, r2, c2)  # type: ignore[arg-type]
        out.append(ref(first, here) if first == last else f"{ref(first, here)}:{last.cell}")
    return out


@cache
def input_leaves(version: str, key: str) -> tuple[str, ...]:
    """The input cells a cell is made of (itself, for an input cell)."""
    cell = load_format(version).cells.get(key)
    if cell is None or not cell.total_of:
        return (key,)
    return tuple(k for part in cell.total_of for k in input_leaves(version, part))


def total_formula(fmt: Format, key: str) -> str:
    at = layout.addresses(fmt.version)
    here = at[key].sheet
    return "=SUM(" + ",".join(compact((at[p] for p in fmt.cells[key].total_of), here)) + ")"


@dataclass(frozen=True)
class LiveCheck:
    key: str  # check key (names.name_for(key, "check"))
    address: Address
    formula: str
    cells: tuple[str, ...]  # the cell keys it compares
    # The identity's two sides as (sign, cell key) terms; empty for a total-against-parts check
    # (whose cells are the total, then its parts).
    left: tuple[tuple[str, str], ...] = ()
    right: tuple[tuple[str, str], ...] = ()


def _terms(expr: str) -> list[tuple[str, str]]:
    return [(sign or "+", term) for sign, term in re.findall(r"([+-]?)\s*([^\s+-]+)", expr)]


def _expr(terms: list[tuple[str, str]], at: dict[str, Address], here: str) -> str:
    out = ""
    for sign, key in terms:
        out += ("" if not out and sign == "+" else sign) + ref(at[key], here)
    return out


@cache
def live_checks(version: str = "2021") -> tuple[LiveCheck, ...]:
    """Every live check of the workbook: its key, cell and formula."""
    from xxgk.rules import catalogue

    fmt = load_format(version)
    at = layout.addresses(version)
    places = layout.check_addresses(version)
    out: list[LiveCheck] = []
    # The identity, per column, exactly as the catalogue's equation rule states it.
    for rule in catalogue():
        if rule.check != "equation" or rule.params.get("for_each") != "t3.columns":
            continue
        for col in fmt.tables["t3"].columns:
            left, right = (s.strip().replace("{col}", col.key) for s in rule.params["formula"].split("="))
            lt, rt = _terms(left), _terms(right)
            keys = [k for _, k in lt + rt]
            place = places[f"identity.{col.key}"]
            here = place.sheet
            leaves = [at[k] for key in keys for k in input_leaves(version, key)]
            n = len(leaves)
            lx, rx = _expr(lt, at, here), _expr(rt, at, here)
            formula = (
                f'=IF(COUNT({",".join(compact(leaves, here))})<{n},"{BLANK}",'
                f'IF(({lx})=({rx}),"{BALANCED}",'
                f'"{UNBALANCED}：一+二为"&({lx})&"，三+四为"&({rx})))'
            )
            out.append(LiveCheck(f"identity.{col.key}", place, formula, tuple(keys), tuple(lt), tuple(rt)))
    # Every printed total against the sum of its parts.
    for rel in fmt.sums:
        key = f"sum.{rel.axis}.{rel.total}"
        place = places[key]
        here = place.sheet
        total = ref(at[rel.total], here)
        parts = "SUM(" + ",".join(compact((at[p] for p in rel.parts), here)) + ")"
        formula = (
            f'=IF({total}={parts},"","{UNBALANCED}：合计"&{total}&"，分项之和"&{parts}&"，请恢复合计公式")'
        )
        out.append(LiveCheck(key, place, formula, (rel.total, *rel.parts)))
    return tuple(out)


def input_keys(version: str) -> list[str]:
    """The table cells a person types (every cell that is not a total)."""
    return [k for k, c in load_format(version).cells.items() if not c.total_of]


def status_formulas(version: str) -> dict[str, str]:
    """The cover's live summary: failing checks, blank table cells, and one line saying both."""
    at = layout.addresses(version)
    here = layout.COVER
    checks = [c.address for c in live_checks(version)]
    unbalanced = "+".join(
        f'SUMPRODUCT(--(LEFT({r},{len(UNBALANCED)})="{UNBALANCED}"))' for r in compact(checks, here)
    )
    blanks = "+".join(f"COUNTBLANK({r})" for r in compact((at[k] for k in input_keys(version)), here))
    u = layout.COVER_CELLS["unbalanced"].cell
    b = layout.COVER_CELLS["blank"].cell
    return {
        "unbalanced": "=" + unbalanced,
        "blank": "=" + blanks,
        "status": f'=IF({u}=0,"勾稽关系全部平衡",{u}&" 处勾稽关系不平衡")'
        f'&IF({b}=0,"；表格已全部填写","；"&{b}&" 个表格单元格未填写")',
    }


# ---------------------------------------------------------------------- results, in Python
# What each formula above shows, computed here so a written file can store it beside the formula
# (phone and mail previewers show stored results and never recalculate). Each mirrors the formula
# it sits beside; tests compare them with LibreOffice's own recalculation.
def results(version: str, cells: Mapping[str, Any]) -> dict[Address, Any]:
    """The value every total, live check and cover status formula shows, for the table cells
    ``cells`` (key → number, ``None`` or missing = blank), by the cell it is in."""
    fmt = load_format(version)
    at = layout.addresses(version)

    def value(key: str) -> Any:  # as a spreadsheet reads it: a blank is 0, a total is SUM
        if fmt.cells[key].total_of:
            return sum(value(k) for k in input_leaves(version, key))
        return plain_number(cells.get(key)) or 0

    out: dict[Address, Any] = {at[k]: value(k) for k, c in fmt.cells.items() if c.total_of}
    shown = []
    for check in live_checks(version):
        if check.left:
            leaves = [k for key in check.cells for k in input_leaves(version, key)]
            lx = sum(-value(k) if sign == "-" else value(k) for sign, k in check.left)
            rx = sum(-value(k) if sign == "-" else value(k) for sign, k in check.right)
            if any(cells.get(k) is None for k in leaves):
                text = BLANK
            else:
                text = BALANCED if lx == rx else f"{UNBALANCED}：一+二为{_text(lx)}，三+四为{_text(rx)}"
        else:
            total, parts = value(check.cells[0]), sum(value(k) for k in check.cells[1:])
            text = "" if total == parts else f"{UNBALANCED}：合计{_text(total)}，分项之和{_text(parts)}，请恢复合计公式"
        out[check.address] = text
        shown.append(text)
    unbalanced = sum(t.startswith(UNBALANCED) for t in shown)
    blank = sum(cells.get(k) is None for k in input_keys(version))
    cover = layout.COVER_CELLS
    out[cover["unbalanced"]] = unbalanced
    out[cover["blank"]] = blank
    out[cover["status"]] = (("勾稽关系全部平衡" if unbalanced == 0 else f"{unbalanced} 处勾稽关系不平衡")
                            + ("；表格已全部填写" if blank == 0 else f"；{blank} 个表格单元格未填写"))
    return out


def plain_number(v: Any) -> Any:
    """A Decimal as the int or float a cell holds; anything else as it is."""
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def _text(n: Any) -> str:
    """A number joined into text with ``&``, as a spreadsheet spells it (no ".0", 15 digits)."""
    n = plain_number(n)
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    return str(n) if isinstance(n, int) else f"{n:.15g}"

"""The check functions that interpret the rules of ``catalogue.toml``.

Each takes a rule (its data) and a :class:`Context` and yields findings. A check never raises for
a problem in the report. A blank or unreadable cell is unknown (:class:`Known`): the blank is its
own finding (naming what it would have to be, where the table decides that), and a comparison
reports only what the filled cells already decide, so one gap does not produce a cascade of
arithmetic errors nor hide a contradiction.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from difflib import SequenceMatcher
from fnmatch import fnmatchcase
from functools import cache
from itertools import pairwise
from typing import Any

from xxgk import layout
from xxgk.report import Report
from xxgk.rules import Finding, Rule, catalogue
from xxgk.rules import prose as P
from xxgk.spec import COUNT, SIGNED, TEXT, Format, load_format
from xxgk.values import FORM_VERSION, format_value


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Context:
    """The report under check, last year's report, and helpers over both."""

    def __init__(self, report: Report, previous: Report | None) -> None:
        self.report = report
        self.previous = previous
        self.fmt: Format = report.spec
        # Rules ask for the same sums and texts many times; the reports do not change meanwhile.
        self._known: dict[tuple[str, int], Known | None] = {}
        self._texts: list[tuple[str, str, str]] | None = None

    # -------------------------------------------------------------- values and expressions
    def keys(self, expr: str, fmt: Format | None = None) -> list[str]:
        """Cell keys named by an expression (globs expanded), in order."""
        fmt = fmt or self.fmt
        out: list[str] = []
        for _sign, term in _terms(expr):
            out += [k for k in fmt.cells if fnmatchcase(k, term)] if "*" in term else [term]
        return out

    def known(self, expr: str, report: Report | None = None) -> Known | None:
        """What is known of ``a + b - c``: the sum of the known cells and the cells that are not.

        A blank total whose parts are known counts as their sum. ``None`` if a term names no
        cell, holds something other than a number, or is unknown where it is subtracted (then
        the known cells bound nothing).
        """
        report = report or self.report
        if report is not self.report and report is not self.previous:
            return self._known_now(expr, report)
        memo = (expr, id(report))
        if memo not in self._known:
            self._known[memo] = self._known_now(expr, report)
        return self._known[memo]

    def _known_now(self, expr: str, report: Report) -> Known | None:
        total: Any = 0
        blank: list[str] = []
        for sign, term in _terms(expr):
            keys = [k for k in report.cells if fnmatchcase(k, term)] if "*" in term else [term]
            if not keys:
                return None
            for k in keys:
                v = self.cell(k, report)
                if v is None:
                    if sign < 0 or report.value(k) is not None:
                        return None
                    # A blank total over partly blank parts is at least what its parts hold.
                    parts = _parts_of(report.format).get(k)
                    sub = self.known(" + ".join(parts[0]), report) if parts else None
                    if sub is None:
                        blank.append(k)
                    else:
                        total, blank = total + sub.value, [*blank, *sub.blank]
                    continue
                total = total + v if sign > 0 else total - v
        return Known(total, tuple(blank))

    def cell(self, key: str, report: Report | None = None) -> Any:
        """A cell's number; for a blank total, the sum of its parts if they are all known."""
        report = report or self.report
        v = report.value(key)
        if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
            return v
        if v is not None:
            return None
        for parts in _parts_of(report.format).get(key, ()):
            values = [self.cell(p, report) for p in parts]
            if all(x is not None for x in values):
                return sum(values)
        return None

    def blank_note(self, cells: tuple[str, ...] | list[str]) -> str:
        """Cells left blank, by address ("表三!D5、表三!E5共 2 格"); unread ones say so."""
        unread = {n.key for n in self.report.notes}
        shown = [(self.addr(k) or self.fmt.cell_label(k)) + ("（无法读取）" if k in unread else "") for k in cells]
        head = "、".join(shown[:3]) + ("等" if len(shown) > 3 else "")
        return f"{head}共 {len(shown)} 格" if len(shown) > 1 else head

    def addr(self, key: str) -> str:
        return layout.address(self.fmt.version, key)

    def texts(self) -> list[tuple[str, str, str]]:
        """(key, label, text) of every non-empty section text, cut to what a rule reads."""
        if self._texts is None:
            self._texts = []
            for key, field in self.fmt.texts.items():
                text = (self.report.texts.get(key) or "")[: P.MAX_TEXT_CHARS]
                if text.strip():
                    self._texts.append((key, field.label, text))
        return self._texts

    # -------------------------------------------------------------- findings
    def finding(
        self,
        rule: Rule,
        *,
        where: str = "",
        cells: tuple[str, ...] | list[str] = (),
        left: Any = None,
        right: Any = None,
        diff: Any = None,
        template: str | None = None,
        **fields: Any,
    ) -> Finding:
        """A finding of ``rule``; ``template`` replaces the rule's message (a variant the rule
        names in its data, e.g. ``partial_message``)."""
        fields.setdefault("partial", "")
        fields.setdefault("at_least", "")
        if diff is None and isinstance(left, (int, Decimal)) and isinstance(right, (int, Decimal)):
            diff = left - right
        shown = _Fields({k: format_value(v) if not isinstance(v, str) else v for k, v in fields.items()})
        # The message says how far apart the sides are; the signed difference stays in ``diff``.
        shown.update(left=format_value(left), right=format_value(right),
                     diff=format_value(abs(diff) if isinstance(diff, (int, Decimal)) else diff))
        cells = tuple(dict.fromkeys(cells))
        return Finding(
            rule=rule.id,
            severity=rule.severity,
            message=(template or rule.message).format_map(shown),
            cells=cells,
            addresses=tuple(a for a in (self.addr(k) for k in cells) if a),
            left=left,
            right=right,
            diff=diff,
            where=where,
            title=rule.title,
        )


@cache
def _terms(expr: str) -> tuple[tuple[int, str], ...]:
    tokens = re.findall(r"[+-]|[^\s+-]+", expr)
    out, sign = [], 1
    for tok in tokens:
        if tok in "+-":
            sign = 1 if tok == "+" else -1
        else:
            out.append((sign, tok))
            sign = 1
    return tuple(out)


@dataclass(frozen=True)
class Known:
    """What the cells of an expression are known to add up to: ``value`` is the sum of the
    known cells, ``blank`` the cells that are not known (each ≥ 0 when filled)."""

    value: Any
    blank: tuple[str, ...] = ()

    def contradicts(self, said: Any) -> bool:
        """Whether ``said`` cannot be the expression's value, whatever the blanks hold."""
        return said < self.value if self.blank else said != self.value


@cache
def _parts_of(version: str) -> dict[str, list[tuple[str, ...]]]:
    """Total key → the part lists it sums (a grand total may sum a row and a column)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for rel in load_format(version).sums:
        out.setdefault(rel.total, []).append(tuple(rel.parts))
    return out


Check = Callable[[Rule, Context], Iterator[Finding]]
CHECKS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS[name] = fn
        return fn

    return register


# ------------------------------------------------------------------ cell values
@check("blank_cells")
def blank_cells(rule: Rule, ctx: Context) -> Iterator[Finding]:
    noted = {n.key for n in ctx.report.notes}
    cells = ctx.report.cells
    hints: dict[str, list[tuple[Any, str]]] | None = None  # worked out at the first blank input cell
    for key, cell in ctx.fmt.cells.items():
        if cells.get(key) is not None or key in noted:
            continue
        label = ctx.fmt.cell_label(key)
        if cell.total_of:
            # A total left blank because some of its parts are blank says nothing new: the
            # parts are reported. A blank total over known parts names what they add up to.
            value = ctx.cell(key)
            if value is None:
                continue
            yield ctx.finding(rule, where=key, cells=[key], right=value, label=label,
                              value=value, template=rule.params["total_message"])
        elif key in (hints := _blank_hints(ctx) if hints is None else hints):
            yield ctx.finding(rule, where=key, cells=[key], label=label, hint=_hint_text(hints[key]),
                              template=rule.params["hint_message"])
        else:
            yield ctx.finding(rule, where=key, cells=[key], label=label)


def _blank_hints(ctx: Context) -> dict[str, list[tuple[Any, str]]]:
    """For a blank cell that is the only unknown of a sum or of the 表三 identity: what it would
    have to be, and by which relation. Said in the cell's own finding, not as a second one."""
    hints: dict[str, list[tuple[Any, str]]] = {}
    for rel in ctx.fmt.sums:
        total = ctx.cell(rel.total) if ctx.report.cells.get(rel.total) is not None else None
        parts = ctx.known(" + ".join(rel.parts))
        if total is None or parts is None or len(parts.blank) != 1 or total < parts.value:
            continue
        hints.setdefault(parts.blank[0], []).append(
            (total - parts.value, f"按{ctx.fmt.cell_label(rel.total)}（{ctx.addr(rel.total)}，{format_value(total)}）"
             f"减去同组其他各项之和 {format_value(parts.value)}"))
    for rule in catalogue():
        if rule.check != "equation":
            continue
        for axis, left_expr, right_expr in _equations(rule, ctx.fmt):
            left, right = ctx.known(left_expr), ctx.known(right_expr)
            if left is None or right is None or len(left.blank) + len(right.blank) != 1:
                continue
            blank, known, other = (left, right, left) if left.blank else (right, left, right)
            value = known.value - other.value
            if value >= 0:
                name, _, relation = rule.title.partition("：")
                hints.setdefault(blank.blank[0], []).append(
                    (value, f"按{name}（“{''.join(axis.labels[-1:])}”列：{relation}）"))
    return hints


def _hint_text(hints: list[tuple[Any, str]]) -> str:
    values = list(dict.fromkeys(v for v, _ in hints))
    if len(values) == 1:
        return f"{'；'.join(why for _, why in hints)}，此格应为 {format_value(values[0])}，请核对后填写。"
    return "；".join(f"{why}，此格应为 {format_value(v)}" for v, why in hints) + "。两者不一致，请核对表中其他数字。"


@check("cell_notes")
def cell_notes(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for note in ctx.report.notes:
        if note.problem != rule.params["problem"]:
            continue
        f = ctx.finding(
            rule,
            where=note.key,
            cells=[note.key],
            label=ctx.fmt.cell_label(note.key),
            raw=note.raw,
            fix=note.fix,
            value=format_value(ctx.report.value(note.key)),
        )
        # A reader knows where it found the cell even for keys the layout does not place.
        yield replace(f, addresses=(note.address,)) if note.address and not f.addresses else f


@check("import_notes")
def import_notes(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """Notes an import made about a published table's labels, keyed by a row (``t3.new``) or a
    table (``t2``) rather than a cell."""
    for i, note in enumerate(ctx.report.notes):
        if note.problem != rule.params["problem"]:
            continue
        yield ctx.finding(rule, where=f"{note.key}#{i}", cells=[], where_label=_row_label(ctx.fmt, note.key),
                          raw=note.raw, fix=note.fix)


def _row_label(fmt: Format, key: str) -> str:
    table_key, _, row_key = key.partition(".")
    table = fmt.tables.get(table_key)
    if table is None:
        return key
    row = next((r for r in table.rows if r.key == row_key), None)
    if row is None:
        return f"{table.short}表头"
    return f"{table.short}“{' '.join(row.labels[1:]) if row.labels[0].startswith('三、') and len(row.labels) > 1 else ' '.join(row.labels)}”行"


@check("cell_ranges")
def cell_ranges(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """Values a reader would have refused but that reached the model another way (code, tests)."""
    for key, cell in ctx.fmt.cells.items():
        v = ctx.report.cells.get(key)
        if v is None:
            continue
        reason = ""
        if not isinstance(v, (int, Decimal)) or isinstance(v, bool):
            reason = "应为数字"
        elif v < 0 and cell.type != SIGNED:
            reason = "不能为负数"
        elif cell.type in (COUNT, SIGNED) and v != int(v):
            reason = "件数应为整数"
        if reason:
            yield ctx.finding(rule, where=key, cells=[key], left=v, label=ctx.fmt.cell_label(key),
                              reason=reason)


@check("blank_facts")
def blank_facts(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for key, fact in ctx.fmt.facts.items():
        if fact.type != TEXT and ctx.report.facts.get(key) is None:
            yield ctx.finding(rule, where=key, cells=[key], label=fact.label)


# ------------------------------------------------------------------ table arithmetic
def _equations(rule: Rule, fmt: Format) -> Iterator[tuple[Any, str, str]]:
    """(axis, left expression, right expression) for each row or column an equation covers."""
    table_key, what = rule.params["for_each"].split(".")
    table = fmt.tables[table_key]
    lhs, rhs = rule.params["formula"].split("=")
    for axis in table.columns if what == "columns" else table.rows:
        yield axis, lhs.format(col=axis.key), rhs.format(col=axis.key)


@check("equation")
def equation(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for axis, left_expr, right_expr in _equations(rule, ctx.fmt):
        left, right = ctx.known(left_expr), ctx.known(right_expr)
        if left is None or right is None or (left.blank and right.blank):
            continue
        # With blanks on one side only, the known cells already decide when that side exceeds
        # the other: filling the blanks can only widen the gap.
        if not (right.contradicts(left.value) if right.blank else left.contradicts(right.value)):
            continue
        partial: dict[str, Any] = {}
        if left.blank or right.blank:
            names = rule.params["sides"]
            partial = dict(
                template=rule.params["partial_message"],
                left_side=f"{names[0]}{'已填写的部分之和已达' if left.blank else '之和为'}",
                right_side=f"{names[1]}{'已填写的部分之和已达' if right.blank else '之和为'}",
                blank=ctx.blank_note(left.blank + right.blank),
            )
        yield ctx.finding(
            rule,
            where=axis.key,
            cells=ctx.keys(left_expr) + ctx.keys(right_expr),
            left=left.value,
            right=right.value,
            col_label="".join(axis.labels[-1:]),
            **partial,
        )


@check("sums")
def sums(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for rel in ctx.fmt.sums:
        if rel.table != rule.params["table"] or rel.axis != rule.params["axis"]:
            continue
        # A blank total is CELL-BLANK's finding, which names what its parts add up to.
        total = ctx.cell(rel.total) if ctx.report.cells.get(rel.total) is not None else None
        parts = ctx.known(" + ".join(rel.parts))
        if total is None or parts is None or not parts.contradicts(total):
            continue
        cell = ctx.fmt.cells[rel.total]
        partial: dict[str, Any] = {}
        if parts.blank:  # the filled parts alone already exceed the total
            partial = dict(template=rule.params["partial_message"], blank=ctx.blank_note(parts.blank))
        yield ctx.finding(
            rule,
            where=rel.total,
            cells=[rel.total, *rel.parts],
            left=total,
            right=parts.value,
            col_label=cell.column_labels[-1],
            row_label=ctx.fmt.row_label(rel.total),
            group_label="".join(cell.column_labels[:-1]),
            **partial,
        )


# ------------------------------------------------------------------ prose vs tables
def _quoted(label: str) -> dict[str, Any]:
    return {"text_label": f"“{label}”"}


def _partial_note(ctx: Context, known: Known) -> dict[str, Any]:
    """The words a prose finding adds when table cells it compares with are blank."""
    if not known.blank:
        return {}
    return {"at_least": "至少",
            "partial": f"（表中 {ctx.blank_note(known.blank)}未填写，表中的数只计已填写的单元格，"
                       "正文的数已经对不上。）"}


def _count(known: Known) -> str:
    """A partly known count as a person reads it: "3 件", "未填写" or "至少 3 件"."""
    if not known.blank:
        return f"{format_value(known.value)} 件"
    return "未填写" if not known.value else f"至少 {format_value(known.value)} 件"


@check("prose_figure")
def prose_figure(rule: Rule, ctx: Context) -> Iterator[Finding]:
    patterns = [P.expand(p) for p in rule.params["patterns"]]
    expects = rule.params["expect"]
    for key, label, text in ctx.texts():
        flat = P.compact(text)
        seen: set[int] = set()
        for pattern in patterns:
            for m in pattern.finditer(flat):
                if m.start("n") in seen:
                    continue
                seen.add(m.start("n"))
                said = P.parse_number(m.group("n"))
                values = [ctx.known(e) for e in expects]
                if said is None or None in values:
                    continue
                # Blank cells are unknown: the prose contradicts the table only if no way of
                # filling them makes any reading of the figure agree.
                if not all(v.contradicts(said) for v in values):
                    continue
                yield ctx.finding(
                    rule,
                    where=f"{key}@{m.start()}",
                    cells=[key, *ctx.keys(expects[0])],
                    left=said,
                    right=values[0].value,
                    alt=values[-1].value,
                    **_partial_note(ctx, values[0]),
                    **_quoted(label),
                )


@check("prose_zero")
def prose_zero(rule: Rule, ctx: Context) -> Iterator[Finding]:
    patterns = [P.expand(p) for p in rule.params["patterns"]]
    known = ctx.known(rule.params["expect"])
    if known is None or not known.value:
        return
    for key, label, text in ctx.texts():
        flat = P.compact(text)
        if any(p.search(flat) for p in patterns):
            yield ctx.finding(rule, where=key, cells=[key, *ctx.keys(rule.params["expect"])],
                              left=0, right=known.value, **_partial_note(ctx, known), **_quoted(label))


@check("prose_outcomes")
def prose_outcomes(rule: Rule, ctx: Context) -> Iterator[Finding]:
    outcomes = [
        (re.compile(f"(?:{o['pattern']})(?:的|申请|情形)?{P.NUMBER}{P.UNIT}"), o) for o in rule.params["outcomes"]
    ]
    for key, label, text in ctx.texts():
        flat = P.compact(text)
        taken: set[int] = set()
        for pattern, o in outcomes:
            for m in pattern.finditer(flat):
                if m.start("n") in taken:
                    continue
                taken.add(m.start("n"))
                said, known = P.parse_number(m.group("n")), ctx.known(o["expect"])
                if said is None or known is None or not known.contradicts(said):
                    continue
                yield ctx.finding(
                    rule,
                    where=f"{key}@{m.start()}",
                    cells=[key, *ctx.keys(o["expect"])],
                    left=said,
                    right=known.value,
                    outcome=o["label"],
                    **_partial_note(ctx, known),
                    **_quoted(label),
                )


@check("prose_category")
def prose_category(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for key, label, text in ctx.texts():
        for clause in P.clauses(text):
            for m in rule.params["misplaced"]:
                said = re.search(m["said"], clause)
                if not said:
                    continue
                # Only what follows the outcome within its own comma phrase is its reason.
                tail = re.split(r"[，,]", clause[said.end():], maxsplit=2)
                reason = re.search(m["reason"], "，".join(tail[:2]))
                if reason:
                    yield ctx.finding(rule, where=f"{key}:{m['said']}:{reason.group(0)}", cells=[key],
                                      said=m["said"], reason=reason.group(0), right=m["right"],
                                      **_quoted(label))


def _review_known(ctx: Context, subject: str, outcome: str) -> tuple[Known | None, list[str]]:
    groups = ["direct", "after_review"] if subject == "litigation" else [subject]
    expr = " + ".join(f"t4.{g}.{outcome}" for g in groups)
    return ctx.known(expr), ctx.keys(expr)


@check("prose_review")
def prose_review(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for key, label, text in ctx.texts():
        for i, fig in enumerate(P.review_figures(text)):
            known, cells = _review_known(ctx, fig.subject, fig.outcome)
            if known is None or not known.contradicts(fig.number):
                continue
            yield ctx.finding(
                rule,
                where=f"{key}#{i}",
                cells=[key, *cells],
                left=fig.number,
                right=known.value,
                subject=fig.subject_label,
                outcome=fig.outcome_label if fig.outcome != "total" else "",
                **_partial_note(ctx, known),
                **_quoted(label),
            )


@check("prose_all_upheld")
def prose_all_upheld(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for key, label, text in ctx.texts():
        for clause in P.clauses(text):
            if not P.ALL_UPHELD.search(clause):
                continue
            for subject, slabel in dict.fromkeys(P.subjects_in(clause)):
                parts = {o: _review_known(ctx, subject, o) for o in ("corrected", "other", "pending")}
                if any(k is None for k, _ in parts.values()):
                    continue
                # Blank parts are unknown; the filled ones already decide if any is not upheld.
                not_upheld = Known(sum(k.value for k, _ in parts.values()),
                                   tuple(b for k, _ in parts.values() for b in k.blank))
                if not_upheld.value:
                    yield ctx.finding(
                        rule, where=f"{key}:{subject}", cells=[key, *(c for _, cs in parts.values() for c in cs)],
                        left=0, right=not_upheld.value, subject=slabel,
                        corrected=_count(parts["corrected"][0]), other=_count(parts["other"][0]),
                        pending=_count(parts["pending"][0]), **_partial_note(ctx, not_upheld), **_quoted(label),
                    )


@check("prose_review_none")
def prose_review_none(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for key, label, text in ctx.texts():
        for clause in P.clauses(text):
            neg = P.NONE_HAPPENED.search(clause)
            if not neg:
                continue
            fragment = re.split(r"[，,]", clause[neg.end():], maxsplit=1)[0]
            for subject, slabel in dict.fromkeys(P.subjects_in(fragment)):
                known, cells = _review_known(ctx, subject, "total")
                if known is not None and known.value:
                    yield ctx.finding(rule, where=f"{key}:{subject}", cells=[key, *cells], left=0,
                                      right=known.value, subject=slabel, **_partial_note(ctx, known),
                                      **_quoted(label))


@check("prose_t2")
def prose_t2(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for item in rule.params["items"]:
        key = next((k for k in item["expect"] if k in ctx.fmt.cells), None)
        if key is None:
            continue
        known = ctx.known(key)
        if known is None or known.blank:  # a blank cell is its own finding
            continue
        for tkey, label, text in ctx.texts():
            for fig in P.item_figures(text, item["kind"], item["verb"], item["item"], ctx.report.year):
                value = known.value
                if fig.decimals < 6 and isinstance(value, Decimal):
                    value = round(value, fig.decimals)  # "7730.3 万元" for 7730.28 agrees
                if fig.number == value:
                    continue
                yield ctx.finding(rule, where=f"{tkey}@{fig.start}", cells=[tkey, key], left=fig.number,
                                  right=known.value, item=item["label"], unit=item.get("unit", "件"),
                                  cell_label=ctx.fmt.cell_label(key), **_quoted(label))


def _s6_text(ctx: Context) -> str:
    return "\n".join((ctx.report.texts.get(k) or "")[: P.MAX_TEXT_CHARS]
                     for k in ("s6.fees", "s6.other") if k in ctx.fmt.texts)


@check("prose_fee")
def prose_fee(rule: Rule, ctx: Context) -> Iterator[Finding]:
    collected = ctx.report.facts.get("fees.collected")
    if collected is None:
        return
    flat = P.compact(_s6_text(ctx))
    label = f"“{ctx.fmt.heading('s6')}”"
    amounts = P.fee_amounts(flat)
    # "收取信息处理费0元" is a stated amount: reported once, as an amount.
    if collected > 0 and P.fee_none(flat) and "处理费" in flat and not any(a == 0 for _, a in amounts):
        yield ctx.finding(rule, where="zero", cells=["s6.fees", "fees.collected"], left=0, right=collected,
                          text_label=label, reason=f"正文说未收取信息处理费，但填写的实际收取金额为 {format_value(collected)} 元。")
    for at, amount in amounts:
        if amount != collected:
            yield ctx.finding(rule, where=f"amount@{at}", cells=["s6.fees", "fees.collected"],
                              left=amount, right=collected, text_label=label,
                              reason=f"正文写收取信息处理费 {format_value(amount)} 元，填写的实际收取金额为 {format_value(collected)} 元，相差 {format_value(amount - collected)} 元。")


# ------------------------------------------------------------------ form
@check("text_required")
def text_required(rule: Rule, ctx: Context) -> Iterator[Finding]:
    keys = [k for k in rule.params["texts"] if k in ctx.fmt.texts]
    if keys and not any((ctx.report.texts.get(k) or "").strip() for k in keys):
        yield ctx.finding(rule, where=keys[0], cells=keys, heading=ctx.fmt.heading(ctx.fmt.texts[keys[0]].section))


@check("text_recommended")
def text_recommended(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for k in rule.params["texts"]:
        if k in ctx.fmt.texts and not (ctx.report.texts.get(k) or "").strip():
            yield ctx.finding(rule, where=k, cells=[k], label=ctx.fmt.texts[k].label)


@check("fee_statement")
def fee_statement(rule: Rule, ctx: Context) -> Iterator[Finding]:
    if ctx.report.year < rule.params.get("from_year", 0):
        return
    text = P.compact(_s6_text(ctx))
    if not text:
        return  # FORM-S6-EMPTY says so already
    level = rule.params.get("level", "missing")
    states = P.fee_states_year(text)
    mentions = "处理费" in text or "收费" in text or states  # "未收取任何费用" states it too
    if level == "missing" and not mentions:
        yield ctx.finding(rule, where="s6", cells=["s6.fees"], reason=(
            f"“{ctx.fmt.heading('s6')}”没有提到信息处理费。按国办函〔2020〕109号，年报应写明本年度"
            "发出收费通知的件数和金额以及实际收取的金额（未收取也应写明）。"))
    elif level == "policy_only" and mentions and not states:
        yield ctx.finding(rule, where="s6", cells=["s6.fees"], reason=(
            f"“{ctx.fmt.heading('s6')}”只提到信息处理费的管理办法，没有写本年度实际收费情况"
            "（如“本年度未收取信息处理费”或收取金额）。"))


_PERIOD = re.compile(r"统计(?:期限|期间|时限|时间|周期|范围)[^。]{0,40}")


@check("period")
def period(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for key, label, text in ctx.texts():
        for m in _PERIOD.finditer(P.compact(text)):
            years = {int(y) for y in re.findall(r"(\d{4})年", m.group(0))}
            for y in sorted(years - {ctx.report.year}):
                yield ctx.finding(rule, where=f"{key}:{y}", cells=[key], left=y, right=ctx.report.year,
                                  **_quoted(label))


@check("format_year")
def format_year(rule: Rule, ctx: Context) -> Iterator[Finding]:
    from xxgk.errors import InputError
    from xxgk.spec import format_for_year

    try:
        right = format_for_year(ctx.report.year)
    except InputError:
        return
    if right.version != ctx.fmt.version:
        yield ctx.finding(rule, where=ctx.fmt.version, left=ctx.fmt.version, right=ctx.report.year,
                          found=f"{ctx.fmt.source}《{ctx.fmt.name}》",
                          expected=f"{right.source}《{right.name}》", detail="")
        return
    # Tables of an imported report printed in another version: one finding for the report,
    # naming each such table and what its format lacks (the importer's table notes).
    notes = [n for n in ctx.report.notes if n.problem == FORM_VERSION]
    tables = [n for n in notes if n.key in ctx.fmt.tables]
    if not tables:
        return
    others = {n.raw for n in tables}
    old = load_format(sorted(others)[0])
    shorts = "、".join(ctx.fmt.tables[n.key].short for n in tables)
    rest = "、".join(t.short for k, t in ctx.fmt.tables.items() if k not in {n.key for n in tables})
    detail = f"其中只有{shorts}用的是这一格式" + (f"（{rest}为规定格式）" if rest else "") + "。" + "".join(n.fix for n in tables)
    yield ctx.finding(rule, where="mixed", cells=[n.key for n in notes if n.key in ctx.fmt.cells],
                      left=old.version, right=ctx.report.year, found=f"{old.source}《{old.name}》",
                      expected=f"{right.source}《{right.name}》", detail=detail)


def _heading_matches(ctx: Context) -> list[tuple[str, str | None]]:
    """(official heading, the heading found for that part or None) for an imported report."""
    found = [P.compact(h) for h in ctx.report.headings or []]
    out = []
    for h in ctx.fmt.headings:
        prefix = h.label.split("、")[0] + "、"
        exact = next((f for f in found if f == h.label), None)
        out.append((h.label, exact or next((f for f in found if f.startswith(prefix)), None)))
    return out


@check("headings")
def headings(rule: Rule, ctx: Context) -> Iterator[Finding]:
    if ctx.report.headings is None:
        return
    for expected, found in _heading_matches(ctx):
        if found is None:
            yield ctx.finding(rule, where=expected, reason=f"缺少“{expected}”部分。年报必须包含规定的六个部分。")


@check("heading_wording")
def heading_wording(rule: Rule, ctx: Context) -> Iterator[Finding]:
    if ctx.report.headings is None:
        return
    for expected, found in _heading_matches(ctx):
        if found is not None and found != expected:
            yield ctx.finding(rule, where=expected, found=found, expected=expected)


# ------------------------------------------------------------------ across years
def _same_agency(a: str, b: str) -> bool:
    return not a.strip() or not b.strip() or re.sub(r"\s", "", a) == re.sub(r"\s", "", b)


def _comparable_previous(ctx: Context) -> Report | None:
    """Last year's report of the same agency, or ``None``: a report of another year or agency
    (a wrong --previous) gets a 提示 (XY-YEAR, XY-AGENCY), not errors from comparing with it."""
    prev = ctx.previous
    if prev is None or prev.year != ctx.report.year - 1 or not _same_agency(prev.agency, ctx.report.agency):
        return None
    return prev


@check("previous_agency")
def previous_agency(rule: Rule, ctx: Context) -> Iterator[Finding]:
    prev = ctx.previous
    if prev is not None and not _same_agency(prev.agency, ctx.report.agency):
        yield ctx.finding(rule, left=prev.agency.strip(), right=ctx.report.agency.strip())


@check("carried_over")
def carried_over(rule: Rule, ctx: Context) -> Iterator[Finding]:
    prev = _comparable_previous(ctx)
    if prev is None:
        return
    for col in ctx.fmt.tables["t3"].columns:
        here, there = f"t3.carried.{col.key}", f"t3.forward.{col.key}"
        left, right = ctx.report.cells.get(here), prev.cells.get(there)
        if left is None or right is None or left == right:
            continue
        yield ctx.finding(rule, where=col.key, cells=[here], left=left, right=right,
                          col_label=col.labels[-1])


@check("in_force")
def in_force(rule: Rule, ctx: Context) -> Iterator[Finding]:
    prev = _comparable_previous(ctx)
    if prev is None:
        return
    for row in ("rules", "normative"):
        keys = {c: f"t2.{row}.{c}" for c in ("in_force", "issued", "repealed")}
        if f"t2.{row}.in_force" not in prev.cells or keys["in_force"] not in ctx.fmt.cells:
            continue
        now, issued, repealed = (ctx.report.cells.get(keys[c]) for c in ("in_force", "issued", "repealed"))
        before = prev.cells.get(keys["in_force"])
        if None in (now, issued, repealed, before):
            continue
        expected = before + issued - repealed
        if now != expected:
            yield ctx.finding(rule, where=row, cells=list(keys.values()), left=now, right=expected,
                              row_label=ctx.fmt.row_label(keys["in_force"]),
                              previous=before, issued=issued, repealed=repealed)


@check("same_text")
def same_text(rule: Rule, ctx: Context) -> Iterator[Finding]:
    prev = _comparable_previous(ctx)
    if prev is None:
        return
    for key, label, text in ctx.texts():
        old = (prev.texts.get(key) or "")[: P.MAX_TEXT_CHARS]
        a, b = P.compact(text), P.compact(old)
        if min(len(a), len(b)) < rule.params["min_length"]:
            continue
        # Drop the year figures so that "2024年" vs "2023年" alone does not hide copying.
        a, b = re.sub(r"\d", "", a), re.sub(r"\d", "", b)
        ratio = _similarity(a, b, rule.params["threshold"], rule.params["exact_up_to"])
        if ratio >= rule.params["threshold"]:
            yield ctx.finding(rule, where=key, cells=[key], label=label, similarity=str(round(ratio * 100)))


def _similarity(a: str, b: str, threshold: float, exact_up_to: int) -> float:
    """How alike two texts are, 0…1. Up to ``exact_up_to`` characters: difflib's ratio, whose
    worst case is quadratic (a long text of one repeated character takes seconds); beyond: the
    Dice coefficient of character-pair multisets, linear and as close to the ratio for a copy
    with few changes."""
    if max(len(a), len(b)) <= exact_up_to:
        matcher = SequenceMatcher(None, a, b, autojunk=False)
        if matcher.quick_ratio() < threshold:
            return matcher.quick_ratio()
        return matcher.ratio()
    pa, pb = Counter(pairwise(a)), Counter(pairwise(b))
    common = sum((pa & pb).values())
    return 2 * common / max(1, sum(pa.values()) + sum(pb.values()))


@check("text_length")
def text_length(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for key, field in ctx.fmt.texts.items():
        size = len(ctx.report.texts.get(key) or "")
        if size > P.MAX_TEXT_CHARS:
            yield ctx.finding(rule, where=key, cells=[key], label=field.label, left=size,
                              right=P.MAX_TEXT_CHARS, diff=size - P.MAX_TEXT_CHARS)


@check("previous_year")
def previous_year(rule: Rule, ctx: Context) -> Iterator[Finding]:
    prev = ctx.previous
    if prev is not None and prev.year != ctx.report.year - 1:
        yield ctx.finding(rule, left=prev.year, right=ctx.report.year, expected=ctx.report.year - 1)

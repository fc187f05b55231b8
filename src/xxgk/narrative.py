"""Drafts of the report's prose from its numbers, and non-destructive regeneration.

The wording lives in Jinja2 templates (``templates/narrative/<text key>.j2``, Chinese, meant to be
edited by people who are not programmers); this module only hands them the report's values by
the same cell and fact keys the tables use, so prose and tables cannot disagree. A value that is
blank becomes a visible placeholder ``【待填写：…】`` (never "None"); the rule FACT-BLANK /
CELL-BLANK says the same in the findings.

``Report.texts`` is the final text, ``Report.drafts`` the last generated draft. :func:`apply`
replaces a text only when it is empty or still equal to its previous draft; a text a person
edited is kept, the new draft is stored beside it, and a :class:`Notice` says so.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fnmatch import fnmatchcase
from functools import cache
from typing import Any

import jinja2

from xxgk.report import Report
from xxgk.resources import templates_dir
from xxgk.spec import Format
from xxgk.values import format_value

PLACEHOLDER = "【待填写：{label}】"
TEMPLATE_FOLDER = "narrative"


def generated_keys(fmt: Format) -> list[str]:
    """The texts the format marks ``generated = true``, in format order."""
    return [k for k, t in fmt.texts.items() if t.generated]


def placeholder(label: str) -> str:
    return PLACEHOLDER.format(label=label)


@dataclass(frozen=True)
class Notice:
    """What regeneration did not do by itself: a text a person edited differs from the new draft."""

    key: str
    label: str
    message: str

    def __str__(self) -> str:
        return self.message


# ------------------------------------------------------------------ values for the templates
class _Values:
    """Read access to a report by key, as the templates see it."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.fmt = report.spec

    def _keys(self, expr: str) -> list[str]:
        out: list[str] = []
        for term in (t.strip() for t in expr.split("+")):
            if "*" in term:
                out += [k for k in self.fmt.cells if fnmatchcase(k, term)]
            else:
                out.append(term)
        return out

    def value(self, expr: str) -> Any:
        """``"t3.new.total"``, ``"t3.results.withheld.*.total"`` or ``"a + b"``: the number, or
        ``None`` if any part is blank."""
        total: Any = 0
        keys = self._keys(expr)
        if not keys:
            raise KeyError(expr)
        for key in keys:
            if key not in self.fmt.cells and key not in self.fmt.facts:
                raise KeyError(f"模板引用了不存在的键：{key}")
            v = self.report.value(key)
            if not isinstance(v, (int, Decimal)) or isinstance(v, bool):
                return None
            total += v
        return total

    def shown(self, expr: str) -> str:
        """The value as prose shows it, or a placeholder naming the first blank part."""
        v = self.value(expr)
        if v is not None:
            return format_value(v)
        blank = next(
            (k for k in self._keys(expr) if not isinstance(self.report.value(k), (int, Decimal))),
            self._keys(expr)[0],
        )
        return placeholder(self.fmt.cell_label(blank))

    def listing(self, items: Iterable[tuple[str, str]], unit: str) -> str:
        """``予以公开3件、部分公开1件``: every (label, key) whose value is not 0, joined with 、;
        blank values show as placeholders."""
        parts = [f"{label}{self.shown(expr)}{unit}" for label, expr in items if self.value(expr) != 0]
        return "、".join(parts)


def _change(report: Report, v: _Values) -> Callable[[str], str]:
    """``较上年("t3.new.total")``: "，较上年增长12.3%" (下降 / 与上年持平) when last year's report
    is known and both years have the figure (last year's not 0); otherwise nothing."""

    def phrase(expr: str) -> str:
        if report.previous is None or report.previous.format != report.format:
            return ""
        now, before = v.value(expr), _Values(report.previous).value(expr)
        if now is None or not before:
            return ""
        pct = (Decimal(now) - Decimal(before)) / Decimal(before) * 100
        shown = f"{abs(pct):.1f}"
        if shown == "0.0":
            return "，与上年持平"
        return f"，较上年{'增长' if pct > 0 else '下降'}{shown}%"

    return phrase


def _provincial(report: Report) -> str:
    raw = report.facts.get("basis.provincial")
    name = str(raw).strip() if raw else ""
    if name and not name.startswith("《"):
        name = f"《{name}》"
    return name


def context(report: Report) -> dict[str, Any]:
    """Everything a narrative template can use (documented in ``templates/narrative/README.md``)."""
    v = _Values(report)
    return {
        "年度": report.year,
        "机关": report.agency.strip() or placeholder("机关名称"),
        "省办法": _provincial(report),
        "值": v.value,
        "数": v.shown,
        "列举": v.listing,
        "较上年": _change(report, v),
    }


# ------------------------------------------------------------------ rendering
@cache
def _environment(version: str) -> jinja2.Environment:
    # A format whose tables differ (2019 试行) may override a template in its own sub-folder.
    folder = templates_dir() / TEMPLATE_FOLDER
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder / version), str(folder)], encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )


def _tidy(rendered: str) -> str:
    """Template line breaks are for readability only: lines join without spaces; a blank line
    starts a new paragraph (a ``\\n`` in the text)."""
    paragraphs = re.split(r"\n\s*\n", rendered.strip())
    out = ["".join(line.strip() for line in p.splitlines()) for p in paragraphs]
    return "\n".join(p for p in out if p)


def render(key: str, report: Report) -> str:
    """The draft of text ``key`` from its template ``templates/narrative/<key>.j2`` (or the
    format's own ``templates/narrative/<version>/<key>.j2``)."""
    template = _environment(report.format).get_template(f"{key}.j2")
    return _tidy(template.render(context(report)))


def generate(report: Report) -> dict[str, str]:
    """Drafts of every generated text of the report's format: ``{text key: draft}``."""
    return {key: render(key, report) for key in generated_keys(report.spec)}


def apply(report: Report, drafts: Mapping[str, str]) -> tuple[Report, list[Notice]]:
    """A copy of ``report`` with ``drafts`` taken in without losing anyone's edits.

    A text that is empty, or still equal to its previous draft, becomes the new draft. A text a
    person edited is kept; the new draft goes to ``drafts`` and, if it differs from the text, a
    notice says so. ``report`` itself is not changed.
    """
    new = copy.copy(report)
    new.texts = dict(report.texts)
    new.drafts = dict(report.drafts)
    notices: list[Notice] = []
    fmt = report.spec
    for key, draft in drafts.items():
        current = report.texts.get(key) or ""
        previous = report.drafts.get(key)
        if not current.strip() or (previous is not None and current == previous):
            new.texts[key] = draft
        elif current != draft:
            label = fmt.texts[key].label if key in fmt.texts else key
            notices.append(Notice(key, label, (
                f"“{label}”已有人工修改过的文字，已保留；新生成的草稿与它不同，另存为草稿，"
                "请对照后决定是否采用。"
            )))
        new.drafts[key] = draft
    return new, notices


def regenerate(report: Report) -> tuple[Report, list[Notice]]:
    """:func:`generate` then :func:`apply`."""
    return apply(report, generate(report))

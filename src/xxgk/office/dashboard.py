"""汇总.html: one self-contained page (no external resources: inline CSS, JS and SVG) with the
office's tables, sortable, and charts drawn here as SVG — verdicts by level, the distribution
of each indicator, and per agency its figures across every year in the store."""

from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

from markupsafe import Markup

from xxgk.fileio import free_name, write_atomic
from xxgk.office.indicators import indicators
from xxgk.office.tables import OfficeTables

VERDICTS = (("有错误", "#c0392b"), ("有提示", "#e0a800"), ("未发现问题", "#2e8b57"))
BAR_W, ROW_H = 420, 26


def _verdict_chart(t: OfficeTables) -> Markup:
    if not t.reports:
        return Markup("<p>暂无数据</p>")
    latest = max(r["year"] for r in t.reports)
    levels: dict[str, Counter] = {}
    for r in t.reports:
        if r["year"] == latest:
            levels.setdefault(r["level"] or "未分级", Counter())[r["verdict"]] += 1
    most = max(sum(c.values()) for c in levels.values())
    h = ROW_H * len(levels) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{BAR_W + 220}" height="{h}" role="img" '
             f'aria-label="{latest} 年度各级别结论">']
    for n, (level, counts) in enumerate(sorted(levels.items())):
        y, x = n * ROW_H + 4, 100
        parts.append(f'<text x="94" y="{y + 16}" text-anchor="end" font-size="13">{escape(level)}</text>')
        for verdict, colour in VERDICTS:
            w = counts[verdict] / most * BAR_W
            if w:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{ROW_H - 6}" fill="{colour}">'
                             f'<title>{escape(level)} {verdict} {counts[verdict]} 份</title></rect>')
                x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 16}" font-size="12">'
                     f'{" / ".join(str(counts[v]) for v, _ in VERDICTS)}</text>')
    ly = h - 12
    for n, (verdict, colour) in enumerate(VERDICTS):
        parts.append(f'<rect x="{100 + n * 110}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{116 + n * 110}" y="{ly}" font-size="12">{verdict}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _histogram(values: list[float], title: str) -> Markup:
    bins = [0] * 10
    for v in values:
        bins[min(9, max(0, int(v // 10)))] += 1
    most = max(bins) or 1
    w, h, bw = 260, 120, 24
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h + 40}" role="img" aria-label="{escape(title)}">',
             f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}（{len(values)} 份）</text>']
    for n, count in enumerate(bins):
        bh = count / most * (h - 30)
        parts.append(f'<rect x="{n * bw + 4}" y="{h - bh:.1f}" width="{bw - 4}" height="{bh:.1f}" fill="#2f6db5">'
                     f'<title>{n * 10}%–{n * 10 + 10}%：{count} 份</title></rect>')
    parts.append(f'<text x="2" y="{h + 16}" font-size="11">0%</text><text x="{10 * bw - 30}" y="{h + 16}" '
                 'font-size="11">100%</text></svg>')
    return Markup("".join(parts))


def _spark(points: list[tuple[int, float]]) -> Markup:
    if len(points) < 2:
        return Markup("")
    w, h = 120, 28
    lo, hi = min(v for _, v in points), max(v for _, v in points)
    span = (hi - lo) or 1
    xs = [4 + n * (w - 8) / (len(points) - 1) for n in range(len(points))]
    ys = [h - 4 - (v - lo) / span * (h - 8) for _, v in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}"><polyline points="{path}" '
                  f'fill="none" stroke="#2f6db5" stroke-width="2"/></svg>')


def page_data(t: OfficeTables) -> dict[str, Any]:
    inds = indicators()
    dists = [_histogram([r["indicators"][i.key]["value"] for r in t.reports
                         if r["indicators"][i.key]["rated"] and 0 <= r["indicators"][i.key]["value"] <= 100], i.name)
             for i in inds if i.unit == "%" and i.key != "requests_change"]
    years = sorted({r["year"] for r in t.reports})
    per_agency: dict[str, dict[int, dict[str, Any]]] = {}
    for r in t.reports:
        per_agency.setdefault(r["agency"], {})[r["year"]] = r
    history = []
    for agency, by_year in sorted(per_agency.items()):
        reqs = [(y, by_year[y]["figures"]["t3.new.total"]) for y in years if y in by_year]
        history.append({"agency": agency, "cells": [by_year.get(y, {}).get("figures", {}).get("t3.new.total")
                                                    for y in years],
                        "spark": _spark([(y, v) for y, v in reqs if v is not None])})
    compare_rows = []
    for c in t.comparisons:
        new = next((x for x in c["cells"] if x["key"] == "t3.new.total"), None)
        compare_rows.append({
            "agency": c["agency"], "year": c["year"],
            "requests": new["this"] if new else None, "prev": new["prev"] if new else None,
            "pct": None if not new or new["pct"] is None else f"{new['pct']:+.1f}%",
            "carried": sum(1 for x in c["carried"] if x["diff"]),
            "in_force": sum(1 for x in c["in_force"] if x["diff"]),
            "similar": max((x["similarity"] for x in c["texts"]), default=None)})
    return {"t": t, "indicators": inds, "verdict_chart": _verdict_chart(t), "distributions": dists,
            "years": years, "history": history, "compare_rows": compare_rows}


def render_dashboard(t: OfficeTables) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from xxgk.resources import templates_dir

    env = Environment(loader=FileSystemLoader(str(templates_dir() / "office")),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    return env.get_template("dashboard.html.j2").render(**page_data(t))


def write_dashboard(t: OfficeTables, target: Path) -> Path:
    return write_atomic(free_name(target), render_dashboard(t).encode("utf-8"))

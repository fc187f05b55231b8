"""The office's tables, read from the store once and shared by every output (summary
workbook, dashboard, letters, the console line): reports, findings with decisions, two-year
comparisons, refused files and, with a roster, who has not reported."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from xxgk.office import reviews
from xxgk.office.agencies import Member
from xxgk.office.definitions import open_statuses, uncounted
from xxgk.office.indicators import evaluate_all
from xxgk.office.store import Store

KEY_FIGURES = ("t3.new.total", "t3.results.total.total", "t4.review.total", "t4.direct.total")
NO_PARENT = "（未填上级）"  # the roll-up's group of roster members without a 上级


@dataclass
class OfficeTables:
    reports: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    comparisons: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    roster: list[Member] | None = None

    def has_open_errors(self) -> bool:
        return any(f["severity"] == "error" and f["status"] in open_statuses() for f in self.findings)

    def summary_line(self) -> str:
        with_errors = sum(1 for r in self.reports if r["errors"])
        line = (f"审核库中共 {len(self.reports)} 份年报（{len({r['agency_key'] for r in self.reports})} 个单位）："
                f"有错误 {with_errors} 份；问题 {len(self.counted())} 处（不含标记为“{self.uncounted_names()}”的）")
        if self.roster is not None:
            line += f"；名单中未报送 {len(self.missing)} 份"
        return line + "。"

    @staticmethod
    def uncounted_names() -> str:
        """The statuses left out of every count, as the outputs name them."""
        return "”“".join(sorted(uncounted()))

    def counted(self) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["status"] not in uncounted()]

    def rollup(self) -> list[dict[str, Any]]:
        """Per parent on the roster (the region tree), the latest year: reports, with 错误, missing."""
        if self.roster is None or not self.reports:
            return []
        latest = max(r["year"] for r in self.reports)
        out: dict[str, dict[str, Any]] = {}
        parent_of: dict[str, str] = {}
        for m in self.roster:
            parent = parent_of[m.key] = m.parent or NO_PARENT
            row = out.setdefault(parent, {"parent": parent, "members": 0, "reported": 0, "with_errors": 0,
                                          "missing": 0})
            row["members"] += 1
        for r in self.reports:
            if r["year"] == latest and r["agency_key"] in parent_of:
                row = out[parent_of[r["agency_key"]]]
                row["reported"] += 1
                row["with_errors"] += bool(r["errors"])
        for m in self.missing:
            if m["year"] == latest:
                out[m["parent"] or NO_PARENT]["missing"] += 1
        return [dict(v, year=latest) for _, v in sorted(out.items())]

    def open_findings(self, agency_key: str) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["agency_key"] == agency_key and f["status"] in open_statuses()]


def office_tables(store: Store, roster: list[Member] | None = None, full: bool = True) -> OfficeTables:
    """The tables; ``full=False`` leaves out figures, indicators and comparisons (no report is
    loaded): enough for the counts a run prints, fast on a large store."""
    from xxgk.office.run import load_report

    t = OfficeTables(roster=roster)
    t.findings = reviews.current_findings(store)
    members = {m.key: m for m in roster or []}
    rows = store.reports()
    loaded = {(r["agency_key"], r["year"]): load_report(r) for r in rows} if full else {}
    for r in rows:
        report = loaded.get((r["agency_key"], r["year"]))
        prev = loaded.get((r["agency_key"], r["year"] - 1))
        mine = [f for f in t.findings if f["file"] == r["path"] and f["status"] not in uncounted()]
        member = members.get(r["agency_key"])
        t.reports.append({
            "agency": r["agency"], "agency_key": r["agency_key"], "year": r["year"], "format": r["format"],
            "path": r["path"], "checked_at": r["checked_at"],
            "level": member.level if member else "", "parent": member.parent if member else "",
            "errors": sum(f["severity"] == "error" for f in mine),
            "warnings": sum(f["severity"] != "error" for f in mine),
            "figures": {k: report.cells.get(k) for k in KEY_FIGURES} if report else {},
            "indicators": evaluate_all(report, prev) if report else {},
            "has_previous": prev is not None,
        })
    for r in t.reports:
        r["verdict"] = "有错误" if r["errors"] else ("有提示" if r["warnings"] else "未发现问题")
    by_key = {(r["agency_key"], r["year"]): r for r in t.reports}
    for c in store.query("SELECT * FROM comparisons ORDER BY agency_key, year") if full else []:
        if (c["agency_key"], c["year"]) in by_key:
            t.comparisons.append({"agency": by_key[(c["agency_key"], c["year"])]["agency"], **json.loads(c["data"])})
    t.refused = [dict(r) for r in store.query("SELECT path, error, checked_at FROM files WHERE status != 'checked'")]
    if roster is not None:
        years = sorted({r["year"] for r in t.reports})
        for year in years:
            for m in roster:
                if (m.key, year) not in by_key:
                    t.missing.append({"agency": m.name, "level": m.level, "parent": m.parent, "year": year})
    return t

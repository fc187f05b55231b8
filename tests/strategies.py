"""Hypothesis strategies for reports whose tables are consistent by construction."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from xxgk.report import Report
from xxgk.spec import AMOUNT, COUNT, load_format

FMT = load_format("2021")
T3 = FMT.tables["t3"]
T4 = FMT.tables["t4"]
APPLICANTS = [c.key for c in T3.columns if not c.sum]
RESULT_ROWS = next(r for r in T3.rows if r.sum).sum
# Mostly zeros, as in real reports, with the occasional large count.
small = st.one_of(st.just(0), st.integers(0, 9), st.integers(0, 5000))


@st.composite
def consistent_reports(draw: st.DrawFn, year: int = 2024) -> Report:
    """A report whose 表三 and 表四 satisfy every printed identity and total."""
    r = Report(year=year, agency=draw(st.sampled_from(["某市某局", "测试县人民政府", "淮安市人民政府"])))
    for col in APPLICANTS:
        results = {row: draw(small) for row in RESULT_ROWS}
        forward = draw(small)
        total_results = sum(results.values())
        carried = draw(st.integers(0, total_results + forward))
        new = total_results + forward - carried
        for row, v in results.items():
            r.cells[f"t3.{row}.{col}"] = v
        r.cells.update({f"t3.results.total.{col}": total_results, f"t3.forward.{col}": forward,
                        f"t3.carried.{col}": carried, f"t3.new.{col}": new})
    for row in T3.rows:
        r.cells[f"t3.{row.key}.total"] = sum(r.cells[f"t3.{row.key}.{c}"] for c in APPLICANTS)
    for col in T4.columns:
        if col.sum:
            r.cells[f"t4.{col.key}"] = 0
    for col in T4.columns:
        if not col.sum:
            v = draw(small)
            r.cells[f"t4.{col.key}"] = v
            group = col.key.split(".")[0]
            r.cells[f"t4.{group}.total"] += v
    for key, cell in FMT.cells.items():
        if cell.table == "t2":
            r.cells[key] = draw(small) if cell.type == COUNT else Decimal(draw(st.integers(0, 10**6))) / 100
    for key, fact in FMT.facts.items():
        if fact.type == COUNT:
            r.facts[key] = draw(small)
        elif fact.type != "text":
            r.facts[key] = Decimal(draw(st.integers(0, 10**5)))
    assert all(cell.type in (COUNT, AMOUNT) for cell in FMT.cells.values())
    return r


TABLE_CELLS = [k for k, c in FMT.cells.items() if c.table in ("t3", "t4")]

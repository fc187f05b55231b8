"""Every workbook and document the project writes, built once per test session: the committed
template and what ``xxgk new``, ``xxgk new --from``, ``xxgk demo`` and the 2019 format write.
Tests that read bytes the way Excel and Word do (styles, schemas) run over all of them, so none
can slip through."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "workbook" / "政府信息公开年报模板-2021.xlsx"


@cache
def demo_outputs() -> dict[str, bytes]:
    """suffix → bytes of what ``xxgk demo`` writes (.xlsx with the drafted texts, .docx, …)."""
    from xxgk import demo

    with tempfile.TemporaryDirectory(prefix="xxgk-written-") as tmp:
        return {p.suffix: p.read_bytes() for p in demo.run(Path(tmp) / "demo", echo=lambda _line: None)}


@cache
def workbooks() -> dict[str, bytes]:
    """name → .xlsx bytes of every kind of workbook we write."""
    from xxgk.examples import load_example
    from xxgk.workbook import build_workbook

    return {
        "template": TEMPLATE.read_bytes(),
        "new": build_workbook(year=2025, agency="某某市某某局"),  # xxgk new --year --agency
        "prefilled": build_workbook(load_example()),  # xxgk new --from
        "demo": demo_outputs()[".xlsx"],
        "format-2019": build_workbook(year=2020, agency="某某县某某局"),
    }

"""Every workbook the project writes, built once per test session: the committed template and
what ``xxgk new``, ``xxgk new --from``, ``xxgk demo`` and the 2019 format write. Tests that read
bytes the way Excel does (styles, schemas) run over all of them, so none can slip through."""

from __future__ import annotations

from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "workbook" / "政府信息公开年报模板-2021.xlsx"


@cache
def workbooks() -> dict[str, bytes]:
    """name → .xlsx bytes of every kind of workbook we write."""
    from xxgk.examples import load_example
    from xxgk.narrative import regenerate
    from xxgk.workbook import build_workbook

    example = load_example()
    drafted, _ = regenerate(example)
    return {
        "template": TEMPLATE.read_bytes(),
        "new": build_workbook(year=2025, agency="某某市某某局"),  # xxgk new --year --agency
        "prefilled": build_workbook(example),  # xxgk new --from
        "demo": build_workbook(drafted),  # the demo's workbook, with drafted texts
        "format-2019": build_workbook(year=2020, agency="某某县某某局"),
    }

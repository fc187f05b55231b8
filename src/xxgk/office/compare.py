"""Two consecutive years of one agency side by side: every figure (this year, last year, change,
%), the carry-over identity per 表三 column, the 现行有效 flow of 表二, and per section how much
of the text is last year's (with the passages copied)."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from xxgk.report import Report, _json_value

PASSAGE_MIN = 20  # shared runs shorter than this are common phrases, not copied passages
PASSAGES_SHOWN = 3


def _pct(now: float, before: float) -> float | None:
    return None if not before else round((now - before) / before * 100, 1)


def compare(report: Report, prev: Report) -> dict[str, Any]:
    fmt = report.spec
    cells = []
    for key in fmt.cells:
        now, before = report.cells.get(key), prev.cells.get(key)
        if now is None or before is None or (now == 0 and before == 0):
            continue
        now, before = _json_value(now), _json_value(before)
        cells.append({"key": key, "label": fmt.cell_label(key), "this": now, "prev": before,
                      "change": _json_value(now - before), "pct": _pct(now, before)})
    carried = []
    if "t3" in fmt.tables:
        for col in fmt.tables["t3"].columns:
            here, there = report.cells.get(f"t3.carried.{col.key}"), prev.cells.get(f"t3.forward.{col.key}")
            if here is None and there is None:
                continue
            carried.append({"column": col.labels[-1], "carried": here, "forward_prev": there,
                            "diff": None if None in (here, there) else here - there})
    flow = []
    for row in ("rules", "normative"):
        keys = [f"t2.{row}.{c}" for c in ("in_force", "issued", "repealed")]
        if not all(k in fmt.cells for k in keys) or keys[0] not in prev.cells:
            continue
        now, issued, repealed = (report.cells.get(k) for k in keys)
        before = prev.cells.get(keys[0])
        expected = None if None in (before, issued, repealed) else before + issued - repealed
        flow.append({"row": fmt.row_label(keys[0]), "prev_in_force": before, "issued": issued,
                     "repealed": repealed, "expected": expected, "in_force": now,
                     "diff": None if None in (now, expected) else now - expected})
    texts = []
    for key, field in fmt.texts.items():
        a, b = report.texts.get(key) or "", prev.texts.get(key) or ""
        if not a.strip() or not b.strip():
            continue
        m = SequenceMatcher(None, a, b, autojunk=False)
        blocks = sorted((blk for blk in m.get_matching_blocks() if blk.size >= PASSAGE_MIN),
                        key=lambda blk: -blk.size)
        texts.append({"key": key, "label": field.label, "similarity": round(m.ratio() * 100),
                      "passages": [a[blk.a:blk.a + blk.size] for blk in blocks[:PASSAGES_SHOWN]]})
    return {"year": report.year, "prev_year": prev.year, "cells": cells, "carried": carried,
            "in_force": flow, "texts": texts}

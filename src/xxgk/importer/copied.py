"""Text copied from a web page with one table cell per line.

Copying a portal page's tables (as the browser renders them) gives every cell on a line of its
own, with a fixed number of blank lines between the cells of a row and a larger, fixed number
between rows; an empty cell is an empty line, so it adds one cell gap. The two gaps are read from
the text itself (the commonest gap between short lines, and the commonest larger one that is not
a whole number of cell gaps), never assumed. A gap that is neither a row break plus empty cells
nor a run of empty cells ends the table. Prose (headings, sentences) keeps its own paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter

from xxgk.importer.doc import Document
from xxgk.importer.sections import heading_key
from xxgk.importer.tables import value_like

_MIN_CELL_GAPS = 20  # a report's tables have well over a hundred cells
_MAX_CELL = 60  # longer lines are prose (no official label reaches 45 characters)


def _is_prose(text: str) -> bool:
    return bool(heading_key(text)) or "。" in text or len(text) > _MAX_CELL


def _lines(lines: list[str]) -> list[tuple[int, str]]:
    """(newlines before it, text) for every non-blank line."""
    out, gap = [], 0
    for ln in lines:
        gap += 1
        if ln.strip():
            out.append((gap, ln.strip()))
            gap = 0
    return out


def cell_gaps(lines: list[str]) -> tuple[int, int] | None:
    """(cell step, row step) in newlines, if the text has one-cell-per-line tables."""
    items = _lines(lines)
    gaps = Counter(g for n, (g, t) in enumerate(items)
                   if n and g >= 2 and not _is_prose(t) and not _is_prose(items[n - 1][1]))
    if not gaps:
        return None
    step, count = gaps.most_common(1)[0]
    if count < _MIN_CELL_GAPS:
        return None
    # Row breaks: the commonest larger gap that no number of empty cells explains.
    rows = [(c, g) for g, c in gaps.items() if g > step and g % step]
    if not rows:
        return None
    return step, max(rows)[1]


def read_cell_lines(lines: list[str], step: int, row_step: int) -> Document:
    """Between the heading of 二 (or the first 第二十条 title) and the heading of 五, each short
    line is a cell, grouped into rows by the gaps; everything else is a paragraph."""
    items = _lines(lines)
    keys = [heading_key(t) for _, t in items]
    start = next((n for n, (_, t) in enumerate(items)
                  if keys[n] in ("s2", "s3", "s4") or "第二十条" in re.sub(r"\s", "", t)), None)
    end = next((n for n in range(start or 0, len(items)) if keys[n] in ("s5", "s6")), len(items))
    doc = Document("lines")
    row: list[str] = []
    table = 0

    def flush() -> None:
        nonlocal row
        if row:
            doc.row(row, table)
            row = []

    for n, (gap, text) in enumerate(items):
        in_zone = start is not None and start <= n < end
        if not in_zone or _is_prose(text):
            flush()
            doc.para(text)
            continue
        if row and gap < step:  # a label or header wrapped onto the next line: the same cell
            row[-1] += text
            continue
        if row and gap % step == 0:
            row.extend([""] * (gap // step - 1))
        elif row and gap >= row_step and (gap - row_step) % step == 0:
            empties = [""] * ((gap - row_step) // step)
            # Empty cells at a row break end the row above, unless the next row starts with
            # them (a figure row with its first cells blank, as in 表四).
            if value_like(text):
                flush()
                row = list(empties)
            else:
                row.extend(empties)
                flush()
        else:  # a gap no row break explains: a new table
            flush()
            table += 1
        row.append(text)
    flush()
    return doc


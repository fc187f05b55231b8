"""Placing a PDF table row's figures by where they stand on the line, when the row prints fewer
figures than the table has columns (a blank cell leaves no trace in ``pdftotext -layout`` text
but a wider gap).

Only exact placements are made: the header must show one label piece per column at its own
position, and every figure must overlap the label span of exactly one column, each column
taking at most one figure. Anything less returns ``None`` and the row stays unread.
"""

from __future__ import annotations

from xxgk.importer.doc import Item
from xxgk.importer.labels import canon

# Header pieces closer than this (in characters) belong to the same column.
_SAME_COLUMN = 1


def column_spans(header: list[Item], pieces: set[str]) -> list[tuple[int, int]]:
    """The (start, end) span of every column in ``header`` lines, left to right: the header
    cells that are pieces of a column label (``结果``, ``维持``, ``总计`` …), grouped by start."""
    found = sorted((s, e) for it in header for cell, (s, e) in zip(it.cells, it.spans, strict=False)
                   if canon(cell) in pieces)
    columns: list[list[int]] = []
    for s, e in found:
        if columns and s - columns[-1][0] <= _SAME_COLUMN:
            columns[-1][1] = max(columns[-1][1], e)
        else:
            columns.append([s, e])
    return [(s, e) for s, e in columns]


def place_by_position(header: list[Item], row: Item, n: int, pieces: set[str]) -> list[str] | None:
    """The ``n`` cells of ``row`` (``""`` where blank) placed under the header's columns, or
    ``None`` unless the placement is exact."""
    if not row.spans or len(row.spans) != len(row.cells):
        return None
    columns = column_spans(header, pieces)
    if len(columns) != n:
        return None
    out = [""] * n
    for cell, (s, e) in zip(row.cells, row.spans, strict=True):
        if not cell.strip():
            continue
        hits = [k for k, (cs, ce) in enumerate(columns) if s < ce and e > cs]
        if len(hits) != 1 or out[hits[0]]:
            return None
        out[hits[0]] = cell
    return out


def label_pieces(labels: list[str]) -> set[str]:
    """Every piece a column label can be split into across header lines (two characters or
    more): ``结果维持`` → ``结果``, ``维持``, ``结果维持`` …"""
    out = set()
    for label in labels:
        c = canon(label)
        out |= {c[i:j] for i in range(len(c)) for j in range(i + 2, len(c) + 1)}
    return out

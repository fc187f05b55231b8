"""The three official tables as grids of merged cells, derived from the format data.

One description serves every exporter: the .docx builder merges the same rectangles, the HTML
page writes the same cells as ``<th id>``/``<td headers>``. Row and column headers come from the
label paths of the format (``Axis.labels``), so a label is never typed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xxgk.report import Report
from xxgk.spec import Axis, Format, Table
from xxgk.values import format_value

HEADER, ROW_HEADER, DATA, CORNER, TITLE = "header", "row_header", "data", "corner", "title"


@dataclass
class GridCell:
    row: int
    col: int
    text: str
    kind: str
    rowspan: int = 1
    colspan: int = 1
    id: str = ""
    headers: tuple[str, ...] = ()
    key: str = ""  # the cell key of a data cell
    scope: str = ""  # col / colgroup / row / rowgroup for header cells


@dataclass
class Grid:
    key: str
    caption: str
    ncols: int
    header_rows: int  # how many leading rows are column headers (repeat on every page)
    rows: list[list[GridCell]] = field(default_factory=list)
    note: str = ""

    def cells(self) -> list[GridCell]:
        return [c for row in self.rows for c in row]


def _value(report: Report, key: str) -> str:
    v = report.cells.get(key)
    return "" if v is None else format_value(v)


def _slug(key: str) -> str:
    return key.replace(".", "-").replace("_", "-")


def _column_headers(table: Table, top: str, first_col: int) -> tuple[list[list[GridCell]], dict[str, tuple[str, ...]]]:
    """Header rows for ``table.columns`` (plus an optional ``top`` label over all of them) and,
    per column key, the ids of its headers, innermost first."""
    paths = [((top,) if top else ()) + c.labels for c in table.columns]
    depth = max(len(p) for p in paths)
    rows: list[list[GridCell]] = [[] for _ in range(depth)]
    ids: dict[str, tuple[str, ...]] = {c.key: () for c in table.columns}
    groups = 0
    for level in range(depth):
        j = 0
        while j < len(paths):
            path = paths[j]
            if level >= len(path):
                j += 1
                continue
            leaf = level == len(path) - 1
            span = 1
            if not leaf:
                while (j + span < len(paths) and len(paths[j + span]) > level + 1
                       and paths[j + span][: level + 1] == path[: level + 1]):
                    span += 1
            if leaf:
                hid = f"{table.key}-c-{_slug(table.columns[j].key)}"
            else:
                groups += 1
                hid = f"{table.key}-cg{groups}"
            rows[level].append(GridCell(
                row=level, col=first_col + j, text=path[level], kind=HEADER, id=hid,
                rowspan=depth - level if leaf else 1, colspan=span,
                scope="col" if leaf and span == 1 else "colgroup",
            ))
            for k in range(j, j + span):
                ids[table.columns[k].key] = (hid, *ids[table.columns[k].key])
            j += span
    return rows, ids


def _row_headers(table: Table, first_row: int) -> tuple[dict[int, list[GridCell]], dict[str, tuple[str, ...]], int]:
    """Row header cells per grid row, per row key the ids of its headers (innermost first), and
    how many label columns they take."""
    width = max((len(r.labels) for r in table.rows), default=0)
    out: dict[int, list[GridCell]] = {}
    ids: dict[str, tuple[str, ...]] = {}
    rows: list[Axis] = list(table.rows)
    for i, row in enumerate(rows):
        out.setdefault(first_row + i, [])
        parts = row.key.split(".")
        chain: list[str] = []
        for level, label in enumerate(row.labels):
            leaf = level == len(row.labels) - 1
            hid = f"{table.key}-r-{_slug(row.key if leaf else '.'.join(parts[: level + 1]))}"
            chain.insert(0, hid)
            prefix = row.labels[: level + 1]
            if i > 0 and not leaf and rows[i - 1].labels[: level + 1] == prefix:
                continue  # merged into the group cell started above
            span = 1
            if not leaf:
                while i + span < len(rows) and rows[i + span].labels[: level + 1] == prefix:
                    span += 1
            out[first_row + i].append(GridCell(
                row=first_row + i, col=level, text=label, kind=ROW_HEADER, id=hid,
                rowspan=span, colspan=width - level if leaf else 1,
                scope="row" if leaf else "rowgroup",
            ))
        ids[row.key] = tuple(chain)
    return out, ids, width


def table_grid(fmt: Format, report: Report, tkey: str) -> Grid:
    """表三 or 表四 (a grid table) with the report's values."""
    table = fmt.tables[tkey]
    label_cols = max((len(r.labels) for r in table.rows), default=0)
    head, col_ids = _column_headers(table, table.column_header, label_cols)
    nhead = len(head)
    body, row_ids, _ = _row_headers(table, nhead)
    grid = Grid(tkey, table.caption, label_cols + len(table.columns), nhead)
    if label_cols:
        head[0].insert(0, GridCell(row=0, col=0, text=table.corner_note, kind=CORNER,
                                   rowspan=nhead, colspan=label_cols))
    grid.rows.extend(head)
    for i, row in enumerate(table.rows):
        cells = list(body.get(nhead + i, []))
        for j, col in enumerate(table.columns):
            key = table.cell_key(row.key, col.key)
            cells.append(GridCell(row=nhead + i, col=label_cols + j, text=_value(report, key), kind=DATA,
                                  key=key, headers=(*row_ids[row.key], *col_ids[col.key])))
        grid.rows.append(cells)
    return grid


def t2_grid(fmt: Format, report: Report) -> Grid:
    """表二: four blocks, each a title row across the table, a header row and its rows. Blocks
    with one value column stretch it over the three value columns."""
    table = fmt.tables["t2"]
    ncols = 1 + max(len(b.columns) for b in table.blocks)
    grid = Grid("t2", table.caption, ncols, 0)
    r = 0
    for b, block in enumerate(table.blocks, start=1):
        tid = f"t2-b{b}"
        grid.rows.append([GridCell(row=r, col=0, text=block.title, kind=TITLE, colspan=ncols, id=tid,
                                   scope="colgroup")])
        r += 1
        span = (ncols - 1) // len(block.columns)
        head = [GridCell(row=r, col=0, text=block.head, kind=HEADER, id=f"{tid}-head", scope="col")]
        col_ids = {}
        for j, col in enumerate(block.columns):
            cid = f"{tid}-c-{_slug(col.key)}"
            col_ids[col.key] = cid
            head.append(GridCell(row=r, col=1 + j * span, text=col.label, kind=HEADER, id=cid,
                                 colspan=span if j < len(block.columns) - 1 else ncols - 1 - j * span,
                                 scope="col"))
        grid.rows.append(head)
        r += 1
        for row in block.rows:
            rid = f"{tid}-r-{_slug(row.key)}"
            cells = [GridCell(row=r, col=0, text=row.label, kind=ROW_HEADER, id=rid, scope="row")]
            for j, col in enumerate(block.columns):
                key = table.cell_key(row.key, col.key)
                cells.append(GridCell(row=r, col=1 + j * span, text=_value(report, key), kind=DATA, key=key,
                                      colspan=span if j < len(block.columns) - 1 else ncols - 1 - j * span,
                                      headers=(rid, col_ids[col.key], tid)))
            grid.rows.append(cells)
            r += 1
    return grid


def grids(report: Report) -> dict[str, Grid]:
    """Every official table of the report's format, by section key (s2, s3, s4)."""
    fmt = report.spec
    out = {}
    for tkey, table in fmt.tables.items():
        out[table.section] = t2_grid(fmt, report) if table.blocks else table_grid(fmt, report, tkey)
    return out


# A blank's placeholder in a text (``【待填写】``, ``【待填写：…】``), which both exporters mark.
PLACEHOLDER_RE = re.compile(r"(【待填写(?:：[^】【]*)?】)")  # [^】【]: linear on unclosed ones


def subtopic_text(report: Report, key: str, label: str) -> str:
    """The text of 一's sub-part ``key`` (``s1.management``); when nobody wrote it, its name and
    a placeholder, so the printed report shows the gap instead of a bare "（三）"."""
    text = (report.texts.get(key) or "").strip()
    return text or f"{label}。【待填写】"

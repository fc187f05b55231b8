"""Tables of different format versions in one report.

Real reports mix them: a 2023 report printed with the 2021 表二 and the 2019 表三. Each table's
format is detected on its own (表二 by the labels only one format has, 表三 by its （六） rows); a
table in another format than the report is read with its own format's labels, and its cells go to
the report's keys where the two formats share the key (the format data gives every row or column
that is the same in both formats the same key). What the two do not share is said once, in a
table note (problem :data:`FORM_VERSION`) that the rule FORM-VERSION reports; the report's cells
the printed table does not have are noted too, so they are not reported again as blank or unread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xxgk.importer.doc import Document
from xxgk.report import CellNote
from xxgk.spec import Format
from xxgk.values import FORM_VERSION, Value

if TYPE_CHECKING:
    from xxgk.importer.tables import Regions, TableRead

_SHOWN = 4  # rows named in a message before "等"


def _rows(fmt: Format, table: str) -> list[tuple[str, list[str]]]:
    """(row label, the row's cell keys) for each row of ``table`` in ``fmt``."""
    t = fmt.tables[table]
    if table == "t2":
        return [(r.label, [t.cell_key(r.key, c.key) for c in b.columns]) for b in t.blocks for r in b.rows]
    return [(r.label, [t.cell_key(r.key, c.key) for c in t.columns]) for r in t.rows]


def _named(labels: list[str]) -> str:
    shown = "、".join(f"“{x}”" for x in labels[:_SHOWN])
    return shown + (f"等 {len(labels)} 项" if len(labels) > _SHOWN else "")


def _printed(values: list[Value | None]) -> str:
    return "、".join("空" if v is None else str(v) for v in values)


def merge(out: TableRead, report_fmt: Format, table_fmt: Format, table: str, read: TableRead) -> None:
    """Put ``read`` (a TableRead of ``table`` in ``table_fmt``) into ``out`` under the keys of
    ``report_fmt``, and note once what the two formats do not share."""
    out.found.extend(t for t in read.found if t not in out.found)
    out.skipped.extend(read.skipped)
    for key, value in read.cells.items():
        if key in report_fmt.cells:
            out.cells[key] = value
    own_rows = {k.rsplit(".", 1)[0] for k in report_fmt.cells if k.startswith(table + ".")}
    for note in read.notes:
        if note.key in report_fmt.cells or note.key == table or note.key in own_rows:
            out.notes.append(note)
    missing_rows, missing_cells = [], []
    for label, keys in _rows(report_fmt, table):
        gone = [k for k in keys if k not in read.cells]
        for k in gone:
            out.cells[k] = None
            out.notes.append(CellNote(k, FORM_VERSION, "", f"发布稿的{report_fmt.tables[table].short}按{table_fmt.source}格式印制，没有这一格"))
        if gone and len(gone) == len(keys):
            missing_rows.append(label)
        else:
            missing_cells.extend(report_fmt.cell_label(k).split(" ", 1)[1] for k in gone)
    extra = []
    for label, keys in _rows(table_fmt, table):
        if all(k not in report_fmt.cells for k in keys):
            extra.append(f"“{label}”（读到 {_printed([read.cells.get(k) for k in keys])}）")
        else:
            extra.extend(f"“{table_fmt.cell_label(k).split(' ', 1)[1]}”（读到 {_printed([read.cells.get(k)])}）"
                         for k in keys if k not in report_fmt.cells)
    short = report_fmt.tables[table].short
    parts = [f"{short}已按发布稿的标签读取，与本年度格式相同的各行、各栏都已对应"]
    if missing_rows or missing_cells:
        parts.append(f"本年度格式中的{_named(missing_rows + missing_cells)}发布稿中没有，未读取，请按本年度格式补填")
    if extra:
        parts.append(f"发布稿中的{'、'.join(extra[:_SHOWN])}{'等' if len(extra) > _SHOWN else ''}本年度格式中没有，未计入")
    out.notes.append(CellNote(table, FORM_VERSION, table_fmt.version, "；".join(parts) + "。"))


def table_versions(doc: Document, regions: Regions) -> dict[str, str]:
    """{table key: the format version it is printed in}, for the tables whose version shows
    (表四 is the same in every format)."""
    from xxgk.importer.tables import t2_version, t3_version

    found = {"t2": t2_version(doc, regions), "t3": t3_version(regions)}
    return {t: v for t, v in found.items() if v is not None}

"""The official report format as data, loaded from ``format-<version>.toml``.

Everything else (workbook layout, JSON Schema, reader, rules, narrative, exports) derives from
the :class:`Format` returned by :func:`load_format`; no label or cell key is written anywhere else.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from xxgk.errors import InputError

SPEC_DIR = Path(__file__).parent

COUNT = "count"  # integer ≥ 0
SIGNED = "signed"  # integer, may be negative (2019 表二 本年增/减)
AMOUNT = "amount"  # decimal ≥ 0, 万元 (表二 收费金额)
YUAN = "yuan"  # decimal ≥ 0, 元 (信息处理费)
TEXT = "text"


@dataclass(frozen=True)
class Heading:
    key: str
    label: str


@dataclass(frozen=True)
class Axis:
    """A row or a column of a table: its key, its label path (outermost first), and, for a
    total, the keys of the rows or columns it sums."""

    key: str
    labels: tuple[str, ...]
    sum: tuple[str, ...] = ()
    type: str = COUNT

    @property
    def label(self) -> str:
        return self.labels[-1] if self.labels else ""


@dataclass(frozen=True)
class Block:
    """A sub-table of 表二: a merged title row, a header row, and its own rows and columns."""

    title: str
    head: str
    columns: tuple[Axis, ...]
    rows: tuple[Axis, ...]


@dataclass(frozen=True)
class Cell:
    key: str
    table: str
    row: str
    column: str
    type: str
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    # The parts this cell is the total of, for a total cell (the workbook writes it as a formula).
    total_of: tuple[str, ...] = ()

    @property
    def is_total(self) -> bool:
        return bool(self.total_of)


@dataclass(frozen=True)
class SumRelation:
    """total = Σ parts, one printed total of the format. ``axis`` says which way it sums."""

    total: str
    parts: tuple[str, ...]
    table: str
    axis: str  # "row": along a row (a total column); "column": down a column (a total row)


@dataclass(frozen=True)
class Table:
    key: str
    short: str
    section: str
    caption: str
    columns: tuple[Axis, ...]
    rows: tuple[Axis, ...]
    blocks: tuple[Block, ...] = ()
    corner_note: str = ""
    column_header: str = ""

    def cell_key(self, row: str, column: str) -> str:
        return ".".join(p for p in (self.key, row, column) if p)


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    type: str
    section: str
    unit: str = ""
    hint: str = ""


@dataclass(frozen=True)
class TextField:
    key: str
    label: str
    section: str
    generated: bool


@dataclass(frozen=True)
class Format:
    version: str
    name: str
    source: str
    first_year: int
    last_year: int | None
    headings: tuple[Heading, ...]
    subtopics: tuple[Heading, ...]
    tables: dict[str, Table]
    facts: dict[str, Fact]
    texts: dict[str, TextField]
    cells: dict[str, Cell] = field(default_factory=dict)
    sums: tuple[SumRelation, ...] = ()

    def table_cells(self, table: str) -> list[Cell]:
        return [c for c in self.cells.values() if c.table == table]

    def cell_label(self, key: str) -> str:
        """A cell's label as a user reads it: ``表三 一、本年新收政府信息公开申请数量 / 自然人``."""
        if key in self.cells:
            cell = self.cells[key]
            table = self.tables[cell.table]
            row = self.row_label(key)
            col = cell.column_labels[-1] if table.key != "t4" else "·".join(cell.column_labels)
            return f"{table.short} {row} / {col}" if row else f"{table.short} {col}"
        if key in self.facts:
            return self.facts[key].label
        if key in self.texts:
            return self.texts[key].label
        return key

    def row_label(self, key: str) -> str:
        """The row part of a cell's label: ``四、结转下年度继续办理``, ``（三）不予公开 1.属于国家秘密``."""
        return _short_row_label(self.cells[key].row_labels)

    def heading(self, section: str) -> str:
        return next(h.label for h in self.headings if h.key == section)


def _short_row_label(labels: tuple[str, ...]) -> str:
    if not labels:
        return ""
    if len(labels) == 1:
        return labels[0]
    # "三、本年度办理结果" adds nothing a reader needs once the sub-row is named.
    return " ".join(labels[1:]) if labels[0].startswith("三、") else " ".join(labels)


def _axis(raw: dict, default_type: str = COUNT) -> Axis:
    labels = raw.get("labels")
    if labels is None:
        labels = [raw["label"]] if raw.get("label") else []
    return Axis(
        key=raw["key"],
        labels=tuple(labels),
        sum=tuple(raw.get("sum", ())),
        type=raw.get("type", default_type),
    )


def _build_table(key: str, raw: dict) -> tuple[Table, list[Cell], list[SumRelation]]:
    blocks = tuple(
        Block(
            title=b["title"],
            head=b["head"],
            columns=tuple(_axis(c) for c in b["columns"]),
            rows=tuple(_axis(r) for r in b["rows"]),
        )
        for b in raw.get("blocks", ())
    )
    if blocks:
        grids = [(b.rows, b.columns) for b in blocks]
        rows = tuple(r for b in blocks for r in b.rows)
        columns = tuple({c.key: c for b in blocks for c in b.columns}.values())
    else:
        rows = tuple(_axis(r) for r in raw["rows"])
        columns = tuple(_axis(c) for c in raw["columns"])
        grids = [(rows, columns)]
    table = Table(
        key=key,
        short=raw["short"],
        section=raw["section"],
        caption=raw["caption"],
        columns=columns,
        rows=rows,
        blocks=blocks,
        corner_note=raw.get("corner_note", ""),
        column_header=raw.get("column_header", ""),
    )
    cells: list[Cell] = []
    sums: list[SumRelation] = []
    for grid_rows, grid_cols in grids:
        for row in grid_rows:
            for col in grid_cols:
                k = table.cell_key(row.key, col.key)
                total_of: tuple[str, ...] = ()
                if col.sum:
                    total_of = tuple(table.cell_key(row.key, p) for p in col.sum)
                    sums.append(SumRelation(k, total_of, key, "row"))
                if row.sum:
                    parts = tuple(table.cell_key(p, col.key) for p in row.sum)
                    sums.append(SumRelation(k, parts, key, "column"))
                    total_of = total_of or parts
                cells.append(
                    Cell(
                        key=k,
                        table=key,
                        row=row.key,
                        column=col.key,
                        type=col.type if col.type != COUNT else row.type,
                        row_labels=row.labels,
                        column_labels=col.labels,
                        total_of=total_of,
                    )
                )
    return table, cells, sums


@cache
def load_format(version: str = "2021") -> Format:
    """The format of ``version`` ("2021", …). Raises :class:`InputError` for an unknown one."""
    path = SPEC_DIR / f"format-{version}.toml"
    if not path.is_file():
        known = "、".join(available_versions()) or "无"
        raise InputError(f"不认识的格式版本“{version}”。本工具支持的格式版本：{known}。")
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    tables: dict[str, Table] = {}
    cells: dict[str, Cell] = {}
    sums: list[SumRelation] = []
    for key, traw in raw["tables"].items():
        table, tcells, tsums = _build_table(key, traw)
        tables[key] = table
        cells.update((c.key, c) for c in tcells)
        sums.extend(tsums)
    return Format(
        version=raw["version"],
        name=raw["name"],
        source=raw["source"],
        first_year=raw["first_year"],
        last_year=raw.get("last_year"),
        headings=tuple(Heading(h["key"], h["label"]) for h in raw["headings"]),
        subtopics=tuple(Heading(h["key"], h["label"]) for h in raw.get("overview_subtopics", ())),
        tables=tables,
        facts={f["key"]: Fact(**f) for f in raw.get("facts", ())},
        texts={t["key"]: TextField(**t) for t in raw.get("texts", ())},
        cells=cells,
        sums=tuple(sums),
    )


def available_versions() -> list[str]:
    return list(_versions())


@cache
def _versions() -> tuple[str, ...]:
    """The format files shipped with the tool (they do not change while it runs)."""
    return tuple(sorted(p.stem.removeprefix("format-") for p in SPEC_DIR.glob("format-*.toml")))


def format_for_year(year: int) -> Format:
    """The format in force for report year ``year`` (the newest whose first year ≤ year)."""
    candidates = [load_format(v) for v in available_versions()]
    usable = [f for f in candidates if f.first_year <= year and (f.last_year or 9999) >= year]
    if not usable:
        raise InputError(f"没有适用于 {year} 年度报告的格式。")
    return max(usable, key=lambda f: f.first_year)

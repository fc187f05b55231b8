"""Where every key lives in the workbook, derived from the format data (pure; no openpyxl).

The workbook builder places cells here, findings name these addresses (``表三!D5``), and the
add-in highlights them. The reader does not use it: it reads by defined names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from xxgk.spec import Format, load_format

# Sheet names, one per part of the report (一 … 六), plus the cover and the results sheet.
COVER = "说明"
SECTION_SHEETS = {
    "": "总体情况",  # the preamble sits with 一
    "s1": "总体情况",
    "s2": "表二",
    "s3": "表三",
    "s4": "表四",
    "s5": "问题改进",
    "s6": "其他事项",
}
RESULTS = "校验结果"
META = "_meta"  # hidden: format version, year, agency, tool version, disabled rules
PREVIOUS = "_上年"  # hidden: last year's report for the cross-year rules
DRAFTS = "_草稿"  # hidden: the last generated narrative, kept apart from the edited text
FLAGS = "_flags"  # hidden, unlocked: the add-in's highlight flags (drive conditional formats)

TABLE_FIRST_ROW = 5  # 表三/表四: title row 1, three header rows 2–4
T3_LABEL_COLUMNS = 3  # 表三: three label columns A–C, data from D
FORM_FIRST_ROW = 3  # fact/text sheets: title row 1, header row 2


@dataclass(frozen=True)
class Address:
    sheet: str
    row: int  # 1-based
    column: int  # 1-based

    @property
    def cell(self) -> str:
        return f"{column_letter(self.column)}{self.row}"

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}"


def column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class TableBlockRows:
    """Row numbers of one 表二 block (title, header, first data row)."""

    title: int
    header: int
    first: int


@cache
def t2_block_rows(version: str) -> tuple[TableBlockRows, ...]:
    fmt = load_format(version)
    out, row = [], 2
    for block in fmt.tables["t2"].blocks:
        out.append(TableBlockRows(row, row + 1, row + 2))
        row += 2 + len(block.rows) + 1  # a blank row between blocks
    return tuple(out)


@cache
def addresses(version: str = "2021") -> dict[str, Address]:
    """The workbook address of every table cell, fact and text of format ``version``."""
    fmt = load_format(version)
    out: dict[str, Address] = {}
    _place_t2(fmt, out)
    _place_grid(fmt, "t3", T3_LABEL_COLUMNS + 1, out)
    _place_grid(fmt, "t4", 1, out)
    _place_forms(fmt, out)
    return out


def address(version: str, key: str) -> str:
    """``表三!D5`` for a key, or ``""`` for a key the workbook does not show."""
    a = addresses(version).get(key)
    return str(a) if a else ""


def table_end_row(version: str, table: str) -> int:
    """The last row a table occupies on its sheet."""
    return max(a.row for k, a in addresses(version).items() if k.startswith(table + "."))


def _place_t2(fmt: Format, out: dict[str, Address]) -> None:
    table = fmt.tables["t2"]
    sheet = SECTION_SHEETS[table.section]
    for block, rows in zip(table.blocks, t2_block_rows(fmt.version), strict=True):
        for i, row in enumerate(block.rows):
            for j, col in enumerate(block.columns):
                out[table.cell_key(row.key, col.key)] = Address(sheet, rows.first + i, 2 + j)


def _place_grid(fmt: Format, tkey: str, first_col: int, out: dict[str, Address]) -> None:
    table = fmt.tables[tkey]
    sheet = SECTION_SHEETS[table.section]
    for i, row in enumerate(table.rows):
        for j, col in enumerate(table.columns):
            out[table.cell_key(row.key, col.key)] = Address(sheet, TABLE_FIRST_ROW + i, first_col + j)


def _place_forms(fmt: Format, out: dict[str, Address]) -> None:
    """Facts then texts, one per row in column B, on the sheet of their section. On a table's
    sheet they go two rows below the table."""
    next_row: dict[str, int] = {}
    for t in fmt.tables.values():
        sheet = SECTION_SHEETS[t.section]
        next_row[sheet] = max(a.row for a in out.values() if a.sheet == sheet) + 3
    for key, section in [(k, f.section) for k, f in fmt.facts.items()] + [
        (k, t.section) for k, t in fmt.texts.items()
    ]:
        sheet = SECTION_SHEETS[section]
        row = next_row.get(sheet, FORM_FIRST_ROW)
        out[key] = Address(sheet, row, 2)
        next_row[sheet] = row + 1


# ---------------------------------------------------------------- workbook furniture
# Cover (说明) cells a person fills or reads: agency, report year, and the live status summary.
COVER_CELLS = {
    "agency": Address(COVER, 3, 3),
    "year": Address(COVER, 4, 3),
    "format": Address(COVER, 5, 3),
    "status": Address(COVER, 6, 3),
    "unbalanced": Address(COVER, 7, 3),  # how many live checks fail
    "blank": Address(COVER, 8, 3),  # how many table input cells are blank
}
COVER_FIRST_FREE_ROW = 10  # how to fill, colour legend

# The visible sheets that hold input cells, in workbook order. Their _flags mirror: the same row,
# the column shifted by FLAG_BLOCK × the sheet's position, so one hidden sheet mirrors them all.
INPUT_SHEETS = tuple(dict.fromkeys(SECTION_SHEETS.values()))
FLAG_BLOCK = 30


def flag_address(sheet: str, row: int, column: int) -> Address:
    """The _flags cell mirroring ``sheet``!(row, column): a non-empty value there highlights it."""
    return Address(FLAGS, row, column + FLAG_BLOCK * INPUT_SHEETS.index(sheet))


def flag_for(version: str, key: str) -> Address:
    """The _flags cell of a key (``layout.flag_for("2021", "t3.new.natural")``)."""
    a = addresses(version)[key]
    return flag_address(a.sheet, a.row, a.column)


@cache
def check_addresses(version: str = "2021") -> dict[str, Address]:
    """Where the live check formulas go, by check key.

    ``identity.<col>``: the row under 表三, one per column (一+二 = 三（七）+ 四).
    ``sum.column.<total key>``: the next row, under a total row's cell (（七）总计 = its parts).
    ``sum.row.<total key>``: beside a total column, one column right of the table (总计 = its
    parts); in a one-row table (表四) under the total cell instead.
    """
    fmt = load_format(version)
    at = addresses(version)
    out: dict[str, Address] = {}
    t3 = fmt.tables["t3"]
    end3 = table_end_row(version, "t3")
    for col in t3.columns:
        a = at[t3.cell_key(t3.rows[0].key, col.key)]
        out[f"identity.{col.key}"] = Address(a.sheet, end3 + 1, a.column)
    for rel in fmt.sums:
        a = at[rel.total]
        table = fmt.tables[rel.table]
        if rel.axis == "column":
            out[f"sum.column.{rel.total}"] = Address(a.sheet, table_end_row(version, rel.table) + 2, a.column)
        elif len(table.rows) > 1:
            last = max(b.column for k, b in at.items() if k.startswith(rel.table + "."))
            out[f"sum.row.{rel.total}"] = Address(a.sheet, a.row, last + 1)
        else:
            out[f"sum.row.{rel.total}"] = Address(a.sheet, a.row + 1, a.column)
    return out

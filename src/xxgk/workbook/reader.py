"""Workbook → Report, by defined names only (never by hard-coded coordinates).

Two layers, so the add-in can reuse the second without openpyxl:

1. :func:`load_data` (openpyxl) turns a file into a plain :class:`WorkbookData`: per sheet a 2-D
   grid of what each cell holds and the formulas where known, plus the defined names. The add-in
   builds the same structure with xlwings, one bulk read per sheet. :func:`read_workbook` takes
   a faster way for the same data: only the cells the names point to, straight from the package
   (:mod:`xxgk.workbook.package`), and ``load_data`` only for a file that way does not read.
2. :func:`report_from_data` turns a :class:`WorkbookData` into a :class:`~xxgk.report.Report`:
   every input cell through :func:`xxgk.values.normalise` (a :class:`~xxgk.report.CellNote`
   with the cell's address for anything not typed cleanly), totals recomputed from their parts
   (cached values are never trusted; a total whose formula was replaced by a number gets a
   ``formula_replaced`` note), and a clear Chinese :class:`~xxgk.errors.InputError` for a
   workbook that is not ours, of another format version, or with a sheet renamed or deleted.
"""

from __future__ import annotations

import math
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from xxgk import layout, zipparts
from xxgk.errors import InputError
from xxgk.limits import check_sheet_extent
from xxgk.report import CellNote, Report
from xxgk.spec import COUNT, TEXT, Format, available_versions, load_format
from xxgk.values import (
    FORMULA_REPLACED,
    TEXT_FORMULA,
    TEXT_FORMULA_UNREAD,
    TEXT_NOT_TEXT,
    UNREAD,
    Value,
    format_value,
    normalise,
)
from xxgk.workbook import package
from xxgk.workbook.names import key_for, name_for

WORKBOOK_KIND = "xxgk-workbook"
MAX_WORKBOOK_BYTES = 50 * 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)$")


@dataclass
class SheetData:
    """One sheet's cells. ``values[r][c]`` (0-based) is what the cell holds: a number, text or
    ``None``; for a formula cell, its last computed value if known, else ``None``.
    ``formulas`` maps (row, column), 1-based, to the formula text of every formula cell, when the
    source knows them (``None``: unknown, e.g. a values-only read)."""

    values: list[list[Any]]
    formulas: dict[tuple[int, int], str] | None = None

    def value(self, row: int, column: int) -> Any:
        if 0 < row <= len(self.values):
            line = self.values[row - 1]
            if 0 < column <= len(line):
                return line[column - 1]
        return None

    def formula(self, row: int, column: int) -> str | None:
        return self.formulas.get((row, column)) if self.formulas is not None else None


@dataclass
class CellMap:
    """Some cells of a sheet (the ones a report needs), as :class:`SheetData` answers for them:
    ``values`` by (row, column), 1-based, and the formulas of the formula cells among them."""

    values: dict[tuple[int, int], Any]
    formulas: dict[tuple[int, int], str] | None = None

    def value(self, row: int, column: int) -> Any:
        return self.values.get((row, column))

    def formula(self, row: int, column: int) -> str | None:
        return self.formulas.get((row, column)) if self.formulas is not None else None


@dataclass
class WorkbookData:
    """A workbook as plain data: sheets by name (in workbook order) and defined names → their
    reference text (``'表三'!$D$5``)."""

    sheets: dict[str, SheetData | CellMap]
    names: dict[str, str]
    source: str = "工作簿"  # how messages name the file
    cached: dict[str, SheetData | CellMap] = field(default_factory=dict)  # computed values, if read
    # Reads ``cached`` on demand (only needed when someone typed a formula into an input cell).
    cached_loader: Callable[[], dict[str, SheetData | CellMap]] | None = None
    # (kind, key) → target of every name of ours, when already known (see :func:`name_refs`).
    refs: dict[tuple[str, str], Ref | None] | None = None


# A defined name's target is an address like any other: the layout's own type.
Ref = layout.Address


def parse_ref(text: str) -> Ref | None:
    """``'表三'!$D$5`` → Ref; ``None`` for anything else (``#REF!``, ranges, constants)."""
    m = _REF.match(text.strip().lstrip("="))
    if not m:
        return None
    sheet = (m.group(1) or "").replace("''", "'") or m.group(2)
    col = 0
    for ch in m.group(3):
        col = col * 26 + ord(ch) - 64
    return Ref(sheet, int(m.group(4)), col)


def name_refs(names: dict[str, str]) -> dict[tuple[str, str], Ref | None]:
    """(kind, key) → the cell each of our names points to (``None``: not a single cell)."""
    refs: dict[tuple[str, str], Ref | None] = {}
    for name, text in names.items():
        kk = key_for(name)
        if kk is not None:
            refs[kk] = parse_ref(text)
    return refs


# ---------------------------------------------------------------------- files → data
def read_workbook(path: str | Path) -> Report:
    """The Report in a workbook made by ``xxgk new`` (or saved from one by Excel/WPS/LibreOffice)."""
    path = Path(path)
    _refuse_file(path)
    try:
        data = _load_needed(path)
    except package.Unusual:
        data = _load_all(path)
    return report_from_data(data)


def _load_needed(path: Path) -> WorkbookData:
    """Only the cells our names point to (see :mod:`xxgk.workbook.package`); last year's
    figures only if the workbook holds a last year."""
    with package.Package(path) as pkg:
        refs, first, previous, loose = _plan(pkg.book)
        taken = {sheet: pkg.take(sheet, cells, loose.get(sheet, frozenset())) for sheet, cells in first.items()}
        year = refs.get(("previous", "year"))
        if year is not None and year.sheet in taken and taken[year.sheet].values.get((year.row, year.column)) not in (None, ""):
            for sheet, cells in previous.items():
                more = pkg.take(sheet, cells, loose.get(sheet, frozenset()))
                if sheet in taken:
                    for mine, theirs in zip((taken[sheet].values, taken[sheet].formulas, taken[sheet].cached),
                                            (more.values, more.formulas, more.cached), strict=True):
                        mine.update(theirs)
                else:
                    taken[sheet] = more
        sheets: dict[str, SheetData | CellMap] = {}
        cached: dict[str, SheetData | CellMap] = {}
        for name, _part in pkg.book.sheets:
            cells = taken.get(name)
            if cells is None:
                pkg.check(name)
            sheets[name] = CellMap(cells.values, cells.formulas) if cells else CellMap({}, {})
            if cells and cells.cached:
                cached[name] = CellMap(cells.cached)
    return WorkbookData(sheets, pkg.book.names, source=f"工作簿 {path.name}", cached=cached, refs=refs)


_Plan = dict[str, tuple[tuple[int, int], ...]]


def _plan(book: package.Book) -> tuple[dict[tuple[str, str], Ref | None], _Plan, _Plan,
                                      dict[str, frozenset[tuple[int, int]]]]:
    """What to take from a workbook with these names: the names' targets, then per sheet the
    cells to take always and those of last year's figures (taken if last year's year is
    filled), each in the order a sheet stores them, and the cells whose formula text
    :class:`_Reader` never shows (totals, cover, meta, last year: it only asks whether there is
    a formula). Worked out once per distinct workbook.xml."""
    memo = book.plans.get("reader")
    if memo is None:
        refs = name_refs(book.names)
        present = {name for name, _part in book.sheets}
        first: dict[str, set[tuple[int, int]]] = {}
        previous: dict[str, set[tuple[int, int]]] = {}
        loose: dict[str, set[tuple[int, int]]] = {}
        totals = _totals_everywhere()
        for (kind, key), r in refs.items():
            if r is None or kind == "check" or r.sheet not in present:
                continue
            later = kind == "previous" and key not in ("year", "format")
            (previous if later else first).setdefault(r.sheet, set()).add((r.row, r.column))
            if kind not in ("value", "draft") or key in totals:
                loose.setdefault(r.sheet, set()).add((r.row, r.column))
        memo = book.plans["reader"] = (refs, *({s: tuple(sorted(c)) for s, c in plan.items()} for plan in (first, previous)),
                                       {s: frozenset(c) for s, c in loose.items()})
    return memo


@cache
def _totals_everywhere() -> frozenset[str]:
    """Keys that are a total in every format that has them (their formula text is never shown)."""
    fmts = [load_format(v) for v in available_versions()]
    keys = {k for f in fmts for k in f.cells}
    return frozenset(k for k in keys if all(f.cells[k].total_of for f in fmts if k in f.cells))


def _refuse_file(path: Path) -> None:
    if not path.exists():
        raise InputError(f"找不到文件：{path}。请检查路径和文件名。")
    if path.is_dir():
        raise InputError(f"{path} 是文件夹，不是工作簿文件。")
    size = path.stat().st_size
    if size > MAX_WORKBOOK_BYTES:
        raise InputError(f"文件 {path.name} 有 {size // 1024 // 1024} MB，远大于年报工作簿（通常不到 1 MB），未读取。请确认选择的文件是否正确。")
    with path.open("rb") as fh:
        head = fh.read(8)
        rest = fh.read(1024 * 1024) if head == _OLE_MAGIC else b""
    if head == _OLE_MAGIC:
        if "EncryptionInfo".encode("utf-16-le") in rest or "EncryptedPackage".encode("utf-16-le") in rest:
            raise InputError(
                f"文件 {path.name} 设置了打开密码（已加密），本工具无法读取。请在 Excel 或 WPS 中打开它，"
                "在“文件 → 信息 → 保护工作簿 → 用密码进行加密”中清除打开密码后另存，再重试。"
                "（工作表保护密码不影响读取，无需清除。）")
        raise InputError(
            f"文件 {path.name} 是旧版 Excel 97-2003 工作簿（.xls），不是本工具生成的 .xlsx 填报工作簿。"
            "请用 `xxgk new` 生成填报工作簿，把数据填入后再读取；若本来就是本工具的工作簿，请在 Excel 或 WPS 中另存为“Excel 工作簿（*.xlsx）”。")
    if not zipfile.is_zipfile(path):
        kind = "CSV 或其他文本文件" if _looks_like_text(path) else "其他格式的文件"
        raise InputError(
            f"文件 {path.name} 不是 Excel 工作簿（.xlsx），看起来是{kind}。"
            "请选择用 `xxgk new` 生成并填写的 .xlsx 工作簿。")
    try:
        z: zipfile.ZipFile | None = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        z = None
    with z or nullcontext():
        names = set(z.namelist()) if z else set()
        if "xl/workbook.xml" not in names:
            what = "Word 文档（.docx）" if "word/document.xml" in names else "压缩包（zip）"
            raise InputError(
                f"文件 {path.name} 是{what}，不是 Excel 工作簿。请选择用 `xxgk new` 生成并填写的 .xlsx 工作簿。")
        try:
            dtd = _xml_with_dtd(z) if z else None
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError, zlib.error):
            dtd = None  # a damaged package is refused by the reader, with its own message
    if dtd:
        raise InputError(
            f"文件 {path.name} 的 {dtd} 含有 DTD 或实体声明（<!DOCTYPE>/<!ENTITY>）。Excel 和 WPS 从不写出这种内容，"
            "文件可能被改动过，未读取。请在 Excel 或 WPS 中打开后另存为 .xlsx 再试。")


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(4096)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            head.decode("gb18030")
        except UnicodeDecodeError:
            return False
    return b"\x00" not in head


def load_data(path: str | Path) -> WorkbookData:
    """Read a .xlsx file into :class:`WorkbookData` (formulas as written, no cached values)."""
    path = Path(path)
    _refuse_file(path)
    return _load_all(path)


def _load_all(path: Path) -> WorkbookData:
    """Every cell of every sheet, by openpyxl (the file has passed :func:`_refuse_file`)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(
            f"文件 {path.name} 无法作为 Excel 工作簿打开（{type(exc).__name__}），可能已损坏。"
            "请在 Excel 或 WPS 中打开后另存为 .xlsx 再试，或用 `xxgk new` 重新生成。") from None
    try:
        names = {n: d.attr_text for n, d in wb.defined_names.items() if d.attr_text}
        sheets: dict[str, SheetData] = {}
        for ws in wb.worksheets:
            # Read every stored cell, whatever the <dimension> element claims (some writers
            # leave it at A1, which would cut the sheet short in read-only mode).
            ws.reset_dimensions()
            values: list[list[Any]] = []
            formulas: dict[tuple[int, int], str] = {}
            with _damaged(path, ws.title):
                for r, row in enumerate(ws.iter_rows(), start=1):
                    check_sheet_extent(r, len(row), f"{path.name} 的工作表“{ws.title}”")
                    line = [getattr(cell, "value", None) for cell in row]
                    for c, (cell, v) in enumerate(zip(row, line, strict=True), start=1):
                        # Only a real formula cell: text that merely starts with "=" is text.
                        if getattr(cell, "data_type", None) == "f":
                            formulas[(r, c)] = v if str(v).startswith("=") else f"={v}"
                            line[c - 1] = None
                        elif isinstance(v, float) and not math.isfinite(v):
                            raise _bad_number(path, ws.title, r, c, v)
                        elif v is not None and not isinstance(v, (str, int, float, Decimal, bool)):
                            line[c - 1] = str(v)  # dates and the like: keep as text, the reader refuses them
                    values.append(line)
            sheets[ws.title] = SheetData(values, formulas)
    finally:
        wb.close()
    return WorkbookData(sheets, names, source=f"工作簿 {path.name}", cached_loader=lambda: _cached(path))


def _cached(path: Path) -> dict[str, SheetData]:
    """The values a spreadsheet last computed (only needed when someone typed a formula into an
    input cell)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        out = {}
        for ws in wb.worksheets:
            ws.reset_dimensions()
            rows = []
            with _damaged(path, ws.title):
                for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
                    check_sheet_extent(r, len(row), f"{path.name} 的工作表“{ws.title}”")
                    rows.append(list(row))
            for r, line in enumerate(rows, start=1):
                for c, v in enumerate(line, start=1):
                    if isinstance(v, float) and not math.isfinite(v):
                        raise _bad_number(path, ws.title, r, c, v)
            out[ws.title] = SheetData(rows)
        return out
    finally:
        wb.close()


@contextmanager
def _damaged(path: Path, sheet: str) -> Iterator[None]:
    """A sheet whose XML cannot be parsed (an undefined entity, a value that is not a number …)
    is refused by name, not reported as an internal error."""
    try:
        yield
    except InputError:
        raise
    except Exception as exc:  # openpyxl and the XML parser raise many kinds for a damaged sheet
        raise InputError(
            f"文件 {path.name} 的工作表“{sheet}”内容已损坏，无法读取（{type(exc).__name__}）。"
            "请在 Excel 或 WPS 中打开后另存为 .xlsx 再试，或用 `xxgk new` 重新生成后把数据复制过去。") from None


def _bad_number(path: Path, sheet: str, row: int, column: int, value: float) -> InputError:
    from openpyxl.utils import get_column_letter

    return InputError(
        f"文件 {path.name} 的工作表“{sheet}”{get_column_letter(column)}{row} 中保存的数值（{value}）超出了 Excel "
        "能表示的范围，文件可能已损坏或被改动，未读取。请在 Excel 或 WPS 中核对该单元格并另存后再试。")


def _xml_with_dtd(z: zipfile.ZipFile) -> str | None:
    """The first XML part that declares a DTD. Excel never writes one; a DTD can only define
    entities, which have no place in a workbook."""
    with open(z.filename or "", "rb") if z.filename else nullcontext(None) as raw:
        for info in z.infolist():
            if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                head = zipparts.head(raw, info, 4096) if raw is not None else None
                if head is None:
                    with z.open(info) as fh:
                        head = fh.read(4096)  # a DOCTYPE can only come before the root element
                if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                    return info.filename
    return None


# ---------------------------------------------------------------------- data → Report
class _Reader:
    def __init__(self, data: WorkbookData) -> None:
        self.data = data
        self.src = data.source
        self.fmt = load_format()
        self.refs = data.refs if data.refs is not None else name_refs(data.names)

    def ref(self, key: str, kind: str = "value") -> Ref:
        r = self.refs.get((kind, key))
        if r is None:
            name = name_for(key, kind)
            where = ""
            if kind == "value":
                where = f"（应在 {layout.addresses(self.fmt.version).get(key, '')}）"
            raise InputError(
                f"{self.src} 缺少名称“{name}”{where}，或它指向的单元格已被删除。名称是本工具读取数据的依据，"
                "可能是撤销保护后删除了行、列或名称。请用 `xxgk new` 生成新的工作簿，把数据复制过去后再读取。")
        if r.sheet not in self.data.sheets:
            raise InputError(f"{self.src} 中找不到工作表“{r.sheet}”：它可能被删除或改名了。请恢复原工作表名称，或用 `xxgk new` 重新生成工作簿。")
        return r

    def raw(self, r: Ref) -> Any:
        return self.data.sheets[r.sheet].value(r.row, r.column)

    def formula(self, r: Ref) -> str | None:
        return self.data.sheets[r.sheet].formula(r.row, r.column)

    def cached(self, r: Ref) -> Any:
        if not self.data.cached:
            if self.data.cached_loader is None:
                return None
            self.data.cached = self.data.cached_loader()
        sheet = self.data.cached.get(r.sheet)
        return sheet.value(r.row, r.column) if sheet else None

    # ------------------------------------------------------------------ checks of the whole
    def check_ours(self) -> Format:
        meta_sheet = layout.META
        ours = bool(self.refs)
        if ours and meta_sheet not in self.data.sheets:
            raise InputError(
                f"{self.src} 的隐藏工作表“{meta_sheet}”（格式版本等信息）已被删除，无法确认表格格式，未读取。"
                "请用 `xxgk new` 生成新的工作簿，把数据复制过去后再读取。")
        if meta_sheet not in self.data.sheets or not ours:
            raise InputError(
                f"{self.src} 不是本工具生成的填报工作簿（没有“{meta_sheet}”工作表和数据名称），无法按格式读取。"
                "请用 `xxgk new` 生成填报工作簿并在其中填写；已发布的年报（网页、Word、PDF）请用 `xxgk import` 读入。")
        kind = self._meta("kind")
        if kind != WORKBOOK_KIND:
            raise InputError(f"{self.src} 的“{meta_sheet}”工作表不是本工具写入的（文件类型为“{kind or '空'}”）。请用 `xxgk new` 重新生成工作簿。")
        version = str(self._meta("format") or "").strip()
        if version not in available_versions():
            raise InputError(
                f"{self.src} 按“{version or '未知'}”版格式生成，本工具不支持该格式版本"
                f"（支持：{'、'.join(available_versions())}）。请升级本工具，或用 `xxgk new` 生成新工作簿后把数据复制过去。")
        self.fmt = load_format(version)
        self.check_sheets()
        return self.fmt

    def _meta(self, key: str) -> Any:
        r = self.refs.get(("meta", key))
        if r is None or r.sheet not in self.data.sheets:
            return None
        return self.raw(r)

    def check_sheets(self) -> None:
        expected = [layout.COVER, *layout.INPUT_SHEETS]
        present = self.data.sheets
        missing = [s for s in expected if s not in present]
        if not missing:
            return
        # Excel updates names when a sheet is renamed: a name now pointing at an unknown sheet
        # tells a rename from a deletion.
        at = layout.addresses(self.fmt.version)
        renamed: dict[str, str] = {}
        for key, a in at.items():
            r = self.refs.get(("value", key))
            if r is not None and a.sheet in missing and r.sheet in present and r.sheet not in expected:
                renamed[a.sheet] = r.sheet
        details = []
        for s in missing:
            if s in renamed:
                details.append(f"工作表“{s}”被改名为“{renamed[s]}”：请改回“{s}”。")
            else:
                details.append(f"找不到工作表“{s}”（已被删除或改名）：请恢复该工作表，或用 `xxgk new` 重新生成工作簿后把数据复制过去。")
        raise InputError(f"{self.src} 的工作表与模板不一致，无法读取。", details)

    # ------------------------------------------------------------------ the report
    def report(self) -> Report:
        fmt = self.check_ours()
        year = self.year()
        agency_raw = self.raw(self.ref("agency", "cover"))
        agency = str(agency_raw).strip() if agency_raw is not None else ""
        notes: list[CellNote] = []
        cells: dict[str, Value | None] = {}
        totals = [k for k, c in fmt.cells.items() if c.total_of]
        for key, cell in fmt.cells.items():
            if cell.total_of:
                continue
            cells[key] = self.number(key, cell.type, notes)
        for key in totals:
            r = self.ref(key)
            if self.formula(r) is None and self.data.sheets[r.sheet].formulas is not None:
                raw = self.raw(r)
                notes.append(CellNote(key, FORMULA_REPLACED, format_value(raw) if raw is not None else "（已清空）",
                                      "请撤销保护后恢复合计公式，或用 `xxgk new` 重新生成工作簿", str(r)))
        for key in totals:
            cells[key] = _total(fmt, key, cells)
        facts: dict[str, Any] = {}
        for key, fact in fmt.facts.items():
            if fact.type == TEXT:
                facts[key] = self.text(self.ref(key), key, notes) or None
            else:
                facts[key] = self.number(key, fact.type, notes)
        texts = {key: self.text(self.ref(key), key, notes) for key in fmt.texts}
        drafts = {}
        for key in fmt.texts:
            if ("draft", key) in self.refs:
                d = self.text(self.ref(key, "draft"))
                if d:
                    drafts[key] = d
        disabled = str(self._meta("disabled_rules") or "")
        return Report(
            year=year,
            agency=agency,
            format=fmt.version,
            cells=cells,
            facts=facts,
            texts=texts,
            drafts=drafts,
            notes=notes,
            disabled_rules=[d.strip() for d in disabled.split(",") if d.strip()],
            previous=self.previous(),
        )

    def year(self) -> int:
        r = self.ref("year", "cover")
        raw = self.raw(r)
        n = normalise(raw, COUNT)
        fmt = self.fmt
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raise InputError(f"{self.src}：{r}“报告年度”未填写。请在“{layout.COVER}”工作表填写四位年份（如 {fmt.first_year + 3}）后再读取。")
        if n.value is None or not 1900 < int(n.value) < 3000:
            raise InputError(f"{self.src}：{r}“报告年度”填的是“{raw}”，不是年份。请填写四位年份（如 {fmt.first_year + 3}）。")
        year = int(n.value)
        if year < fmt.first_year or (fmt.last_year and year > fmt.last_year):
            raise InputError(
                f"{self.src}：{r}“报告年度”为 {year} 年，但本工作簿是“{fmt.name}”（{fmt.source}）的表格，"
                f"适用于{_years(fmt)}的报告。请改正年度；如确为 {year} 年度，请用 `xxgk new --year {year}` "
                "生成当年格式的工作簿后填写。")
        return year

    def number(self, key: str, kind: str, notes: list[CellNote]) -> Value | None:
        r = self.ref(key)
        raw = self.raw(r)
        if self.formula(r) is not None:
            raw = self.cached(r)
            if raw is None:
                notes.append(CellNote(key, UNREAD, self.formula(r) or "", "请直接填写数字，不要使用公式", str(r)))
                return None
        n = normalise(raw, kind)
        if n.problem:
            notes.append(CellNote(key, n.problem, _raw_text(raw), n.fix, str(r)))
        return n.value

    def text(self, r: Ref, key: str | None = None, notes: list[CellNote] | None = None) -> str:
        """A text cell as text. With ``notes``, a formula (read as its computed value, or kept
        as written when none was saved) or a value of another type is noted, never silently
        dropped: a text read as empty would be replaced by a generated draft."""
        raw = self.raw(r)
        formula = self.formula(r)
        note = None
        if formula is not None:
            if raw is None:
                raw = self.cached(r)
            if raw is None:
                raw = formula
                note = (TEXT_FORMULA_UNREAD, "请在 Excel 或 WPS 中打开并保存，或删去公式直接填写文字。")
            else:
                note = (TEXT_FORMULA, "说明文字请直接填写，不要使用公式。")
        elif raw is not None and not isinstance(raw, str):
            kind = "逻辑值" if isinstance(raw, bool) else "数字" if isinstance(raw, (int, float, Decimal)) else "日期或其他值"
            note = (TEXT_NOT_TEXT, "如确为文字，请在单元格中填写文字。")
        if raw is None:
            return ""
        text = _raw_text(raw)
        if note and notes is not None and key is not None:
            shown = formula if formula is not None else f"{kind}“{text}”"
            notes.append(CellNote(key, note[0], shown, note[1], str(r)))
        return text

    def previous(self) -> Report | None:
        if ("previous", "year") not in self.refs:
            return None
        raw_year = self.raw(self.ref("year", "previous"))
        if raw_year in (None, ""):
            return None
        year = normalise(raw_year, COUNT).value
        version = str(self.raw(self.ref("format", "previous")) or self.fmt.version)
        if year is None or version not in available_versions():
            return None
        pfmt = load_format(version)
        cells = {}
        for key, cell in pfmt.cells.items():
            cells[key] = normalise(self.raw(self.ref(key, "previous")), cell.type).value
        facts: dict[str, Any] = {}
        for key, fact in pfmt.facts.items():
            r = self.ref(key, "previous")
            facts[key] = (self.text(r) or None) if fact.type == TEXT else normalise(self.raw(r), fact.type).value
        texts = {key: self.text(self.ref(key, "previous")) for key in pfmt.texts}
        agency = self.raw(self.ref("agency", "previous"))
        return Report(year=int(year), agency=str(agency or ""), format=version, cells=cells, facts=facts,
                      texts=texts)


def _years(fmt: Format) -> str:
    if fmt.last_year:
        return f" {fmt.first_year}—{fmt.last_year} 年度"
    return f" {fmt.first_year} 年度及以后"


def _raw_text(raw: Any) -> str:
    if isinstance(raw, float) and raw == int(raw):
        return str(int(raw))
    return str(raw)


def _total(fmt: Format, key: str, cells: dict[str, Value | None]) -> Value | None:
    """A total from its parts (recursively); blank if any part is blank (blank ≠ 0)."""
    total: Any = 0
    for part in fmt.cells[key].total_of:
        v = cells.get(part)
        if v is None and fmt.cells[part].total_of:
            v = cells[part] = _total(fmt, part, cells)
        if v is None:
            return None
        total += v
    return total


def report_from_data(data: WorkbookData) -> Report:
    """The Report in ``data`` (see :class:`WorkbookData`); :class:`InputError` if it cannot be one."""
    return _Reader(data).report()


def recomputed_totals(report: Report) -> list[str]:
    """Labels of the totals in ``report`` that differ from the sum of their parts (a workbook
    built from it shows the sum: its totals are formulas)."""
    fmt = report.spec
    cells = {k: v for k, v in report.cells.items() if not fmt.cells[k].total_of}
    out = []
    for key, cell in fmt.cells.items():
        if cell.total_of:
            given, computed = report.cells.get(key), _total(fmt, key, cells)
            if given is not None and computed is not None and given != computed:
                out.append(fmt.cell_label(key))
    return out

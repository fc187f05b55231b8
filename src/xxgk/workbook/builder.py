"""Build the locked workbook from the format data: official labels in official order, merged
headers, totals and live checks as formulas, unlocked shaded input cells with validation, a
defined name per key, hidden metadata / last year / drafts / highlight-flag sheets.

Nothing here types a label or an address: labels come from :func:`xxgk.spec.load_format`,
positions from :mod:`xxgk.layout`, formulas from :mod:`xxgk.workbook.formulas`.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, Protection
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from xxgk import __version__, layout
from xxgk.errors import InputError
from xxgk.fileio import write_atomic
from xxgk.layout import Address, column_letter
from xxgk.report import Report
from xxgk.spec import AMOUNT, COUNT, SIGNED, TEXT, YUAN, Format, format_for_year, load_format
from xxgk.workbook import formulas as F
from xxgk.workbook import styles as S
from xxgk.workbook.names import name_for

# Sheet and workbook-structure password. It keeps cells from being changed by accident and the
# sheets from being renamed or deleted; it is printed in workbook/README.md and is no secret.
PASSWORD = "xxgk"
WORKBOOK_KIND = "xxgk-workbook"  # _meta!kind: what makes a workbook ours
# Fixed document timestamps: the same input builds the same bytes (the committed template is
# proved equal to a fresh build). The date the 2021 format was issued.
FIXED_TIME = datetime(2021, 9, 26, 0, 0, 0)
ZIP_TIME = (2021, 9, 26, 0, 0, 0)

# Sheets left unprotected: the add-in writes findings, highlight flags, generated drafts and last
# year's report there. The hidden ones cannot be shown while the workbook structure is locked.
WRITABLE_SHEETS = (layout.RESULTS, layout.FLAGS, layout.DRAFTS, layout.PREVIOUS)

META_FIELDS = ("kind", "format", "tool", "year", "agency", "disabled_rules")
META_LABELS = {
    "kind": "文件类型",
    "format": "格式版本",
    "tool": "生成工具版本",
    "year": "报告年度",
    "agency": "填报单位",
    "disabled_rules": "停用的校验规则（逗号分隔）",
}
META_FORMULAS = ("year", "agency")  # follow the cover
MAX_CELL_TEXT = 32767  # characters in one cell: Excel's limit

_KIND_PROMPTS = {
    COUNT: ("请填写件数", "填写 0 或正整数。没有数据请填 0，不要留空，也不要填“无”“/”或带单位的文字。",
            "请填写 0 或正整数（件数），不要填写文字、小数或负数。"),
    AMOUNT: ("单位：万元", "填写 0 或正数，可带小数，单位为万元。没有收费请填 0。",
             "请填写 0 或正数（单位：万元），不要填写文字或负数。"),
    SIGNED: ("请填写整数", "填写整数，减少时填负数（如 -2）。没有变化请填 0，不要留空。",
             "请填写整数（可为负数），不要填写文字或小数。"),
    YUAN: ("单位：元", "填写 0 或正数，可带小数，单位为元。没有请填 0。",
           "请填写 0 或正数（单位：元），不要填写文字或负数。"),
}


def build_workbook(
    report: Report | None = None,
    *,
    year: int | None = None,
    agency: str = "",
    previous: Report | None = None,
) -> bytes:
    """The .xlsx bytes of the workbook, filled from ``report`` if given (else blank).

    ``year``/``agency`` override the report's; ``previous`` (default: ``report.previous``) is
    stored on the hidden 上年 sheet for the cross-year rules.
    """
    if report is not None:
        year = year if year is not None else report.year
        agency = agency or report.agency
        previous = previous if previous is not None else report.previous
        fmt = report.spec
        if year < fmt.first_year or (fmt.last_year and year > fmt.last_year):
            raise InputError(
                f"{year} 年度的报告不适用“{fmt.name}”（{fmt.source}），不能用这份 {report.year} 年度的年报预填。"
                f"请去掉 --year，或换用 {year} 年度适用格式的年报。")
    else:
        fmt = format_for_year(year) if year is not None else load_format()
    builder = _Builder(fmt, report, year, agency, previous)
    wb = builder.build()
    _refuse_long_texts(wb, fmt, report, agency, previous)
    return _save(wb, builder.results)


def _refuse_long_texts(wb: Workbook, fmt: Format, report: Report | None, agency: str,
                       previous: Report | None) -> None:
    """Refuse a text longer than an Excel cell holds. openpyxl cuts it silently and Excel would
    "repair" a longer one, so without this the end of a text would be lost without a word."""
    texts: list[tuple[str, str, str, Any]] = [("cover", "agency", "填报单位名称", agency)]
    for kind, rep, what in (("value", report, ""), ("draft", report, "自动生成的草稿"),
                            ("previous", previous, "上年报告的")):
        if rep is None:
            continue
        values = rep.drafts if kind == "draft" else {**rep.facts, **rep.texts}
        for key, value in values.items():
            label = fmt.texts[key].label if key in fmt.texts else (
                fmt.facts[key].label if key in fmt.facts else key)
            texts.append((kind, key, f"{what}“{label}”", value))
        if kind == "previous":
            texts.append((kind, "agency", "上年报告的填报单位名称", rep.agency))
    for kind, key, name, value in texts:
        if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
            dn = wb.defined_names.get(name_for(key, kind))
            where = f"（{dn.attr_text.replace('$', '').replace(chr(39), '')}）" if dn is not None else ""
            raise InputError(
                f"{name}{where}有 {len(value)} 个字符，超过 Excel 单元格最多 {MAX_CELL_TEXT} 个字符的上限"
                f"（Excel 会截断文字并提示修复文件）。请把这段文字缩短到 {MAX_CELL_TEXT} 个字符以内后再生成工作簿。")


class _Builder:
    def __init__(self, fmt: Format, report: Report | None, year: int | None, agency: str,
                 previous: Report | None) -> None:
        self.fmt = fmt
        self.v = fmt.version
        self.report = report
        self.year = year
        self.agency = agency
        self.previous = previous
        self.at = layout.addresses(self.v)
        self.wb = Workbook()
        self.ws: dict[str, Worksheet] = {}
        self.results: dict[Address, Any] = {}  # what each formula shows, stored beside it

    # ------------------------------------------------------------------ top level
    def build(self) -> Workbook:
        wb = self.wb
        wb.remove(wb.active)
        order = [layout.COVER, *layout.INPUT_SHEETS, layout.RESULTS, layout.META, layout.PREVIOUS,
                 layout.DRAFTS, layout.FLAGS]
        for title in order:
            self.ws[title] = wb.create_sheet(title)
        self._tables()
        self._forms()
        self._inputs()
        self._checks()
        self._cover()
        self._results()
        self._meta()
        self._previous()
        self._drafts()
        self._flags()
        self._protect()
        typed = {k: self.cell(a).value for k, a in self.at.items()
                 if k in self.fmt.cells and not self.fmt.cells[k].total_of}
        self.results.update(F.results(self.v, typed))
        props = wb.properties
        props.creator = props.lastModifiedBy = f"xxgk {__version__}"
        props.title = "政府信息公开工作年度报告填报工作簿"
        props.created = props.modified = FIXED_TIME
        wb.active = 0
        return wb

    def name(self, key: str, kind: str, a: Address) -> None:
        ref = f"{F.quote(a.sheet)}!${column_letter(a.column)}${a.row}"
        self.wb.defined_names[name_for(key, kind)] = DefinedName(name_for(key, kind), attr_text=ref)

    def cell(self, a: Address) -> Any:
        return self.ws[a.sheet].cell(a.row, a.column)

    # ------------------------------------------------------------------ tables
    def _tables(self) -> None:
        self._table2()
        self._grid("t3", corner=True)
        self._grid("t4", corner=False)

    def _title(self, ws: Worksheet, text: str, last_col: int) -> None:
        ws.cell(1, 1, text).font = S.TITLE_FONT
        ws.cell(1, 1).alignment = S.CENTER
        if last_col > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
        ws.row_dimensions[1].height = 30

    def _label(self, ws: Worksheet, r1: int, c1: int, r2: int, c2: int, text: str,
               font: Font = S.HEADER_FONT, align: Any = S.CENTER) -> None:
        c = ws.cell(r1, c1, text)
        c.font, c.alignment, c.fill = font, align, S.HEADER_FILL
        for r in range(r1, r2 + 1):
            for col in range(c1, c2 + 1):
                ws.cell(r, col).border = S.BORDER
                ws.cell(r, col).fill = S.HEADER_FILL
        if (r1, c1) != (r2, c2):
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)

    def _spans(self, paths: Sequence[tuple[str, ...]], depth: int) -> list[tuple[int, int, int, int, str]]:
        """Merged label areas of a header: (level from, level to, position from, position to,
        label). Equal label prefixes at a level merge along the positions; a path shorter than
        ``depth`` extends its last label down to the last level."""
        out = []
        for level in range(depth):
            i = 0
            while i < len(paths):
                path = paths[i]
                if len(path) <= level:
                    i += 1
                    continue
                j = i
                while (j + 1 < len(paths) and len(paths[j + 1]) > level
                       and paths[j + 1][: level + 1] == path[: level + 1]
                       and not (len(path) == level + 1)):
                    j += 1
                last_level = depth - 1 if len(path) == level + 1 else level
                out.append((level, last_level, i, j, path[level]))
                i = j + 1
        return out

    def _grid(self, tkey: str, corner: bool) -> None:
        table = self.fmt.tables[tkey]
        first = self.at[table.cell_key(table.rows[0].key, table.columns[0].key)]
        ws = self.ws[first.sheet]
        col_paths = [((table.column_header,) if table.column_header else ()) + c.labels for c in table.columns]
        depth = layout.TABLE_FIRST_ROW - 2  # header rows 2 … first data row − 1
        last_col = first.column + len(table.columns) - 1
        self._title(ws, table.caption, last_col)
        for l1, l2, p1, p2, text in self._spans(col_paths, depth):
            self._label(ws, 2 + l1, first.column + p1, 2 + l2, first.column + p2, text)
        label_cols = first.column - 1
        if corner and label_cols:
            self._label(ws, 2, 1, 1 + depth, label_cols, table.corner_note, font=S.NOTE_FONT)
        if label_cols:
            row_paths = [r.labels for r in table.rows]
            for l1, l2, p1, p2, text in self._spans(row_paths, label_cols):
                align = S.CENTER if l2 < label_cols - 1 or p2 > p1 else S.LEFT
                self._label(ws, first.row + p1, 1 + l1, first.row + p2, 1 + l2, text,
                            font=S.LABEL_FONT, align=align)
        ws.print_title_rows = f"2:{1 + depth}"

    def _table2(self) -> None:
        table = self.fmt.tables["t2"]
        ws = self.ws[layout.SECTION_SHEETS[table.section]]
        width = 1 + max(len(b.columns) for b in table.blocks)
        self._title(ws, table.caption, width)
        for block, rows in zip(table.blocks, layout.t2_block_rows(self.v), strict=True):
            last = 1 + len(block.columns)
            self._label(ws, rows.title, 1, rows.title, last, block.title)
            self._label(ws, rows.header, 1, rows.header, 1, block.head)
            for j, col in enumerate(block.columns):
                self._label(ws, rows.header, 2 + j, rows.header, 2 + j, col.label)
            for i, row in enumerate(block.rows):
                self._label(ws, rows.first + i, 1, rows.first + i, 1, row.label, font=S.LABEL_FONT)
            ws.row_dimensions[rows.header].height = 30
        ws.column_dimensions["A"].width = 22
        for c in range(2, width + 1):
            ws.column_dimensions[column_letter(c)].width = 16

    # ------------------------------------------------------------------ facts and texts
    def _forms(self) -> None:
        table_sheets = {layout.SECTION_SHEETS[t.section] for t in self.fmt.tables.values()}
        for sheet in layout.INPUT_SHEETS:
            if sheet in table_sheets:
                continue
            ws = self.ws[sheet]
            section = next(s for s, name in layout.SECTION_SHEETS.items() if name == sheet and s)
            self._title(ws, self.fmt.heading(section), 3)
            ws.column_dimensions["A"].width = 30
            ws.column_dimensions["B"].width = 90
            ws.column_dimensions["C"].width = 24
            hdr = layout.FORM_FIRST_ROW - 1
            for c, text in enumerate(("项目", "填写内容", "单位或说明"), start=1):
                self._label(ws, hdr, c, hdr, c, text)
        fields: list[tuple[str, str, str]] = [(k, f.label, f.unit or f.hint) for k, f in self.fmt.facts.items()]
        fields += [(k, t.label, "") for k, t in self.fmt.texts.items()]
        for key, label, note in fields:
            a = self.at[key]
            ws = self.ws[a.sheet]
            self._label(ws, a.row, a.column - 1, a.row, a.column - 1, label, font=S.LABEL_FONT, align=S.LEFT)
            if note:
                ws.cell(a.row, a.column + 1, note).font = S.NOTE_FONT
                ws.cell(a.row, a.column + 1).alignment = S.LEFT

    # ------------------------------------------------------------------ input cells
    def _inputs(self) -> None:
        fmt, rep = self.fmt, self.report
        validations: dict[tuple[str, str], DataValidation] = {}
        for key, a in self.at.items():
            c = self.cell(a)
            ws = self.ws[a.sheet]
            cell = fmt.cells.get(key)
            c.border = S.BORDER
            if cell is not None and cell.total_of:
                c.value = F.total_formula(fmt, key)
                c.fill, c.font, c.alignment = S.TOTAL_FILL, S.VALUE_FONT, S.CENTER
                c.protection = Protection(locked=True)
                continue
            kind = cell.type if cell else (fmt.facts[key].type if key in fmt.facts else TEXT)
            c.fill = S.INPUT_FILL
            c.protection = Protection(locked=False)
            value = rep.value(key) if rep is not None else None
            if kind == TEXT:
                c.font, c.alignment = (S.TEXT_FONT if key in fmt.texts else S.VALUE_FONT), S.TOP_LEFT
                _set_text(c, value or "")
                if key in fmt.texts:
                    self._text_area(ws, a, str(value or ""))
            else:
                c.font, c.alignment = S.VALUE_FONT, S.CENTER
                c.value = F.plain_number(value)
                dv = validations.get((a.sheet, kind))
                if dv is None:
                    title, prompt, error = _KIND_PROMPTS[kind]
                    signed = kind == SIGNED
                    dv = DataValidation(
                        type="whole" if kind in (COUNT, SIGNED) else "decimal",
                        operator="between" if signed else "greaterThanOrEqual",
                        formula1="-999999999" if signed else "0", formula2="999999999" if signed else None,
                        allow_blank=True, showInputMessage=True, showErrorMessage=True,
                        promptTitle=title, prompt=prompt, errorTitle="输入有误", error=error,
                        errorStyle="stop",
                    )
                    ws.add_data_validation(dv)
                    validations[(a.sheet, kind)] = dv
                dv.add(a.cell)
            self.name(key, "value", a)
        for key, a in self.at.items():
            if key in fmt.cells and fmt.cells[key].total_of:
                self.name(key, "value", a)
        self._flag_formats()
        self._table_sizes()

    def _text_area(self, ws: Worksheet, a: Address, text: str) -> None:
        """A free-text cell: as wide as the table it sits under, as tall as its text."""
        last = a.column
        width = 0.0
        if a.sheet in {layout.SECTION_SHEETS[t.section] for t in self.fmt.tables.values()}:
            table_cols = [b.column for k, b in self.at.items() if b.sheet == a.sheet and k in self.fmt.cells]
            last = max(table_cols)
            if last > a.column:
                ws.merge_cells(start_row=a.row, start_column=a.column, end_row=a.row, end_column=last)
                for col in range(a.column, last + 1):
                    ws.cell(a.row, col).border = S.BORDER
        for col in range(a.column, last + 1):
            width += ws.column_dimensions[column_letter(col)].width or 9
        chars_per_line = max(8, int(width / 2.1))  # a 12 pt Chinese character ≈ 2.1 width units
        lines = sum(max(1, math.ceil(len(p) / chars_per_line)) for p in (text.split("\n") or [""]))
        ws.row_dimensions[a.row].height = min(409, max(60, 16 * lines + 6))

    def _table_sizes(self) -> None:
        t3 = self.fmt.tables["t3"]
        first = self.at[t3.cell_key(t3.rows[0].key, t3.columns[0].key)]
        ws = self.ws[first.sheet]
        widths = {1: 14, 2: 14, 3: 40}
        for c in range(1, first.column):
            ws.column_dimensions[column_letter(c)].width = widths.get(c, 14)
        for j in range(len(t3.columns)):
            ws.column_dimensions[column_letter(first.column + j)].width = 9.5
        ws.column_dimensions[column_letter(first.column + len(t3.columns))].width = 26
        for r in (2, 3):
            ws.row_dimensions[r].height = 22
        ws.row_dimensions[4].height = 30
        label_width = sum(widths.values())
        for i, row in enumerate(t3.rows):
            width = widths[3] if len(row.labels) == 3 else (label_width - widths[1] + 2 if len(row.labels) == 2
                                                            else label_width)
            lines = math.ceil(len(row.label) * 2 / (width - 1))
            ws.row_dimensions[first.row + i].height = max(18, 14 * lines + 4)
        ws.freeze_panes = ws.cell(first.row, first.column)
        t4 = self.fmt.tables["t4"]
        f4 = self.at[t4.cell_key(t4.rows[0].key, t4.columns[0].key)]
        ws4 = self.ws[f4.sheet]
        for j in range(len(t4.columns)):
            ws4.column_dimensions[column_letter(f4.column + j)].width = 9
        for r in (2, 3, 4):
            ws4.row_dimensions[r].height = 22
        ws4.row_dimensions[f4.row].height = 24
        ws4.row_dimensions[f4.row + 1].height = 40

    def _flag_formats(self) -> None:
        by_sheet: dict[str, list[Address]] = {}
        for key, a in self.at.items():
            if key in self.fmt.cells and self.fmt.cells[key].total_of:
                continue
            by_sheet.setdefault(a.sheet, []).append(a)
        for sheet, cells in by_sheet.items():
            for rng in F.compact(cells, sheet):
                top = rng.split(":")[0]
                col = "".join(ch for ch in top if ch.isalpha())
                row = int("".join(ch for ch in top if ch.isdigit()))
                col_n = _col_number(col)
                flag = layout.flag_address(sheet, row, col_n)
                formula = f'LEN({F.quote(layout.FLAGS)}!{flag.cell})>0'
                self.ws[sheet].conditional_formatting.add(
                    rng, FormulaRule(formula=[formula], fill=S.FLAG_FILL, font=S.FLAG_FONT,
                                      stopIfTrue=False))

    # ------------------------------------------------------------------ live checks
    def _checks(self) -> None:
        for check in F.live_checks(self.v):
            a = check.address
            ws = self.ws[a.sheet]
            c = self.cell(a)
            c.value = check.formula
            c.font = S.LABEL_FONT
            c.alignment = S.CENTER
            c.protection = Protection(locked=True)
            self.name(check.key, "check", a)
            bad = f'LEFT({a.cell},{len(F.UNBALANCED)})="{F.UNBALANCED}"'
            ws.conditional_formatting.add(a.cell, FormulaRule(formula=[bad], fill=S.BAD_FILL, font=S.BAD_FONT))
            ws.conditional_formatting.add(
                a.cell, FormulaRule(formula=[f'{a.cell}="{F.BALANCED}"'], font=S.GOOD_FONT))
        # Captions of the check row(s) and column, in the free label columns beside them.
        places = layout.check_addresses(self.v)
        identity = [a for k, a in places.items() if k.startswith("identity.")]
        t3_sheet, id_row = identity[0].sheet, identity[0].row
        ws = self.ws[t3_sheet]
        note = self.fmt.tables["t3"].corner_note.strip("（）")
        self._label(ws, id_row, 1, id_row, layout.T3_LABEL_COLUMNS, f"本列勾稽关系核对（{note}）",
                    font=S.NOTE_FONT, align=S.LEFT)
        ws.row_dimensions[id_row].height = 40
        sum_rows = {a.row for k, a in places.items() if k.startswith("sum.column.") and a.sheet == t3_sheet}
        for r in sum_rows:
            self._label(ws, r, 1, r, layout.T3_LABEL_COLUMNS, "（七）总计核对（总计应等于各项办理结果之和）",
                        font=S.NOTE_FONT, align=S.LEFT)
            ws.row_dimensions[r].height = 30
        side_cols = {a.column for k, a in places.items() if k.startswith("sum.row.") and a.sheet == t3_sheet}
        for c in side_cols:
            self._label(ws, 2, c, layout.TABLE_FIRST_ROW - 1, c, "总计核对（总计应等于各类申请人之和）",
                        font=S.NOTE_FONT)
        for r in range(layout.TABLE_FIRST_ROW, id_row + 2):
            for c in range(1, max(side_cols) + 1):
                ws.cell(r, c).border = S.BORDER

    # ------------------------------------------------------------------ cover
    def _cover(self) -> None:
        ws = self.ws[layout.COVER]
        self._title(ws, "政府信息公开工作年度报告 填报工作簿", 4)
        ws.column_dimensions["A"].width = 4
        ws.column_dimensions["B"].width = 16
        ws.column_dimensions["C"].width = 70
        ws.column_dimensions["D"].width = 4
        cc = layout.COVER_CELLS
        labels = {"agency": "填报单位", "year": "报告年度", "format": "表格格式", "status": "校验状态",
                  "unbalanced": "不平衡处数", "blank": "未填写单元格数"}
        for key, a in cc.items():
            self._label(ws, a.row, a.column - 1, a.row, a.column - 1, labels[key], font=S.HEADER_FONT)
            c = self.cell(a)
            c.border = S.BORDER
            c.alignment = S.LEFT
            c.font = S.VALUE_FONT
            if key in ("agency", "year"):
                self.name(key, "cover", a)
        agency, year = cc["agency"], cc["year"]
        _set_text(self.cell(agency), self.agency)
        self.cell(year).value = self.year
        for a in (agency, year):
            self.cell(a).fill = S.INPUT_FILL
            self.cell(a).protection = Protection(locked=False)
        last_year = self.fmt.last_year or 2100
        dv = DataValidation(type="whole", operator="between", formula1=str(self.fmt.first_year),
                            formula2=str(last_year), allow_blank=True, showInputMessage=True,
                            showErrorMessage=True, promptTitle="报告年度",
                            prompt=f"填写四位年份，如 {self.fmt.first_year + 3}。本表格格式适用于 {self.fmt.first_year} 年度及以后的报告。",
                            errorTitle="年度有误",
                            error=f"请填写 {self.fmt.first_year} 至 {last_year} 之间的四位年份。", errorStyle="stop")
        ws.add_data_validation(dv)
        dv.add(year.cell)
        self.cell(cc["format"]).value = f"{self.fmt.name}（{self.fmt.source}）"
        for key, formula in F.status_formulas(self.v).items():
            self.cell(cc[key]).value = formula
            self.name(key, "cover", cc[key])
        status = cc["status"]
        ws.conditional_formatting.add(
            status.cell, FormulaRule(formula=[f'{cc["unbalanced"].cell}>0'], fill=S.BAD_FILL, font=S.BAD_FONT))
        ws.conditional_formatting.add(
            status.cell, FormulaRule(formula=[f'{cc["unbalanced"].cell}=0'], font=S.GOOD_FONT))
        row = layout.COVER_FIRST_FREE_ROW
        sheets = "、".join(f"“{s}”" for s in layout.INPUT_SHEETS)
        steps = [
            "填写方法",
            f"1. 在上方填写“填报单位”和“报告年度”，然后依次填写 {sheets} 工作表中的浅黄色单元格。",
            "2. 表格数字没有就填 0，不要留空，也不要填写“无”“/”或带单位的文字（如“5件”）。空白单元格会被视为未填写。",
            "3. 灰色的合计单元格是公式，会自动计算，不能也不需要填写。",
            "4. 每填一项，表三下方的“勾稽关系核对”会自动显示“平衡”或红色的“不平衡”说明；本页“校验状态”汇总全部核对结果。",
            "5. 文字部分（总体情况、问题改进、其他事项等）可直接在浅黄色框内填写；单元格内换行请按 Alt+Enter（WPS 同）。",
            "6. 装有“年报助手”加载项时，可一键校验、生成说明文字并导出 Word/网页；未安装（如使用 WPS）时，本工作簿自身的公式核对同样有效，也可用命令行 xxgk check 校验。",
            f"7. 工作表和工作簿结构设有保护，防止误改公式或表头。保护密码为“{PASSWORD}”，仅用于防止误操作，并不保密；请勿撤销保护后删除、改名工作表或改动合计公式，否则本工具将无法读取。",
            "",
            "颜色说明",
        ]
        for text in steps:
            c = ws.cell(row, 2, text)
            if text in ("填写方法", "颜色说明"):
                c.font = S.HEADER_FONT
            else:
                c.font = S.LABEL_FONT
                c.alignment = S.LEFT
                ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
                ws.row_dimensions[row].height = 16 * max(1, math.ceil(len(text) / 48)) + 4
            row += 1
        for fill, text in S.LEGEND:
            ws.cell(row, 2).fill = fill
            ws.cell(row, 2).border = S.BORDER
            ws.cell(row, 3, text).font = S.LABEL_FONT
            row += 1
        _portrait(ws)

    # ------------------------------------------------------------------ sheets for programs
    def _results(self) -> None:
        ws = self.ws[layout.RESULTS]
        self._title(ws, "校验结果（由年报助手加载项写入）", 5)
        for c, (text, width) in enumerate((("序号", 6), ("级别", 8), ("规则", 22), ("问题说明", 80),
                                            ("位置", 18)), start=1):
            self._label(ws, 2, c, 2, c, text)
            ws.column_dimensions[column_letter(c)].width = width
        ws.cell(3, 1, "尚未运行校验。安装年报助手加载项后点击“校验”，结果会列在这里。").font = S.NOTE_FONT

    def _kv_sheet(self, title: str, rows: list[tuple[str, str, Any]], kind: str) -> Worksheet:
        ws = self.ws[title]
        for c, text in enumerate(("键", "名称", "内容"), start=1):
            ws.cell(1, c, text).font = S.HEADER_FONT
        for i, (key, label, value) in enumerate(rows, start=2):
            ws.cell(i, 1, key)
            ws.cell(i, 2, label)
            if isinstance(value, str):
                _set_text(ws.cell(i, 3), value)
            else:
                ws.cell(i, 3).value = F.plain_number(value)
            self.name(key, kind, Address(title, i, 3))
            if kind in ("draft", "previous"):
                # The add-in stores generated drafts and last year's report here without
                # unprotecting the sheet (issue 5); the sheet stays hidden behind structure protection.
                ws.cell(i, 3).protection = Protection(locked=False)
        ws.column_dimensions["A"].width = 36
        ws.column_dimensions["B"].width = 40
        ws.column_dimensions["C"].width = 60
        ws.sheet_state = "hidden"
        return ws

    def _meta(self) -> None:
        cover = layout.COVER_CELLS
        disabled = ",".join(self.report.disabled_rules) if self.report else ""
        values = {
            "kind": WORKBOOK_KIND,
            "format": self.fmt.version,
            "tool": __version__,
            # Year and agency live on the cover, where staff can change them; these follow.
            "year": f"={F.ref(cover['year'], layout.META)}",
            "agency": f"={F.ref(cover['agency'], layout.META)}",
            "disabled_rules": disabled,
        }
        ws = self._kv_sheet(layout.META, [(k, META_LABELS[k], values[k]) for k in META_FIELDS], "meta")
        # Only these two are formulas; every other value (disabled_rules comes from the report)
        # is text even when it starts with "=".
        for r, key in enumerate(META_FIELDS, start=2):
            if key in META_FORMULAS:
                ws.cell(r, 3).data_type = "f"
                shown = self.cell(cover[META_FIELDS[r - 2]]).value
                self.results[Address(layout.META, r, 3)] = 0 if shown is None else shown  # as a reference shows a blank

    def _previous(self) -> None:
        prev, fmt = self.previous, self.fmt
        rows: list[tuple[str, str, Any]] = [
            ("year", "上年报告年度", prev.year if prev else None),
            ("agency", "上年填报单位", prev.agency if prev else ""),
            ("format", "上年格式版本", prev.format if prev else ""),
        ]
        pfmt = prev.spec if prev else fmt
        for key in pfmt.cells:
            rows.append((key, pfmt.cell_label(key), prev.cells.get(key) if prev else None))
        for key, fact in pfmt.facts.items():
            value = prev.facts.get(key) if prev else None
            rows.append((key, fact.label, value if fact.type != TEXT else (value or "")))
        for key, text in pfmt.texts.items():
            rows.append((key, text.label, prev.texts.get(key, "") if prev else ""))
        self._kv_sheet(layout.PREVIOUS, rows, "previous")

    def _drafts(self) -> None:
        drafts = self.report.drafts if self.report else {}
        rows = [(k, t.label, drafts.get(k, "")) for k, t in self.fmt.texts.items()]
        self._kv_sheet(layout.DRAFTS, rows, "draft")

    def _flags(self) -> None:
        ws = self.ws[layout.FLAGS]
        for sheet in layout.INPUT_SHEETS:
            a = layout.flag_address(sheet, 1, 1)
            ws.cell(a.row, a.column, f"以下对应“{sheet}”工作表（同行，列右移 {a.column - 1}）")
        ws.sheet_state = "hidden"

    # ------------------------------------------------------------------ protection, printing
    def _protect(self) -> None:
        for title, ws in self.ws.items():
            if title in WRITABLE_SHEETS:
                continue
            p = ws.protection
            p.sheet = True
            p.password = PASSWORD
            p.formatColumns = False  # allowed: widen a column, heighten a row for long text
            p.formatRows = False
            p.objects = p.scenarios = True  # locked, as Excel's own "protect sheet" leaves them
        self.wb.security = WorkbookProtection(workbookPassword=PASSWORD, lockStructure=True)
        t3sheet = layout.SECTION_SHEETS[self.fmt.tables["t3"].section]
        for title in layout.INPUT_SHEETS:
            ws = self.ws[title]
            if title == t3sheet:
                ws.page_setup.orientation = "landscape"
                ws.page_setup.paperSize = ws.PAPERSIZE_A4
                ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
                ws.page_setup.fitToWidth = 1
                ws.page_setup.fitToHeight = 0
                places = layout.check_addresses(self.v)
                # Down to the note under the table, so the note prints too.
                last_row = max(a.row for a in (*places.values(), *self.at.values()) if a.sheet == title)
                last_col = max(a.column for a in places.values() if a.sheet == title)
                ws.print_area = f"A1:{column_letter(last_col)}{last_row}"
                ws.page_margins.left = ws.page_margins.right = 0.4
                ws.page_margins.top = ws.page_margins.bottom = 0.5
                ws.print_options.horizontalCentered = True
            else:
                _portrait(ws)
            if title == layout.SECTION_SHEETS[self.fmt.tables["t4"].section]:
                ws.page_setup.orientation = "landscape"


def write_workbook(
    path: str | Path,
    report: Report | None = None,
    *,
    year: int | None = None,
    agency: str = "",
    previous: Report | None = None,
    overwrite: bool = False,
) -> Path:
    """Build the workbook and write it atomically to ``path`` (never over an existing file
    unless ``overwrite``)."""
    data = build_workbook(report, year=year, agency=agency, previous=previous)
    return write_atomic(Path(path), data, overwrite=overwrite)


def _portrait(ws: Worksheet) -> None:
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _set_text(c: Any, value: Any) -> None:
    """Put text in a cell as text, even when it starts with "=" (which openpyxl would otherwise
    take for a formula)."""
    text = _clean(str(value)) if value is not None else ""
    c.value = text or None
    if text:
        c.data_type = "s"


def _save(wb: Workbook, results: dict[Address, Any]) -> bytes:
    """The workbook's bytes, the same for the same workbook: fixed timestamps in the document
    properties and on every zip entry (openpyxl stamps both with the current time), and every
    formula's result stored beside it (``results``; openpyxl writes formulas without one)."""
    raw = io.BytesIO()
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()  # unlike save_workbook(), leaves properties.modified alone
    # openpyxl names the sheet parts by position (ExcelWriter.write_worksheets).
    parts = {f"xl/worksheets/sheet{i}.xml": ws.title for i, ws in enumerate(wb.worksheets, 1)}
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        if not set(parts) <= set(src.namelist()):
            raise AssertionError("openpyxl changed how it names sheet parts")
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            data = src.read(info.filename)
            if info.filename in parts:
                data = _with_results(data, parts[info.filename], results)
            dst.writestr(fixed, data)
    return out.getvalue()


# A formula cell as openpyxl writes it: no type, the formula, an empty value (or none).
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*)><f>([^<]*)</f>(?:<v\s*/>|<v></v>)?</c>')


def _with_results(xml: bytes, sheet: str, results: dict[Address, Any]) -> bytes:
    """The sheet part with each formula's result in its ``<v>`` (``t="str"`` for text)."""
    def fill(m: re.Match[bytes]) -> bytes:
        col, row, attrs, formula = m.groups()
        a = Address(sheet, int(row), _col_number(col.decode()))
        if a not in results:
            raise AssertionError(f"no stored result for the formula in {a}")  # a builder bug
        value = F.plain_number(results[a])
        if isinstance(value, str):
            return b'<c r="%s%s"%s t="str"><f>%s</f><v>%s</v></c>' % (
                col, row, attrs, formula, xml_escape(value).encode())
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise AssertionError(f"unexpected result {value!r} for {a}")
        return b'<c r="%s%s"%s><f>%s</f><v>%s</v></c>' % (col, row, attrs, formula, repr(value).encode())

    out, n = _FORMULA_CELL.subn(fill, xml)
    if n != xml.count(b"<f>"):
        raise AssertionError(f"a formula cell of {sheet} is not in the form openpyxl writes")
    return out

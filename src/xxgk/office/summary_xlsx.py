"""The summary workbook the office opens in Excel/WPS: 汇总 (one row per report), 问题清单 (one
row per finding, with 状态 and 备注 to fill in), 两年对比, 未报送 (with a roster) and 无法读取.

Every text is written as text: texts come from the reports and may start with "=" (a formula
would run). Only 状态 and 备注 can be edited; the rest is protected (integrity, not secrecy).
The hidden columns carry what the feed-back needs, including the status and note as written,
so only rows a person changed are read back (``xxgk review --from``)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from xxgk.errors import InputError
from xxgk.fileio import free_name, write_atomic
from xxgk.office.definitions import statuses
from xxgk.office.indicators import indicators
from xxgk.office.reading import OUTPUT_MARK
from xxgk.office.tables import KEY_FIGURES, OfficeTables
from xxgk.spec import load_format

PASSWORD = "xxgk"
MAX_TEXT = 32767  # Excel's limit for one cell
FINDINGS_SHEET = "问题清单"
# 问题清单 columns: (header, width). The last ones are hidden: what the feed-back reads.
FINDING_COLUMNS = [("编号", 11), ("单位", 26), ("年度", 7), ("级别", 8), ("类别", 6), ("规则", 18),
                   ("问题说明", 70), ("单元格", 16), ("左值", 10), ("右值", 10), ("差额", 8),
                   ("状态", 10), ("备注", 30), ("重新打开", 8),
                   ("单位键", 4), ("问题标识", 4), ("指纹", 4), ("原状态", 4), ("原备注", 4)]
EDITABLE = ("状态", "备注")
HIDDEN = ("单位键", "问题标识", "指纹", "原状态", "原备注")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EDIT_FILL = PatternFill("solid", fgColor="FFF2CC")


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_TEXT]
    return value


def put(ws, row: int, col: int, value: Any):
    """Write ``value``; a string always as a string, never as a formula."""
    cell = ws.cell(row=row, column=col)
    cell.value = _text(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def _header(ws, columns: list[tuple[str, int]]) -> None:
    for n, (name, width) in enumerate(columns, 1):
        c = put(ws, 1, n, name)
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"


def _protect(ws) -> None:
    p = ws.protection
    p.sheet = True
    p.password = PASSWORD
    # Filtering and sorting stay possible on a protected sheet.
    p.autoFilter = False
    p.sort = False
    p.formatColumns = False


def _value(v: Any) -> Any:
    """A value the store keeps as JSON text, back as the value (other text as it is)."""
    if not isinstance(v, str):
        return v
    try:
        return json.loads(v)
    except ValueError:
        return v


def build_summary(t: OfficeTables) -> bytes:
    wb = Workbook()
    fmt = load_format("2021")
    ws = wb.active
    ws.title = "汇总"
    inds = indicators()
    cols = [("单位", 26), ("级别", 8), ("上级", 16), ("年度", 7), ("格式", 7), ("结论", 10), ("错误", 6),
            ("提示", 6)] + [(fmt.cell_label(k), 14) for k in KEY_FIGURES] + [(i.name, 12) for i in inds] + \
           [("问题清单", 10), ("文件", 40)]
    _header(ws, cols)
    first_row: dict[str, int] = {}
    for n, f in enumerate(t.findings, 2):
        first_row.setdefault(f["file"], n)
    for r, rep in enumerate(t.reports, 2):
        vals = [rep["agency"], rep["level"], rep["parent"], rep["year"], rep["format"], rep["verdict"],
                rep["errors"], rep["warnings"], *[rep["figures"][k] for k in KEY_FIGURES],
                *[rep["indicators"][i.key]["shown"] for i in inds]]
        for c, v in enumerate(vals, 1):
            put(ws, r, c, v)
        link = put(ws, r, len(vals) + 1, "查看问题" if rep["path"] in first_row else "—")
        if rep["path"] in first_row:
            link.hyperlink = f"#'{FINDINGS_SHEET}'!A{first_row[rep['path']]}"
            link.font = Font(color="0563C1", underline="single")
        put(ws, r, len(vals) + 2, rep["path"])
    _protect(ws)

    ws = wb.create_sheet(FINDINGS_SHEET)
    _header(ws, FINDING_COLUMNS)
    names = [c for c, _ in FINDING_COLUMNS]
    levels = {rep["agency_key"]: rep["level"] for rep in t.reports}
    dv = DataValidation(type="list", formula1='"' + ",".join(statuses()) + '"', allow_blank=False,
                        showErrorMessage=True, errorTitle="状态无效", error="请从列表中选择：" + "、".join(statuses()))
    ws.add_data_validation(dv)
    for r, f in enumerate(t.findings, 2):
        values = {"编号": f["ref"], "单位": f["agency"], "年度": f["year"], "级别": levels.get(f["agency_key"], ""),
                  "类别": "错误" if f["severity"] == "error" else "提示", "规则": f["rule"], "问题说明": f["message"],
                  "单元格": "、".join(json.loads(f["addresses"])), "左值": _value(f["left_value"]),
                  "右值": _value(f["right_value"]), "差额": _value(f["diff"]), "状态": f["status"],
                  "备注": f["note"], "重新打开": "是" if f["reopened"] else "", "单位键": f["agency_key"],
                  "问题标识": f["id"], "指纹": f["fingerprint"], "原状态": f["status"], "原备注": f["note"]}
        for c, name in enumerate(names, 1):
            v = values[name]
            if isinstance(v, (list, dict)):
                v = json.dumps(v, ensure_ascii=False)
            cell = put(ws, r, c, v)
            if name in EDITABLE:
                cell.protection = Protection(locked=False)
                cell.fill = EDIT_FILL
        ws.cell(row=r, column=names.index("问题说明") + 1).alignment = Alignment(wrap_text=True, vertical="top")
    status_col = get_column_letter(names.index("状态") + 1)
    last = max(2, len(t.findings) + 1)
    dv.add(f"{status_col}2:{status_col}{last}")
    ws.auto_filter.ref = f"A1:{get_column_letter(len(names) - len(HIDDEN))}{last}"
    for name in HIDDEN:
        ws.column_dimensions[get_column_letter(names.index(name) + 1)].hidden = True
    _protect(ws)

    ws = wb.create_sheet("两年对比")
    _header(ws, [("单位", 26), ("年度", 7), ("上年", 7), ("类别", 10), ("项目", 50), ("本年", 10), ("上年数", 10),
                 ("变化", 10), ("变化率或相似度", 14), ("说明", 60)])
    r = 2
    for c in t.comparisons:
        rows: list[list[Any]] = []
        for x in c["cells"]:
            rows.append(["数字", x["label"], x["this"], x["prev"], x["change"],
                         None if x["pct"] is None else f"{x['pct']:+.1f}%", ""])
        for x in c["carried"]:
            rows.append(["结转核对", f"表三 上年结转 / {x['column']}", x["carried"], x["forward_prev"], x["diff"], "",
                         "本年“上年结转”应等于上年“结转下年度继续办理”"])
        for x in c["in_force"]:
            rows.append(["现行有效", f"表二 {x['row']} 现行有效", x["in_force"], x["prev_in_force"], x["diff"], "",
                         f"上年 {x['prev_in_force']} + 制发 {x['issued']} − 废止 {x['repealed']} = {x['expected']}"])
        for x in c["texts"]:
            rows.append(["文字相似", x["label"], None, None, None, f"{x['similarity']}%",
                         "；".join(f"“{p}”" for p in x["passages"])])
        for row in rows:
            for col, v in enumerate([c["agency"], c["year"], c["prev_year"], *row], 1):
                put(ws, r, col, v)
            r += 1
    ws.auto_filter.ref = f"A1:J{max(2, r - 1)}"
    _protect(ws)

    if t.roster is not None:
        ws = wb.create_sheet("未报送")
        _header(ws, [("单位", 30), ("级别", 10), ("上级", 20), ("年度", 8)])
        for r, m in enumerate(t.missing, 2):
            for c, v in enumerate([m["agency"], m["level"], m["parent"], m["year"]], 1):
                put(ws, r, c, v)
        _protect(ws)
    if t.refused:
        ws = wb.create_sheet("无法读取")
        _header(ws, [("文件", 50), ("原因", 80), ("检查时间", 20)])
        for r, x in enumerate(t.refused, 2):
            for c, v in enumerate([x["path"], x["error"], x["checked_at"]], 1):
                put(ws, r, c, v)
        _protect(ws)
    wb.properties.title = "政府信息公开工作年度报告审核汇总"
    wb.properties.keywords = OUTPUT_MARK
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_summary(t: OfficeTables, target: Path) -> Path:
    """Write the workbook; an existing file (a reviewer may be editing it) is never replaced:
    the new one gets a free name beside it."""
    return write_atomic(free_name(target), build_summary(t))


def read_feedback(store, path: Path) -> list[dict[str, Any]]:
    """The decisions typed into a summary workbook: only rows whose 状态 or 备注 differ from what
    the workbook was written with. Any malformed row refuses the whole file (nothing changes),
    naming the rows and what to fix."""
    from xxgk.office.reviews import check_status

    if not path.is_file():
        raise InputError(f"找不到汇总工作簿：{path}。")
    try:
        wb = load_workbook(path, data_only=True, read_only=True)
    except Exception as exc:
        raise InputError(f"{path.name} 无法作为 Excel 工作簿打开（{type(exc).__name__}），未读入任何审核结论。") from None
    try:
        if FINDINGS_SHEET not in wb.sheetnames:
            raise InputError(f"{path.name} 中没有“{FINDINGS_SHEET}”工作表，不是 xxgk 写出的汇总工作簿，未读入任何审核结论。")
        rows = list(wb[FINDINGS_SHEET].iter_rows(values_only=True))
    finally:
        wb.close()
    header = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else [])]
    need = ["编号", "年度", "状态", "备注", *HIDDEN]
    missing = [h for h in need if h not in header]
    if missing:
        raise InputError(f"{path.name}“{FINDINGS_SHEET}”第 1 行缺少列：{'、'.join(missing)}。请使用 xxgk 写出的汇总工作簿，"
                         "不要删除或改名列。未读入任何审核结论。")
    at = {h: header.index(h) for h in need}
    items, problems = [], []

    def cell(row: tuple, name: str) -> str:
        i = at[name]
        v = row[i] if i < len(row) else None
        return "" if v is None else str(v).strip()

    for n, row in enumerate(rows[1:], 2):
        if not any(v not in (None, "") for v in row):
            continue
        status, note = cell(row, "状态"), cell(row, "备注")
        if status == cell(row, "原状态") and note == cell(row, "原备注"):
            continue
        try:
            status = check_status(status, f"第 {n} 行（{cell(row, '编号')}）")
            year = int(cell(row, "年度"))
            if not cell(row, "单位键") or not cell(row, "问题标识"):
                raise InputError(f"第 {n} 行缺少隐藏列“单位键”或“问题标识”的内容，请勿修改隐藏列。")
        except (InputError, ValueError) as exc:
            problems.append(str(exc) if isinstance(exc, InputError) else f"第 {n} 行“年度”不是年份。")
            continue
        items.append({"agency_key": cell(row, "单位键"), "year": year, "finding_id": cell(row, "问题标识"),
                      "fingerprint": cell(row, "指纹"), "status": status, "note": note})
    if problems:
        raise InputError(f"{path.name}“{FINDINGS_SHEET}”有 {len(problems)} 行不合格，整个文件未读入（审核库未作任何更改）。"
                         "请改正后重新运行：", problems[:20])
    return items

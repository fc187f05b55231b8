"""What each ribbon button does, on the workbook the click came from.

Every button: one bulk read of the workbook (:func:`xxgk.addin.bookio.read_book`) → the same core
calls as the CLI (reader, rules, narrative, export, sources) → a plan of bulk writes to unlocked
cells only → a Chinese summary via ``book.app.alert``. Nothing is written before everything that
could fail has run, so a failed click leaves the workbook as it was.

:func:`dispatch` catches everything: users see a short Chinese message saying what to do, the
full trace goes to the log file (:func:`xxgk.logs.log_exception`) whose path the message gives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xxgk import layout
from xxgk.addin.bookio import Snapshot, Write, apply_writes, parse_address, read_book, require_sheets
from xxgk.errors import InputError

TITLE = "信息公开年报助手"
RESULTS_FIRST_ROW = 3  # row 1 title, row 2 header (序号 级别 规则 问题说明 位置…): see the workbook builder
RESULTS_COLUMNS = 4  # 序号, 级别, 规则, 问题说明; the cell links follow from column 5
MAX_LINKS = 20  # per finding; more are summed up in the last column
MAX_LISTED = 8  # findings listed in an alert
FORMULA_STARTS = ("=", "+", "-", "@")  # what Excel parses as a formula when assigned

# Export writes beside the workbook: refused (xlwings and WPS alike) when there is no such folder.
NOT_SAVED = ("工作簿还没有保存到本机文件夹（或保存在网络位置），不知道导出到哪里。"
             "请先把工作簿“另存为”到本机文件夹，再点“导出”。")

EXPORT_FORMATS = {"export_all": ("docx", "html", "json"), "export_docx": ("docx",),
                  "export_html": ("html",), "export_json": ("json",)}


@dataclass
class Outcome:
    """What a button did: the writes it made and the message it showed (the tests read this)."""

    tag: str
    message: str = ""
    ok: bool = True
    writes: list[Write] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    log: Path | None = None
    findings: list[Any] = field(default_factory=list)  # 校验's findings (the WPS service returns them)
    writing: bool = False  # writes had begun (an error after this may leave them partial)


# ---------------------------------------------------------------------------- entry
def dispatch(tag: str, book: Any = None, **options: Any) -> Outcome:
    """Run button ``tag``. ``book`` defaults to the workbook the click came from
    (``xw.Book.caller()``); ``options`` (``folder=``, ``path=``) stand in for the dialogs the
    desktop shows. Never raises."""
    outcome = Outcome(tag)
    try:
        handler = HANDLERS.get(tag)
        if handler is None:
            raise InputError(f"未知的功能区按钮（{tag!r}）。请重新安装加载项：在命令提示符中运行 xxgk addin install。")
        if book is None:
            book = _caller()
        handler(book, outcome, **options)
    except Exception as exc:
        _failed(outcome, exc)
    _show(book, outcome)
    return outcome


def plan(tag: str, snap: Snapshot, **options: Any) -> Outcome:
    """What button ``tag`` would do on a workbook seen as ``snap``, without touching it: the
    Outcome's ``writes`` are to be made by the caller (the WPS add-in, through ``xxgk serve``).
    The same functions as the xlwings buttons, so both say and write the same. Never raises."""
    outcome = Outcome(tag)
    try:
        planner = PLANS.get(tag)
        if planner is None:
            raise InputError(f"未知的功能区按钮（{tag!r}）。请重新安装加载项。")
        outcome.writes = planner(snap, outcome, **options)
    except Exception as exc:
        outcome.writes = []
        _failed(outcome, exc)
    return outcome


def _failed(outcome: Outcome, exc: Exception) -> None:
    outcome.ok = False
    if isinstance(exc, InputError):
        outcome.message = str(exc) + "\n\n" + _unchanged(outcome)
        return
    from xxgk.logs import log_exception

    outcome.log = log_exception(f"add-in button {outcome.tag}")
    if outcome.log is None:
        where = "（日志文件也无法写入，请检查磁盘空间。）"
    else:
        where = f"详细信息已写入日志文件：\n{outcome.log}\n请把该文件发给维护人员；"
    outcome.message = (
        f"出现内部错误，操作未完成。{_unchanged(outcome)}\n{where}"
        "也可以先保存工作簿，关闭 Excel（或 WPS）后重新打开再试。"
    )


def _unchanged(outcome: Outcome) -> str:
    if not outcome.writing:
        return "工作簿未作改动。"
    # Writes only ever go to results, flags, drafts and blank or generated cells.
    return "写入结果时中断，部分结果可能没有写全；您填写的数字和改过的文字不受影响。请再点一次该按钮。"


def _write(book: Any, outcome: Outcome, writes: list[Write]) -> None:
    """The button's writes, last of all: everything that could fail has run before."""
    outcome.writing = True
    apply_writes(book, writes)
    outcome.writes += writes


def _caller() -> Any:
    import xlwings as xw

    try:
        return xw.Book.caller()
    except Exception as exc:
        raise InputError(
            "没有找到要处理的工作簿。请先打开本单位的年报工作簿（如处于“受保护的视图”，请先点“启用编辑”），再点按钮。"
        ) from exc


def _show(book: Any, outcome: Outcome) -> None:
    if not outcome.message:
        return
    mode = "info" if outcome.ok else "critical"
    try:
        book.app.alert(outcome.message, title=TITLE, buttons="ok", mode=mode)
        return
    except Exception:  # no book, or an engine without alerts: fall back to Excel's own error box
        pass
    import sys

    try:
        sys.stderr.write(outcome.message + "\n")
    except Exception:
        return
    if "--from_xl=1" in sys.argv:
        # Started by RunPython, which shows stderr only when the command fails: fail, so the
        # user sees this Chinese message rather than nothing.
        raise SystemExit(1)


# ---------------------------------------------------------------------------- reading
@dataclass
class Loaded:
    snap: Snapshot
    report: Any  # xxgk.report.Report


def load(book: Any, *sheets: str) -> Loaded:
    """Read the workbook (bulk) and make the Report with the same reader the CLI uses;
    ``sheets`` are the program sheets the caller will write to."""
    return load_snapshot(read_book(book), *sheets)


def load_snapshot(snap: Snapshot, *sheets: str) -> Loaded:
    """:func:`load` on a snapshot already read (by xlwings or sent by the WPS add-in)."""
    require_sheets(snap, layout.META, *sheets)
    from xxgk.workbook.reader import report_from_data

    report = report_from_data(workbook_data(snap))
    return Loaded(snap, report)


def workbook_data(snap: Snapshot) -> Any:
    """The reader's plain-data view of the snapshot. Excel hands over computed values, so a
    formula cell's value is its cached value too."""
    from xxgk.workbook.reader import SheetData, WorkbookData

    sheets = {name: SheetData(values, snap.formulas.get(name)) for name, values in snap.sheets.items()}
    return WorkbookData(sheets, dict(snap.names), source=f"工作簿“{snap.name}”", cached=sheets)


def _address_of(snap: Snapshot, name: str, fallback: layout.Address | None = None) -> layout.Address:
    """Where a defined name points (the workbook is read by names), else the layout's place."""
    text = snap.names.get(name)
    a = parse_address(text) if text else None
    if a is None:
        if fallback is None:
            raise InputError(f"工作簿“{snap.name}”缺少名称 {name}，可能被删改过。请用“xxgk new”生成新的工作簿。")
        return fallback
    return a


# ---------------------------------------------------------------------------- 校验
def validate(book: Any, outcome: Outcome, **_: Any) -> None:
    _write(book, outcome, plan_validate(read_book(book), outcome))
    _activate(book, layout.RESULTS)


def plan_validate(snap: Snapshot, outcome: Outcome, **_: Any) -> list[Write]:
    from xxgk.findings_report import switch_lines, verdict
    from xxgk.rules import check

    loaded = load_snapshot(snap, layout.RESULTS, layout.FLAGS)
    findings = check(loaded.report)
    outcome.findings = findings
    writes = results_writes(loaded.snap, findings, loaded.report) + flag_writes(loaded.snap, findings)
    errors = sum(f.is_error for f in findings)
    head = f"校验完成：{verdict(findings)}。" + "".join("\n" + ln for ln in switch_lines(loaded.report))
    if not findings:
        outcome.message = head + "\n未发现问题，可以导出。"
    else:
        outcome.message = (
            head + f"\n全部 {len(findings)} 条已列在“{layout.RESULTS}”工作表（点击其中的位置可跳到对应单元格），"
            "有问题的单元格已标为橙色。\n\n" + _listing(findings)
        )
        if errors:
            outcome.message += "\n\n请先改正全部“错误”再导出。改正后再点一次“校验”即可刷新结果和标记。"
    return writes


def _listing(findings: Sequence[Any]) -> str:
    lines = [f"· [{f.severity.label}] {f.message}" for f in findings[:MAX_LISTED]]
    if len(findings) > MAX_LISTED:
        lines.append(f"……另有 {len(findings) - MAX_LISTED} 条，见“{layout.RESULTS}”工作表。")
    return "\n".join(lines)


def results_writes(snap: Snapshot, findings: Sequence[Any], report: Any = None) -> list[Write]:
    """The results table in one write: a row per finding (序号, 级别, 规则编号, 说明, then a
    link per cell), then a row per rule that was off (and who switched it off), padded with
    blanks over whatever the previous run left."""
    from xxgk.rules import BY_LABEL, switches

    rows: list[list[Any]] = []
    for i, f in enumerate(findings, 1):
        links: list[Any] = [_link(a) for a in f.addresses[:MAX_LINKS]]
        if len(f.addresses) > MAX_LINKS:
            links[-1] = f"……共 {len(f.addresses)} 处"
        rows.append([i, f.severity.label, _text(f.id), _text(f.message), *links])
    if not rows:
        rows.append([None, None, None, "未发现问题。", ])
    for sw in switches(report):
        said = (f"{sw.title}：本次未校验（由{BY_LABEL[sw.by]}停用）" if sw.applied else
                f"{sw.title}：文件要求停用，但此规则不能由文件停用，已照常校验")
        rows.append([None, "停用" if sw.applied else "照常", sw.rule, said])
    old_rows, old_cols = snap.extent(layout.RESULTS)
    width = max(RESULTS_COLUMNS + 1, old_cols, *(len(r) for r in rows))
    height = max(len(rows), old_rows - RESULTS_FIRST_ROW + 1)
    block = [r + [None] * (width - len(r)) for r in rows]
    block += [[None] * width for _ in range(height - len(block))]
    return [Write(layout.RESULTS, RESULTS_FIRST_ROW, 1, block)]


def _text(value: str) -> str:
    """A text that Excel would take for a formula if assigned as it is (=, +, -, @ first)
    gets Excel's text prefix; the formula cells of the same write (links) stay formulas."""
    from xxgk.addin.bookio import TEXT_PREFIX

    return TEXT_PREFIX + value if value[:1] in FORMULA_STARTS else value


def _link(address: str) -> str:
    """A HYPERLINK formula to a cell: works in Excel, WPS and LibreOffice, and goes in with the
    values in one write (Hyperlinks.Add would be one call per link)."""
    a = parse_address(address)
    if a is None:
        return address
    sheet = a.sheet.replace("'", "''")
    return f'=HYPERLINK("#\'{sheet}\'!{a.cell}","{address}")'


def flag_writes(snap: Snapshot, findings: Sequence[Any]) -> list[Write]:
    """The whole ``_flags`` mirror in one write: the severity label where a finding points,
    blank elsewhere (which also clears the previous run's flags)."""
    flags: dict[tuple[int, int], str] = {}
    for f in findings:
        for text in f.addresses:
            a = parse_address(text)
            if a is None or a.sheet not in layout.INPUT_SHEETS:
                continue
            fa = layout.flag_address(a.sheet, a.row, a.column)
            if flags.get((fa.row, fa.column)) != "错误":  # an error wins over a hint
                flags[(fa.row, fa.column)] = f.severity.label
    return [_flag_block(snap, flags)]


def _flag_block(snap: Snapshot, flags: dict[tuple[int, int], str]) -> Write:
    # Row 1 holds the builder's captions (one per mirrored sheet): start below it.
    first = 2
    old_rows, old_cols = snap.extent(layout.FLAGS)
    rows = max([old_rows, first, *(r for r, _ in flags)])
    cols = max([old_cols, 1, *(c for _, c in flags)])
    block = [[flags.get((r, c)) for c in range(1, cols + 1)] for r in range(first, rows + 1)]
    return Write(layout.FLAGS, first, 1, block)


# ---------------------------------------------------------------------------- 清除标记
def clear_flags(book: Any, outcome: Outcome, **_: Any) -> None:
    _write(book, outcome, plan_clear_flags(read_book(book), outcome))


def plan_clear_flags(snap: Snapshot, outcome: Outcome, **_: Any) -> list[Write]:
    require_sheets(snap, layout.META, layout.FLAGS)
    had = sum(1 for row in snap.sheets[layout.FLAGS][1:] for v in row if v not in (None, ""))
    outcome.message = f"已清除 {had} 处标记。填报内容和“{layout.RESULTS}”工作表未改动。" if had else "没有需要清除的标记。"
    return [_flag_block(snap, {})]


# ---------------------------------------------------------------------------- 生成说明
def narrative(book: Any, outcome: Outcome, **_: Any) -> None:
    _write(book, outcome, plan_narrative(read_book(book), outcome))


def plan_narrative(snap: Snapshot, outcome: Outcome, **_: Any) -> list[Write]:
    from xxgk.narrative import apply as apply_drafts
    from xxgk.narrative import generate
    from xxgk.workbook.names import name_for

    loaded = load_snapshot(snap, layout.DRAFTS)
    report = loaded.report
    new, notices = apply_drafts(report, generate(report))
    at = layout.addresses(report.format)
    writes: list[Write] = []
    changed = []
    for key, text in new.texts.items():
        if text != (report.texts.get(key) or ""):
            a = _address_of(loaded.snap, name_for(key), at.get(key))
            writes.append(Write(a.sheet, a.row, a.column, [[text]], text=True))
            changed.append(key)
    for key, draft in new.drafts.items():
        if draft != report.drafts.get(key):
            a = _address_of(loaded.snap, name_for(key, "draft"))
            writes.append(Write(a.sheet, a.row, a.column, [[draft]], text=True))
    fmt = report.spec
    lines = [f"已生成说明文字：写入 {len(changed)} 处" + (
        "（" + "、".join(fmt.texts[k].label for k in changed[:6]) + ("等" if len(changed) > 6 else "") + "）。"
        if changed else "。")]
    if notices:
        lines.append(f"\n以下 {len(notices)} 处文字有人工修改，已保留原文；新草稿另存，未覆盖：")
        lines += [f"· {n.label}" for n in notices[:MAX_LISTED]]
    lines.append("\n文字中的【待填写：…】表示相应数字尚未填写。请通读后再导出。")
    outcome.message = "\n".join(lines)
    return writes


# ---------------------------------------------------------------------------- 导出
def export(book: Any, outcome: Outcome, *, folder: str | Path | None = None, force: bool = False,
           **_: Any) -> None:
    plan_export(read_book(book), outcome, folder=folder, force=force, pick=lambda: _pick_folder(book))


def plan_export(snap: Snapshot, outcome: Outcome, *, folder: str | Path | None = None, force: bool = False,
                pick: Callable[[], Path | None] | None = None, **_: Any) -> list[Write]:
    """Export writes files, never cells. ``pick`` asks the user for another folder (the
    desktop's dialog); without it only the workbook's own folder (or ``folder``) is used."""
    from xxgk.export import export as run_export
    from xxgk.rules import check, has_errors

    def ask() -> Path | None:
        return pick() if pick else None

    formats = EXPORT_FORMATS[outcome.tag]
    loaded = load_snapshot(snap)
    findings = check(loaded.report)
    if has_errors(findings) and not force:
        errors = [f for f in findings if f.is_error]
        raise InputError(
            f"年报还有 {len(errors)} 处错误，未导出。请先改正（可点“校验”查看全部问题和位置）：\n" + _listing(errors)
        )
    outdir = Path(folder) if folder else loaded.snap.folder
    if outdir is None:
        outdir = ask()
    if outdir is None:
        raise InputError(NOT_SAVED)
    if not outdir.is_dir():
        raise InputError(f"导出文件夹不存在：{outdir}。请先把工作簿保存到一个本机文件夹。")
    try:
        files = run_export(loaded.report, list(formats), outdir, force=force, findings=findings)
    except InputError as exc:
        # The workbook's folder cannot be written (read-only share, CD, protected folder):
        # offer another one on the desktop; elsewhere say how to get one.
        other = None if folder else ask()
        if other is None:
            raise InputError(f"{exc}\n可以把工作簿“另存为”到可写的文件夹（如“文档”）后再点“导出”。") from None
        outdir = other
        files = run_export(loaded.report, list(formats), outdir, force=force, findings=findings)
    outcome.files = [Path(p) for p in (files or [])]
    names = "\n".join(f"· {p.name}" for p in outcome.files)
    outcome.message = f"已导出到文件夹：{outdir}\n{names}"
    return []


# ---------------------------------------------------------------------------- 导入上年数据
def import_previous(book: Any, outcome: Outcome, *, path: str | Path | None = None, **_: Any) -> None:
    from xxgk.sources import read_report
    from xxgk.workbook.names import name_for

    if path is None:
        path = _pick_file(book)
        if path is None:
            outcome.message = ""  # the user pressed 取消: nothing to say
            return
    loaded = load(book, layout.PREVIOUS)
    report = loaded.report
    try:
        previous = read_report(path)
    except InputError as exc:
        raise InputError(f"无法读取上年文件：{exc}") from None
    except Exception as exc:
        raise InputError(
            f"上年文件 {Path(path).name} 无法读取（{type(exc).__name__}），可能已损坏或不是年报文件。"
            "请选择上年用本工具生成的工作簿（.xlsx）、年报 JSON，或上年已发布的年报（网页、Word、PDF）。"
        ) from exc
    if previous.year != report.year - 1:
        raise InputError(
            f"所选文件是 {previous.year} 年度的年报，而本工作簿是 {report.year} 年度，不是上一年度。请选择 {report.year - 1} 年度的文件。"
        )
    if previous.format != report.format:
        raise InputError(
            f"所选的 {previous.year} 年度年报按 {previous.format} 版格式填报，本工作簿是 {report.format} 版格式，"
            "两版表格不同，不能逐项跨年度核对，因此未导入。本年度请直接填写“上年结转”等数字。"
        )
    fmt = report.spec
    pfmt = previous.spec
    writes: list[Write] = []
    # 1. Last year's report, whole, on the hidden _上年 sheet (the cross-year rules read it).
    head = {"year": previous.year, "agency": previous.agency, "format": previous.format}
    for key, value in [*head.items(), *previous.cells.items(), *previous.facts.items(),
                       *previous.texts.items()]:
        name = name_for(key, "previous")
        if name in loaded.snap.names:
            a = _address_of(loaded.snap, name)
            writes.append(Write(a.sheet, a.row, a.column, [[_cell_value(value)]], text=True))
    # 2. 上年结转 (this year) = 结转下年度继续办理 (last year), per column; blanks only.
    t3 = fmt.tables["t3"]
    filled, kept = [], []
    at = layout.addresses(report.format)
    for col in t3.columns:
        this_key, prev_key = f"t3.carried.{col.key}", f"t3.forward.{col.key}"
        if this_key not in fmt.cells or fmt.cells[this_key].total_of or prev_key not in pfmt.cells:
            continue
        value = previous.cells.get(prev_key)
        if value is None:
            continue
        current = report.cells.get(this_key)
        if current is None:
            a = _address_of(loaded.snap, name_for(this_key), at.get(this_key))
            writes.append(Write(a.sheet, a.row, a.column, [[_cell_value(value)]]))
            filled.append(this_key)
        elif current != value:
            kept.append(f"{fmt.cell_label(this_key)}：本表 {current}，上年结转下年度 {value}")
    _write(book, outcome, writes)
    lines = [f"已导入 {previous.agency or '（未填单位）'} {previous.year} 年度数据（{Path(path).name}），供跨年度核对使用。"]
    lines.append(f"已填入“上年结转”{len(filled)} 处。" if filled else "“上年结转”没有需要填写的空格。")
    if kept:
        lines.append("以下单元格已有数字且与上年不一致，未覆盖，请核对：")
        lines += [f"· {k}" for k in kept[:MAX_LISTED]]
    lines.append("请点“校验”查看跨年度核对结果。")
    outcome.message = "\n".join(lines)


def _cell_value(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _pick_file(book: Any) -> str | None:
    """Excel's own Open dialog (desktop only: a COM call, hence the try)."""
    try:
        chosen = book.app.api.GetOpenFilename(
            "年报工作簿、JSON 或已发布的年报 (*.xlsx;*.xlsm;*.json;*.html;*.htm;*.docx;*.pdf;*.txt),"
            "*.xlsx;*.xlsm;*.json;*.html;*.htm;*.docx;*.pdf;*.txt", 1, "选择上一年度的年报文件"
        )
    except Exception as exc:
        raise InputError("此环境无法弹出选择文件的对话框。请改用命令：xxgk check 本年.xlsx --previous 上年文件。") from exc
    if chosen in (False, None, "False", ""):
        return None
    return str(chosen)


def _pick_folder(book: Any) -> Path | None:
    """Excel's own folder picker (desktop only: COM, hence the try); None if unavailable or
    cancelled."""
    try:
        dialog = book.app.api.FileDialog(4)  # msoFileDialogFolderPicker
        dialog.Title = "选择导出到的文件夹"
        if dialog.Show() != -1:
            return None
        return Path(str(dialog.SelectedItems(1)))
    except Exception:
        return None


# ---------------------------------------------------------------------------- 帮助
def show_help(book: Any, outcome: Outcome, **_: Any) -> None:
    from xxgk import __version__
    from xxgk.logs import log_dir

    outcome.message = (
        f"信息公开年报助手 {__version__}\n\n"
        "校验：全部问题写入“校验结果”工作表，有问题的单元格标为橙色；\n"
        "生成说明：按表格数字生成说明文字，已修改的文字不会被覆盖；\n"
        "导出：Word、网页、JSON 保存到工作簿所在文件夹（有错误时不导出）；\n"
        "导入上年数据：选择上一年度的工作簿或 JSON，填入上年结转；\n"
        "清除标记：只去掉橙色标记。\n\n"
        f"日志文件夹：{log_dir()}"
    )


def _activate(book: Any, sheet: str) -> None:
    try:
        book.sheets[sheet].activate()
    except Exception:  # showing the results is a courtesy; the writes are what matters
        pass


HANDLERS: dict[str, Callable[..., None]] = {
    "validate": validate,
    "narrative": narrative,
    **dict.fromkeys(EXPORT_FORMATS, export),
    "import_previous": import_previous,
    "clear_flags": clear_flags,
    "help": show_help,
}
TAGS = frozenset(HANDLERS)

# The pure half of each button (snapshot → Outcome with planned writes): what `xxgk serve` runs
# for the WPS add-in. 导入上年数据 is not here: it reads a file the user picks, and the service
# reads no path it is sent.
PLANS: dict[str, Callable[..., list[Write]]] = {
    "validate": plan_validate,
    "narrative": plan_narrative,
    **dict.fromkeys(EXPORT_FORMATS, plan_export),
    "clear_flags": plan_clear_flags,
    "help": lambda snap, outcome, **_: show_help(None, outcome) or [],
}

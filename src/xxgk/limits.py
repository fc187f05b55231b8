"""How big an input may be, checked at the door before anything is inflated or parsed.

A report is small: the official tables have a few dozen rows, a workbook's parts a few hundred
KB, a published page or Word file a few MB with pictures. Decompression bombs (a 1 MB .xlsx that
inflates to gigabytes, a sheet claiming a cell at XFD on row 200000, an HTML table of
``rowspan=200 colspan=200`` cells) are refused with :class:`~xxgk.errors.InputError` saying what
is too big and the limit, so no single input needs more than a few hundred MB of memory.

Every reader calls these: :func:`check_file` (``sources.read_report`` and
``importer.import_report``), :func:`check_sheet_extent` while a workbook is read, and
:func:`table_bounds` for the spanned tables of a web page. The sheet and table bounds come from
the format data, with generous headroom.
"""

from __future__ import annotations

import re
import zipfile
from functools import cache
from pathlib import Path

from xxgk.errors import InputError

MB = 1024 * 1024
# Zip containers (.xlsx/.xlsm/.docx): sizes from the zip directory, before inflating anything.
# Python's zipfile never inflates an entry past the size its directory states.
MAX_ZIP_ENTRIES = 5_000  # a workbook has ~20 parts, a Word file with pictures a few hundred
MAX_PART_BYTES = 32 * MB  # one part inflated (a picture in a Word file may be a large photo)
# One XML part inflated (a real sheet or document.xml: well under 2 MB). Parsed into a tree, XML
# takes 20–25× its size: a 15 MB document.xml peaks near 400 MB, the 500 MB budget.
MAX_XML_PART_BYTES = 10 * MB
MAX_TOTAL_BYTES = 100 * MB  # all parts inflated (pictures in a Word file included)
MAX_RATIO = 100  # inflated / compressed, for a part over RATIO_FROM (real XML: 5–30×)
RATIO_FROM = 1 * MB
# A web page: parsed whole into a tree of ~30× its size (a 20 MB page of cells peaks at 620 MB).
# A portal's report page is 50 KB–2 MB.
MAX_HTML_BYTES = 8 * MB
HEADROOM = 20  # times the largest extent the format data gives a sheet or a table

_ZIP_SUFFIXES = {".xlsx", ".xlsm", ".docx"}
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\"")


def _mb(n: int) -> str:
    return f"{n / MB:.1f} MB"


def check_file(path: str | Path) -> None:
    """Refuse a zip container (.xlsx/.xlsm/.docx) whose parts would inflate past the limits, or
    a workbook whose sheets claim more rows × columns than a report can hold. Other files and
    files that are not zips pass (their reader says what is wrong with them)."""
    path = Path(path)
    if path.suffix.lower() not in _ZIP_SUFFIXES:
        return
    try:
        if not zipfile.is_zipfile(path):
            return
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            check_zip_directory(infos, path.name)
            for info in infos:
                if re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename):
                    with z.open(info) as fh:
                        head = fh.read(64 * 1024)  # <dimension> comes first; inflate no more
                    _check_dimension(head, path.name, info.filename)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
        return  # damaged or encrypted: the reader refuses it with its own message


def check_html_size(size: int, name: str) -> None:
    """Refuse a web page too large to parse within the memory budget."""
    if size > MAX_HTML_BYTES:
        raise InputError(f"{name} 有 {_mb(size)}，超过网页的上限 {MAX_HTML_BYTES // MB} MB（年报网页通常不到 2 MB），未读取。"
                         "请确认文件是否为年报原文；如网页内嵌了大图片，请另存为“仅 HTML”后再导入。")


def check_zip_directory(infos: list[zipfile.ZipInfo], name: str) -> None:
    """The zip checks on a directory: number of parts, each part's and the total inflated size,
    and the compression ratio of large parts."""
    refuse = f"{name} 不是正常的年报文件（疑似“压缩炸弹”），未读取："
    fix = "请确认文件来源；如确为年报，请在 Excel、Word 或 WPS 中打开后另存一份再试。"
    if len(infos) > MAX_ZIP_ENTRIES:
        raise InputError(f"{refuse}其中有 {len(infos)} 个部件，超过上限 {MAX_ZIP_ENTRIES} 个。{fix}")
    total = 0
    for info in infos:
        size = info.file_size
        limit = MAX_XML_PART_BYTES if info.filename.lower().endswith((".xml", ".rels")) else MAX_PART_BYTES
        if size > limit:
            raise InputError(f"{refuse}其中的 {info.filename} 解压后有 {_mb(size)}，"
                             f"超过单个部件的上限 {limit // MB} MB。{fix}")
        if size > RATIO_FROM and size > MAX_RATIO * max(1, info.compress_size):
            raise InputError(f"{refuse}其中的 {info.filename} 压缩后 {info.compress_size} 字节，解压后有 {_mb(size)}"
                             f"（压缩比约 {size // max(1, info.compress_size)} 倍，上限 {MAX_RATIO} 倍）。{fix}")
        total += size
    if total > MAX_TOTAL_BYTES:
        raise InputError(f"{refuse}全部内容解压后有 {_mb(total)}，超过上限 {MAX_TOTAL_BYTES // MB} MB。{fix}")


@cache
def sheet_bounds() -> tuple[int, int]:
    """(rows, columns) any sheet of our workbook may use: HEADROOM × the most the format data
    puts on one (the hidden last-year sheet has a row per key; the flag mirror sits far right)."""
    from xxgk import layout
    from xxgk.spec import available_versions

    rows = cols = 0
    for v in available_versions():
        at = layout.addresses(v)
        rows = max(rows, len(at), *(a.row for a in at.values()))
        cols = max(cols, *(layout.flag_for(v, k).column for k in at))
    return HEADROOM * rows, HEADROOM * cols


@cache
def table_bounds() -> tuple[int, int]:
    """(rows, columns) a table of a published report may have: HEADROOM × the largest official
    table (rows with their header rows, columns with their label columns)."""
    from xxgk.spec import available_versions, load_format

    rows = cols = 0
    for v in available_versions():
        fmt = load_format(v)
        for t in fmt.tables.values():
            blocks = getattr(t, "blocks", None) or []
            if blocks:
                rows = max(rows, sum(len(b.rows) + 2 for b in blocks))
                cols = max(cols, 1 + max(len(b.columns) for b in blocks))
            else:
                rows = max(rows, len(t.rows) + 4)
                cols = max(cols, len(t.columns) + 3)
    return HEADROOM * rows, HEADROOM * cols


def check_sheet_extent(rows: int, columns: int, where: str) -> None:
    """Refuse a sheet that reaches past row/column bounds (called while it is read)."""
    max_rows, max_cols = sheet_bounds()
    if rows > max_rows or columns > max_cols:
        raise InputError(
            f"{where}用到了第 {rows} 行、第 {columns} 列，远超填报工作簿的范围（上限 {max_rows} 行 × {max_cols} 列），"
            "未读取。可能在很远的单元格里误填了内容或设置了格式：请删除多余的行和列后保存，"
            "或用 `xxgk new 新工作簿.xlsx --from` 生成新工作簿后再读取。")


def check_table_extent(rows: int, columns: int, where: str) -> None:
    """Refuse a published table (rows × columns after spans) larger than a report's tables."""
    max_rows, max_cols = table_bounds()
    if rows > max_rows or columns > max_cols:
        raise InputError(
            f"{where}中的表格有 {rows} 行 × {columns} 列（含合并单元格展开），远超年报表格的范围"
            f"（上限 {max_rows} 行 × {max_cols} 列），未读取。请确认文件是否为年报原文。")


def _check_dimension(head: bytes, name: str, part: str) -> None:
    m = _DIMENSION.search(head)
    if not m:
        return
    last_col, last_row = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
    if not last_col or not last_row:
        return
    cols = 0
    for ch in last_col.decode("ascii"):
        cols = cols * 26 + ord(ch) - 64
    check_sheet_extent(int(last_row), cols, f"工作簿 {name} 的 {part}（范围 {m.group(0).decode('ascii', 'replace')[16:-1]}）")

"""Reading a report from whatever file a user has: report JSON, our workbook, or (with
``xxgk import``) a published report. One entry point, so every command accepts the same files."""

from __future__ import annotations

from pathlib import Path

from xxgk.errors import InputError, unreadable
from xxgk.report import Report, load_json

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}


def read_report(path: str | Path) -> Report:
    """See :func:`_read_report`; a file the system will not let us read is refused by name."""
    try:
        return _read_report(path)
    except OSError as exc:
        raise unreadable(path, exc) from None


def _read_report(path: str | Path) -> Report:
    """The report in ``path``: ``.json`` (report JSON), ``.xlsx`` (a workbook made by
    ``xxgk new``) or a published report (``.html/.htm/.docx/.txt/.pdf``, via
    :func:`xxgk.importer.import_report`). Anything else raises :class:`InputError` with what to
    do instead."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"找不到文件：{path}。请检查路径和文件名。")
    if path.is_dir():
        raise InputError(f"{path} 是文件夹，不是文件。请指定年报 JSON 或工作簿文件。")
    from xxgk.fileio import note_input
    from xxgk.limits import check_file

    note_input(path)
    check_file(path)  # zip bombs and oversized sheets are refused before any reader inflates them
    suffix = path.suffix.lower()
    if suffix == ".json":
        return load_json(path)
    if suffix in WORKBOOK_SUFFIXES:
        try:
            from xxgk.workbook.reader import read_workbook
        except ImportError:  # pragma: no cover - the reader ships with the workbook module
            raise InputError("此版本尚不能读取工作簿，请先导出为 JSON。") from None
        return read_workbook(path)
    from xxgk.importer import OLD_OFFICE, SUFFIXES, import_report

    if suffix in SUFFIXES or suffix in OLD_OFFICE:
        # A published report (web page, Word, PDF, text): read back by the importer.
        return import_report(path).report
    raise InputError(
        f"不能直接读取 {path.name}（{suffix or '无扩展名'}）。请使用本工具生成的工作簿（.xlsx）、年报 JSON，"
        "或已发布的年报（网页 .html/.htm、Word .docx、PDF .pdf、文本 .txt）。"
    )

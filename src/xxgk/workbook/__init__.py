"""The locked workbook staff fill in Excel or WPS: built from the format data, read back by
defined names.

Public API (used by the CLI, the add-in and the exporters):

* :func:`build_workbook` → the .xlsx bytes; :func:`write_workbook` → writes them safely.
* :func:`xxgk.workbook.reader.read_workbook` (path → Report), and for callers that read cells
  themselves (the add-in through xlwings): :class:`~xxgk.workbook.reader.WorkbookData` and
  :func:`~xxgk.workbook.reader.report_from_data`.
* :func:`xxgk.workbook.names.name_for` / ``key_for``: key ↔ defined name.
"""

from __future__ import annotations

from pathlib import Path

from xxgk.report import Report


def build_workbook(
    report: Report | None = None,
    *,
    year: int | None = None,
    agency: str = "",
    previous: Report | None = None,
) -> bytes:
    """The .xlsx bytes of the workbook (blank, or filled from ``report``)."""
    from xxgk.workbook.builder import build_workbook as build

    return build(report, year=year, agency=agency, previous=previous)


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
    from xxgk.fileio import write_atomic

    data = build_workbook(report, year=year, agency=agency, previous=previous)
    return write_atomic(Path(path), data, overwrite=overwrite)


__all__ = ["build_workbook", "write_workbook"]

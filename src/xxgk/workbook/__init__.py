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

from typing import Any

__all__ = ["build_workbook", "write_workbook"]


def __getattr__(name: str) -> Any:
    # Lazy, so that importing xxgk.workbook.reader (the add-in's path) does not load the builder.
    if name in __all__:
        from xxgk.workbook import builder

        return getattr(builder, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

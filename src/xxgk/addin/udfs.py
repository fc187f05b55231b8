"""Worksheet functions (classic xlwings UDFs, Windows desktop Excel only).

``=XXGK_STATUS()`` — the verdict on the whole report (``可以导出（错误 0 处，提示 2 处）``);
``=XXGK_PARAGRAPH("s1.requests")`` — the paragraph the narrative would write for a text key.

Their VBA wrappers are generated at build time by xlwings' own generator (see
:func:`xxgk.addin.build.udf_module_source`) and baked into the .xlam, so users never need
"Trust access to the VBA project object model". They are an extra: the workbook's own formulas
already show the arithmetic checks, also in WPS.

Each reads the calling workbook in bulk, like the buttons, and never raises into Excel: a
problem comes back as a short Chinese text in the cell (the trace goes to the log file).
"""

from __future__ import annotations

from typing import Any

import xlwings as xw


@xw.func
@xw.arg("caller", doc="调用单元格（自动提供）")
def XXGK_STATUS(caller: Any) -> str:
    """年报校验结论：可以导出或不可导出，以及错误、提示各几处。"""
    from xxgk.addin.udf_core import status

    return status(caller.sheet.book)


@xw.func
@xw.arg("key", doc="说明文字的键，例如 s1.requests")
@xw.arg("caller", doc="调用单元格（自动提供）")
def XXGK_PARAGRAPH(key: Any, caller: Any) -> str:
    """按表格数字生成的一段说明文字。"""
    from xxgk.addin.udf_core import paragraph

    return paragraph(caller.sheet.book, key)

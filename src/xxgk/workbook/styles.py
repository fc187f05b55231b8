"""Fonts, fills, borders and the colour legend of the workbook (one place, so the cover's legend
always shows the colours the sheets really use)."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

SONG = "宋体"  # tables and labels
FANGSONG = "仿宋"  # free text, as in the printed report
HEI = "黑体"  # sheet titles

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # pale yellow: type here
TOTAL_FILL = PatternFill("solid", fgColor="E7E6E6")  # grey: computed, locked
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")  # pale blue: official labels


def cf_fill(rgb: str) -> PatternFill:
    """A solid fill for a conditional format (a ``dxf``): Excel takes its colour from
    ``bgColor``, LibreOffice from ``fgColor``, so both carry it. (A cell's own solid fill takes
    ``fgColor`` in both, so the same fill works in the cover's legend too.)"""
    return PatternFill("solid", fgColor=rgb, bgColor=rgb)


# Conditional formats: Excel applies only font style and colour from a dxf font (no name, size).
FLAG_FILL = cf_fill("F4B084")  # orange: the add-in flagged this cell
FLAG_FONT = Font(bold=True, color="833C0B")  # dark brown, so a flag shows even where fills don't
BAD_FILL = cf_fill("FFC7CE")  # red: a live check is unbalanced
BAD_FONT = Font(bold=True, color="9C0006")
GOOD_FONT = Font(color="006100")

# (fill, Chinese meaning) in the order the cover explains them.
LEGEND = (
    (INPUT_FILL, "浅黄色：需要填写的单元格（只有这些单元格可以输入）"),
    (TOTAL_FILL, "灰色：自动合计（公式），不能修改"),
    (HEADER_FILL, "浅蓝色：官方表格的行列名称，不能修改"),
    (BAD_FILL, "红色：勾稽关系不平衡，旁边有简短说明，请核对相关数字"),
    (FLAG_FILL, "橙色底、深棕色粗体字：年报助手加载项“校验”后标出的有问题的单元格（详见“校验结果”工作表）"),
)

_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)

TITLE_FONT = Font(name=HEI, size=14)
LABEL_FONT = Font(name=SONG, size=10)
HEADER_FONT = Font(name=SONG, size=10, bold=True)
VALUE_FONT = Font(name=SONG, size=11)
TEXT_FONT = Font(name=FANGSONG, size=12)
NOTE_FONT = Font(name=SONG, size=9, italic=True)

CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)

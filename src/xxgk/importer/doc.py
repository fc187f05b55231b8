"""What every reader produces: a published report as an ordered list of paragraphs and table rows.

HTML, .docx and tab-separated text have real cells; text from ``pdftotext -layout`` is split into
cells at runs of spaces. Merged cells (rowspan/colspan) appear once, where they start: a label
that spans rows is found on its first row, and a colspan never duplicates a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PARA = "p"
ROW = "row"


@dataclass
class Item:
    kind: str  # PARA or ROW
    cells: list[str]
    table: int = -1  # which source table a row came from (-1: a text line)
    # Layout text only: the physical line number and each cell's (start, end) column, so a figure
    # wrapped onto the next line in a narrow PDF column can be put back together.
    line: int = -1
    spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(c for c in self.cells if c.strip())


@dataclass
class Document:
    kind: str  # "html", "docx", "text" (tab-separated), "lines" (one cell per line) or "layout" (pdftotext -layout)
    items: list[Item] = field(default_factory=list)
    title_hint: str = ""  # e.g. an HTML <title>

    @property
    def spaces_matter(self) -> bool:
        """Whether spaces inside a label are the author's (not a PDF layout artefact)."""
        return self.kind != "layout"

    @property
    def kind_label(self) -> str:
        return {"html": "网页（HTML）", "docx": "Word 文档（.docx）", "text": "文本（制表符分隔的表格）",
                "lines": "从网页复制的文本（每个单元格一行）",
                "layout": "PDF 提取文本（pdftotext -layout）"}[self.kind]

    def para(self, text: str) -> None:
        text = text.strip()
        if text:
            self.items.append(Item(PARA, [text]))

    def row(self, cells: list[str], table: int, line: int = -1, spans: list[tuple[int, int]] | None = None) -> None:
        if any(c.strip() for c in cells):
            self.items.append(Item(ROW, [c.strip() for c in cells], table, line, spans or []))

"""Published reports made for import tests, the way agencies publish them: portal HTML
(``td``-only tables with rowspan/colspan, headings as ``<p>``), Word documents with merged
cells, tab-separated text. Labels come from the independent oracle (shared/spec/official-labels.json),
never from the project's own format data, so a test compares the importer with the oracle."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from oracle import official_labels


@dataclass
class Cell:
    text: str
    rs: int = 1
    cs: int = 1


Grid = list[list[Cell]]


@dataclass
class Published:
    """A report as an agency would publish it. Table figures are strings as printed."""

    year: int
    agency: str
    version: str  # which oracle format to draw the tables with
    t2: list[list[str]]  # per 表二 row, in oracle order: the printed figures
    t3: list[list[str]]  # per 表三 row, 7 figures
    t4: list[str]  # 15 figures
    preamble: str = ""
    s1: list[str] = field(default_factory=list)  # the intro and （一）…（五） paragraphs, with their markers
    s5: list[str] = field(default_factory=list)
    s6: list[str] = field(default_factory=list)
    headings: list[str] | None = None  # default: the oracle's; None entries drop a part
    relabel: dict[str, str] = field(default_factory=dict)  # official label → printed label
    split_t3_after: int | None = None  # print 表三 as two tables (a page break) after this row
    drop_t3: set[int] = field(default_factory=set)  # 表三 rows (oracle order) left out of the table

    @property
    def oracle(self) -> dict:
        return official_labels()[self.version]

    def label(self, text: str) -> str:
        return self.relabel.get(text, text)

    def heading_list(self) -> list[str | None]:
        return self.headings if self.headings is not None else list(self.oracle["headings"])

    # ------------------------------------------------------------ grids
    def t2_grids(self) -> list[Grid]:
        grids, n = [], 0
        for block in self.oracle["table2"]["blocks"]:
            cols = block["columns"]
            g: Grid = [[Cell(self.label(block["title"]), cs=len(cols))], [Cell(self.label(c)) for c in cols]]
            for row in block["rows"]:
                g.append([Cell(self.label(row)), *(Cell(v) for v in self.t2[n])])
                n += 1
            grids.append(g)
        return grids

    def t3_grids(self) -> list[Grid]:
        o = self.oracle["table3"]
        head: Grid = [
            [Cell(self.label(o["corner_note"]), rs=3, cs=3), Cell(o["column_header"], cs=7)],
            [Cell("自然人", rs=2), Cell("法人或其他组织", cs=5), Cell("总计", rs=2)],
            [Cell(c[-1]) for c in o["columns"][1:6]],
        ]
        rows = [r for n, r in enumerate(o["rows"]) if n not in self.drop_t3]
        figures = [f for n, f in enumerate(self.t3) if n not in self.drop_t3]
        body: Grid = []
        for i, path in enumerate(rows):
            cells: list[Cell] = []
            for level, text in enumerate(path):
                if i and rows[i - 1][: level + 1] == path[: level + 1]:
                    continue  # inside a label merged over the rows above
                span = 1
                while i + span < len(rows) and rows[i + span][: level + 1] == path[: level + 1]:
                    span += 1
                cells.append(Cell(self.label(text), rs=span, cs=3 - level if level == len(path) - 1 else 1))
            body.append(cells + [Cell(v) for v in figures[i]])
        if self.split_t3_after is None:
            return [head + body]
        k = self.split_t3_after
        # A table broken over a page: the second part re-opens its merged labels.
        second = []
        for i, r in enumerate(body[k:], start=k):
            texts = {c.text for c in r}
            missing = [Cell(self.label(t), cs=3 - lv if lv == len(rows[i]) - 1 else 1)
                       for lv, t in enumerate(rows[i]) if self.label(t) not in texts]
            second.append([*missing, *r] if i == k else r)
        first = [[Cell(c.text, min(c.rs, k - i), c.cs) for c in r] for i, r in enumerate(body[:k])]
        return [head + first, second]

    def t4_grid(self) -> Grid:
        cols = self.oracle["table4"]["columns"]
        return [
            [Cell("行政复议", cs=5), Cell("行政诉讼", cs=10)],
            [*(Cell(c[-1], rs=2) for c in cols[:5]), Cell("未经复议直接起诉", cs=5), Cell("复议后起诉", cs=5)],
            [Cell(c[-1]) for c in cols[5:]],
            [Cell(v) for v in self.t4],
        ]

    # ------------------------------------------------------------ HTML
    def html(self, *, wrap_layout_table: bool = True) -> str:
        e = html.escape
        out = ["<!DOCTYPE html><html><head><meta charset=\"utf-8\">",
               f"<title>{e(self.agency)}{self.year}年政府信息公开工作年度报告_政府信息公开</title></head><body>",
               "<div class=\"nav\"><a href=\"/\">首页</a> &gt; <a>政务公开</a> &gt; <a>年度报告</a></div>"]
        if wrap_layout_table:
            out.append("<table width=\"100%\"><tr><td>")
        out.append(f"<p style=\"text-align:center\"><strong>{e(self.agency)}</strong></p>")
        out.append(f"<p style=\"text-align:center\"><strong>{self.year}年政府信息公开工作年度报告</strong></p>")
        for _part, chunk in self._parts():
            for kind, payload in chunk:
                if kind == "h":
                    out.append(f"<p style=\"text-indent:2em\"><strong>{e(payload)}</strong></p>")
                elif kind == "p":
                    out.append(f"<p style=\"text-indent:2em\">{e(payload)}</p>")
                else:
                    for n, grid in enumerate(payload):
                        if n:
                            out.append("<p style=\"text-align:center\">- 4 -</p>")
                        out.append(_html_table(grid))
        if wrap_layout_table:
            out.append("</td></tr></table>")
        out.append("<div class=\"foot\">版权所有：某某市人民政府办公室 网站标识码 1234567890</div></body></html>")
        return "\n".join(out)

    def _parts(self) -> list[tuple[str, list[tuple[str, object]]]]:
        heads = self.heading_list()
        parts: list[tuple[str, list[tuple[str, object]]]] = [("pre", [("p", self.preamble)] if self.preamble else [])]
        bodies = [
            [("p", p) for p in self.s1],
            [("t", [g]) for g in self.t2_grids()],
            [("t", self.t3_grids())],
            [("t", [self.t4_grid()])],
            [("p", p) for p in self.s5],
            [("p", p) for p in self.s6],
        ]
        for h, body in zip(heads, bodies, strict=True):
            parts.append(("part", ([("h", h)] if h else []) + (body if h or (body and body[0][0] == "t") else [])))
        return parts

    # ------------------------------------------------------------ Word
    def docx(self, path: Path) -> Path:
        import docx

        d = docx.Document()
        d.add_paragraph(self.agency)
        d.add_paragraph(f"{self.year}年政府信息公开工作年度报告")
        for _, chunk in self._parts():
            for kind, payload in chunk:
                if kind in ("h", "p"):
                    d.add_paragraph(str(payload))
                else:
                    for grid in payload:
                        _docx_table(d, grid)
        d.save(path)
        return path

    # ------------------------------------------------------------ tab-separated text
    def tab_text(self) -> str:
        lines = [self.agency, f"{self.year} 年政府信息公开工作年度报告", ""]
        for _, chunk in self._parts():
            for kind, payload in chunk:
                if kind in ("h", "p"):
                    lines += [str(payload), ""]
                else:
                    for grid in payload:
                        lines += ["\t".join(row) for row in _positions(grid)]
                        lines.append("")
        return "\n".join(lines) + "\n"


def _html_table(grid: Grid) -> str:
    rows = []
    for r in grid:
        tds = "".join(
            "<td" + (f" rowspan=\"{c.rs}\"" if c.rs > 1 else "") + (f" colspan=\"{c.cs}\"" if c.cs > 1 else "")
            + f">{html.escape(c.text)}</td>" for c in r)
        rows.append(f"<tr>{tds}</tr>")
    return "<table border=\"1\" cellspacing=\"0\">\n" + "\n".join(rows) + "\n</table>"


def _place(grid: Grid) -> tuple[list[tuple[int, int, Cell]], int, int]:
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(grid):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            taken.update((r + i, c + j) for i in range(cell.rs) for j in range(cell.cs))
            c += cell.cs
    height = max(r for r, _ in taken) + 1
    width = max(c for _, c in taken) + 1
    return placed, height, width


def _positions(grid: Grid) -> list[list[str]]:
    """The grid as plain rows, a merged cell's text in its first position (as Word copies it)."""
    placed, h, w = _place(grid)
    rows = [[""] * w for _ in range(h)]
    for r, c, cell in placed:
        rows[r][c] = cell.text
    return rows


def _docx_table(d, grid: Grid) -> None:
    placed, h, w = _place(grid)
    t = d.add_table(rows=h, cols=w)
    for r, c, cell in placed:
        target = t.cell(r, c)
        if cell.rs > 1 or cell.cs > 1:
            target = target.merge(t.cell(r + cell.rs - 1, c + cell.cs - 1))
        target.text = cell.text
    d.add_paragraph("")

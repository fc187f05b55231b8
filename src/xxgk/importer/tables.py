"""Finding the official tables in a document's rows and mapping every figure to its cell key by
normalised labels, never by position alone.

A row is split into label cells and value cells (the cells after its last label). 表三's rows are
matched to the format's rows by their most specific label (``属于国家秘密``), which is unique
within the table; a PDF's wrapped labels are matched against the text around the row. Whatever
cannot be matched or read becomes ``None`` with an ``unread`` note saying why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from functools import cache

from xxgk.importer.doc import ROW, Document, Item
from xxgk.importer.labels import (
    KIND_WORDING,
    ROW_ALIASES,
    canon,
    core,
    is_subsequence,
    tidy,
    variant_kinds,
)
from xxgk.importer.positions import label_pieces, place_by_position
from xxgk.report import CellNote
from xxgk.spec import Axis, Format, Table, available_versions, load_format
from xxgk.values import LABEL_UNVERIFIED, LABEL_VARIANT, UNREAD, Value, normalise

_PLAIN = re.compile(r"^-?\d+(?:\.\d+)?$")
_NUMBER = re.compile(r"^[+\-−]?\d[\d,，]*(?:\.\d+)?$")
_WITH_UNIT = re.compile(r"^[+\-−]?\d[\d,，]*(?:\.\d+)?\s*(?:件|个|条|项|宗|次|万元|元)$")
_DASHES = {"/", "-", "—", "－", "--", "——", "─", "无", "空", "不适用", "N/A", "n/a", "NA", "×", "…"}
_BLOCK_TITLE = re.compile(r"第二十条第\(([一二三四五六七八九十]+)\)项")


def shown(text: str) -> str:
    """A label as found, for a message: white space runs kept (they may be the variant) but
    collapsed to one space."""
    return re.sub(r"\s+", " ", text).strip()


def value_like(cell: str) -> bool:
    s = unicodedata.normalize("NFKC", cell).strip()
    return s == "" or bool(_NUMBER.match(s)) or s in _DASHES or bool(_WITH_UNIT.match(s))


def is_number(cell: str) -> bool:
    return bool(_NUMBER.match(unicodedata.normalize("NFKC", cell).strip()))


@dataclass
class RowView:
    index: int  # position in Document.items
    labels: list[str]
    values: list[str]

    @property
    def own(self) -> str:
        return canon("".join(self.labels))

    @property
    def numbers(self) -> int:
        return sum(is_number(v) for v in self.values)


def split_row(index: int, item: Item) -> RowView:
    cells = item.cells
    last = max((i for i, c in enumerate(cells) if c.strip() and not value_like(c)), default=-1)
    return RowView(index, [c for c in cells[: last + 1] if c.strip()], cells[last + 1 :])


def fit(values: list[str], n: int, trailing_padding: bool | None = None) -> list[str] | None:
    """Exactly ``n`` value cells out of a row's cells after its label, dropping only surplus
    empty cells at either end (tab text and HTML carry empty cells from merged labels and
    trailing tabs). Never drops a figure. Of the ways to cut, the one with the fewest empty
    cells wins; if two differ only in where a blank sits, ``trailing_padding`` (whether this
    document's rows end in an empty cell) decides; without it the row is not read (``None``)."""
    k = len(values) - n
    if k < 0:
        return None
    if k == 0:
        return list(values)
    lead = next((i for i, v in enumerate(values) if v.strip()), len(values))
    trail = next((i for i, v in enumerate(reversed(values)) if v.strip()), len(values))
    lo, hi = max(0, k - trail), min(lead, k)
    if lo > hi:
        return None
    blanks = {s: sum(not v.strip() for v in values[s : s + n]) for s in range(lo, hi + 1)}
    fewest = [s for s, b in blanks.items() if b == min(blanks.values())]
    if len({tuple(values[s : s + n]) for s in fewest}) == 1:
        return list(values[fewest[0] : fewest[0] + n])
    if trailing_padding is None:
        return None
    s = fewest[0] if trailing_padding else fewest[-1]
    return list(values[s : s + n])


def trailing_padding(rows: list[RowView]) -> bool | None:
    """Whether rows with figures in this document mostly end in an empty cell (a trailing tab):
    then an empty last cell is padding, otherwise it is a blank figure."""
    ends = [not r.values[-1].strip() for r in rows if r.values and r.numbers]
    if not ends or sum(ends) * 2 == len(ends):
        return None
    return sum(ends) * 2 > len(ends)


@dataclass
class TableRead:
    """What reading the tables produced: values, notes, and facts for the reading summary."""

    cells: dict[str, Value | None] = field(default_factory=dict)
    notes: list[CellNote] = field(default_factory=list)
    found: list[str] = field(default_factory=list)  # table keys found
    skipped: list[str] = field(default_factory=list)  # rows seen but not matched to the format

    def put(self, fmt: Format, key: str, raw: str) -> None:
        cell = fmt.cells[key]
        plain = raw.strip()
        # A figure printed plainly is clean; only what a person would have to retype is noted.
        n = normalise(Decimal(plain) if _PLAIN.match(plain) else raw, cell.type)
        self.cells[key] = n.value
        if n.problem:
            self.notes.append(CellNote(key, n.problem, raw.strip(), n.fix))

    def unread(self, keys: list[str], raw: str, reason: str) -> None:
        for k in keys:
            self.cells[k] = None
            self.notes.append(CellNote(k, UNREAD, raw, reason))

    def variant(self, table: Table, row_key: str, found: str, official: str, kinds: list[str]) -> None:
        key = table.cell_key(row_key, "") if row_key else table.key
        self.notes.append(CellNote(key, LABEL_VARIANT, shown(found), f"规定写法为“{official}”（{'、'.join(kinds)}）"))


# ------------------------------------------------------------------ locating the tables
@dataclass
class Regions:
    rows: list[RowView]
    t3_start: int | None  # index into rows
    t3_end: int | None
    # Layout text: item index of a row → item indexes of the lines holding the rest of its
    # figures (a number wrapped in a narrow PDF column: "17" over "8" is 178).
    wraps: dict[int, list[int]] = field(default_factory=dict)
    # Rows with a line of short numbers right below them that is not under their figures: the
    # figures may be wrapped in a way that cannot be put back, so the row is not read.
    suspect: set[int] = field(default_factory=set)
    trailing_padding: bool | None = None

    def t3_rows(self) -> list[RowView]:
        if self.t3_start is None or self.t3_end is None:
            return []
        return self.rows[self.t3_start : self.t3_end + 1]


def _wrapped_lines(doc: Document) -> tuple[dict[int, list[int]], set[int]]:
    """Lines of a PDF's text that only continue the figures of the line right above them: all
    short numbers, fewer than that line's, each under one of its figures. Also the rows whose
    next line looks like such a continuation but is not under their figures (suspect)."""
    wraps: dict[int, list[int]] = {}
    suspect: set[int] = set()
    if doc.kind != "layout":
        return wraps, suspect
    origin = None
    for i, it in enumerate(doc.items):
        if it.kind != ROW:
            origin = None
            continue
        prev = doc.items[i - 1] if i else None
        if (origin is not None and prev is not None and prev.kind == ROW and it.line == prev.line + 1
                and all(is_number(c) and len(c) <= 4 for c in it.cells)):
            o = doc.items[origin]
            figures = [sp for c, sp in zip(o.cells, o.spans, strict=True) if is_number(c)]
            if len(it.cells) < len(figures) and all(any(s < ve and e > vs for vs, ve in figures) for s, e in it.spans):
                wraps.setdefault(origin, []).append(i)
                continue
            if len(it.cells) < len(figures) // 2:
                suspect.add(origin)
        origin = i if any(is_number(c) for c in it.cells) else None
    return wraps, suspect


def values_of(doc: Document, regions: Regions, row: RowView, n: int) -> list[str] | None:
    """The ``n`` value cells of ``row`` with any wrapped digits put back; ``None`` if the row does
    not hold ``n`` values."""
    vals = fit(row.values, n, regions.trailing_padding)
    if row.index in regions.suspect:
        return None
    if vals is None or row.index not in regions.wraps:
        return vals
    spans = doc.items[row.index].spans[-n:]
    for j in regions.wraps[row.index]:
        for cell, (s, e) in zip(doc.items[j].cells, doc.items[j].spans, strict=True):
            k = next(k for k, (vs, ve) in enumerate(spans) if s < ve and e > vs)
            vals[k] += cell
    return vals


def why_unread(regions: Regions, row: RowView, n: int, what: str) -> str:
    if row.index in regions.suspect:
        return f"{what}这一行下面紧接着一行零散的数字，可能是数字折行，但位置对不上，无法确定各数值属于哪一列"
    got = len([v for v in row.values if v.strip()])
    return f"{what}这一行读到 {got} 个数值，应有 {n} 个，无法确定各数值属于哪一列"


def locate(doc: Document) -> Regions:
    wraps, suspect = _wrapped_lines(doc)
    skip = {j for js in wraps.values() for j in js}
    rows = [split_row(i, it) for i, it in enumerate(doc.items) if it.kind == ROW and i not in skip]
    start = next((n for n, r in enumerate(rows) if "本年新收" in r.own), None)
    end = None
    if start is not None:
        end = next((n for n in range(start, len(rows)) if "结转下年度" in rows[n].own), None)
        if end is None:  # no 四、结转 row: the table ends at its last row with figures
            with_numbers = [n for n in range(start, len(rows)) if rows[n].numbers >= 3]
            end = with_numbers[-1] if with_numbers else start
    return Regions(rows, start, end, wraps, suspect, trailing_padding(rows))


@cache
def _t2_distinctive_labels() -> dict[str, list[str]]:
    """Per format, the 表二 column and row labels no other format has, even inside a longer label
    ("处理决定数量" is not distinctive: it stands inside 2021's "本年处理决定数量")."""
    def labels(f: Format) -> list[str]:
        return list(dict.fromkeys(a.label for b in f.tables["t2"].blocks for a in (*b.columns, *b.rows)))

    every = {v: labels(load_format(v)) for v in available_versions()}
    return {
        v: [w for w in mine if not any(canon(w) in canon(o) for ov, theirs in every.items() if ov != v for o in theirs)]
        for v, mine in every.items()
    }


def t3_version(regions: Regions) -> str | None:
    """The format of 表三 from its rows' labels: 2021 splits （六） into three rows, 2019 has one."""
    t3 = canon("".join(r.own for r in regions.t3_rows()))
    if "逾期不补正" in t3 or "收费通知" in t3:
        return "2021"
    if "其他处理" in t3:
        return "2019"
    return None


def _t2_labels_found(text: str) -> tuple[str, list[str]] | None:
    for version, labels in _t2_distinctive_labels().items():
        found = [w for w in labels if canon(w) in text]
        if found:
            return version, found
    return None


def t2_version(doc: Document, regions: Regions) -> str | None:
    """The format of 表二 from the labels only one format has, read before 表三 starts."""
    end = regions.rows[regions.t3_start].index if regions.t3_start is not None else len(doc.items)
    found = _t2_labels_found(canon("".join(it.text for it in doc.items[:end] if it.kind == ROW)))
    return found[0] if found else None


def detect_format(doc: Document, regions: Regions, year: int | None) -> tuple[str, str]:
    """("2021" or "2019", the reason in Chinese) from the tables' own shape."""
    t3 = t3_version(regions)
    if t3 == "2021":
        return "2021", "表三（六）其他处理分三项（25 行），为国办公开办函〔2021〕30号格式"
    if t3 == "2019":
        return "2019", "表三（六）其他处理只有一行（23 行），为国办公开办函〔2019〕60号试行格式"
    t2 = _t2_labels_found(canon("".join(it.text for it in doc.items if it.kind == ROW)))
    if t2:
        version, found = t2
        fmt = load_format(version)
        return version, f"表二的栏目（{'、'.join(found[:2])}等）为{fmt.source}格式"
    if year is not None and year <= 2020:
        return "2019", f"表格未能确定格式；按报告年度 {year} 年采用 2019 年试行格式"
    return "2021", "表格未能确定格式；按报告年度采用现行（2021）格式"


@cache
def _row_label_cores() -> tuple[str, ...]:
    """The folded labels of every 表二 and 表三 row, in every format, longest first."""
    cores = {core(a.label) for v in available_versions() for a in (
        *load_format(v).tables["t3"].rows,
        *(r for b in load_format(v).tables["t2"].blocks for r in b.rows))}
    return tuple(sorted((c for c in cores if c), key=len, reverse=True))


# After a figure in prose comes its unit or a date's 年/月/日; after a run-together row's
# figures comes the next label (or the end).
_RUN_IN_FIGURES = r"(\d[\d+\-]*)(?![\d.．]?\d|[件个条篇项宗次人家份余多元万%％年月日号届批天期类])"


def run_together(doc: Document) -> list[str]:
    """Table rows whose figures lost their separators: an official row label followed straight
    by three or more digits (``一、本年新收政府信息公开申请数量160000016``), on a line of its own or,
    in a page kept as one line of text, followed straight by the next label
    (``行政规范性文件1153第二十条…``, ``行政许可97+82179其他…``)."""
    found = []
    for it in doc.items:
        text = canon(it.text)
        if len(text) > 80 or "。" in text:
            found += _run_in_rows(it.text)
            continue
        if any(re.search(re.escape(c) + r"\d{3,}$", text) for c in _row_label_cores()):
            found.append(tidy(it.text))
    return found


def _run_in_rows(text: str) -> list[str]:
    """Run-together rows inside a long line. Separators are kept here (canon would drop them):
    ``行政规范性文件　　13　　8　　49`` is a row whose cells are still apart. Labels of four
    characters or more only: ``其他``/``总计`` start too many words of prose."""
    text = unicodedata.normalize("NFKC", text)
    found = []
    for c in _row_label_cores():
        if len(c) < 4:
            continue
        for m in re.finditer(re.escape(c) + _RUN_IN_FIGURES, text):
            row = m.group()
            if text[m.end():m.end() + 1] == ".":  # "…信息00000003.危及…": the 3 numbers the next row
                row = row[:-1]
            if sum(ch.isdigit() for ch in row[len(c):]) >= 3:
                found.append((m.start(), row))
    return list(dict.fromkeys(row for _, row in sorted(found)))


# ------------------------------------------------------------------ 表三
def read_t3(fmt: Format, doc: Document, regions: Regions, out: TableRead) -> None:
    table = fmt.tables["t3"]
    ncols = len(table.columns)
    region = regions.t3_rows()
    if region and regions.t3_end is not None:
        # A PDF label wrapped below the last row ("继续办" over "理") belongs to the table.
        k = regions.t3_end + 1
        while k < len(regions.rows) and k <= regions.t3_end + 2 and not regions.rows[k].numbers \
                and "行政复议" not in regions.rows[k].own and not doc.spaces_matter:
            region = [*region, regions.rows[k]]
            k += 1
    keys_of = {r.key: [table.cell_key(r.key, c.key) for c in table.columns] for r in table.rows}
    if not region:
        for r in table.rows:
            out.unread(keys_of[r.key], "", "发布稿中没有找到表三（收到和处理政府信息公开申请情况）")
        return
    out.found.append("t3")
    cores = [core(r.labels[-1]) for r in table.rows]
    data = [r for r in region if r.values and (any(v.strip() for v in r.values) or _matches_any(r.own, cores))]
    # Text around each data row (PDF labels wrap above and below their figures).
    gaps_before, gaps_after, raw_before = [], [], []
    positions = [region.index(r) for r in data]
    for n, pos in enumerate(positions):
        prev = positions[n - 1] if n else -1
        nxt = positions[n + 1] if n + 1 < len(positions) else len(region)
        raw_before.append("".join("".join(r.labels) for r in region[prev + 1 : pos]))
        gaps_before.append(canon(raw_before[-1]))
        gaps_after.append(canon("".join("".join(r.labels) for r in region[pos + 1 : nxt])))

    def evidence(i: int, j: int) -> int:
        """2: the row's own label holds the format row's label; 1: the text around it does."""
        if cores[j] and cores[j] in data[i].own:
            return 2
        around = gaps_before[i] + data[i].own + gaps_after[i]
        if cores[j] and (cores[j] in around or is_subsequence(cores[j], around)):
            return 1
        return 0

    def by_labels() -> tuple[list[tuple[int, int, bool]], list[int]]:
        """Rows matched by label: a row's own label may name any format row not yet taken (the
        longest label wins, so 其他法律… is not 其他); text around a row only the next few."""
        pairs, skipped, taken, p = [], [], set(), 0
        for i in range(len(data)):
            own = [j for j in range(len(cores)) if j not in taken and evidence(i, j) == 2]
            if own:
                j = max(own, key=lambda j: (len(cores[j]), -abs(j - p)))
            else:
                near = [j for j in range(p, min(p + 3, len(cores))) if j not in taken and evidence(i, j) == 1]
                if not near:
                    skipped.append(i)
                    continue
                j = near[0]
            pairs.append((i, j, True))
            taken.add(j)
            p = j + 1
        return pairs, skipped

    # (data row, format row, label verified). A table of the right length is read in order when
    # its labels agree; otherwise by labels, and in order only if that fails for a row or two.
    pairs: list[tuple[int, int, bool]] = []
    skipped: list[int] = []
    positional = [(i, i, evidence(i, i) > 0) for i in range(len(data))] if len(data) == len(table.rows) else None
    if positional is not None and all(v for _, _, v in positional):
        pairs = positional
    else:
        pairs, skipped = by_labels()
        if len(pairs) < len(table.rows) and positional is not None and sum(not v for _, _, v in positional) <= 2:
            pairs, skipped = positional, []
    for i in skipped:
        out.skipped.append(f"表三：{tidy(' '.join(data[i].labels)) or '（无标题）'} {' '.join(data[i].values)}".strip())
    matched = {j for _, j, _ in pairs}
    for i, j, verified in pairs:
        row, axis = data[i], table.rows[j]
        vals = values_of(doc, regions, row, ncols)
        raw = " ".join(v for v in row.values if v.strip())
        if vals is None:
            out.unread(keys_of[axis.key], raw,
                       why_unread(regions, row, ncols, "发布稿表三"))
        else:
            for c, v in zip(table.columns, vals, strict=True):
                out.put(fmt, table.cell_key(axis.key, c.key), v)
        found_label = " ".join(row.labels) if doc.spaces_matter else _layout_label(raw_before[i], row)
        if not verified:
            out.notes.append(CellNote(table.cell_key(axis.key, ""), LABEL_UNVERIFIED, tidy(found_label) or "（无标题）",
                                      f"规定的行标题为“{axis.label}”"))
            continue
        _row_variants(out, table, axis, row.labels if doc.spaces_matter else [found_label], doc.spaces_matter)
    for j, axis in enumerate(table.rows):
        if j not in matched:
            out.unread(keys_of[axis.key], "", f"发布稿的表三中找不到“{axis.label}”这一行")
    # The corner note sits in the header rows above the first data row.
    header_rows = regions.rows[max(0, (regions.t3_start or 0) - 8) : regions.t3_start]
    note = next((c for r in header_rows for c in r.labels if "稽关系" in re.sub(r"\s", "", c)), None)
    if note is not None:
        kinds = variant_kinds(note, table.corner_note, spaces_matter=doc.spaces_matter)
        if kinds:
            out.variant(table, "", note, table.corner_note, kinds)


def _matches_any(own: str, cores: list[str]) -> bool:
    return any(c and c in own for c in cores)


def _layout_label(gap_before: str, row: RowView) -> str:
    """The fragment of a wrapped PDF label worth showing: from its numbering on, if it has one."""
    text = gap_before + "".join(row.labels)
    m = re.search(r"[（(][一二三四五六七][）)]|\d\s*[.、]", text)
    return text[m.start():] if m else text


def _row_variants(out: TableRead, table: Table, axis: Axis, labels: list[str], spaces_matter: bool) -> None:
    official = "".join(axis.labels)
    kinds: list[str] = []
    for cell in labels:
        for k in variant_kinds(cell, official, spaces_matter=spaces_matter):
            if k not in kinds:
                kinds.append(k)
    if kinds:
        out.variant(table, axis.key, " ".join(labels), axis.label, kinds)


# ------------------------------------------------------------------ 表二
def read_t2(fmt: Format, doc: Document, regions: Regions, out: TableRead) -> None:
    table = fmt.tables["t2"]
    end = regions.rows[regions.t3_start].index if regions.t3_start is not None else len(doc.items)
    titles: list[tuple[int, str]] = []
    for i, it in enumerate(doc.items[:end]):
        m = _BLOCK_TITLE.search(canon(it.text))
        if m and len(canon(it.text)) < 30:
            titles.append((i, m.group(1)))
    aliases = ROW_ALIASES.get(fmt.version, {})
    any_found = False
    for block in table.blocks:
        ordinal = _BLOCK_TITLE.search(canon(block.title)).group(1)
        at = [n for n, (_, o) in enumerate(titles) if o == ordinal]
        block_keys = [table.cell_key(r.key, c.key) for r in block.rows for c in block.columns]
        if not at:
            out.unread(block_keys, "", f"发布稿中没有找到表二“{block.title}”")
            continue
        any_found = True
        n = at[0]
        start = titles[n][0]
        stop = titles[n + 1][0] if n + 1 < len(titles) else end
        title_item = doc.items[start]
        if title_item.kind == ROW and doc.spaces_matter:
            kinds = variant_kinds(title_item.cells[0] if title_item.cells else "", block.title)
            if kinds:
                out.variant(table, block.rows[0].key, title_item.text, block.title, kinds)
        rows = [split_row(i, doc.items[i]) for i in range(start, stop) if doc.items[i].kind == ROW]
        header = next((r for r in rows if "信息内容" in r.own), None)
        col_ok = _t2_columns(out, table, block, header, doc)
        seen: set[str] = set()
        for n_row, r in enumerate(rows):
            if r is header or not r.labels or "第二十条" in r.own:
                continue
            label = canon(r.labels[-1])
            axis = next((a for a in block.rows if canon(a.label) == label), None)
            if axis is None and not doc.spaces_matter:
                axis = _wrapped_t2_label(block, rows, n_row)
                label = canon(axis.label) if axis is not None else label
            kinds: list[str] = []
            if axis is None:
                official = aliases.get(label)
                axis = next((a for a in block.rows if a.label == official), None)
                if axis is not None:
                    kinds = [KIND_WORDING]
            if axis is None or axis.key in seen:
                if r.values and any(v.strip() for v in r.values):
                    out.skipped.append(f"表二{block.title}：{tidy(' '.join(r.labels))}")
                continue
            seen.add(axis.key)
            kinds += [k for k in variant_kinds(r.labels[-1], axis.label, spaces_matter=doc.spaces_matter) if k not in kinds]
            if kinds:
                out.variant(table, axis.key, r.labels[-1], axis.label, kinds)
            vals = values_of(doc, regions, r, len(block.columns))
            keys = [table.cell_key(axis.key, c.key) for c in block.columns]
            if vals is None:
                out.unread(keys, " ".join(v for v in r.values if v.strip()),
                           why_unread(regions, r, len(block.columns), "发布稿表二"))
                continue
            for c, k, v in zip(block.columns, keys, vals, strict=True):
                if c.key in col_ok:
                    out.put(fmt, k, v)
                else:
                    out.unread([k], v, "这一列的表头与规定的栏目不符，未读取")
        for a in block.rows:
            if a.key not in seen:
                out.unread([table.cell_key(a.key, c.key) for c in block.columns], "",
                           f"发布稿的表二“{block.title}”中找不到“{a.label}”这一行")
    if any_found:
        out.found.append("t2")


def _wrapped_t2_label(block, rows: list[RowView], n: int) -> Axis | None:
    """A PDF row label wrapped in its narrow column ("其他对外管理服务" over "事项"): the label
    joined with the label-only line below or above it, if that is a row of the block."""
    here = "".join(rows[n].labels)
    for other in (rows[n + 1] if n + 1 < len(rows) else None, rows[n - 1] if n else None):
        if other is None or (other.values and any(v.strip() for v in other.values)):
            continue
        joined = canon(here + "".join(other.labels)) if other is not None and other.index > rows[n].index \
            else canon("".join(other.labels) + here)
        axis = next((a for a in block.rows if canon(a.label) == joined), None)
        if axis is not None:
            return axis
    return None


def _t2_columns(out: TableRead, table: Table, block, header: RowView | None, doc: Document) -> set[str]:
    """The keys of the block's columns whose header agrees with the format (by position, each
    checked by its label; a close wording is a variant, a different one is not read)."""
    if header is None:
        return {c.key for c in block.columns}  # no header row: the format's columns, in order
    cells = [c for c in doc.items[header.index].cells if c.strip()]
    at = next((n for n, c in enumerate(cells) if "信息内容" in canon(c)), 0)
    found = cells[at + 1 :]
    ok = set()
    for n, col in enumerate(block.columns):
        if n >= len(found):
            ok.add(col.key)  # headers merged away: keep the format's order
            continue
        got, want = canon(found[n]), canon(col.label)
        if got == want or want in got:
            kinds = variant_kinds(found[n], col.label, spaces_matter=doc.spaces_matter)
            ok.add(col.key)
        elif SequenceMatcher(None, got, want).ratio() >= 0.6:
            kinds = [KIND_WORDING]
            ok.add(col.key)
        else:
            kinds = []
        if kinds:
            out.notes.append(CellNote(table.key, LABEL_VARIANT, shown(found[n]),
                                      f"规定写法为“{col.label}”（{'、'.join(kinds)}）"))
    return ok


# ------------------------------------------------------------------ 表四
def read_t4(fmt: Format, doc: Document, regions: Regions, out: TableRead) -> None:
    table = fmt.tables["t4"]
    keys = [table.cell_key("", c.key) for c in table.columns]
    n = len(keys)
    after = regions.t3_end + 1 if regions.t3_end is not None else 0
    header_at = next((k for k in range(after, len(regions.rows)) if "行政复议" in regions.rows[k].own), None)
    if header_at is None:
        out.unread(keys, "", "发布稿中没有找到表四（行政复议、行政诉讼情况）")
        return
    for k in range(header_at, min(header_at + 12, len(regions.rows))):
        r = regions.rows[k]
        vals = values_of(doc, regions, r, n)
        # A figure row may have blank cells (a portal leaves 0 out); a row of value cells only,
        # exactly as many as 表四 has columns, is the figure row all the same.
        blanks_allowed = not r.labels and r.numbers and len(r.values) == n
        if vals is None and doc.kind == "layout" and not r.labels and r.numbers and r.index not in regions.suspect:
            # A PDF row with blank cells: placed by where its figures stand, if that is exact.
            header = [doc.items[h.index] for h in regions.rows[header_at:k]]
            pieces = label_pieces([c.labels[-1] for c in table.columns])
            vals = place_by_position(header, doc.items[r.index], n, pieces)
            blanks_allowed = vals is not None
        if (r.numbers >= n // 2 or blanks_allowed) and vals is not None:
            out.found.append("t4")
            order = _t4_group_order(table, regions.rows[header_at:k])
            by_group = [c for g in order for c in table.columns if c.key.startswith(g + ".")]
            for col, v in zip(by_group, vals, strict=True):
                out.put(fmt, table.cell_key("", col.key), v)
            return
        if r.numbers >= n // 2:
            out.found.append("t4")
            out.unread(keys, " ".join(v for v in r.values if v.strip()),
                       why_unread(regions, r, n, "发布稿表四"))
            return
    out.unread(keys, "", "发布稿的表四中没有找到数字行")


def _t4_group_order(table: Table, header: list[RowView]) -> list[str]:
    """The three groups of 表四 (行政复议, 未经复议直接起诉, 复议后起诉) in the order the header
    prints them; the format's order unless the header names all three."""
    groups = list(dict.fromkeys(c.key.split(".")[0] for c in table.columns))
    names = {g: canon(next(c for c in table.columns if c.key.startswith(g + ".")).labels[-2]) for g in groups}
    text = "".join(r.own for r in header)
    at = {g: text.find(name) for g, name in names.items()}
    if any(pos < 0 for pos in at.values()):
        return groups
    return sorted(groups, key=lambda g: at[g])


def read_tables(fmt: Format, doc: Document, regions: Regions, versions: dict[str, str] | None = None) -> TableRead:
    """Every table read into ``fmt``'s keys; a table printed in another format (``versions``:
    table key → version) is read by its own labels and merged (:mod:`xxgk.importer.versions`)."""
    from xxgk.importer.versions import merge

    out = TableRead()
    for key, reader in (("t2", read_t2), ("t3", read_t3), ("t4", read_t4)):
        other = (versions or {}).get(key)
        if other is None:
            reader(fmt, doc, regions, out)
            continue
        own = load_format(other)
        read = TableRead()
        reader(own, doc, regions, read)
        merge(out, fmt, own, key, read)
    return out

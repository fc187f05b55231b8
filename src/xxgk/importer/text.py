"""Plain text: tab-separated tables (text copied out of Word or a web page) and text extracted
from PDFs with ``pdftotext -layout`` (columns aligned with spaces, labels wrapped over lines,
page numbers between the lines of a table). A ``.pdf`` is run through pdftotext first."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from xxgk.errors import InputError
from xxgk.importer.copied import cell_gaps, read_cell_lines
from xxgk.importer.doc import Document
from xxgk.importer.sections import heading_key

_PAGE_NUMBER = re.compile(r"^\s*(?:[-—－–]\s*\d{1,4}\s*[-—－–]|第\s*\d{1,4}\s*页(?:\s*(?:[/，,]\s*)?共\s*\d{1,4}\s*页)?)\s*$")
_COLUMN_GAP = re.compile(r"\s{2,}")
_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十][）)]")
_CELL = re.compile(r"\S+(?: \S+)*")  # a cell: text with at most single spaces inside
PDFTOTEXT_TIMEOUT = 120


def decode_text(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:65536]:
        raise InputError(f"{name} 不是文本文件（含有二进制内容）。请选择年报的网页、Word 文档、PDF 或其文本。")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{name} 的文字编码无法识别（不是 UTF-8 或 GBK）。请另存为 UTF-8 文本后再试。")


def read_text(raw: bytes, name: str) -> Document:
    text = decode_text(raw, name).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    if not text.strip():
        raise InputError(f"{name} 是空的，没有内容。")
    lines = text.split("\n")
    if sum("\t" in ln for ln in lines) >= 5:
        return _tab_text(lines)
    if sum(bool(re.search(r"\S {2,}\S", ln)) for ln in lines) >= 5:
        return _layout_text(lines)
    gaps = cell_gaps(lines)
    if gaps is not None:
        return read_cell_lines(lines, *gaps)
    doc = Document("text")
    for ln in lines:
        doc.para(ln)
    return doc


def _tab_text(lines: list[str]) -> Document:
    doc = Document("text")
    table, in_table = 0, False
    for ln in lines:
        if "\t" in ln and not _tab_heading(ln):
            doc.row(ln.split("\t"), table)
            in_table = True
        else:
            if ln.strip() and in_table:
                table += 1
                in_table = False
            doc.para(ln)
    return doc


def _tab_heading(line: str) -> bool:
    """A heading indented or followed by tabs stays a heading; a row whose first cell reads like
    one (``三、本年度办理结果`` then ``2. 重复申请`` and figures) is a table row."""
    cells = [c.strip() for c in line.split("\t") if c.strip()]
    return len(cells) == 1 and heading_key(cells[0]) is not None


def _layout_text(raw_lines: list[str]) -> Document:
    """Outside the tables (before 二 and from 五 on), lines join into paragraphs. Between them
    every line is a table row, its cells split at runs of two or more spaces (with their columns
    kept); prose notes there (a line with 。) stay paragraphs.

    A paragraph starts at a heading, an indented line, a （一） marker, or after blank lines
    that follow a finished sentence or a short line; blank lines around a page number are a page
    break inside a paragraph, not the end of it."""
    page_break = [bool(_PAGE_NUMBER.match(ln)) for ln in raw_lines]
    lines = ["" if pb else ln.rstrip() for ln, pb in zip(raw_lines, page_break, strict=True)]
    keys = [heading_key(ln) if not _COLUMN_GAP.search(ln.strip()) else None for ln in lines]
    start = next((i for i, k in enumerate(keys) if k in ("s2", "s3", "s4")), None)
    first_t2 = next((i for i, ln in enumerate(lines) if "第二十条" in re.sub(r"\s", "", ln)), None)
    if start is None or (first_t2 is not None and first_t2 < start):
        start = first_t2
    end = len(lines)
    if start is not None:
        end = next((i for i in range(start + 1, len(lines)) if keys[i] in ("s5", "s6")), len(lines))
    prose = sorted(len(ln.strip()) for i, ln in enumerate(lines)
                   if ln.strip() and not (start is not None and start <= i < end))
    full = prose[int(len(prose) * 0.8)] if prose else 0  # the length of a full line of prose
    doc = Document("layout")
    para: list[str] = []
    gap, broke, prev = False, False, ""

    def flush() -> None:
        if para:
            doc.para("".join(para))
            para.clear()

    for i, ln in enumerate(lines):
        s = ln.strip()
        if not s:
            gap, broke = True, broke or page_break[i]
            continue
        in_zone = start is not None and start <= i < end
        if keys[i]:
            flush()
            doc.para(s)
        elif in_zone and "。" in s and not re.search(r"\s\s\d", s):
            para.append(s)
        elif in_zone:
            flush()
            cells = list(_CELL.finditer(ln))
            doc.row([m.group(0) for m in cells], 0, line=i, spans=[m.span() for m in cells])
        else:
            ended = prev.endswith(("。", "；", "！", "？", "”", "）", ")")) or len(prev) < 0.7 * full
            if (len(ln) - len(ln.lstrip()) >= 2 or _SUBHEADING.match(s)
                    or (gap and not broke and ended)):
                flush()
            para.append(s)
        gap, broke, prev = False, False, s
    flush()
    return doc


def pdf_to_text(path: Path, name: str) -> bytes:
    exe = shutil.which("pdftotext")
    if exe is None:
        raise InputError(
            f"读取 PDF（{name}）需要 pdftotext 程序（poppler-utils），本机没有安装。请安装后再试"
            "（Debian/Ubuntu：apt-get install poppler-utils；Windows：安装 poppler 并加入 PATH），"
            "或把 PDF 另存为文本后导入。"
        )
    with tempfile.TemporaryDirectory(prefix="xxgk-pdf-") as tmp:
        out = Path(tmp) / "out.txt"
        try:
            proc = subprocess.run([exe, "-layout", "-enc", "UTF-8", str(path), str(out)],
                                  capture_output=True, timeout=PDFTOTEXT_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise InputError(f"{name}：pdftotext 处理超时（{PDFTOTEXT_TIMEOUT} 秒），文件可能损坏。") from None
        if proc.returncode != 0 or not out.exists():
            raise InputError(f"{name} 不是有效的 PDF 文件，或已损坏、加密（pdftotext 无法读取）。请确认文件完整。")
        data = out.read_bytes()
    if not data.replace(b"\f", b"").strip():
        raise InputError(f"{name} 中没有可提取的文字，可能是扫描件（图片）。请使用文字版 PDF、网页或 Word 文档。")
    return data

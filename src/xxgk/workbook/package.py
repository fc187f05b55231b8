"""The cells a report needs, read straight from the .xlsx package (zip + XML).

``openpyxl`` builds an object for every cell of every sheet, every style and every defined name;
reading a report needs only the cells its defined names point to. This module reads
``xl/workbook.xml`` (sheets and names), the needed sheets' XML and, if they refer to it, the
shared strings, and takes exactly those cells, with the meaning ``openpyxl`` gives them (numbers
``int`` or ``float`` as written, formulas as ``"=…"``, the computed value beside). What does not
depend on the file (the names' parse, which cells to take) is computed once per distinct
``workbook.xml`` and kept for the process.

Anything this module does not read the way ``openpyxl`` would — a part cut short, with an
undefined entity, a comment or CDATA, a number that is not a plain number, a date-formatted
number, a shared or array formula in a cell we read, a damaged zip member (bad CRC), an unusual
encoding or layout — raises :class:`Unusual`, and the caller reads the file the general way (so
every refusal stays word for word what it was). The sheets are scanned, not parsed: each text
taken goes through a real XML parser, but markup mangled elsewhere in a sheet, away from every
cell taken, is not noticed (the general reader would refuse such a file as damaged). The caller
has already checked the file at the door (size, zip directory, DTDs) before anything here
inflates a part.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

from lxml import etree

from xxgk import zipparts
from xxgk.layout import column_letter
from xxgk.limits import sheet_bounds

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET = REL + "/worksheet"
STRINGS = REL + "/sharedStrings"
STYLES = REL + "/styles"

Cell = tuple[int, int]  # (row, column), 1-based


class Unusual(Exception):
    """The package holds something this reader does not take exactly as openpyxl would."""


@dataclass(frozen=True)
class Book:
    """What ``workbook.xml`` and its relationships say: the worksheets in order (name, part) and
    the workbook-level defined names (name → reference text)."""

    sheets: tuple[tuple[str, str], ...]
    names: dict[str, str]
    strings: str | None  # the shared strings part
    styles: str | None
    plans: dict[Any, Any]  # per-process memo of what callers derive from the names


@dataclass
class Cells:
    """The cells taken from one sheet: ``values`` as openpyxl reads them without computed values
    (a formula cell is absent), ``formulas`` the formula text of the formula cells taken,
    ``cached`` the computed value of those formula cells (``None`` if none was saved)."""

    values: dict[Cell, Any]
    formulas: dict[Cell, str]
    cached: dict[Cell, Any]


_FAILURES = (KeyError, ValueError, IndexError, zipfile.BadZipFile, OSError, RuntimeError, EOFError, zlib.error,
             ElementTree.ParseError, etree.XMLSyntaxError)


class Package:
    """An open .xlsx package: its :class:`Book` and the cells :meth:`take` is asked for. Every
    failure to read it this way is an :class:`Unusual`; use as a context manager."""

    def __init__(self, path: Any) -> None:
        try:
            self.zip = zipfile.ZipFile(path)
            self.raw = open(path, "rb")  # closed with the zip in __exit__
            self.book = _book(self.read("xl/workbook.xml"), self.read("xl/_rels/workbook.xml.rels"))
            self.date_styles = _date_styles(self.read(self.book.styles) if self.book.styles else b"")
        except _FAILURES as exc:
            raise Unusual(type(exc).__name__) from None
        self.parts = dict(self.book.sheets)
        self.sheets: dict[str, bytes] = {}
        self.strings: _Strings | None = None

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()
        self.raw.close()

    def read(self, name: str) -> bytes:
        """A part, inflated (and its CRC checked) as zipfile would."""
        info = self.zip.getinfo(name)
        data = zipparts.member(self.raw, info)
        return data if data is not None else self.zip.read(info)

    def _strings(self) -> _Strings:
        """The shared strings, read when a cell taken first refers to them."""
        if self.strings is None:
            self.strings = _Strings(_xml(self.read(self.book.strings), b"sst") if self.book.strings else b"")
        return self.strings

    def take(self, sheet: str, cells: tuple[Cell, ...], loose: frozenset[Cell] = frozenset()) -> Cells:
        """``cells`` of ``sheet``, in the order the sheet stores them (row by row). For the
        ``loose`` ones only whether they hold a formula matters, not its text (a total)."""
        try:
            return _take(self._sheet(sheet), cells, self._strings, self.date_styles, loose)
        except _FAILURES as exc:
            raise Unusual(type(exc).__name__) from None

    def check(self, sheet: str) -> None:
        """Look at a sheet nothing is taken from as the general reader would (it reads them all)."""
        try:
            self._sheet(sheet)
        except _FAILURES as exc:
            raise Unusual(type(exc).__name__) from None

    def _sheet(self, sheet: str) -> bytes:
        data = self.sheets.get(sheet)
        if data is None:
            data = _xml(self.read(self.parts[sheet]), b"worksheet")
            # A sheet reaching far out is refused by the general reader, with the limits' message.
            last = data.rfind(b'<row r="')
            if last >= 0 and int(data[last + 8: data.find(b'"', last + 8)]) > sheet_bounds()[0]:
                raise Unusual("extent")
            self.sheets[sheet] = data
        return data


def _xml(data: bytes, root: bytes) -> bytes:
    """``data`` (a part whose root element is ``root``) if it is UTF-8 XML this module can scan
    with plain byte searches: complete (not cut short), no comments, CDATA or processing
    instructions that could hide or fake a cell, no entity but XML's own (a DTD was refused at
    the door). Each text taken is parsed by a real XML parser; anything else is left to the
    general reader, which refuses a damaged file by name."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if data.startswith(b"<?xml", start):
        end = data.find(b"?>", start)
        decl, start = data[start:end], end + 2
        if b"encoding" in decl and not re.search(rb"""encoding\s*=\s*["']utf-8["']""", decl, re.IGNORECASE):
            raise Unusual("encoding")
    if not data[start: start + 100].lstrip().startswith(b"<") or (
            data.count(b"&") != data.count(b"&#") and _BAD_REFERENCE.search(data, start)):
        raise Unusual("markup")
    for m in _ODD_MARKUP.finditer(data, start):
        if not m.group().startswith(b"<v>"):
            raise Unusual("markup")
        # A value that is not a plain number: fine as text, refused the general way in a number cell.
        tag = data[data.rfind(b"<c ", start, m.start()): m.start()]
        if _type(tag[: tag.find(b">")]) not in (b"str", b"e", b"s", b"inlineStr"):
            raise Unusual("value")
    if not data[-200:].rstrip().endswith(b"</" + root + b">"):
        raise Unusual("cut short")
    return data


# A comment, CDATA, DTD or processing instruction (could hide or fake a cell), a <v> with
# attributes, a cell or row whose first attribute is not its address (Excel, WPS, LibreOffice and
# openpyxl all write the address first), a cell beyond column ZZ (ours never are; the general
# reader applies the limits): one pass over the part.
# A <v> whose text is not a plain number or empty (a text result, or anything odd) is looked at
# one by one: the same pass.
_ODD_MARKUP = re.compile(rb"<(?:[!?]|v(?:\s|>(?!-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]{1,2})?</v>|</v>))"
                         rb"|c(?:>|/>|\s(?!r=\")| r=\"[A-Z]{3})|row(?:>|/>|\s(?!r=\")))")
# "&" not starting a character reference or one of XML's five entities (an undefined entity).
_BAD_REFERENCE = re.compile(rb"&(?:[^#lgaq]|l(?!t;)|g(?!t;)|a(?!mp;|pos;)|q(?!uot;))")


# ---------------------------------------------------------------------- workbook.xml
@lru_cache(maxsize=16)
def _book(workbook: bytes, rels: bytes) -> Book:
    root = ElementTree.fromstring(workbook)
    if root.tag != f"{{{MAIN}}}workbook":
        raise Unusual("workbook namespace")
    targets: dict[str, tuple[str, str]] = {}
    for rel in ElementTree.fromstring(rels).iter(f"{{{PKG_REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id", "")] = (rel.get("Type", ""), part)
    sheets = []
    for el in root.iterfind(f"{{{MAIN}}}sheets/{{{MAIN}}}sheet"):
        rid = el.get(f"{{{REL}}}id")
        kind, part = targets[rid] if rid else ("", "")
        if kind != WORKSHEET:  # a chart sheet, a sheet without a part: read the general way
            raise Unusual("sheet kind")
        sheets.append((el.get("name", ""), part))
    names: dict[str, str] = {}
    for el in root.iterfind(f"{{{MAIN}}}definedNames/{{{MAIN}}}definedName"):
        if el.get("localSheetId") is None and el.text:
            names[el.get("name", "")] = el.text
    by_type = {kind: part for kind, part in targets.values()}
    return Book(tuple(sheets), names, by_type.get(STRINGS), by_type.get(STYLES), {})


@lru_cache(maxsize=16)
def _date_styles(styles: bytes) -> frozenset[int]:
    """Indexes of the cell formats that make openpyxl read a number as a date or duration."""
    if b"numFmtId" not in styles:  # also no styles part at all (b"")
        return frozenset()
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    root = ElementTree.fromstring(styles)
    custom = {int(n.get("numFmtId", "0")): n.get("formatCode", "")
              for n in root.iterfind(f"{{{MAIN}}}numFmts/{{{MAIN}}}numFmt")}
    out = set()
    for i, xf in enumerate(root.iterfind(f"{{{MAIN}}}cellXfs/{{{MAIN}}}xf")):
        fid = int(xf.get("numFmtId", "0"))
        code = custom.get(fid) if fid in custom else BUILTIN_FORMATS.get(fid)
        if code and is_date_format(code):
            out.add(i)
    return frozenset(out)


# ---------------------------------------------------------------------- sheets
_NUMBER = re.compile(rb"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]{1,2})?")
_T = re.compile(rb'\st="([^"]*)"')
_S = re.compile(rb'\ss="([0-9]+)"')
_TEXT = re.compile(rb"<t(?:\s[^>]*)?>(.*?)</t>", re.DOTALL)
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.DOTALL)


def _take(data: bytes, cells: tuple[Cell, ...], strings: Callable[[], _Strings], date_styles: frozenset[int],
          loose: frozenset[Cell] = frozenset()) -> Cells:
    start = data.find(b"<sheetData")
    out = Cells({}, {}, {})
    if start < 0:
        if b"sheetData" in data:  # a prefixed namespace (<x:sheetData>)
            raise Unusual("prefix")
        return out
    # Every <v> of a number cell holds a plain number (or nothing): _xml made sure.
    find, values = data.find, out.values
    plain = _PLAIN_NUMBER.match if not date_styles else lambda _data, _at: None
    pos = start
    for cell, token in _tokens(cells):
        i = find(token, pos)
        if i < 0:
            i = find(token, start)  # out of order, or absent (a blank cell)
            if i < 0:
                continue
        else:
            pos = i
        m = plain(data, i)
        if m is not None:  # the commonest cell by far: a number, or blank
            raw = m[1]
            if raw:
                values[cell] = float(raw) if (b"." in raw or b"e" in raw or b"E" in raw) else int(raw)
            continue
        j = find(b">", i)
        if data[j - 1] == 47:  # <c r="D5" s="3"/>
            continue
        k = find(b"</c>", j)
        if k == j + 1:  # <c r="D5" s="3"></c>
            continue
        _cell(cell, data[i + len(token): j], data[j + 1: k], out, strings, date_styles, cell in loose)
    return out


_PLAIN_NUMBER = re.compile(rb'<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?(?: t="n")?(?:/>|>(?:<v>([^<]*)</v>)?</c>)')


@lru_cache(maxsize=64)
def _tokens(cells: tuple[Cell, ...]) -> tuple[tuple[Cell, bytes], ...]:
    """Each cell with the bytes its element starts with (``<c r="D5"``, the quote included)."""
    return tuple((cell, b'<c r="%s%d"' % (column_letter(cell[1]).encode(), cell[0])) for cell in cells)


def _type(attrs: bytes) -> bytes:
    m = _T.search(attrs)
    return m.group(1) if m else b"n"


def _cell(cell: Cell, attrs: bytes, inner: bytes, out: Cells, strings: Callable[[], _Strings],
          date_styles: frozenset[int], loose: bool = False) -> None:
    t = _type(attrs)
    if inner.startswith(b"<f"):
        end = inner.find(b">")
        fattrs = inner[2:end]
        kind = _T.search(fattrs)
        if fattrs.endswith(b"/"):
            text, rest = "", inner[end + 1:]
        else:
            close = inner.find(b"</f>", end)
            text, rest = _text(inner[end + 1: close]), inner[close + 4:]
        if kind and kind.group(1) != b"normal" and not loose:
            # A shared, array or data-table formula: its text as openpyxl gives it (a shared one
            # translated from its first cell) is the general reader's to work out.
            raise Unusual("formula kind")
        out.formulas[cell] = "=" + text
        out.cached[cell] = _value(t, attrs, rest, strings, date_styles)
        return
    value = _value(t, attrs, inner, strings, date_styles)
    if value is not None:
        out.values[cell] = value


def _value(t: bytes, attrs: bytes, inner: bytes, strings: Callable[[], _Strings], date_styles: frozenset[int]) -> Any:
    if t == b"inlineStr":
        if not inner.startswith(b"<is"):
            if inner.startswith(b"<v>") or not inner:
                return None
            raise Unusual("inline string")
        return _rich(inner)
    if not inner.startswith(b"<v>"):
        if not inner or inner == b"<v/>":
            return None
        raise Unusual("cell content")
    raw = inner[3: inner.find(b"</v>")]
    if not raw:
        return None
    if t == b"n":
        s = _S.search(attrs)
        if s and int(s.group(1)) in date_styles:
            raise Unusual("date")
        if not _NUMBER.fullmatch(raw):
            raise Unusual("number")
        return float(raw) if (b"." in raw or b"e" in raw or b"E" in raw) else int(raw)
    if t == b"s":
        return strings()[int(raw)]
    if t in (b"str", b"e"):
        return _text(raw)
    if t == b"b":
        return bool(int(raw))
    raise Unusual("cell type")


@lru_cache(maxsize=256)  # a text and its draft are often the same
def _text(raw: bytes) -> str:
    """An element's text as an XML parser gives it (line ends normalised, references expanded)."""
    if b"&" in raw or b"\r" in raw or b"<" in raw:
        # Builders write Chinese as character references: one C-level parse beats a callback each.
        return etree.fromstring(b"<t>%s</t>" % raw, _PARSER).text or ""
    return raw.decode("utf-8")


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _rich(inner: bytes) -> str:
    """The text of a string item (plain or rich text runs; phonetic runs left out, as openpyxl does)."""
    if b"<rPh" in inner:
        inner = _PHONETIC.sub(b"", inner)
    return "".join(_text(t) for t in _TEXT.findall(inner))


_SI = re.compile(rb"<si>(.*?)</si>|<si/>", re.DOTALL)


class _Strings:
    """The shared strings, parsed only as far as the cells taken need."""

    def __init__(self, data: bytes) -> None:
        self.items = _SI.findall(data)
        if len(self.items) != data.count(b"<si"):
            raise Unusual("shared strings")
        self.parsed: dict[int, str] = {}

    def __getitem__(self, i: int) -> str:
        s = self.parsed.get(i)
        if s is None:
            s = self.parsed[i] = _rich(self.items[i]).replace("x005F_", "")
        return s

"""Reading published reports back: HTML pages, Word documents, PDF (via ``pdftotext -layout``)
and plain text with tab-separated tables, in the 2021 format or the 2019 trial format.

:func:`import_report` returns an :class:`ImportResult`: the :class:`~xxgk.report.Report` plus a
reading summary (tables found, cells read and missing, sections found, label variants). Nothing
is guessed silently: a figure that cannot be read is ``None`` with an ``unread`` note that says
why, and each label written differently from the format is a note the rules report as a 提示.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from xxgk.errors import InputError, unreadable
from xxgk.importer.doc import Document
from xxgk.importer.sections import headings_run_in, read_sections, signed_agency
from xxgk.importer.tables import Regions, detect_format, locate, read_tables, run_together
from xxgk.report import Report
from xxgk.spec import available_versions, format_for_year, load_format
from xxgk.values import FORM_VERSION, LABEL_UNVERIFIED, LABEL_VARIANT, NORMALISED, UNREAD

MAX_IMPORT_BYTES = 20 * 1024 * 1024  # a published report is well under 5 MB, PDFs included
SUFFIXES = {".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html", ".docx": "docx",
            ".txt": "text", ".text": "text", ".pdf": "pdf"}
OLD_OFFICE = {".doc", ".wps", ".et", ".xls", ".rtf"}

__all__ = ["MAX_IMPORT_BYTES", "OLD_OFFICE", "SUFFIXES", "ImportResult", "import_document", "import_report"]


@dataclass
class ImportResult:
    report: Report
    source: str
    kind: str  # the document kind, in Chinese
    format_reason: str
    tables_found: list[str] = field(default_factory=list)
    skipped_rows: list[str] = field(default_factory=list)

    # ------------------------------------------------------------ counts
    @property
    def cells_total(self) -> int:
        return len(self.report.cells)

    @property
    def cells_read(self) -> int:
        return sum(v is not None for v in self.report.cells.values())

    @property
    def cells_unread(self) -> list[str]:
        return [n.key for n in self.report.notes if n.problem == UNREAD]

    @property
    def cells_blank(self) -> list[str]:
        noted = {n.key for n in self.report.notes}
        return [k for k, v in self.report.cells.items() if v is None and k not in noted]

    @property
    def cells_rejected(self) -> list[str]:
        return [n.key for n in self.report.notes
                if n.problem not in (UNREAD, LABEL_VARIANT, LABEL_UNVERIFIED, FORM_VERSION, NORMALISED)
                and self.report.cells.get(n.key) is None]

    @property
    def cells_other_format(self) -> list[str]:
        """The report's cells that a table printed in another format version does not have."""
        return [n.key for n in self.report.notes if n.problem == FORM_VERSION and n.key in self.report.cells]

    @property
    def tables_other_format(self) -> dict[str, str]:
        """{table key: the format version it is printed in}, for tables not in the report's format."""
        return {n.key: n.raw for n in self.report.notes if n.problem == FORM_VERSION and n.key not in self.report.cells}

    @property
    def variants(self) -> list[tuple[str, str]]:
        return [(n.raw, n.fix) for n in self.report.notes if n.problem == LABEL_VARIANT]

    @property
    def unverified(self) -> list[str]:
        return [n.key for n in self.report.notes if n.problem == LABEL_UNVERIFIED]

    @property
    def sections_found(self) -> list[str]:
        return list(self.report.headings or [])

    @property
    def sections_missing(self) -> list[str]:
        found = {h.split("、")[0] for h in self.sections_found}
        return [h.label for h in self.report.spec.headings if h.label.split("、")[0] not in found]

    @property
    def texts_found(self) -> list[str]:
        return [k for k, v in self.report.texts.items() if v.strip()]

    def summary_text(self) -> str:
        r, fmt = self.report, self.report.spec
        shorts = [fmt.tables[t].short for t in self.tables_found]
        missing_tables = [t.short for k, t in fmt.tables.items() if k not in self.tables_found]
        lines = [
            f"读取：{r.agency or '（未识别出机关名称）'} {r.year} 年度报告（{self.source}，{self.kind}）",
            f"格式：{fmt.source}《{fmt.name}》——{self.format_reason}",
            f"表格：找到 {'、'.join(shorts) or '无'}" + (f"；未找到 {'、'.join(missing_tables)}" if missing_tables else ""),
            f"单元格：共 {self.cells_total} 个，读到 {self.cells_read} 个，空白 {len(self.cells_blank)} 个，"
            f"无法读取 {len(self.cells_unread)} 个，内容不是合格数字 {len(self.cells_rejected)} 个"
            + (f"，发布稿的表格格式中没有 {len(self.cells_other_format)} 个" if self.cells_other_format else ""),
            f"部分：找到 {len(self.sections_found)} 个（{'；'.join(self.sections_found) or '无'}）"
            + (f"；缺少 {'；'.join(self.sections_missing)}" if self.sections_missing else ""),
            f"正文：读到 {len(self.texts_found)} 段（{'、'.join(fmt.texts[k].label for k in self.texts_found) or '无'}）",
        ]
        if not self.tables_found:
            lines.append("提示：没有找到任何统计表格。从网页复制的文字常把表格的单元格连在一起、丢失结构；"
                         "请改用网页原文件（.html）、Word 文档或 PDF。")
        for t, v in self.tables_other_format.items():
            other = load_format(v)
            lines.append(f"格式不一：{fmt.tables[t].short}按{other.source}格式印制，已按其标签读取并对应到本报告的格式"
                         "（校验结果中列为 FORM-VERSION）")
        if self.variants:
            lines.append(f"标签写法：{len(self.variants)} 处与规定写法不同，已按规定写法对应（校验结果中列为提示）")
        if self.unverified:
            lines.append(f"行标题：{len(self.unverified)} 行未能核对标题，按位置读取（校验结果中列为提示）")
        if self.skipped_rows:
            lines.append(f"未对应的行：{len(self.skipped_rows)} 行未能对应到规定的行，未读取："
                         + "；".join(self.skipped_rows[:5]) + ("……" if len(self.skipped_rows) > 5 else ""))
        fee = r.facts.get("fees.collected")
        if fee is not None:
            lines.append(f"信息处理费：从“六”中读到本年实际收取 {fee} 元")
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "format": self.report.format,
            "format_reason": self.format_reason,
            "agency": self.report.agency,
            "year": self.report.year,
            "tables_found": list(self.tables_found),
            "cells_total": self.cells_total,
            "cells_read": self.cells_read,
            "cells_blank": self.cells_blank,
            "cells_unread": self.cells_unread,
            "cells_other_format": self.cells_other_format,
            "tables_other_format": self.tables_other_format,
            "sections_found": self.sections_found,
            "sections_missing": self.sections_missing,
            "texts_found": self.texts_found,
            "label_variants": [{"found": a, "official": b} for a, b in self.variants],
            "skipped_rows": list(self.skipped_rows),
        }


def import_report(path: str | Path) -> ImportResult:
    """See :func:`_import_report`; a file the system will not let us read is refused by name."""
    try:
        return _import_report(path)
    except OSError as exc:
        raise unreadable(path, exc) from None


def _import_report(path: str | Path) -> ImportResult:
    """Read the published report in ``path`` (.html/.htm, .docx, .txt, .pdf).

    Input that is not a report (or not readable) raises :class:`InputError` with a Chinese
    message; problems *in* the report are left for the rules."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise InputError(f"找不到文件：{path}。请检查路径和文件名。")
    if path.is_dir():
        raise InputError(f"{path} 是文件夹，不是文件。请指定已发布的年报文件。")
    from xxgk.fileio import note_input

    note_input(path)
    suffix = path.suffix.lower()
    if suffix in OLD_OFFICE:
        raise InputError(f"{name}（{suffix}）是旧版 Office/WPS 格式，不能直接读取。请在 Word/WPS 中另存为 .docx，"
                         "或将网页另存为 .html 后再导入。")
    if suffix not in SUFFIXES:
        raise InputError(f"不能读取 {name}（{suffix or '无扩展名'}）。可导入的已发布年报：网页（.html/.htm）、"
                         "Word 文档（.docx）、PDF（.pdf）、文本（.txt）。")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{name} 是空文件（0 字节），没有可读取的内容。")
    if size > MAX_IMPORT_BYTES:
        raise InputError(f"{name} 有 {size / 1024 / 1024:.0f} MB，远大于任何已发布的年报（通常不到 5 MB），未读取。"
                         "请确认选择的文件是否正确。")
    from xxgk.limits import check_file

    check_file(path)  # a .docx bomb is refused from its zip directory, before python-docx inflates it
    kind = SUFFIXES[suffix]
    if kind == "pdf":
        from xxgk.importer.text import pdf_to_text

        raw = pdf_to_text(path, name)
        kind = "text"
    else:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"无法读取 {name}（{exc.strerror}）。请检查文件权限。") from None
    return import_document(_read(raw, name, kind), name)


def _read(raw: bytes, name: str, kind: str) -> Document:
    if kind == "html":
        from xxgk.importer.html import read_html

        return read_html(raw, name)
    if kind == "docx":
        from xxgk.importer.docx import read_docx

        return read_docx(raw, name)
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<table" in head:
        from xxgk.importer.html import read_html  # a web page saved with another extension

        return read_html(raw, name)
    from xxgk.importer.text import read_text

    return read_text(raw, name)


def import_document(doc: Document, name: str) -> ImportResult:
    """Turn a read document into a report and its reading summary."""
    regions = locate(doc)
    from xxgk.importer.sections import find_title

    year, _, _ = find_title(doc)
    if year is None:
        year = _period_year(doc)
    version, reason = detect_format(doc, regions, year)
    version, reason, others = _mixed_versions(doc, regions, year, version, reason)
    fmt = load_format(version)
    subtopics = [f"s1.{s.key}" for s in fmt.subtopics]
    sec = read_sections(doc, subtopics, [h.label for h in fmt.headings])
    tables = read_tables(fmt, doc, regions, others)
    together = run_together(doc)
    if len(together) >= 2 and "t3" not in tables.found:
        raise InputError(
            f"{name} 中表格每一行的数字连在了一起（例如“{_longest_run(together)}”），分不清哪个数字属于哪一格，"
            "因此不读取这些表格（不按猜测拆分数字）。这通常是从网页复制文字时丢失了表格的分隔。"
            "请改用网页原文件（.html）、Word 文档（.docx）或 PDF 再导入。"
        )
    # Without a table, a document is taken for a report only if it has its title and the
    # parts' headings: "一、总体情况" alone starts many a work summary.
    looks_like = bool(tables.found) or len(sec.headings) >= 4 or (len(sec.headings) >= 2 and sec.year is not None)
    run_in = [] if looks_like else headings_run_in(doc, [h.label for h in fmt.headings])
    if len(run_in) >= 3 and not tables.found:
        # The parts' official headings are all there, run into the text, with no table between
        # them: a report whose tables were images on its page, or were lost when it was kept.
        raise InputError(
            f"{name} 是政府信息公开工作年度报告（有“{'”“'.join(run_in[:3])}”等部分的标题），但文件中没有"
            f"年报的统计表格：{'、'.join(t.short for t in fmt.tables.values())}的数字都不在文字里"
            "（网页上的表格可能是图片，或在复制、保存文字时丢失了）。"
            "请改用带表格的网页原文件（.html）、Word 文档（.docx）或 PDF 再导入，"
            "或在年报工作簿中填写表格后再检查。"
        )
    if not looks_like and year is not None and "政府信息公开" in "".join(it.text for it in doc.items[:80]):
        _refuse_if_too_early(name, year)  # a report of the years before the table formats
    if not looks_like:
        raise InputError(
            f"{name} 看起来不是政府信息公开工作年度报告：没有找到“一、总体情况”等六个部分的标题，"
            "也没有找到年报的统计表格。请确认选择的文件是否正确。"
        )
    year = sec.year or year
    if year is None:
        raise InputError(f"{name}：无法确定报告年度（标题中没有“XXXX年政府信息公开工作年度报告”，正文中也没有统计期限）。"
                         "请确认文件是完整的年报。")
    if not 1990 <= year <= 2100:
        raise InputError(f"{name}：标题中的年度 {year} 不合理，请确认文件是否正确。")
    _refuse_if_too_early(name, year)
    report = Report(year=year, agency=sec.agency or signed_agency(doc), format=version)
    report.cells.update(tables.cells)
    report.notes = list(tables.notes)
    for key, paras in sec.texts.items():
        if key in fmt.texts:
            report.texts[key] = "\n".join(paras)
    report.headings = list(sec.headings)
    fee = _fee_collected(report)
    if fee is not None:
        report.facts["fees.collected"] = fee
    return ImportResult(report=report, source=name, kind=doc.kind_label, format_reason=reason,
                        tables_found=[t for t in ("t2", "t3", "t4") if t in tables.found],
                        skipped_rows=tables.skipped)


def _mixed_versions(doc: Document, regions: Regions, year: int | None, version: str,
                    reason: str) -> tuple[str, str, dict[str, str]]:
    """(report version, reason, {table: its own version}) when the tables are printed in
    different format versions: the report takes the version of its year if one of its tables is
    in it (the rest are read by their own labels and mapped), else that of 表三."""
    from xxgk.importer.versions import table_versions

    own = table_versions(doc, regions)
    if len(set(own.values())) < 2:
        return version, reason, {}
    if year is not None:
        try:
            right = format_for_year(year).version
        except InputError:  # a year no format covers is refused later, with its own message
            right = version
        version = right if right in own.values() else version
    names = "，".join(f"{load_format(v).tables[t].short}为{load_format(v).source}格式" for t, v in own.items())
    fmt = load_format(version)
    reason = f"各表格式不一（{names}）；报告按{fmt.source}格式读取，其他格式的表格按其自身的标签读取后对应"
    return version, reason, {t: v for t, v in own.items() if v != version}


def _refuse_if_too_early(name: str, year: int) -> None:
    first = min(load_format(v).first_year for v in available_versions())
    if year < first:
        raise InputError(f"{name} 是 {year} 年度的年报。{first} 年以前的年报使用更早的格式（表格不同），本工具不能读取。")


def _longest_run(lines: list[str]) -> str:
    """The line whose run of figures is longest: the clearest example to show."""
    return max(lines, key=lambda t: len(re.search(r"\d*$", t).group()))


def _period_year(doc: Document) -> int | None:
    for it in doc.items[:80]:
        m = re.search(r"统计(?:期限|期间|时限|时间)[^。]{0,12}?((?:19|20)\d{2})\s*年", it.text)
        # "涵盖我厅2018年1月1日至2018年12月31日期间…": the period itself, without its name.
        m = m or re.search(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起\s*)?至\s*\1\s*年\s*12\s*月\s*31\s*日", it.text)
        if m:
            return int(m.group(1))
    return None


def _fee_collected(report: Report) -> Decimal | None:
    """The fee actually collected, when 六 states it once and plainly (an amount, or none)."""
    from xxgk.rules.prose import compact, fee_amounts, fee_none

    text = compact("\n".join(report.texts.get(k, "") for k in ("s6.fees", "s6.other")))
    if "处理费" not in text:
        return None
    amounts = {a for _, a in fee_amounts(text)}
    zero = fee_none(text)
    if len(amounts) == 1 and not zero:
        return amounts.pop()
    if zero and not amounts:
        return Decimal(0)
    return None

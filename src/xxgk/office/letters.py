"""整改通知: one .docx per agency listing its open findings (待核实 / 确认有误), in the report's
GB/T 9704 style (page, fonts and paragraph styles reused from :mod:`xxgk.export.docx`)."""

from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from xxgk.export import docx as style
from xxgk.fileio import free_name, write_atomic
from xxgk.office.reading import OUTPUT_MARK
from xxgk.office.tables import OfficeTables

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
SENDER = "政务公开工作主管部门"


def build_letter(agency: str, findings: list[dict], sender: str = SENDER, date: str = "") -> bytes:
    doc = Document()
    style._setup_styles(doc)
    style._setup_page(doc)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    years = sorted({f["year"] for f in findings})
    which = "、".join(str(y) for y in years)
    doc.add_paragraph(f"关于{which}年度政府信息公开工作年度报告", style="Title")
    doc.add_paragraph("有关问题的整改通知", style="Title")
    doc.add_paragraph("", style="Normal")
    p = doc.add_paragraph(f"{agency}：", style="Normal")
    p.paragraph_format.first_line_indent = 0
    errors = sum(f["severity"] == "error" for f in findings)
    style._body(doc, f"经审核，你单位{which}年度政府信息公开工作年度报告存在以下 {len(findings)} 处问题"
                     f"（其中错误 {errors} 处、提示 {len(findings) - errors} 处）。请逐项核实整改，"
                     "错误须改正后重新发布；提示请核实，确属正常的请说明理由。")
    for n, f in enumerate(findings, 1):
        kind = "错误" if f["severity"] == "error" else "提示"
        where = "、".join(json.loads(f["addresses"]))
        text = f"{n}. 【{kind}】{f['message']}" + (f"（位置：{where}）" if where else "") + f"（编号 {f['ref']}）"
        if f["note"]:
            text += f" 审核意见：{f['note']}"
        style._body(doc, text)
    style._body(doc, "请于收到本通知之日起 10 个工作日内完成整改，并将整改情况报送我单位。")
    doc.add_paragraph("", style="Normal")
    today = time.localtime()
    for line in (sender, date or f"{today.tm_year}年{today.tm_mon}月{today.tm_mday}日"):
        p = doc.add_paragraph(line, style="Normal")
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = style.INDENT * 2
    props = doc.core_properties
    props.title = f"{agency}政府信息公开工作年度报告整改通知"
    props.author = sender
    props.language = "zh-CN"
    props.keywords = OUTPUT_MARK
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def write_letters(t: OfficeTables, folder: Path) -> list[Path]:
    """One letter per agency with open findings; existing files are never replaced."""
    from xxgk.export import output_folder

    output_folder(folder, what="整改通知", option="--letters")
    out = []
    names = {}
    for rep in t.reports:
        names[rep["agency_key"]] = rep["agency"]
    for key, agency in sorted(names.items()):
        findings = t.open_findings(key)
        if not findings:
            continue
        stem = _UNSAFE.sub("_", agency)[:80] or "未署名单位"
        out.append(write_atomic(free_name(folder / f"{stem}-整改通知.docx"), build_letter(agency, findings)))
    return out

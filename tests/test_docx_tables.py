"""Issue 12: the .docx tables written in one pass are the tables python-docx wrote cell by cell
(``tests/old_docx_table.py``): the same XML for every table of every kind of report, bar the
widths of vertically merged continuation cells (now their real widths; Word and LibreOffice lay
fixed tables out from the grid columns)."""

from __future__ import annotations

import pytest
from lxml import etree

import old_docx_table
from fixtures import huaian_2024
from xxgk.examples import load_example
from xxgk.export import docx
from xxgk.report import Report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _tables(report: Report) -> list[bytes]:
    body = docx.build(report).element.body
    out = []
    for tbl in body.iter(f"{W}tbl"):
        for tc in tbl.iter(f"{W}tc"):
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            if merge is not None and merge.get(f"{W}val") is None:  # a continuation cell
                width = tc.find(f"{W}tcPr/{W}tcW")
                width.set(f"{W}w", "continued")
        out.append(etree.tostring(tbl, method="c14n"))
    return out


def _blank_2019() -> Report:
    return Report.blank(2020, "某县人民政府办公室")


def _odd_texts() -> Report:
    report = load_example()
    report.agency = " 保定市\t科学技术局 "
    return report


@pytest.mark.parametrize("make", [load_example, huaian_2024, _blank_2019, _odd_texts,
                                  lambda: Report.blank(2024, "")], ids=["example", "huaian", "2019", "odd", "blank"])
def test_one_pass_tables_are_the_python_docx_tables(make, monkeypatch: pytest.MonkeyPatch) -> None:
    report = make()
    new = _tables(report)
    with monkeypatch.context() as m:
        m.setattr(docx, "_table", old_docx_table._table)
        old = _tables(report)
    assert len(new) == len(old) >= 3
    for a, b in zip(new, old, strict=True):
        assert a == b


@pytest.mark.parametrize("text", ["", "一二三", " 前后有空格 ", "甲\t乙", "第一行\n第二行\r\n第三行\r", "<&>\"'"])
def test_run_content_is_what_python_docx_writes(text: str) -> None:
    from docx import Document

    def shape(r) -> list:
        return [(child.tag, dict(child.attrib), child.text) for child in r]

    run = Document().add_paragraph().add_run(text)
    ours = etree.fromstring(f'<w:r xmlns:w="{W[1:-1]}">{docx._run_content(text)}</w:r>')
    assert shape(ours) == shape(run._r)

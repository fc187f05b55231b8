"""The office's outputs: the dashboard page in headless Chromium (self-contained, sortable,
charts), the summary workbook's protection and validation, and the 整改通知 letters."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from office_region import agency_names, make_region, write_region
from xxgk.cli import main
from xxgk.office.summary_xlsx import FINDINGS_SHEET

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]
N = 12


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("office")
    region = make_region(N)
    # A text from a report that would be a formula or markup if written carelessly.
    hostile = region[(agency_names(N)[2], 2024)]
    hostile.agency = '=HYPERLINK("http://x","点我")<script>alert(1)</script>'
    write_region(tmp / "in", region)
    (tmp / "名单.csv").write_text("单位,级别,上级\n" + "".join(f"{n},乡镇,示范县\n" for n in agency_names(N))
                                  + "示范县未报送局,县级部门,示范县\n", encoding="utf-8")
    rc = main(["audit", str(tmp / "in"), "--db", str(tmp / "审核.sqlite"), "--roster", str(tmp / "名单.csv"),
               "--to", str(tmp / "汇总.html"), "--to", str(tmp / "汇总.xlsx"), "--letters", str(tmp / "通知")])
    assert rc == 1
    return tmp


def test_dashboard_is_self_contained(outputs):
    page = (outputs / "汇总.html").read_text(encoding="utf-8")
    assert not re.search(r'(src|href)\s*=\s*["\']?(https?:)?//', page)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)" in page
    assert page.count("<svg") >= 3 and "示范县未报送局" in page
    # The region tree rolled up for 2024: 13 on the roster under 示范县; 11 reported (one with an
    # 错误); missing: the department that never reports and the agency whose 2024 report is
    # signed with another name.
    assert re.search(r"<td>示范县</td><td class=\"n\">2024</td><td class=\"n\">13</td><td class=\"n\">11</td>"
                     r"<td class=\"n\">1</td><td class=\"n\">2</td>", page)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_dashboard_sorts_in_headless_chromium(outputs, tmp_path):
    page = (outputs / "汇总.html").read_text(encoding="utf-8")
    # Click the 申请量 heading twice (descending) the way a person would, then note the order.
    probe = """<script>
    var th = Array.from(document.querySelectorAll('#summary th')).find(function (h) { return h.textContent === '申请量'; });
    th.click(); th.click();
    document.body.setAttribute('data-order', Array.from(document.querySelectorAll('#summary tbody tr'))
      .map(function (tr) { return parseFloat(tr.cells[th.cellIndex].textContent) || 0; }).join(','));
    </script></body>"""
    (tmp_path / "probe.html").write_text(page.replace("</body>", probe), encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        base = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}"]
        dom = subprocess.run([*base, "--dump-dom", (tmp_path / "probe.html").as_uri()], capture_output=True,
                             text=True, timeout=120, check=True).stdout
        shot = tmp_path / "shot.png"
        subprocess.run([*base, f"--screenshot={shot}", "--window-size=1280,1600", (outputs / "汇总.html").as_uri()],
                       capture_output=True, timeout=120, check=True)
    order = [float(x) for x in re.search(r'data-order="([^"]*)"', dom).group(1).split(",")]
    assert len(order) == 2 * N and order == sorted(order, reverse=True) and order[0] > order[-1]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000


def test_summary_workbook_protected_with_status_to_fill(outputs):
    wb = load_workbook(outputs / "汇总.xlsx")
    assert wb.sheetnames[:4] == ["汇总", FINDINGS_SHEET, "两年对比", "未报送"]
    ws = wb[FINDINGS_SHEET]
    header = [c.value for c in ws[1]]
    status, note, message = (header.index(h) + 1 for h in ("状态", "备注", "问题说明"))
    assert ws.protection.sheet and ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert not ws.cell(2, status).protection.locked and not ws.cell(2, note).protection.locked
    assert ws.cell(2, message).protection.locked
    rules = ws.data_validations.dataValidation
    assert any(dv.type == "list" and "确认有误" in dv.formula1 and f"{ws.cell(2, status).column_letter}2" in str(dv.sqref)
               for dv in rules)
    for name in wb.sheetnames:
        assert wb[name].protection.sheet, name
        for row in wb[name].iter_rows():
            for c in row:  # report texts are hostile: never a formula
                assert c.data_type != "f", (name, c.coordinate, c.value)
    agencies = [c.value for c in wb["汇总"]["A"][1:]]
    assert '=HYPERLINK("http://x","点我")<script>alert(1)</script>' in agencies


def test_letters_one_per_agency_with_open_findings(outputs):
    letters = sorted((outputs / "通知").glob("*.docx"))
    names = agency_names(N)
    wanted = {names[3], names[5], names[6], names[8], names[9]}  # an 错误 or copied text
    assert {p.name.removesuffix("-整改通知.docx") for p in letters} == wanted
    doc = Document(str(outputs / "通知" / f"{names[3]}-整改通知.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert text.startswith("关于2023、2024年度政府信息公开工作年度报告") and f"{names[3]}：" in text
    assert "【错误】" in text and "表三!" in text
    assert re.search(r"政务公开工作主管部门\n\d{4}年\d{1,2}月\d{1,2}日$", text)
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.top_margin.mm) == 37


def test_committed_office_figures_exist():
    docs = Path(__file__).resolve().parents[1] / "docs"
    for name in ("office-dashboard.png", "office-workbook.png"):
        data = (docs / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, name


def test_outputs_in_the_input_folder_are_not_taken_for_reports(outputs, capsys):
    # The summary, dashboard and letters written inside the folder audited.
    import shutil as sh

    folder = outputs / "in"
    for name in ("汇总.xlsx", "汇总.html"):
        sh.copy(outputs / name, folder / name)
    sh.copytree(outputs / "通知", folder / "通知")
    capsys.readouterr()
    assert main(["audit", str(folder), "--db", str(outputs / "审核.sqlite")]) == 1
    out, err = capsys.readouterr()
    assert f"共 {2 * N} 份文件" in out and "无法读取" not in out + err

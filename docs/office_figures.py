"""Regenerate the README's collecting-office figures: docs/office-dashboard.png (the 汇总.html
page in headless Chromium) and docs/office-workbook.png (the 问题清单 sheet of 汇总.xlsx,
LibreOffice rendering), from a region of 24 agencies × 2 years made from the examples
(tests/office_region.py) with a roster and two reviewers' decisions.

    python docs/office_figures.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from figures import CHROMIUM_FLAGS  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from office_region import agency_names, make_region, write_region  # noqa: E402
from support import soffice_convert  # noqa: E402
from xxgk.cli import main as xxgk  # noqa: E402


def crop_png(pdf: Path, out: Path, dpi: int, margin: float = 6.0) -> None:
    """Page 1 of ``pdf`` as a PNG cut to the printed content (found with pdftotext -bbox)."""
    import re

    boxes = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout
    words = [tuple(map(float, m)) for m in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', boxes)]
    x0, y0 = min(w[0] for w in words) - margin, min(w[1] for w in words) - margin
    x1, y1 = max(w[2] for w in words) + margin, max(w[3] for w in words) + margin
    k = dpi / 72
    base = out.with_suffix("")
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", str(dpi), "-png", "-singlefile",
                    "-x", str(int(x0 * k)), "-y", str(int(y0 * k)), "-W", str(int((x1 - x0) * k)),
                    "-H", str(int((y1 - y0) * k)), str(pdf), str(base)], check=True)


def main() -> None:
    docs = ROOT / "docs"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.chdir(tmp)
        names = agency_names(24)
        write_region(tmp / "in", make_region(24))
        (tmp / "名单.csv").write_text("单位,级别,上级\n" + "".join(
            f"{n},{'乡镇' if '人民政府' in n else '县级部门'},示范县\n" for n in names)
            + "示范县未报送局,县级部门,示范县\n", encoding="utf-8")
        audit = ["audit", "in", "--db", "审核.sqlite", "--roster", "名单.csv"]
        xxgk(audit)
        xxgk(["review", "--db", "审核.sqlite", "--rule", "OFFICE-COPIED", "--agency", names[6],
              "--status", "不是问题", "--note", "两单位合署办公"])
        xxgk(["review", "--db", "审核.sqlite", "--rule", "T3-IDENTITY", "--agency", names[3],
              "--status", "确认有误", "--note", "已电话通知"])
        xxgk([*audit, "--to", "汇总.html", "--to", "汇总.xlsx"])
        with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
            subprocess.run([sys.argv[1] if len(sys.argv) > 1 else "chromium", *CHROMIUM_FLAGS, "--hide-scrollbars",
                            f"--user-data-dir={profile}", f"--screenshot={docs / 'office-dashboard.png'}",
                            "--window-size=1280,1500", (tmp / "汇总.html").as_uri()], check=True, capture_output=True)
        # The 问题清单 sheet alone, landscape, fitted to one page wide, hidden columns left out.
        wb = load_workbook(tmp / "汇总.xlsx")
        for name in wb.sheetnames:
            if name != "问题清单":
                del wb[name]
        ws = wb["问题清单"]
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = True
        wb.save(tmp / "问题清单.xlsx")
        pdf = soffice_convert(tmp / "问题清单.xlsx", "pdf", tmp / "pdf")
        crop_png(pdf, docs / "office-workbook.png", dpi=170)
    print("已更新 docs/office-dashboard.png、docs/office-workbook.png")


if __name__ == "__main__":
    main()

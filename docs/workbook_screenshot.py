"""Render the filled 表三 of the workbook as staff see it: docs/workbook-table3.png.

    python docs/workbook_screenshot.py            # writes docs/workbook-table3.png

Builds the workbook filled with the 淮安市人民政府 2024 figures (tests/fixtures.py; the bundled
example has only zeros in 表三) with the 商业企业 column's 结转 raised by 2 so one live check shows
red, lets LibreOffice compute and print it to PDF (fonts mapped as in the render tests), and
keeps the 表三 page as PNG.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fixtures import huaian_2024  # noqa: E402
from render import fontconfig_env, page_png  # noqa: E402
from support import soffice_convert  # noqa: E402
from xxgk.workbook import write_workbook  # noqa: E402


def main(out: Path = ROOT / "docs" / "workbook-table3.png") -> Path:
    report = huaian_2024()
    report.cells["t3.forward.commercial"] += 2
    report.cells["t3.forward.total"] += 2
    caption = report.spec.tables["t3"].caption
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book = write_workbook(folder / "t3.xlsx", report)
        pdf = soffice_convert(book, "pdf", folder, env=fontconfig_env(folder))
        pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        count = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")))
        for page in range(1, count + 1):
            text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                                  capture_output=True, text=True, check=True).stdout
            if caption in text:
                return page_png(pdf, page, out, dpi=110)
    raise SystemExit("表三 not found in the PDF")


if __name__ == "__main__":
    print(main())

"""Regenerate the README's figures: docs/report-page1.png, docs/report-table3.png (LibreOffice
rendering of the .docx, fonts mapped as in the tests) and docs/report-html.png (headless Chromium).

    python docs/figures.py

Page 1 and the web page are the output of ``xxgk demo`` (the bundled 保定市科学技术局 2024
example); the 表三 page is the 淮安市人民政府 2024 test report, whose table has real figures.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fixtures import huaian_2024  # noqa: E402
from render import docx_to_pdf, page_png, pdf_text  # noqa: E402
from xxgk import narrative  # noqa: E402
from xxgk.examples import load_example  # noqa: E402
from xxgk.export import docx, html  # noqa: E402

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def drafted(report):
    for key in narrative.generated_keys(report.spec):
        report.texts[key] = ""
    return narrative.regenerate(report)[0]


def main() -> None:
    docs = ROOT / "docs"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        example, huaian = drafted(load_example()), drafted(huaian_2024())
        (tmp / "example.docx").write_bytes(docx.render(example))
        (tmp / "huaian.docx").write_bytes(docx.render(huaian))
        pdf = docx_to_pdf(tmp / "example.docx", tmp)
        page_png(pdf, 1, docs / "report-page1.png", dpi=80)
        pdf = docx_to_pdf(tmp / "huaian.docx", tmp)
        pages = pdf_text(pdf, "-layout").split("\f")
        table_page = next(i for i, p in enumerate(pages, start=1) if "勾稽关系" in p)
        page_png(pdf, table_page, docs / "report-table3.png", dpi=80)
        page = tmp / "example.html"
        page.write_bytes(html.render(example))
        subprocess.run(["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={tmp / 'profile'}",
                        f"--screenshot={docs / 'report-html.png'}", "--window-size=1200,3000", page.as_uri()],
                       capture_output=True, timeout=120, check=True)
    for name in ("report-page1.png", "report-table3.png", "report-html.png"):
        print(docs / name)


if __name__ == "__main__":
    main()

"""Peak memory and time of ``xxgk check`` / ``xxgk import`` on the bombs of issue 10, each in its
own process under ``/usr/bin/time -v`` (Debian package ``time``), as ratios to the same command
on a normal report measured in the same run. Also the largest inputs just under the limits,
which are read rather than refused.

    python bench/bench_bombs.py [--small]

Prints only; asserts nothing (the limits are pinned by tests/test_hostile_bombs.py). The bound
the issue sets: peak memory under 500 MB for any single input.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import bombs  # noqa: E402
from xxgk.examples import load_example  # noqa: E402
from xxgk.export import export  # noqa: E402
from xxgk.workbook import write_workbook  # noqa: E402

TIME = "/usr/bin/time"


def measure(args: list[str]) -> tuple[int, float, float]:
    """(exit status, peak resident MB, elapsed s) of ``xxgk *args`` in a fresh process."""
    cmd = [TIME, "-v", sys.executable, "-m", "xxgk", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    seconds = (int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))) if wall else float("nan")
    return done.returncode, int(rss.group(1)) / 1024 if rss else float("nan"), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="bombs a tenth of the issue's sizes")
    opts = parser.parse_args()
    if not shutil.which(TIME):
        sys.exit("需要 /usr/bin/time（Debian 软件包 time）：apt-get install time")
    k = 10 if opts.small else 1
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        report = load_example()
        normal_xlsx = write_workbook(d / "normal.xlsx", report)
        out = export(report, ["docx", "html"], d / "normal")
        normal_docx = next(p for p in out if p.suffix == ".docx")
        normal_html = next(p for p in out if p.suffix == ".html")
        cases = [
            ("normal workbook (baseline)", ["check", str(normal_xlsx)]),
            ("normal .docx (baseline)", ["import", str(normal_docx)]),
            ("normal .html (baseline)", ["import", str(normal_html)]),
            ("xlsx: a cell at XFD on 200k rows", ["check", str(bombs.xlsx_far_cells(d / "far.xlsx", 200_000 // k))]),
            ("xlsx: the same, <dimension> says A1",
             ["check", str(bombs.xlsx_far_cells(d / "far_lie.xlsx", 200_000 // k, honest_dimension=False))]),
            ("xlsx: sheet inflating to 1 GB", ["check", str(bombs.xlsx_zip_bomb(d / "zip.xlsx", 1024 // k))]),
            ("xlsx: 3000 rows × 100 columns of numbers, within limits",
             ["check", str(bombs.xlsx_full(d / "under.xlsx", 3000, 100))]),
            (".docx: document.xml inflating to 4 GB", ["import", str(bombs.docx_bomb(d / "bomb.docx", 4096 // k))]),
            (".docx: 9 MB document.xml of numbers, within limits",
             ["import", str(bombs.docx_bomb(d / "under.docx", 9, varied=True))]),
            (".html: rowspan=200 colspan=200 cells (68 KB)",
             ["import", str(bombs.html_span_bomb(d / "span.html", rows=40, cells_per_row=40))]),
            (".html: 20 MB page of cells (the import size limit)",
             ["import", str(bombs.html_span_bomb(d / "big.html", rows=500, cells_per_row=1200, span=1))]),
            (".html: 500 rows × 300 cells, within bounds",
             ["import", str(bombs.html_span_bomb(d / "span1.html", rows=500, cells_per_row=300, span=1))]),
        ]
        base = {}
        print(f"{'input':58} {'exit':>4} {'peak MB':>8} {'× base':>7} {'seconds':>8} {'× base':>7}  size")
        for label, args in cases:
            code, mb, sec = measure(args)
            path = Path(args[1])
            kind = path.suffix
            if "baseline" in label:
                base[kind] = (mb, sec)
            bmb, bsec = base.get(kind, (mb, sec))
            print(f"{label:58} {code:>4} {mb:8.0f} {mb / bmb:7.1f} {sec:8.2f} {sec / bsec:7.1f}  "
                  f"{path.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()

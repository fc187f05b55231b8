"""Workbook timings as ratios to a plain ``openpyxl.load_workbook`` of the same file, measured in
the same run (so the numbers compare across machines):

* build: ``build_workbook(report)`` (the filled template's bytes);
* read + check: ``read_workbook(path)`` then ``rules.check(report)``.

    python bench/bench_workbook.py [--repeat N]

Prints the ratios; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from openpyxl import load_workbook
from timing import median_seconds

from xxgk.examples import load_example
from xxgk.rules import check
from xxgk.workbook import build_workbook, write_workbook
from xxgk.workbook.reader import read_workbook


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    report = load_example()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_workbook(Path(tmp) / "filled.xlsx", report)
        base = median_seconds(lambda: load_workbook(path), args.repeat)
        base_ro = median_seconds(lambda: load_workbook(path, read_only=True).close(), args.repeat)
        build = median_seconds(lambda: build_workbook(report), args.repeat)
        read = median_seconds(lambda: read_workbook(path), args.repeat)
        read_check = median_seconds(lambda: check(read_workbook(path)), args.repeat)
    print(f"filled workbook (bundled example): {len(build_workbook(report)) / 1024:.0f} KB")
    print(f"openpyxl.load_workbook (baseline): {base * 1000:.1f} ms; read_only=True: {base_ro * 1000:.1f} ms")
    print(f"build_workbook          {build * 1000:7.1f} ms  ratio {build / base:5.2f}")
    print(f"read_workbook           {read * 1000:7.1f} ms  ratio {read / base:5.2f}")
    print(f"read_workbook + check   {read_check * 1000:7.1f} ms  ratio {read_check / base:5.2f}")


if __name__ == "__main__":
    main()

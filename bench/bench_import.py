"""Reports imported per second on the two shared examples (and on HTML and .docx made from one),
as ratios to baselines measured in the same run: just reading the file's bytes and decoding
them, and a bare ``html.parser`` pass over the HTML. Import + every rule (``audit``) too.

    python bench/bench_import.py [--repeat N]

Prints only; asserts nothing (timings vary by machine).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from timing import median_seconds

from xxgk.importer import import_report
from xxgk.rules import check

SHARED = Path(__file__).resolve().parents[2] / "shared" / "examples"


def read_bytes(path: Path) -> None:
    path.read_bytes().decode("utf-8", errors="replace")


def html_parser(path: Path) -> None:
    parser = HTMLParser()
    parser.feed(path.read_bytes().decode("utf-8", errors="replace"))
    parser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = [SHARED / "baoding-kjj-2024.txt", SHARED / "huaian-2024.txt"]
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        try:
            from fixtures import huaian_2024
            from xxgk.export import renderers

            for kind in ("html", "docx"):
                p = Path(tmp) / f"huaian-2024-export.{kind}"
                p.write_bytes(renderers()[kind](huaian_2024()))
                files.append(p)
        except ImportError as exc:  # the export module is optional for this bench
            print(f"(skipping HTML/.docx: {exc})")
        print(f"{'file':<28} {'KB':>6} {'imports/s':>10} {'audits/s':>9} {'read bytes':>11} {'html.parser':>12}")
        for path in files:
            t_import = median_seconds(lambda p=path: import_report(p), args.repeat)
            t_audit = median_seconds(lambda p=path: check(import_report(p).report), args.repeat)
            t_bytes = median_seconds(lambda p=path: read_bytes(p), args.repeat)
            t_html = median_seconds(lambda p=path: html_parser(p), args.repeat) if path.suffix == ".html" else None
            html_ratio = f"{t_import / t_html:>10.0f}x" if t_html else f"{'-':>11}"
            print(f"{path.name:<28} {path.stat().st_size / 1024:>6.1f} {1 / t_import:>10.0f} {1 / t_audit:>9.0f}"
                  f" {t_import / t_bytes:>10.0f}x {html_ratio}")
        print("ratios: import time ÷ baseline time (how many times slower than just reading the bytes /"
              " a bare html.parser pass)")


if __name__ == "__main__":
    main()

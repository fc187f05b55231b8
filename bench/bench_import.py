"""Reports imported per second (and imported + checked, as ``xxgk audit`` does) on published
reports, as ratios to baselines run interleaved with them on the same files (see timing.py):
just reading the file's bytes and decoding them, and a bare ``html.parser`` pass over a page.

The files: the real published examples in ``shared/examples`` when the shared folder is beside
the checkout (or named by ``XXGK_SHARED``), plus the HTML and .docx this tool exports for the
淮安 2024 report — so the bench runs from any clone.

    python bench/bench_import.py [--rounds N]

Prints only; asserts nothing (timings vary by machine).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from timing import interleaved, ms, ratios, summary

from xxgk.importer import import_report
from xxgk.rules import check

REPO = Path(__file__).resolve().parents[1]


def shared_examples() -> Path | None:
    """``shared/examples`` beside the checkout, or under ``$XXGK_SHARED``; ``None`` if absent."""
    for base in (os.environ.get("XXGK_SHARED"), REPO.parent / "shared"):
        if base and (Path(base) / "examples").is_dir():
            return Path(base) / "examples"
    return None


def read_bytes(path: Path) -> None:
    path.read_bytes().decode("utf-8", errors="replace")


def html_parser(path: Path) -> None:
    parser = HTMLParser()
    parser.feed(path.read_bytes().decode("utf-8", errors="replace"))
    parser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        examples = shared_examples()
        if examples is not None:
            files += [p for p in (examples / "baoding-kjj-2024.txt", examples / "huaian-2024.txt") if p.exists()]
        else:
            print("(shared/examples not found beside the checkout nor in $XXGK_SHARED: exported files only)")
        sys.path.insert(0, str(REPO / "tests"))
        from fixtures import huaian_2024
        from xxgk.export import renderers

        for kind in ("html", "docx"):
            p = Path(tmp) / f"huaian-2024-export.{kind}"
            p.write_bytes(renderers()[kind](huaian_2024()))
            files.append(p)
        print(f"{'file':<28} {'KB':>6} {'imports/s':>10} {'audits/s':>9}   import ÷ read bytes (min/median/max)"
              "   import ÷ html.parser")
        for path in files:
            paths = {"import": lambda p: import_report(p), "audit": lambda p: check(import_report(p).report),
                     "bytes": read_bytes}
            if path.suffix == ".html":
                paths["html.parser"] = html_parser
            t = interleaved(paths, [path], args.rounds)
            per_s = {k: 1 / (sum(v) / len(v)) for k, v in t.items()}
            line = (f"{path.name:<28} {path.stat().st_size / 1024:>6.1f} {per_s['import']:>10.0f} {per_s['audit']:>9.0f}"
                    f"   {summary(ratios(t['import'], t['bytes']))}")
            if "html.parser" in t:
                line += f"   median {sorted(ratios(t['import'], t['html.parser']))[len(t['import']) // 2]:6.1f}"
            print(line)
        print(f"(import of the last file: {ms(t['import'])} per file)")


if __name__ == "__main__":
    main()

"""`xxgk audit` over the corpus of real reports (tests/corpus/), compared with what was found in
each by hand: reports read / refused, cells read / cells present, false 错误, missed defects, and
the time per report as a ratio to just reading the file's bytes (measured in the same run).

    XXGK_CORPUS=/path/to/corpus python bench/bench_corpus.py [--repeat N] [--details]

Cells present are the figures printed in a report's tables, counted by hand into its expected
file; cells read are the cells the reader filled. Reports refused as expected (their table
figures run together, or tables missing) are left out of the cell ratio: refusing them is the
right answer. Cells of a table printed in another format version are counted apart: printed
figures no cell of the report's format holds (``no_cell`` in the expected file) are not asked
for, and the report's cells such a table lacks are neither read nor unread.
Prints only; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from timing import median_seconds

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from corpus_data import (
    REFUSED,
    audit_outcome,
    corpus_dir,
    load_expected,
    load_manifest,
    missing_reason,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--details", action="store_true", help="list what differs, per report")
    args = parser.parse_args()
    folder = corpus_dir()
    if folder is None:
        print(missing_reason())
        return 0
    totals = dict(read=0, refused=0, refused_ok=0, refused_true=0, cells=0, present=0, false=0, missed=0, agree=0,
                  no_cell=0, other_format=0, mixed=0)
    ratios = []
    print(f"{'report':34} {'verdict':8} {'cells':>9} {'false':>5} {'missed':>6} {'x bytes':>8}  gap")
    for entry in load_manifest():
        path = folder / entry["file"]
        exp = load_expected(entry["file"])
        out = audit_outcome(path, exp)
        problems = out.problems(exp)
        totals["agree"] += not problems
        if out.verdict == REFUSED:
            totals["refused"] += 1
            totals["refused_ok"] += exp.verdict == REFUSED
            totals["refused_true"] += exp.verdict == REFUSED and not problems
        else:
            totals["read"] += 1
        false = len(out.false_errors(exp)) if out.verdict != REFUSED else 0
        missed = len(out.missed(exp)) if exp.verdict != REFUSED else 0
        totals["false"] += false
        totals["missed"] += missed
        if exp.verdict != REFUSED:
            totals["cells"] += min(out.cells_read, exp.cells_readable)
            totals["present"] += exp.cells_readable
            totals["no_cell"] += exp.no_cell
            totals["other_format"] += out.cells_other_format
            totals["mixed"] += bool(out.tables_other_format)
        t_audit = median_seconds(lambda p=path, e=exp: audit_outcome(p, e), args.repeat)
        t_bytes = median_seconds(lambda p=path: p.read_bytes(), max(args.repeat, 20))
        ratio = t_audit / t_bytes if t_bytes else float("inf")
        ratios.append(ratio)
        cells = f"{out.cells_read}/{exp.cells_readable}" if exp.verdict != REFUSED else "-"
        print(f"{entry['file']:34} {out.verdict:8} {cells:>9} {false:>5} {missed:>6} {ratio:>8.0f}  {exp.gap_class}")
        if args.details and problems:
            for p in problems:
                print(f"    - {p[:200]}")
    n = totals["read"] + totals["refused"]
    share = totals["cells"] / totals["present"] if totals["present"] else 0.0
    print()
    print(f"reports: {n}; read {totals['read']}, refused {totals['refused']} "
          f"({totals['refused_ok']} of them refusals the expected file asks for, "
          f"{totals['refused_true']} with the true reason); agreeing fully: {totals['agree']}")
    print(f"cells read / present: {totals['cells']} / {totals['present']} = {share:.1%}")
    print(f"tables printed in another format version: in {totals['mixed']} reports; their printed figures "
          f"no cell holds: {totals['no_cell']} (not in 'present'); report cells they lack: {totals['other_format']} "
          "(neither read nor unread)")
    print(f"false 错误 (rules not in the expected file): {totals['false']}; missed defects: {totals['missed']}")
    ratios.sort()
    print(f"time per report / time to read its bytes: median {ratios[len(ratios) // 2]:.0f}x, max {ratios[-1]:.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``xxgk check`` of report JSON files as run in a batch (one process, many files), as a ratio to
the floor run interleaved with it on the same files: ``json.loads`` of the file plus validation
against the report schema by an already built validator.

    python bench/bench_json.py [--files 200] [--rounds 3]

Goal (issue 12): check ≤ 3× json.loads + validation. Prints only.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from bench_workbook import filled  # the same distinct filled reports
from timing import interleaved, ms, ratios, summary

from xxgk.report import dump_json
from xxgk.rules import check
from xxgk.schema import validator
from xxgk.sources import read_report


def loads_and_validate(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    validator(data["format"]).validate(data)


def read_and_check(path: Path) -> None:
    check(read_report(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = [dump_json(filled(i), Path(tmp) / f"filled-{i}.json") for i in range(args.files)]
        size = sum(p.stat().st_size for p in paths) / len(paths) / 1024
        t = interleaved({"check": read_and_check, "floor": loads_and_validate}, paths, args.rounds)
    print(f"{args.files} distinct report JSON files ({size:.0f} KB on average), {args.rounds} interleaved rounds")
    print(f"  read + check                 {ms(t['check'])}")
    print(f"  json.loads + validation      {ms(t['floor'])}")
    print(f"check ÷ (json.loads + validation)  {summary(ratios(t['check'], t['floor']))}   goal: median ≤ 3")


if __name__ == "__main__":
    main()

"""``xxgk check`` of report JSON files as run in a batch (one process, many files), as a ratio to
the floor run interleaved with it on the same files: ``json.loads`` of the file plus validation
against the report schema by an already built validator.

    python bench/bench_json.py [--files 200] [--rounds 3]

Goal (issue 12): check ≤ 3× json.loads + validation. Prints only.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from bench_workbook import cli_path, filled  # the same distinct filled reports, the same check
from timing import files_and_rounds, interleaved, mean_kb, ms, ratios, summary

from xxgk.report import dump_json
from xxgk.schema import validator


def loads_and_validate(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    validator(data["format"]).validate(data)


def main() -> None:
    args = files_and_rounds(__doc__)
    with tempfile.TemporaryDirectory() as tmp:
        paths = [dump_json(filled(i), Path(tmp) / f"filled-{i}.json") for i in range(args.files)]
        size = mean_kb(paths)
        t = interleaved({"check": cli_path, "floor": loads_and_validate}, paths, args.rounds)
    print(f"{args.files} distinct report JSON files ({size:.0f} KB on average), {args.rounds} interleaved rounds")
    print(f"  read + check                 {ms(t['check'])}")
    print(f"  json.loads + validation      {ms(t['floor'])}")
    print(f"check ÷ (json.loads + validation)  {summary(ratios(t['check'], t['floor']))}   goal: median ≤ 3")


if __name__ == "__main__":
    main()

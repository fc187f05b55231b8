"""Reading and checking filled workbooks, as ratios to two baselines run interleaved with it on
the same files (see timing.py):

* python-calamine's bare read of every sheet's values (a fast Rust reader: the floor);
* ``openpyxl.load_workbook`` (full, every cell read) — what a workbook tool usually does.

The files are distinct filled workbooks (the bundled example with random figures, half of them
with last year's report, some with blanks). Also the time to build one (``xxgk new --from``).

    python bench/bench_workbook.py [--files 200] [--rounds 3]

Goals (issue 12): read + check ≤ 2× calamine, and ≥ 10× faster than openpyxl. Prints only.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook
from timing import files_and_rounds, interleaved, mean_kb, ms, ratios, summary

from xxgk.examples import load_example
from xxgk.report import Report
from xxgk.rules import check
from xxgk.sources import read_report
from xxgk.workbook import build_workbook
from xxgk.workbook.reader import _total, read_workbook


def filled(seed: int) -> Report:
    """The example with random figures (consistent totals), sometimes a blank and last year."""
    rnd = random.Random(seed)
    report = load_example()
    fmt = report.spec
    for key, cell in fmt.cells.items():
        if not cell.total_of:
            report.cells[key] = rnd.choice([0, 0, 0, rnd.randint(0, 9), rnd.randint(0, 3000)])
    if rnd.random() < 0.2:
        report.cells[rnd.choice([k for k, c in fmt.cells.items() if not c.total_of])] = None
    for key, cell in fmt.cells.items():
        if cell.total_of:
            report.cells[key] = _total(fmt, key, report.cells)
    report.facts["proactive.items"] = rnd.randint(0, 20000)
    report.agency = f"某某市第{seed}局"
    for key, text in report.texts.items():  # distinct texts too: nothing a cache could share
        if text:
            report.texts[key] = f"{text}（第 {seed} 份）"
            report.drafts[key] = report.texts[key] if rnd.random() < 0.5 else text
    if seed % 2:
        report.year = 2025
        report.previous = load_example()
    return report


def calamine_all_sheets(path: Path) -> None:
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def openpyxl_full(path: Path) -> None:
    book = load_workbook(path)
    for ws in book.worksheets:
        for _row in ws.iter_rows(values_only=True):
            pass


def read_and_check(path: Path) -> None:
    check(read_workbook(path))


def cli_path(path: Path) -> None:
    """What ``xxgk check`` does per file: the door's limits (sources) too."""
    check(read_report(path))


def main() -> None:
    args = files_and_rounds(__doc__)
    with tempfile.TemporaryDirectory() as tmp:
        reports = [filled(i) for i in range(args.files)]
        paths = []
        for i, report in enumerate(reports):
            paths.append(Path(tmp) / f"filled-{i}.xlsx")
            paths[-1].write_bytes(build_workbook(report))
        size = mean_kb(paths)
        t = interleaved({"ours": read_and_check, "calamine": calamine_all_sheets, "openpyxl": openpyxl_full,
                         "cli": cli_path}, paths, args.rounds)
        build = interleaved({"build": build_workbook, "openpyxl": lambda r, p=paths[0]: openpyxl_full(p)},
                            reports[:20], 1)
    print(f"{args.files} distinct filled workbooks ({size:.0f} KB on average), {args.rounds} interleaved rounds")
    print(f"  read + check       {ms(t['ours'])}")
    print(f"  calamine, all sheets {ms(t['calamine'])}")
    print(f"  openpyxl full load {ms(t['openpyxl'])}")
    print(f"read + check ÷ calamine        {summary(ratios(t['ours'], t['calamine']))}   goal: median ≤ 2")
    print(f"openpyxl ÷ read + check        {summary(ratios(t['openpyxl'], t['ours']))}   goal: median ≥ 10")
    print(f"build_workbook ÷ openpyxl load {summary(ratios(build['build'], build['openpyxl']))}")
    print(f"read_report + check (the CLI's path, with the door's limits) ÷ calamine  {summary(ratios(t['cli'], t['calamine']))}")
    for name, what in (("ours", "read_workbook + check"), ("cli", "read_report + check")):
        per_second = 1 / (sum(t[name]) / len(t[name]))
        print(f"batch rate (one process), {what}: {per_second:.0f} workbooks per second")


if __name__ == "__main__":
    main()

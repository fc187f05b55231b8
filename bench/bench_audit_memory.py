"""Peak memory of ``xxgk audit`` over batches of different sizes, each run in its own process
(``resource.getrusage`` of that process): a streamed audit keeps one report at a time, so the
peak must not grow with the number of reports.

The reports are one published page (the bundled example exported as HTML), linked under N names
(hard links: no disk space; the audit reads each as a separate file).

    python bench/bench_audit_memory.py [--sizes 1000,10000] [--format summary-json|json|text]

Goal (issue 12): the peaks for 1,000 and 10,000 reports within 10 % of each other. Prints only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUN = """
import resource, sys
from xxgk.cli import main
sys.stdout = open(sys.argv[1], "w", encoding="utf-8")  # the output goes to a file, as in a real batch
code = main(sys.argv[2:])
sys.stdout.close()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, code, file=sys.stderr)
"""

FORMATS = {"summary-json": ["--summary", "--format", "json"], "json": ["--format", "json"], "text": []}


def batch(folder: Path, source: Path, n: int) -> Path:
    sub = folder / f"n{n}"
    sub.mkdir()
    for i in range(n):
        target = sub / f"report-{i:05d}.html"
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
    return sub


def peak_kb(folder: Path, out: Path, fmt: str) -> tuple[int, int, float]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", RUN, str(out), "audit", *FORMATS[fmt], str(folder)],
                          capture_output=True, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    peak, code = proc.stderr.strip().splitlines()[-1].split()
    return int(peak), int(code), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--format", choices=sorted(FORMATS), default="summary-json")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    from xxgk.examples import load_example
    from xxgk.export import renderers

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "example.html"
        source.write_bytes(renderers()["html"](load_example()))
        results = []
        for n in sizes:
            folder = batch(Path(tmp), source, n)
            peak, code, secs = peak_kb(folder, Path(tmp) / f"out-{n}.txt", args.format)
            results.append((n, peak))
            print(f"audit {args.format:<12} {n:>6} reports: peak {peak / 1024:7.1f} MB, exit {code}, "
                  f"{secs:6.1f} s ({n / secs:.0f} reports/s)", flush=True)
            shutil.rmtree(folder)
    (n0, p0), (n1, p1) = results[0], results[-1]
    print(f"peak at {n1} ÷ peak at {n0}: {p1 / p0:.3f}   goal: within 10 % (≤ 1.10)")


if __name__ == "__main__":
    main()

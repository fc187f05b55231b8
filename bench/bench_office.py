"""The collecting office at scale: `xxgk audit --db` over 1,000 reports made from the examples
(tests/office_region.py: 500 agencies × 2 years, JSON, with 1 in 20 published as a web page).

Prints: reports per second with --jobs 1 and --jobs 2 (each into a fresh store), the re-run over
unchanged files as a ratio to the first run (goal ≤ 5%), and the copied-text search's time (median of 3) for
250/500/1000/2000 reports of one year with the ratio per doubling (linear ≈ 2, quadratic ≈ 4).
All figures are measured in this run; nothing is asserted.

    python bench/bench_office.py [--agencies 500] [--search 250,500,1000,2000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from timing import median_seconds

from office_region import make_region, write_region
from xxgk.export.html import render as render_html
from xxgk.office.copied import copied_findings
from xxgk.office.run import run_audit


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=500)
    parser.add_argument("--search", default="250,500,1000,2000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-office-") as tmp:
        folder = Path(tmp) / "in"
        region = make_region(args.agencies)
        paths = write_region(folder, region)
        published = 0
        for n, (key, path) in enumerate(sorted(paths.items())):
            if n % 20 == 0:  # some published web pages, read by the importer
                path.with_suffix(".html").write_bytes(render_html(region[key]))
                path.unlink()
                published += 1
        count = len(paths)
        print(f"{count} 份年报（其中网页 {published} 份），{args.agencies} 个单位 × 2 年")
        first = {}
        for jobs in (1, 2):
            seconds, result = _timed(lambda j=jobs: run_audit([str(folder)], Path(tmp) / f"j{j}.sqlite", jobs=j))
            assert result.read == count and not result.refused, result.refused[:3]
            first[jobs] = seconds
            print(f"--jobs {jobs}: {seconds:.1f} 秒，{count / seconds:.1f} 份/秒")
        print(f"--jobs 2 与 --jobs 1 之比：{first[2] / first[1]:.2f}")
        again, result = _timed(lambda: run_audit([str(folder)], Path(tmp) / "j1.sqlite", jobs=1))
        assert result.read == 0 and result.unchanged == count
        print(f"未变化时重跑：{again:.2f} 秒，为首次（--jobs 1）的 {again / first[1] * 100:.1f}%（目标 ≤ 5%）")
        per_report = first[1] / count
        print(f"按 --jobs 1 的速度估算 10 万份：约 {per_report * 100_000 / 3600:.1f} 小时；"
              f"--jobs 2：约 {first[2] / count * 100_000 / 3600:.1f} 小时")

    sizes = [int(x) for x in args.search.split(",")]
    one_year = make_region(max(sizes), years=(2024,))
    reports = [(f"{name}", r) for (name, _), r in sorted(one_year.items())]
    previous = None
    for size in sizes:
        found = copied_findings(reports[:size])
        seconds = median_seconds(lambda s=size: copied_findings(reports[:s]), repeat=3)
        ratio = f"，为上一档的 {seconds / previous:.2f} 倍" if previous else ""
        print(f"雷同文字查找 {size} 份：{seconds:.2f} 秒，找到 {sum(len(v) for v in found.values())} 条{ratio}")
        previous = seconds
    return 0


if __name__ == "__main__":
    sys.exit(main())

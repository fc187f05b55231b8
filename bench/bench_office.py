"""The collecting office at scale: `xxgk audit --db` over 1,000 reports made from the examples
(tests/office_region.py: 500 agencies × 2 years, JSON, with 1 in 20 published as a web page).

Prints: reports per second with --jobs 1 and --jobs 2 (each into a fresh store), the re-run over
unchanged files as a ratio to the first run (goal ≤ 5%), and the copied-text search's time (median of 3) for
250/500/1000/2000 reports of one year with the ratio per doubling (linear ≈ 2, quadratic ≈ 4);
for this search the texts are drawn from a large vocabulary so that, as in real reports,
different agencies' texts are mostly unlike (the region's texts share a small phrase book, so
every pair is somewhat alike and any similarity search must then look at many pairs).
All figures are measured in this run; nothing is asserted.

    python bench/bench_office.py [--agencies 500] [--search 250,500,1000,2000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from timing import median_seconds

from office_region import make_region, write_region
from xxgk.export.html import render as render_html
from xxgk.office.copied import Texts, copied_findings
from xxgk.office.run import run_audit
from xxgk.spec import load_format

PLANT_EVERY = 50  # one agency in 50 copies a section from the agency before it


def search_corpus(n: int) -> list[tuple[str, Texts]]:
    """``n`` reports of one year whose texts are as unlike as real ones are (words drawn from a
    large vocabulary, one sentence of boilerplate everyone writes), with copies planted."""
    rng = random.Random(11)
    common = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    words = ["".join(rng.choice(common) for _ in range(rng.choice((2, 2, 3, 4)))) for _ in range(6000)]
    fmt = load_format("2021")
    out = []
    for i in range(n):
        texts = {key: "根据《中华人民共和国政府信息公开条例》规定，现将有关情况报告如下。" + "".join(
            "".join(rng.choice(words) for _ in range(rng.randint(5, 12))) + "。" for _ in range(rng.randint(3, 6)))
            for key in fmt.texts}
        if i % PLANT_EVERY == 1:
            texts["s5.text"] = out[-1][1].texts["s5.text"]
        out.append((f"{i}.json", Texts(f"示范单位{i}", "2021", texts)))
    return out


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
    texts = search_corpus(max(sizes))
    previous = None
    for size in sizes:
        found = copied_findings(texts[:size])
        seconds = median_seconds(lambda s=size: copied_findings(texts[:s]), repeat=3)
        ratio = f"，为上一档的 {seconds / previous:.2f} 倍" if previous else ""
        planted = size // PLANT_EVERY
        print(f"雷同文字查找 {size} 份：{seconds:.2f} 秒，找到 {len(found)} 份有雷同（抄写了 {planted} 对）{ratio}")
        previous = seconds
    return 0


if __name__ == "__main__":
    sys.exit(main())

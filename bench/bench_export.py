"""Export time of the bundled example to .docx, .html and .json, as ratios to the time it takes
to read the same report (from its JSON and from the workbook), measured in the same run.

    python bench/bench_export.py [--repeat N]

Prints only; asserts nothing (timings vary by machine).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from timing import median_seconds

from xxgk.examples import load_example
from xxgk.export import renderers
from xxgk.narrative import generated_keys, regenerate
from xxgk.report import dump_json
from xxgk.sources import read_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    report = load_example()
    for key in generated_keys(report.spec):
        report.texts[key] = ""
    report, _ = regenerate(report)
    with tempfile.TemporaryDirectory() as tmp:
        src = dump_json(report, Path(tmp) / "example.json")
        reads = {"JSON": median_seconds(lambda: read_report(src), args.repeat)}
        try:
            from xxgk.workbook import write_workbook

            xlsx = write_workbook(Path(tmp) / "example.xlsx", report)
            reads["工作簿 .xlsx"] = median_seconds(lambda: read_report(xlsx), args.repeat)
        except ImportError:  # pragma: no cover - the workbook module is part of the package
            pass
        base = reads["JSON"]
        print(f"示例：{report.agency} {report.year} 年度（重复 {args.repeat} 次取中位数）")
        for what, secs in reads.items():
            print(f"  读取 {what:<12} {secs * 1000:8.2f} ms   = {secs / base:6.1f} × 读取 JSON")
        total = 0.0
        for fmt, render in renderers().items():
            secs = median_seconds(lambda render=render: render(report), args.repeat)
            total += secs
            print(f"  导出 .{fmt:<11} {secs * 1000:8.2f} ms   = {secs / base:6.1f} × 读取 JSON"
                  + (f"   = {secs / reads['工作簿 .xlsx']:5.2f} × 读取工作簿" if "工作簿 .xlsx" in reads else ""))
        print(f"  导出三种合计     {total * 1000:8.2f} ms   = {total / base:6.1f} × 读取 JSON")


if __name__ == "__main__":
    main()

"""Export of the bundled example (texts generated) to .docx, .html and .json, run interleaved
with baselines on the same report (see timing.py):

* the peer document: python-docx writing a document with one 28×10 table (text in every cell)
  — what any .docx export costs at least; goal (issue 12): our .docx ≤ 3× the peer;
* reading the same report from its JSON (``read_report``), for the other formats.

    python bench/bench_export.py [--rounds N]

Prints only; asserts nothing (timings vary by machine).
"""

from __future__ import annotations

import argparse
import io
import tempfile
from pathlib import Path

from docx import Document
from timing import interleaved, ms, ratios, summary

from xxgk.examples import load_example
from xxgk.export import renderers
from xxgk.narrative import generated_keys, regenerate
from xxgk.report import dump_json
from xxgk.sources import read_report


def peer_document(_: object) -> bytes:
    doc = Document()
    table = doc.add_table(rows=28, cols=10)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = str(r * 10 + c)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    report = load_example()
    for key in generated_keys(report.spec):
        report.texts[key] = ""
    report, _ = regenerate(report)
    render = renderers()
    with tempfile.TemporaryDirectory() as tmp:
        src = dump_json(report, Path(tmp) / "example.json")
        paths = {"docx": render["docx"], "peer": peer_document, "html": render["html"], "json": render["json"],
                 "read JSON": lambda _r: read_report(src)}
        t = interleaved(paths, [report] * args.rounds, 1)
    print(f"示例：{report.agency} {report.year} 年度，{args.rounds} 轮交替测量")
    print(f"  .docx                         {ms(t['docx'])}")
    print(f"  peer (python-docx, 28×10 表)  {ms(t['peer'])}")
    print(f".docx ÷ peer                    {summary(ratios(t['docx'], t['peer']))}   goal: median ≤ 3")
    for fmt in ("html", "json"):
        print(f".{fmt} ÷ read JSON              {summary(ratios(t[fmt], t['read JSON']))}   ({ms(t[fmt])})")


if __name__ == "__main__":
    main()

"""The WPS path's overhead: 校验 on 200 filled workbooks' snapshots through ``xxgk serve`` (JSON
over HTTP on 127.0.0.1, as main.js posts them) against calling the same core directly
(``xxgk.addin.buttons.plan`` on the snapshot), interleaved workbook by workbook so both see the
same machine load.

    python bench/bench_serve.py [--books 200] [--rounds 2]

Prints min / median / max of the paired ratios (service ÷ direct); asserts nothing about time.
The issue's target is a median ≤ 2.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import statistics
import time
from typing import Any

import openpyxl

from xxgk.addin.bookio import parse_address
from xxgk.addin.buttons import plan
from xxgk.examples import load_example
from xxgk.serve import server, wire
from xxgk.workbook import build_workbook


def snapshot(data: bytes, name: str) -> dict[str, Any]:
    """What main.js's readBook sends: values from A1 per sheet (formula cells carry no cached
    value in an openpyxl-built file), and the workbook's names."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheets = [{"name": ws.title, "formulas": None,
               "values": [[None if isinstance(v, str) and v.startswith("=") else v for v in row]
                          for row in ws.iter_rows(values_only=True)]} for ws in wb.worksheets]
    names = {}
    for n, d in wb.defined_names.items():
        a = parse_address("=" + d.attr_text)
        if a is not None:
            names[n] = str(a)
    return {"name": name, "fullname": "", "sheets": sheets, "names": names}


def filled(i: int) -> bytes:
    report = load_example()
    report.agency = f"某某市第{i}局"
    report.cells["t3.new.natural"] = (report.cells["t3.new.natural"] or 0) + i % 7  # some unbalanced
    return build_workbook(report)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(f"building {args.books} filled workbooks …", flush=True)
    books = [snapshot(filled(i), f"第{i}局.xlsx") for i in range(args.books)]
    bodies = [json.dumps({"book": b}, ensure_ascii=False).encode("utf-8") for b in books]
    svc = server.start_in_thread()
    conn = http.client.HTTPConnection("127.0.0.1", svc.port)
    headers = {"Content-Type": "application/json", server.TOKEN_HEADER: svc.settings.token, "Origin": "null"}

    def direct(i: int) -> None:
        # The in-process path: the snapshot as xlwings' read_book hands it over.
        assert plan("validate", wire.snapshot_from_json(books[i])).ok

    def served(i: int) -> None:
        conn.request("POST", "/run/validate", body=bodies[i], headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        assert resp.status == 200 and json.loads(body)["ok"]

    direct(0)
    served(0)  # warm-up: imports, templates
    ratios = []
    totals = {"direct": 0.0, "served": 0.0}
    for r in range(args.rounds):
        for i in range(len(books)):
            pair = {}
            for kind, fn in (("direct", direct), ("served", served)) if (i + r) % 2 == 0 else \
                    (("served", served), ("direct", direct)):
                start = time.perf_counter()
                fn(i)
                pair[kind] = time.perf_counter() - start
            totals["direct"] += pair["direct"]
            totals["served"] += pair["served"]
            ratios.append(pair["served"] / pair["direct"])
    conn.close()
    svc.stop()
    kb = statistics.median(len(b) for b in bodies) / 1024
    print(f"snapshot JSON per workbook (median): {kb:.0f} KB; pairs: {len(ratios)}")
    print(f"service ÷ direct, per workbook: min {min(ratios):.2f}  median {statistics.median(ratios):.2f}  "
          f"max {max(ratios):.2f}")
    print(f"totals: direct {totals['direct']:.1f} s, service {totals['served']:.1f} s "
          f"(ratio {totals['served'] / totals['direct']:.2f}; target ≤ 2)")


if __name__ == "__main__":
    main()

"""The office audit: scan the folders, read only new or changed files (by hash, in ``jobs``
processes; the parent alone writes the store), then re-derive what depends on them — the
cross-year rules and two-year comparisons of the agencies touched, the copied-text search of
the years touched — and reconcile the reviewers' decisions."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xxgk.office import reviews
from xxgk.office.agencies import agency_key
from xxgk.office.copied import Texts, copied_findings
from xxgk.office.reading import expand, file_hash, finding_row, read_one
from xxgk.office.store import Store, dumps, now
from xxgk.report import Report


@dataclass
class RunResult:
    db: Path
    files: int = 0
    read: int = 0  # new or changed files read this run
    unchanged: int = 0
    removed: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)
    failed: int = 0  # of those refused, files that hit an internal error (trace in the log)
    duplicates: list[list[Any]] = field(default_factory=list)  # files of one agency and year; the last used
    rechecked: int = 0  # reports re-checked against last year's
    years_searched: list[int] = field(default_factory=list)
    reopened: list[dict[str, Any]] = field(default_factory=list)


def _progress(items: Iterable[Any], total: int, desc: str) -> Iterator[Any]:
    """A progress bar on stderr when it is a terminal (tqdm); silent otherwise."""
    from tqdm import tqdm

    yield from tqdm(items, total=total, desc=desc, unit="份", file=sys.stderr, disable=None, leave=False)


def _read_all(todo: list[tuple[str, str]], jobs: int, disabled: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    if jobs <= 1 or len(todo) < 2:
        for path, digest in todo:
            yield read_one(path, digest, disabled)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(read_one, [p for p, _ in todo], [h for _, h in todo], [disabled] * len(todo),
                            chunksize=4)


def _write_file(store: Store, out: dict[str, Any]) -> None:
    """One file's outcome in one transaction: its old rows go, its new rows come."""
    path = out["path"]
    with store.write() as db:
        old = db.execute("SELECT hash, year FROM files WHERE path = ?", (path,)).fetchone()
        if old is not None and old[0] == out["hash"]:
            return  # another run at the same time has stored this very file already
        # What was derived from the old file's year must be derived again.
        for year in {old[1] if old else None, out.get("report", {}).get("year")} - {None}:
            db.execute("DELETE FROM meta WHERE key = ?", (f"copied:{year}",))
        db.execute("DELETE FROM cells WHERE path = ?", (path,))
        db.execute("DELETE FROM findings WHERE path = ?", (path,))
        if out["status"] != "checked":
            db.execute("INSERT OR REPLACE INTO files(path, hash, status, error, checked_at) VALUES (?,?,?,?,?)",
                       (path, out["hash"], out["status"], out["error"], now()))
            return
        rep = out["report"]
        # A report whose agency could not be read stands alone (named by its file), never merged
        # with other unnamed reports.
        name = rep["agency"].strip() or f"（未识别单位：{Path(path).name}）"
        db.execute("INSERT OR REPLACE INTO files(path, hash, status, error, agency, agency_key, year, format,"
                   " report, prev_hash, checked_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                   (path, out["hash"], "checked", "", name, agency_key(name), rep["year"],
                    rep["format"], dumps(rep), "", now()))
        db.executemany("INSERT INTO cells(path, key, value) VALUES (?,?,?)",
                       [(path, f"{t}.{k}", None if v is None else dumps(v))
                        for t, vals in rep["tables"].items() for k, v in vals.items()])
        _insert_findings(db, path, out["findings"])


def _insert_findings(db: Any, path: str, rows: list[dict[str, Any]]) -> None:
    db.executemany(
        "INSERT OR REPLACE INTO findings(path, id, origin, rule, severity, title, message, addresses,"
        " left_value, right_value, diff, fingerprint) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [(path, f["id"], f["origin"], f["rule"], f["severity"], f["title"], f["message"], dumps(f["addresses"]),
          dumps(f["left"]), dumps(f["right"]), dumps(f["diff"]), f["fingerprint"]) for f in rows])


# The catalogue's cross-year rules (跨年度) share this id prefix; they are the only rules that
# read last year's report.
CROSS_YEAR = "XY-"


def _single_year_rules(disabled: tuple[str, ...]) -> list[str]:
    from xxgk.rules import rule_ids

    return [r for r in rule_ids() if not r.startswith(CROSS_YEAR) or r in disabled]


def _texts_only(row: Any) -> Texts:
    data = json.loads(row["report"])
    return Texts(data["agency"], data["format"], dict(data.get("texts", {})))


def load_report(row: Any) -> Report:
    return Report.from_dict(json.loads(row["report"]), validate=False)


def _recheck_years(store: Store, disabled: tuple[str, ...]) -> int:
    """Re-check every report whose last-year report changed (or appeared, or went) since it was
    last checked, and keep its two-year comparison. Returns how many were re-checked."""
    from xxgk.office.compare import compare
    from xxgk.rules import check

    rows = store.reports()
    by_key = {(r["agency_key"], r["year"]): r for r in rows}
    count = 0
    for r in rows:
        prev = by_key.get((r["agency_key"], r["year"] - 1))
        want = prev["hash"] if prev is not None else ""
        if r["prev_hash"] == want:
            continue
        report = load_report(r)
        previous = load_report(prev) if prev is not None else None
        # Only the cross-year rules depend on last year's report: the rest were run on reading.
        findings = [finding_row(f) for f in check(report, previous=previous, disabled=_single_year_rules(disabled))]
        with store.write() as db:
            db.execute("DELETE FROM findings WHERE path = ? AND origin = 'rules' AND rule LIKE ?",
                       (r["path"], CROSS_YEAR + "%"))
            _insert_findings(db, r["path"], findings)
            db.execute("UPDATE files SET prev_hash = ? WHERE path = ?", (want, r["path"]))
            if previous is None:
                db.execute("DELETE FROM comparisons WHERE agency_key = ? AND year = ?", (r["agency_key"], r["year"]))
            else:
                db.execute("INSERT OR REPLACE INTO comparisons(agency_key, year, data) VALUES (?,?,?)",
                           (r["agency_key"], r["year"], dumps(compare(report, previous))))
        count += 1
    return count


def _search_copies(store: Store) -> list[int]:
    """For each year whose set of reports changed since the last search: find sections copied
    across agencies, and replace that year's office findings."""

    rows = store.reports()
    years: dict[int, list[Any]] = {}
    for r in rows:
        years.setdefault(r["year"], []).append(r)
    done = {k: v for k, v in store.db.execute("SELECT key, value FROM meta WHERE key LIKE 'copied:%'")}
    searched = []
    for year, members in sorted(years.items()):
        signature = hashlib.sha256("".join(sorted(m["hash"] for m in members)).encode()).hexdigest()
        if done.get(f"copied:{year}") == signature:
            continue
        found = copied_findings([(m["path"], _texts_only(m)) for m in members])
        paths = [m["path"] for m in members]
        with store.write() as db:
            db.execute(f"DELETE FROM findings WHERE origin = 'office' AND path IN ({','.join('?' * len(paths))})", paths)
            for path, items in found.items():
                _insert_findings(db, path, items)
            db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (f"copied:{year}", signature))
        searched.append(year)
    return searched


def run_audit(inputs: list[str], db_path: str | Path, jobs: int = 1,
              on_refused: Callable[[str, str], None] | None = None, disabled: Iterable[str] = ()) -> RunResult:
    """Audit ``inputs`` (files and folders) into the store at ``db_path``. Rules in ``disabled``
    are switched off; a run with other rules switched off than the last one checks every file
    again (the stored findings were made with the old set: the set is part of a file's version)."""
    files = expand(inputs)
    store = Store(db_path)
    try:
        result = RunResult(Path(db_path), files=len(files))
        off = tuple(sorted(set(disabled)))
        from xxgk.rules import switches

        switches(None, off)  # an unknown rule id is refused, by name, before any work
        known = store.hashes()
        todo = []
        for p in files:
            path = str(p.resolve())
            # Findings depend on the file and on the rules switched off: both make its version.
            digest = file_hash(p) + (f"|{','.join(off)}" if off else "")
            if known.get(path) == digest:
                result.unchanged += 1
            else:
                todo.append((path, digest))
        for out in _progress(_read_all(todo, jobs, off), len(todo), "读取并校验"):
            _write_file(store, out)
            result.read += 1
            if out["status"] != "checked":
                result.refused.append((out["path"], out["error"]))
                if on_refused:
                    on_refused(out["path"], out["error"])
        # Files once audited from these folders that are no longer there.
        roots = [str(Path(n).resolve()) for n in inputs if Path(n).is_dir()]
        present = {str(p.resolve()) for p in files}
        gone = [p for p in known if p not in present and any(p.startswith(r.rstrip("/\\") + "/") or
                                                              p.startswith(r.rstrip("/\\") + "\\") for r in roots)]
        if gone:
            with store.write() as db:
                for p in gone:
                    for table in ("files", "cells", "findings"):
                        db.execute(f"DELETE FROM {table} WHERE path = ?", (p,))
            result.removed = len(gone)
        result.rechecked = _recheck_years(store, off)
        result.years_searched = _search_copies(store)
        result.reopened = reviews.reconcile(store)
        # Refused files named in the outcome even when they were refused on an earlier run.
        result.duplicates = store.duplicates()
        bad = store.query("SELECT path, status, error FROM files WHERE status != 'checked' ORDER BY path")
        result.refused = [(r["path"], r["error"]) for r in bad if r["path"] in present]
        result.failed = sum(1 for r in bad if r["path"] in present and r["status"] == "failed")
        return result
    finally:
        store.close()

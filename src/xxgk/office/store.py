"""The office's store: one SQLite file (standard library) holding, per input file, its hash,
path, agency, year, format, every cell and text (the report JSON plus a cell table), every
finding, and when it was checked; plus the reviewers' decisions (never deleted) and the two-year
comparisons.

Several ``xxgk audit`` runs may share one store: WAL journal, a busy timeout, and one short
writer transaction per file. A run killed mid-way leaves every finished file committed and
nothing half-written (SQLite transactions), so the next run simply carries on.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from xxgk.errors import InputError

BUSY_SECONDS = 60.0  # how long a run waits for another run's write before giving up

SCHEMA = """
CREATE TABLE IF NOT EXISTS files(
    path TEXT PRIMARY KEY,
    hash TEXT NOT NULL,            -- sha256 of the file (+ "|rules switched off" if any)
    status TEXT NOT NULL,          -- checked / refused
    error TEXT NOT NULL DEFAULT '',
    agency TEXT, agency_key TEXT, year INTEGER, format TEXT,
    report TEXT,                   -- the report JSON (every cell, fact and text)
    prev_hash TEXT NOT NULL DEFAULT '',  -- last year's report the findings were checked with
    checked_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_agency ON files(agency_key, year);
CREATE TABLE IF NOT EXISTS cells(
    path TEXT NOT NULL, key TEXT NOT NULL, value TEXT,
    PRIMARY KEY(path, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS findings(
    path TEXT NOT NULL, id TEXT NOT NULL, origin TEXT NOT NULL,  -- rules / office
    rule TEXT NOT NULL, severity TEXT NOT NULL, title TEXT, message TEXT NOT NULL,
    addresses TEXT NOT NULL, left_value TEXT, right_value TEXT, diff TEXT,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY(path, id));
CREATE TABLE IF NOT EXISTS reviews(
    agency_key TEXT NOT NULL, year INTEGER NOT NULL, finding_id TEXT NOT NULL,
    status TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', fingerprint TEXT NOT NULL,
    reopened INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL,
    PRIMARY KEY(agency_key, year, finding_id));
CREATE TABLE IF NOT EXISTS review_log(
    n INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, agency_key TEXT, year INTEGER,
    finding_id TEXT, status TEXT, note TEXT, fingerprint TEXT, source TEXT);
CREATE TABLE IF NOT EXISTS comparisons(
    agency_key TEXT NOT NULL, year INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY(agency_key, year));
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
"""


def now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")


class Store:
    """An open store. Use :meth:`write` for every change (one short transaction)."""

    def __init__(self, path: str | Path, busy_seconds: float = BUSY_SECONDS) -> None:
        self.path = Path(path)
        if self.path.exists() and not self.path.is_file():
            raise InputError(f"审核库 {self.path} 不是文件。请用 --db 指定一个 .sqlite 文件。")
        self.busy_seconds = busy_seconds
        try:
            self.db = sqlite3.connect(self.path, timeout=busy_seconds, isolation_level=None)
            self.db.execute(f"PRAGMA busy_timeout = {int(busy_seconds * 1000)}")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            # Each CREATE … IF NOT EXISTS is atomic on its own; executescript commits anyway.
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise self._refusal(exc) from None

    def _refusal(self, exc: sqlite3.DatabaseError) -> InputError:
        if "locked" in str(exc) or "busy" in str(exc):
            return InputError(f"审核库 {self.path} 正被另一个 xxgk 审核占用，已等待 {self.busy_seconds:.0f} 秒仍未释放。"
                              "请等另一个审核结束后再运行（审核库未受影响）。")
        return InputError(f"审核库 {self.path} 无法使用（{exc}）。如不是 xxgk 的审核库，请用 --db 另指定一个文件。")

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One writer transaction: all of it or none of it."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._refusal(exc) from None
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        try:
            self.db.execute("COMMIT")
        except sqlite3.OperationalError as exc:  # pragma: no cover - COMMIT waits for readers in WAL only rarely
            self.db.execute("ROLLBACK")
            raise self._refusal(exc) from None

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ reading
    def query(self, sql: str, params: tuple | list = ()) -> list[sqlite3.Row]:
        cur = self.db.cursor()
        cur.row_factory = sqlite3.Row
        return cur.execute(sql, params).fetchall()

    def hashes(self) -> dict[str, str]:
        return {path: h for path, h in self.db.execute("SELECT path, hash FROM files")}

    def duplicates(self) -> list[list[sqlite3.Row]]:
        """Groups of files holding a report of the same agency and year (the last one is used)."""
        rows = self.query("SELECT path, agency, year, checked_at FROM files WHERE status = 'checked'"
                          " AND (agency_key, year) IN (SELECT agency_key, year FROM files WHERE status = 'checked'"
                          " GROUP BY agency_key, year HAVING count(*) > 1) ORDER BY agency_key, year, checked_at, path")
        groups: dict[tuple[str, int], list[sqlite3.Row]] = {}
        for r in rows:
            groups.setdefault((r["agency"], r["year"]), []).append(r)
        return list(groups.values())

    def reports(self) -> list[sqlite3.Row]:
        """Every readable report, one per (agency, year): the most recently checked file wins."""
        rows = self.query("SELECT * FROM files WHERE status = 'checked' ORDER BY checked_at, path")
        best: dict[tuple[str, int], sqlite3.Row] = {}
        for r in rows:
            best[(r["agency_key"], r["year"])] = r
        return sorted(best.values(), key=lambda r: (r["agency_key"], r["year"]))


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)

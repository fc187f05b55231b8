"""Reviewers' decisions that last. A decision belongs to a finding of one agency's report of one
year — (agency, year, the finding's stable id) — and to the values the finding compared (its
fingerprint). A re-run keeps every decision whose finding still compares the same values and
reopens (back to 待核实, note kept, said in the output) one whose values changed. Every decision
ever made is also appended to ``review_log``: nothing a reviewer typed is lost."""

from __future__ import annotations

from typing import Any

from xxgk.errors import InputError
from xxgk.office.definitions import new_status, statuses
from xxgk.office.store import Store, now


def ref(agency_key: str, year: int, finding_id: str) -> str:
    """The short 编号 a person types or sees in the summary workbook."""
    import hashlib

    return "F" + hashlib.sha1(f"{agency_key}|{year}|{finding_id}".encode()).hexdigest()[:8].upper()


def current_findings(store: Store) -> list[dict[str, Any]]:
    """Every finding of the current reports (one per agency and year), with its decision."""
    rows = store.query(
        "SELECT f.*, r.agency, r.agency_key, r.year, r.path AS file, v.status AS review_status, v.note,"
        " v.fingerprint AS review_fingerprint, v.reopened FROM findings f JOIN files r ON r.path = f.path"
        " LEFT JOIN reviews v ON v.agency_key = r.agency_key AND v.year = r.year AND v.finding_id = f.id"
        " ORDER BY r.agency_key, r.year, f.severity, f.rule, f.id")
    current = {(r["agency_key"], r["year"]): r["path"] for r in store.reports()}
    out = []
    for r in rows:
        if current.get((r["agency_key"], r["year"])) != r["file"]:
            continue
        d = dict(r)
        d["ref"] = ref(r["agency_key"], r["year"], r["id"])
        d["status"] = r["review_status"] or new_status()
        d["note"] = r["note"] or ""
        out.append(d)
    return out


def reconcile(store: Store) -> list[dict[str, Any]]:
    """Reopen every decision whose finding now compares other values. Returns those reopened."""
    reopened = []
    stale = [f for f in current_findings(store)
             if f["review_fingerprint"] and f["review_fingerprint"] != f["fingerprint"]]
    if not stale:
        return reopened
    with store.write() as db:
        for f in stale:
            db.execute("UPDATE reviews SET status = ?, fingerprint = ?, reopened = 1, updated_at = ?"
                       " WHERE agency_key = ? AND year = ? AND finding_id = ?",
                       (new_status(), f["fingerprint"], now(), f["agency_key"], f["year"], f["id"]))
            _log(db, f["agency_key"], f["year"], f["id"], new_status(), f["note"], f["fingerprint"],
                 f"重新打开（原为{f['status']}，所比较的数值已变化）")
            reopened.append({**f, "old_status": f["status"]})
    return reopened


def _log(db: Any, agency_key: str, year: int, finding_id: str, status: str, note: str, fp: str, source: str) -> None:
    db.execute("INSERT INTO review_log(at, agency_key, year, finding_id, status, note, fingerprint, source)"
               " VALUES (?,?,?,?,?,?,?,?)", (now(), agency_key, year, finding_id, status, note, fp, source))


def check_status(status: str, where: str = "") -> str:
    status = (status or "").strip()
    if status not in statuses():
        raise InputError(f"{where}状态“{status}”无效。状态只能是：{'、'.join(statuses())}。")
    return status


def decide(store: Store, items: list[dict[str, Any]], source: str) -> int:
    """Record decisions (each: agency_key, year, finding_id, fingerprint, status, note) in one
    transaction. Returns how many changed anything."""
    changed = 0
    with store.write() as db:
        for it in items:
            old = db.execute("SELECT status, note, fingerprint FROM reviews WHERE agency_key = ? AND year = ?"
                             " AND finding_id = ?", (it["agency_key"], it["year"], it["finding_id"])).fetchone()
            if old is None and it["status"] == new_status() and not it["note"]:
                continue  # nothing decided yet
            if old is not None and (old[0], old[1], old[2]) == (it["status"], it["note"], it["fingerprint"]):
                continue
            db.execute("INSERT OR REPLACE INTO reviews(agency_key, year, finding_id, status, note, fingerprint,"
                       " reopened, updated_at) VALUES (?,?,?,?,?,?,0,?)",
                       (it["agency_key"], it["year"], it["finding_id"], it["status"], it["note"],
                        it["fingerprint"], now()))
            _log(db, it["agency_key"], it["year"], it["finding_id"], it["status"], it["note"], it["fingerprint"], source)
            changed += 1
    return changed


def select(store: Store, refs: list[str] = (), rule: str = "", agency: str = "",
           year: int | None = None) -> list[dict[str, Any]]:
    """Current findings by 编号, or in bulk by rule and/or agency (and year)."""
    from xxgk.office.agencies import agency_key

    found = current_findings(store)
    if refs:
        wanted = {r.strip().upper() for r in refs}
        picked = [f for f in found if f["ref"] in wanted]
        missing = wanted - {f["ref"] for f in picked}
        if missing:
            raise InputError(f"审核库中没有这些问题编号：{'、'.join(sorted(missing))}。编号见汇总工作簿“问题清单”第一列。")
        return picked
    if not (rule or agency):
        raise InputError("请指定问题编号，或用 --rule / --agency 批量选择问题。")
    key = agency_key(agency) if agency else ""
    return [f for f in found if (not rule or f["rule"] == rule) and (not key or f["agency_key"] == key)
            and (year is None or f["year"] == year)]

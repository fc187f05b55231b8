"""The thin glue between ``xxgk audit --db …`` / ``xxgk review`` and the office package."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xxgk.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, InputError
from xxgk.office.definitions import DEFAULT_NAME
from xxgk.office.store import Store


def wanted(args: argparse.Namespace) -> bool:
    """Does this ``xxgk audit`` use the store (any office option given)?"""
    return any(getattr(args, name, None) for name in ("db", "to", "letters", "roster", "jobs"))


def db_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if isinstance(args.db, str) and args.db else Path(DEFAULT_NAME)


def audit(args: argparse.Namespace, disabled: list[str]) -> int:
    """``disabled``: the rule ids of ``--disable``, as the CLI parsed them."""
    from xxgk.office.run import run_audit

    db = db_path(args)
    jobs = args.jobs or 1
    if jobs < 1:
        raise InputError(f"--jobs 应为正整数（现为 {jobs}）。")
    roster = None
    if args.roster:
        from xxgk.office.agencies import read_roster

        roster = read_roster(args.roster)  # read first: a bad roster stops before any work
    result = run_audit(args.files, db, jobs=jobs, disabled=disabled,
                       on_refused=lambda p, e: print(f"{p}：无法读取：{e}", file=sys.stderr))
    print(f"审核库：{db.resolve()}")
    print(f"共 {result.files} 份文件：新读取或有变化 {result.read} 份，未变化（未重读）{result.unchanged} 份"
          + (f"，已从文件夹中移除 {result.removed} 份" if result.removed else "") + "。")
    if result.rechecked:
        print(f"与上年报告重新对照 {result.rechecked} 份。")
    if result.years_searched:
        print(f"已在 {'、'.join(str(y) for y in result.years_searched)} 年度的报告之间查找雷同文字。")
    for f in result.reopened:
        print(f"重新打开：{f['ref']} {f['agency']} {f['year']} 年度 {f['rule']}（原为“{f['old_status']}”，"
              "所比较的数值已变化，请重新核实）")
    for group in result.duplicates:
        first = group[-1]
        print(f"注意：{first['agency']} {first['year']} 年度有 {len(group)} 份文件，使用最后读取的 {first['path']}；"
              f"其余：{'、'.join(r['path'] for r in group[:-1])}。如不是同一份年报，请检查单位名称和年度。")
    if result.refused:
        print(f"无法读取 {len(result.refused)} 份（见审核库及汇总工作簿）。")
    store = Store(db)
    try:
        from xxgk.office.tables import office_tables

        tables = office_tables(store, roster, full=bool(args.to or args.letters))
        print(tables.summary_line())
        for target in args.to or []:
            path = _write_output(tables, Path(target))
            print(f"已写出：{path}")
        if args.letters:
            from xxgk.office.letters import write_letters

            paths = write_letters(tables, Path(args.letters))
            print(f"已写出整改通知 {len(paths)} 份：{Path(args.letters).resolve()}")
    finally:
        store.close()
    if result.refused:  # as a batch of `xxgk audit`: 3 if a file hit an internal error, else 2
        return EXIT_INTERNAL if result.failed else EXIT_INPUT
    return EXIT_FINDINGS if tables.has_open_errors() else EXIT_OK


def _write_output(tables, target: Path) -> Path:
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        from xxgk.office.summary_xlsx import write_summary

        return write_summary(tables, target)
    if suffix in (".html", ".htm"):
        from xxgk.office.dashboard import write_dashboard

        return write_dashboard(tables, target)
    raise InputError(f"--to 只能写出 .xlsx（汇总工作簿）或 .html（汇总网页），现为 {target.name}。")


def review(args: argparse.Namespace) -> int:
    from xxgk.office import reviews

    db = db_path(args)
    if not db.is_file():
        raise InputError(f"找不到审核库 {db}。请先运行 xxgk audit 文件夹 --db {db}。")
    store = Store(db)
    try:
        if args.source:
            from xxgk.office.summary_xlsx import read_feedback

            items = read_feedback(store, Path(args.source))
            changed = reviews.decide(store, items, f"汇总工作簿 {Path(args.source).name}")
            print(f"已从 {args.source} 读入审核结论：{changed} 条有变化，{len(items) - changed} 条未变。")
            return 0
        if not args.status:
            raise InputError(f"请用 --status 指定状态（{'、'.join(reviews.statuses())}）。")
        status = reviews.check_status(args.status)
        picked = reviews.select(store, args.refs, args.rule or "", args.agency or "", args.year)
        if not picked:
            raise InputError("没有符合条件的问题，未作任何更改。")
        items = [{"agency_key": f["agency_key"], "year": f["year"], "finding_id": f["id"],
                  "fingerprint": f["fingerprint"], "status": status,
                  "note": args.note if args.note is not None else f["note"]} for f in picked]
        changed = reviews.decide(store, items, "xxgk review")
        print(f"已将 {len(picked)} 条问题标记为“{status}”（{changed} 条有变化）。")
        return 0
    finally:
        store.close()

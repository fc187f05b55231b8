"""The ``xxgk`` command: each sub-command is a thin call into the library.

Exit status: 0 no 错误; 1 错误 found (check) or refused (export); 2 the input could not be used
(the message says why and what to do); 3 an internal error (the trace is in the log file named).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from xxgk import __version__
from xxgk.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, InputError
from xxgk.office.definitions import DEFAULT_NAME, statuses

# argparse's own words, in Chinese: everything a user sees is Chinese.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "expected one argument": "需要一个值",
    "invalid choice: %(value)r (choose from %(choices)s)": "取值 %(value)r 无效（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "%(type)s 取值无效：%(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}


def _zh(text: str) -> str:
    return _ARGPARSE_ZH.get(text, text)


argparse._ = _zh  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"{self.prog}：参数有误：{message}\n请运行 `{self.prog} --help` 查看用法。\n")


# ------------------------------------------------------------------ commands
def _disabled(args: argparse.Namespace) -> list[str]:
    """Rule ids from repeated and comma-separated ``--disable``."""
    return [d.strip() for item in args.disable for d in item.split(",") if d.strip()]


def cmd_check(args: argparse.Namespace) -> int:
    from xxgk.batch import FileFailure
    from xxgk.findings_report import as_dict, render_text
    from xxgk.jsonstream import JsonList
    from xxgk.rules import check, has_errors
    from xxgk.sources import read_report

    previous = read_report(args.previous) if args.previous else None
    disabled = _disabled(args)
    worst = EXIT_OK
    unread = 0
    results = JsonList(sys.stdout, bare_if_one=True)  # streamed: one file's result in memory at a time
    for name in args.files:
        try:
            report = read_report(name)
            findings = check(report, previous=previous, disabled=disabled)
        except Exception as exc:
            # One bad file never stops a batch: record it, go on with the next.
            if len(args.files) == 1:
                raise
            failed = FileFailure.of(name, exc)
            print(f"{name}：{failed.message}", file=sys.stderr)
            worst, unread = max(worst, failed.exit_code), unread + 1
            if args.format == "json":
                results.add(failed.to_dict())
            continue
        if has_errors(findings):
            worst = max(worst, EXIT_FINDINGS)
        if args.format == "json":
            results.add(as_dict(findings, report, str(name), disabled=disabled))
        else:
            print(render_text(findings, report, Path(name).name, limit=args.limit, disabled=disabled))
    if args.format == "json":
        results.close()
        sys.stdout.write("\n")
    elif len(args.files) > 1:
        print(f"共 {len(args.files)} 份：已校验 {len(args.files) - unread} 份，无法读取 {unread} 份。")
    return worst


def cmd_schema(args: argparse.Namespace) -> int:
    from xxgk.schema import report_schema

    sys.stdout.write(json.dumps(report_schema(args.format_version), ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from xxgk.rules import catalogue

    for rule in catalogue():
        print(f"{rule.id:<22} {rule.severity.label}  {rule.title}")
    return EXIT_OK


def cmd_example(args: argparse.Namespace) -> int:
    from xxgk.examples import load_example
    from xxgk.report import dump_json

    path = dump_json(load_example(), args.output)
    print(f"已写出示例年报（保定市科学技术局 2024 年度）：{path}")
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from xxgk.fileio import same_file
    from xxgk.sources import read_report
    from xxgk.workbook import write_workbook

    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise InputError(f"输出文件应以 .xlsx 结尾（现为“{out.name}”），例如：xxgk new 2024年报.xlsx")
    for given in (args.source, args.previous):
        if given and same_file(Path(given), out):
            raise InputError(f"输出文件 {out} 与输入文件相同。为免覆盖输入，请换一个输出文件名。")
    report = read_report(args.source) if args.source else None
    previous = read_report(args.previous) if args.previous else None
    if args.year is not None and not 1900 < args.year < 3000:
        raise InputError(f"--year 应为四位年份（现为 {args.year}），例如 --year 2024。")
    path = write_workbook(out, report, year=args.year, agency=args.agency or "", previous=previous)
    if report is not None:
        from xxgk.workbook.reader import recomputed_totals

        changed = recomputed_totals(report)
        if changed:
            print(f"注意：{args.source} 中有 {len(changed)} 个合计与分项之和不一致（如 {changed[0]}），"
                  "工作簿中的合计一律由公式按分项自动计算。")
        cell_notes = [n for n in report.notes if n.key in report.cells]  # not an import's label notes
        if cell_notes:
            print(f"注意：{args.source} 有 {len(cell_notes)} 个单元格的内容未能按数字读取或已自动规范，"
                  "请在新工作簿中核对（可先运行 xxgk check 查看）。")
    agency = args.agency or (report.agency if report else "")
    year = args.year if args.year is not None else (report.year if report else "")
    what = f"{agency} {year}".strip()
    print(f"已生成填报工作簿：{path}" + (f"（{what}）" if what else ""))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from xxgk.export import FORMAT_NAMES, ExportRefused, export, parse_formats
    from xxgk.findings_report import switch_lines, verdict
    from xxgk.sources import read_report

    formats = parse_formats(args.to)
    report = read_report(args.input)
    previous = read_report(args.previous) if args.previous else None
    disabled = _disabled(args)
    if args.generate:
        from xxgk.narrative import regenerate

        report, notices = regenerate(report)
        for notice in notices:
            print(f"提示：{notice}")
    outdir = Path(args.output) if args.output else Path(args.input).resolve().parent
    try:
        result = export(report, formats, outdir, force=args.force, previous=previous, disabled=disabled)
    except ExportRefused as exc:
        print(f"xxgk：{exc}", file=sys.stderr)
        return EXIT_FINDINGS
    print(f"校验：{verdict(result.findings)}")
    for line in switch_lines(report, disabled):
        print(line)
    if result.forced:
        errors = sum(f.is_error for f in result.findings)
        print(f"注意：年报有 {errors} 处错误，已按 --force 强制导出。发布前请改正错误后重新导出。")
    for path in result:
        print(f"已导出{FORMAT_NAMES[path.suffix.lstrip('.')]}：{path}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from xxgk.demo import run

    run(args.folder)
    return EXIT_OK


def cmd_addin(args: argparse.Namespace) -> int:
    from xxgk.addin import build, install

    if getattr(args, "wps", None) is not None:
        from xxgk.addin import wps_build

        return wps_build.cmd(args.action, args.wps)
    if args.action == "build":
        out = Path(args.output or install.INSTALLED_NAME)
        problems = build.lint_sources()
        if problems:
            raise InputError("加载项源文件有误，未构建：", problems)
        build.build_xlam(out)
        print(f"已构建加载项：{out.resolve()}")
        return EXIT_OK
    install.require_windows()
    lines = install.install() if args.action == "install" else install.uninstall()
    print("\n".join(lines))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from xxgk.serve import server, state

    state_file = Path(args.state_file) if args.state_file else state.default_path()
    service = server.create(args.port, origins=[*server.DEFAULT_ORIGINS, *args.allow_origin],
                            idle=args.idle, state_file=state_file)
    idle = f"空闲 {args.idle:g} 秒后自动停止" if args.idle else "不会自动停止"
    try:  # Ctrl+C may come as soon as the line below is read
        print(f"xxgk 服务已启动：{service.url}（只接受本机 WPS 加载项的请求；{idle}；按 Ctrl+C 停止）", flush=True)
        server.serve_forever(service)
    except KeyboardInterrupt:  # the user's way to stop it: not an error
        state.remove_state(state_file, service.settings.token)  # also if Ctrl+C came before serving
    print("xxgk 服务已停止。", flush=True)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from xxgk.importer import import_report
    from xxgk.report import dump_json

    result = import_report(args.file)
    sys.stdout.write(result.summary_text())
    if args.output:
        path = dump_json(result.report, args.output, overwrite=args.force)
        print(f"已写出年报 JSON：{path}（可用 `xxgk check {path}` 校验，或 `xxgk audit` 直接读取并校验发布稿）")
    else:
        print("未指定 -o 输出文件，只显示读取情况，没有写出 JSON。")
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    from xxgk.office import commands as office

    if office.wanted(args):  # the collecting office: a store, reviews, summary outputs
        return office.audit(args, _disabled(args))
    from xxgk.batch import FileFailure
    from xxgk.importer.audit import (
        Audit,
        Summary,
        audit_dict,
        audit_file,
        expand_inputs,
        render_audit,
        summary_table,
    )
    from xxgk.jsonstream import JsonList

    disabled = _disabled(args)
    files = expand_inputs(args.files)
    many = len(files) > 1
    # Streamed: each file's result is written out and dropped; only its summary row is kept (on disk).
    summary = Summary()
    each = JsonList(sys.stdout, bare_if_one=not many) if args.format == "json" and not args.summary else None
    for n, name in enumerate(files, 1):
        if many:
            print(f"[{n}/{len(files)}] 正在读取并校验 {name} …", file=sys.stderr, flush=True)
        try:
            audit = audit_file(name, disabled)
        except Exception as exc:
            # One bad file never stops a batch: record it, go on with the next.
            if not many:
                raise
            failed = FileFailure.of(name, exc)
            print(f"{name}：{failed.message}", file=sys.stderr)
            audit = Audit(str(name), error=failed.reason, internal=failed.exit_code == EXIT_INTERNAL)
        else:
            if args.format == "text" and not args.summary:
                print(render_audit(audit, limit=args.limit))
        summary.add(audit)
        if each is not None:
            each.add(audit_dict(audit))
        del audit
    with summary:
        if each is not None:
            each.close()
            sys.stdout.write("\n")
        elif args.format == "json" and args.summary:
            summary.write_json(sys.stdout)
        elif many or args.summary:
            print("【汇总】")
            sys.stdout.write(summary_table(summary))
        return summary.exit_code  # the rule the summary prints (BATCH_EXIT_RULE)


def cmd_review(args: argparse.Namespace) -> int:
    from xxgk.office import commands as office

    return office.review(args)


def _office_audit_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", nargs="?", const=True, metavar="审核库",
                   help=f"把结果存入审核库（SQLite），再次运行只重读新增或改动的文件；不写文件名则为当前文件夹的 {DEFAULT_NAME}")
    p.add_argument("--jobs", type=int, metavar="N", help="用 N 个进程读取文件（默认 1）")
    p.add_argument("--roster", metavar="单位名单", help="单位名单 .xlsx/.csv（列：单位、级别、上级），列出未报送的单位")
    p.add_argument("--to", action="append", metavar="输出文件",
                   help="写出汇总：汇总.xlsx（汇总工作簿）或 汇总.html（汇总网页），可重复")
    p.add_argument("--letters", metavar="目录", help="为每个有待整改问题的单位写一份整改通知（.docx）到该目录")


def _office_review_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("refs", nargs="*", metavar="问题编号", help="问题编号（汇总工作簿“问题清单”第一列），可多个")
    p.add_argument("--db", default=None, metavar="审核库", help=f"审核库文件（默认当前文件夹的 {DEFAULT_NAME}）")
    p.add_argument("--status", metavar="状态", help=f"{'、'.join(statuses()[:-1])} 或 {statuses()[-1]}")
    p.add_argument("--note", metavar="备注", help="备注（不填则保留原备注）")
    p.add_argument("--rule", metavar="规则编号", help="批量：该规则的全部问题")
    p.add_argument("--agency", metavar="单位", help="批量：该单位的全部问题")
    p.add_argument("--year", type=int, metavar="年度", help="批量时只选该年度")
    p.add_argument("--from", dest="source", metavar="汇总工作簿",
                   help="读回汇总工作簿中填写的“状态”“备注”列（有一行不合格则整个文件不读入）")


# ------------------------------------------------------------------ parser
def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="xxgk",
        description="政府信息公开年报助手：按国办公开办函〔2021〕30号格式填报、校验、生成说明并导出年度报告。",
    )
    parser.add_argument("--version", action="version", version=f"xxgk {__version__}", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    def add(name: str, func: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

    p = add("check", cmd_check, "校验年报（JSON 或工作簿），按错误、提示分组列出全部问题")
    p.add_argument("files", nargs="+", metavar="文件", help="年报 JSON 或 xxgk 工作簿，可多个")
    p.add_argument("--previous", metavar="上年文件", help="上年年报（JSON 或工作簿），用于跨年度核对")
    p.add_argument("--disable", action="append", default=[], metavar="规则编号",
                   help="停用规则，可重复或用逗号分隔（xxgk rules 列出全部编号）")
    p.add_argument("--format", choices=["text", "json"], default="text", help="输出格式：text（默认）或 json")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="每条规则最多列出 N 处（0 表示全部）")

    p = add("import", cmd_import, "读入已发布的年报（网页 .html、Word .docx、PDF、文本 .txt），写出年报 JSON")
    p.add_argument("file", metavar="文件", help="已发布的年报文件")
    p.add_argument("-o", "--output", metavar="输出文件", help="要写出的年报 JSON（不会覆盖已有文件）")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")

    p = add("audit", cmd_audit, "读入已发布的年报并逐份校验（可多个），最后列出汇总表")
    p.add_argument("files", nargs="+", metavar="文件", help="已发布的年报文件（.html/.htm/.docx/.pdf/.txt），可多个；也可以是文件夹")
    p.add_argument("--format", choices=["text", "json"], default="text", help="输出格式：text（默认）或 json")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="每条规则最多列出 N 处（0 表示全部）")
    p.add_argument("--summary", action="store_true", help="只列出汇总表，不逐份列出校验结果")
    p.add_argument("--disable", action="append", default=[], metavar="规则编号",
                   help="停用规则，可重复或用逗号分隔（xxgk rules 列出全部编号）")
    _office_audit_options(p)

    p = add("review", cmd_review, f"记录审核结论（{'/'.join(statuses())}）：按问题编号、按规则和单位批量，或读回汇总工作簿")
    _office_review_options(p)

    p = add("schema", cmd_schema, "输出年报 JSON 的 JSON Schema（由格式数据生成）")
    p.add_argument("--format-version", default="2021", metavar="版本", help="格式版本，默认 2021")

    add("rules", cmd_rules, "列出全部校验规则（编号、级别、说明）")

    p = add("example", cmd_example, "写出内置示例年报 JSON（保定市科学技术局 2024 年度）")
    p.add_argument("output", metavar="输出文件", help="要写出的 JSON 文件（不会覆盖已有文件）")

    p = add("new", cmd_new, "生成带保护、公式和校验的填报工作簿（.xlsx），可用已有年报预先填好")
    p.add_argument("output", metavar="输出文件", help="要生成的 .xlsx 工作簿（不会覆盖已有文件）")
    p.add_argument("--year", type=int, metavar="年度", help="报告年度，如 2024（不填则由填报人在工作簿中填写）")
    p.add_argument("--agency", metavar="单位", help="填报单位名称")
    p.add_argument("--from", dest="source", metavar="年报文件", help="用已有年报（JSON 或工作簿）预先填写")
    p.add_argument("--previous", metavar="上年文件", help="上年年报（JSON 或工作簿），存入工作簿供跨年度核对")
    p = add("export", cmd_export, "导出可发布的年报：Word（GB/T 9704 公文格式）、网页、JSON；有错误时拒绝导出")
    p.add_argument("input", metavar="文件", help="年报工作簿（.xlsx）或年报 JSON")
    p.add_argument("--to", default="docx,html,json", metavar="格式",
                   help="导出格式，用逗号分隔：docx,html,json（默认全部）")
    p.add_argument("-o", "--output", metavar="目录", help="导出到的文件夹（默认与输入文件相同；不存在则创建）")
    p.add_argument("--force", action="store_true", help="有错误也导出（会注明已强制导出）")
    p.add_argument("--generate", action="store_true",
                   help="导出前先生成说明文字（只填写空白的或未改动过的草稿，人工修改过的文字保留）")
    p.add_argument("--previous", metavar="上年文件", help="上年年报（JSON 或工作簿），用于跨年度核对")
    p.add_argument("--disable", action="append", default=[], metavar="规则编号",
                   help="停用规则，可重复或用逗号分隔")

    p = add("demo", cmd_demo, "用内置示例走一遍全流程：填好工作簿、校验、生成说明，导出 .xlsx、.docx、.html、.json")
    p.add_argument("folder", nargs="?", default="xxgk-示例输出", metavar="目录",
                   help="输出文件夹（默认 ./xxgk-示例输出；已有同名文件时另起新名，不覆盖）")

    p = add("addin", cmd_addin, "加载项：build 构建 Excel 的 .xlam；install / uninstall 为当前用户安装或卸载（Excel 仅 Windows；加 --wps 为 WPS 加载项，Windows、Linux）")
    p.add_argument("action", choices=["build", "install", "uninstall"], metavar="操作",
                   help="build（构建，任何系统）、install（安装）、uninstall（卸载）")
    p.add_argument("-o", "--output", metavar="输出文件", help="build 的输出文件（默认 ./xxgk.xlam；已有的文件只在是先前构建的加载项时替换）")
    p.add_argument("--wps", nargs="?", const="", metavar="目录",
                   help="WPS 加载项：build --wps 目录 构建离线部署包；install --wps / uninstall --wps 为当前用户安装或卸载")

    p = add("serve", cmd_serve, "本机服务（仅 127.0.0.1），供 WPS 加载项的按钮调用；由加载项自动启动，空闲时自动停止")
    p.add_argument("--port", type=int, default=0, metavar="端口", help="端口（默认由系统分配空闲端口）")
    p.add_argument("--idle", type=float, default=900, metavar="秒", help="空闲多少秒后自动停止（默认 900；0 表示不停止）")
    p.add_argument("--allow-origin", action="append", default=[], metavar="来源",
                   help="另外允许的请求来源（Origin），如在线部署的加载项地址；默认只允许离线加载项（null）")
    p.add_argument("--state-file", metavar="文件", help="写入端口和口令的文件（默认 ~/.xxgk/serve.json，仅本人可读）")
    return parser


def _error_kind() -> str:
    return type(sys.exc_info()[1]).__name__


def _tolerant_output() -> None:
    """A Chinese Windows console or a redirect may be GBK: a character it lacks (in an agency
    name, a pasted text) is shown as "?" rather than ending the run."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_INPUT
    from xxgk.fileio import forget_inputs

    forget_inputs()
    try:
        return args.func(args)
    except InputError as exc:
        print(f"xxgk：{exc}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("xxgk：已中断。", file=sys.stderr)
        return EXIT_INPUT
    except Exception:
        from xxgk.logs import log_exception, log_note

        path = log_exception(f"xxgk {' '.join(sys.argv[1:])}")
        print(f"xxgk：内部错误，操作未完成。{log_note(path)}\n"
              + ("请把该日志文件发给维护人员。" if path else f"请腾出磁盘空间后重试；错误类型：{_error_kind()}。"),
              file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

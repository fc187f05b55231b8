"""Export a report: .docx (GB/T 9704), .html (portal page), .json (the Report, schema-checked).

One entry, :func:`export`, used by the CLI (``xxgk export``, ``xxgk demo``) and the add-in. It
refuses a report with 错误 findings (unless ``force``), renders every file in memory first, then
writes each atomically under a free name, so an existing file is never overwritten or left
half-written.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from xxgk.errors import InputError
from xxgk.fileio import WriteFailed, free_name, write_atomic
from xxgk.report import Report
from xxgk.rules import Finding, check, has_errors

FORMATS = ("docx", "html", "json")
FORMAT_NAMES = {"docx": "Word 文档", "html": "网页", "json": "数据文件（JSON）"}


class ExportRefused(InputError):
    """The report has 错误 findings and export was not forced. ``findings`` are all of them."""

    def __init__(self, message: str, findings: Sequence[Finding]) -> None:
        super().__init__(message)
        self.findings = list(findings)


class ExportResult(list):
    """The written paths (a list, in the order asked), plus the findings of the check and
    whether export went ahead despite 错误 (``forced``)."""

    def __init__(self, paths: Iterable[Path] = (), findings: Iterable[Finding] = (), forced: bool = False) -> None:
        super().__init__(paths)
        self.findings = list(findings)
        self.forced = forced


def _render_json(report: Report, disabled: Iterable[str] = ()) -> bytes:
    import json

    from xxgk.findings_report import switches_dict
    from xxgk.schema import validate_report_dict

    data = report.to_dict()
    # Which rules were off when this file was checked for export, and who switched them off.
    off = switches_dict(report, disabled)["rules_off"]
    if off:
        data["rules_off"] = [{"rule": s["rule"], "by": s["by"]} for s in off]
    validate_report_dict(data)
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _render_docx(report: Report) -> bytes:
    from xxgk.export import docx  # python-docx only when a .docx is asked for

    return docx.render(report)


def _render_html(report: Report) -> bytes:
    from xxgk.export import html

    return html.render(report)


def renderers() -> dict[str, Callable[[Report], bytes]]:
    """Format → renderer; each imports what it needs when called."""
    return {"docx": _render_docx, "html": _render_html, "json": _render_json}


def parse_formats(spec: str | Iterable[str]) -> list[str]:
    """``"docx,html"`` or ``["docx", "html"]`` → checked, de-duplicated list."""
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    out: list[str] = []
    for item in (i.strip().lower().lstrip(".") for i in items):
        if not item:
            continue
        if item not in FORMATS:
            raise InputError(f"不支持导出为“{item}”。可选格式：{'、'.join(FORMATS)}（用逗号分隔，如 docx,html,json）。")
        if item not in out:
            out.append(item)
    if not out:
        raise InputError(f"没有指定导出格式。可选格式：{'、'.join(FORMATS)}。")
    return out


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f]')
# A file name holds at most 255 bytes (UTF-8, Linux) or 255 UTF-16 units (Windows): the agency
# part is kept well under, leaving room for the year, the title, " (2)" and the suffix.
MAX_AGENCY_BYTES = 120


def default_stem(report: Report) -> str:
    """``保定市科学技术局2024年政府信息公开工作年度报告``: a file name that is safe on Windows.

    Format characters (bidi overrides such as U+202E that make ``…exe.docx`` look like
    ``…xcod.exe``, zero-width spaces) are dropped; a very long agency name is cut and given a
    short checksum of the whole name, so two long names that start alike stay apart."""
    agency = "".join(ch for ch in _UNSAFE.sub("", report.agency)
                     if unicodedata.category(ch) not in ("Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
    agency = agency.strip().strip(".").strip() or "未填写机关名称"
    if len(agency.encode("utf-8")) > MAX_AGENCY_BYTES:
        digest = hashlib.sha256(report.agency.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        cut = agency
        while len(cut.encode("utf-8")) > MAX_AGENCY_BYTES - 12:
            cut = cut[:-1]
        agency = f"{cut}…{digest}"
    return f"{agency}{report.year}年政府信息公开工作年度报告"


def output_folder(outdir: str | Path, what: str = "导出", option: str = "-o") -> Path:
    """The folder ``outdir``, made if missing; a file in its place, or a folder that cannot be
    made, is refused in Chinese (``what`` names the output, ``option`` the command's option)."""
    folder = Path(outdir)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{what}位置 {folder} 是一个文件，不是文件夹。请指定一个文件夹（{option} 文件夹）。")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from xxgk.fileio import os_reason

        raise InputError(f"无法创建{what}文件夹 {folder}（{os_reason(exc)}）。"
                         "请检查权限或换一个位置。") from None
    return folder


def export(
    report: Report,
    formats: str | Iterable[str],
    outdir: str | Path,
    *,
    force: bool = False,
    stem: str | None = None,
    previous: Report | None = None,
    disabled: Iterable[str] = (),
    findings: Sequence[Finding] | None = None,
) -> ExportResult:
    """Write ``report`` in each of ``formats`` into ``outdir``; return the paths written.

    Refuses (:class:`ExportRefused`, listing every 错误) when the rules find 错误, unless
    ``force``. Files get ``stem`` (default :func:`default_stem`) and their format's suffix; a
    name already taken becomes ``stem (2).docx`` …, so nothing is overwritten. An unwritable
    folder raises :class:`InputError` with a Chinese message.
    """
    from xxgk.findings_report import render_text

    wanted = parse_formats(formats)
    disabled = tuple(disabled)
    found = list(findings) if findings is not None else check(report, previous=previous, disabled=disabled)
    if has_errors(found) and not force:
        errors = [f for f in found if f.is_error]
        raise ExportRefused(
            f"年报有 {len(errors)} 处错误，未导出。请先改正以下错误，或确认无误后加 --force 强制导出：\n"
            # All findings, so the verdict line counts the 提示 too; 错误 are listed first.
            + render_text(found, report, limit=0, disabled=disabled),
            found,
        )
    folder = output_folder(outdir)
    render = renderers()
    # Render everything before writing anything: a rendering failure leaves no partial set.
    render["json"] = functools.partial(_render_json, disabled=disabled)
    payloads = {fmt: render[fmt](report) for fmt in wanted}
    base = stem or default_stem(report)
    written: list[Path] = []
    for n, fmt in enumerate(wanted):
        target = free_name(folder / f"{base}.{fmt}")
        for _ in range(5):  # another process may take the free name between looking and linking
            try:
                written.append(write_atomic(target, payloads[fmt], overwrite=False))
                break
            except WriteFailed as exc:  # a full disk and the like: say what is there and what not
                raise ExportIncomplete(exc, written, [f"{base}.{f}" for f in wanted[n:]]) from exc
            except InputError:
                if not target.exists():
                    raise
                target = free_name(target)
        else:  # pragma: no cover - five collisions in a row
            raise InputError(f"无法在 {folder} 中找到可用的文件名（{base}.{fmt}），未写入。")
    return ExportResult(written, found, forced=force and has_errors(found))


class ExportIncomplete(InputError):
    """Some files were written, then writing failed (a full disk …). ``written`` are complete
    and usable; ``missing`` were not written at all (no partial or temporary file is left)."""

    def __init__(self, cause: InputError, written: Sequence[Path], missing: Sequence[str]) -> None:
        done = "；".join(str(p) for p in written) or "无"
        super().__init__(
            f"导出未完成：{cause.message}\n已写出（完整可用）：{done}\n未写出：{'；'.join(missing)}\n"
            "请腾出磁盘空间或换一个位置（-o 文件夹）后重新导出；已写出的文件不会被覆盖，重新导出时另起新名。")
        self.written = list(written)
        self.missing = list(missing)

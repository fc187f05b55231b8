"""What the worksheet functions compute, apart from the xlwings decorators (testable anywhere).

A UDF must never raise into Excel (that shows #VALUE! and nothing else): problems come back as a
short Chinese text in the cell, the trace goes to the log file.
"""

from __future__ import annotations

from typing import Any

from xxgk.errors import InputError


def status(book: Any) -> str:
    """``可以导出（错误 0 处，提示 2 处）`` for the workbook ``book``."""
    try:
        from xxgk.addin.buttons import load
        from xxgk.findings_report import verdict
        from xxgk.rules import check

        return verdict(check(load(book).report))
    except InputError as exc:
        return f"无法校验：{exc.message}"
    except Exception:
        return _internal("XXGK_STATUS")


def paragraph(book: Any, key: Any) -> str:
    """The generated draft of text ``key`` (``s1.requests``)."""
    try:
        from xxgk.addin.buttons import load
        from xxgk.narrative import generate

        report = load(book).report
        drafts = generate(report)
        key = str(key or "").strip()
        if key not in drafts:
            return f"没有这段说明：{key!r}。可用的键：{'、'.join(drafts)}"
        return drafts[key]
    except InputError as exc:
        return f"无法生成：{exc.message}"
    except Exception:
        return _internal("XXGK_PARAGRAPH")


def _internal(what: str) -> str:
    from xxgk.logs import log_exception, log_note

    return f"内部错误。{log_note(log_exception(what))}"

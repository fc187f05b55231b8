"""The one exception a user may see: input that cannot be read, with a Chinese message.

Problems *in* a report are findings (values, see :mod:`xxgk.rules`); this is only for input that
cannot become a report at all (not JSON, wrong schema, an unreadable workbook, …). The CLI
prints ``message`` and exits 2; the add-in shows it in an alert.
"""

from __future__ import annotations

# The exit codes of every command: no 错误; 错误 found (or export refused); input refused;
# an internal error (the trace is in the log).
EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class InputError(Exception):
    """Input that cannot be used. ``message`` is Chinese and says what to do."""

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []

    def __str__(self) -> str:
        if not self.details:
            return self.message
        return self.message + "\n" + "\n".join(f"  - {d}" for d in self.details)


def unreadable(path: object, exc: OSError) -> InputError:
    """A file the system will not let us read (permissions, a lock), refused by name."""
    from pathlib import Path

    return InputError(f"无法读取文件 {Path(str(path)).name}（{exc.strerror or type(exc).__name__}）。"
                      "请检查文件的读取权限，或确认它没有被其他程序锁定。")

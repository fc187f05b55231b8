"""One file of a batch (``xxgk check a b c``, ``xxgk audit DIR``) that could not be checked:
recorded for that file, and the run goes on to the next and to the summary."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from xxgk.errors import EXIT_INPUT, EXIT_INTERNAL, InputError


@dataclass(frozen=True)
class FileFailure:
    """Why one file of a batch could not be checked: refused (exit 2, the message says why) or
    an internal error (exit 3, the trace is in the log named in the message)."""

    source: str
    reason: str
    exit_code: int

    @classmethod
    def of(cls, source: str | Path, exc: Exception) -> FileFailure:
        """Call while handling ``exc``: an internal error's trace goes to the log."""
        if isinstance(exc, InputError):
            return cls(str(source), str(exc), EXIT_INPUT)
        from xxgk.logs import log_exception, log_note

        log = log_exception(f"xxgk {' '.join(sys.argv[1:])}: {source}")
        return cls(str(source), f"读取时发生内部错误，已跳过该文件。{log_note(log)}", EXIT_INTERNAL)

    @property
    def message(self) -> str:
        return f"无法读取：{self.reason}"

    @property
    def status(self) -> str:
        return "refused" if self.exit_code == EXIT_INPUT else "failed"

    def to_dict(self) -> dict[str, object]:
        return {"source": self.source, "readable": False, "status": self.status, "error": self.reason}

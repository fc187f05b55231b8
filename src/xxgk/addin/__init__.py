"""The Excel add-in: a thin xlwings layer over the same calls as the CLI.

This package is the only place in xxgk that imports xlwings. Every ribbon button runs
``import xxgk.addin; xxgk.addin.dispatch('<tag>')`` (see ``addin/vba/XxgkRibbon.bas``); the
module name is fixed and ASCII, never derived from a file name.
"""

from __future__ import annotations

from typing import Any


def dispatch(tag: str, book: Any = None, **options: Any) -> Any:
    """Run the button ``tag`` on ``book`` (default: the workbook the click came from);
    ``options`` (``folder=``, ``path=``) stand in for the desktop's dialogs.

    Never raises: a user sees a Chinese message, a maintainer the trace in the log file."""
    from xxgk.addin.buttons import dispatch as _dispatch
    from xxgk.fileio import forget_inputs

    # One Python process serves every click: each click is a new command whose inputs start afresh.
    forget_inputs()
    return _dispatch(tag, book, **options)

"""Defined names: the one mapping between keys and the workbook's names.

Every cell key, fact, text, draft, previous-year value, meta field and live check has a
workbook-scoped defined name. Keys contain dots and may look like cell references (``t3`` is
column T, row 3), so a name is a prefix per kind plus the key with ``.`` spelled ``__`` (keys
never contain a double underscore, so the mapping is invertible).
"""

from __future__ import annotations

# kind → prefix. Every prefix starts with "xx" and ends in "_", which no cell reference does.
PREFIXES = {
    "value": "xx_",  # a table cell, fact or text of this year's report
    "draft": "xxdraft_",  # the last generated narrative draft of a text
    "previous": "xxprev_",  # last year's report (figures, facts, texts, year, agency)
    "meta": "xxmeta_",  # format version, tool version, disabled rules, …
    "cover": "xxcover_",  # the cover's input and status cells (year, agency, status)
    "check": "xxcheck_",  # a live check formula
}


def name_for(key: str, kind: str = "value") -> str:
    """The defined name of ``key`` of ``kind`` (see :data:`PREFIXES`)."""
    return PREFIXES[kind] + key.replace(".", "__")


def key_for(name: str) -> tuple[str, str] | None:
    """``(kind, key)`` of a name made by :func:`name_for`, or ``None`` for any other name."""
    # Longest prefix first: "xx_" is a prefix of none of the others, but be explicit.
    for kind, prefix in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if name.startswith(prefix):
            return kind, name[len(prefix):].replace("__", ".")
    return None

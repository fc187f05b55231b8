"""Comparing labels as published with the official ones.

Published reports write the same label many ways: half- or full-width brackets, "1." or "1、",
spaces, line wraps (PDF), 钩稽 for 勾稽, 规范性文件 for 行政规范性文件. :func:`canon` folds all of
that away for matching; :func:`variant_kinds` says which of those differences a label shows, so
the import can report each as a 提示 instead of normalising silently.
"""

from __future__ import annotations

import re
import unicodedata

# Character-level spellings folded for matching (variant → official).
_CHAR_VARIANTS = {"钩稽": "勾稽"}
# Whole-word variants of a 表二 row label, per format (variant → official).
ROW_ALIASES = {
    "2021": {"规范性文件": "行政规范性文件"},
    "2019": {"行政规范性文件": "规范性文件"},
}

_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|\d+[.、])")
# A space run is taken whole from its start (linear time on long runs of spaces).
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff（）。，、：；])\s+|(?<!\s)\s++(?=[\u3400-\u9fff（）。，、：；])")

KIND_BRACKETS = "括号全角/半角"
KIND_NUMBERING = "序号“1、”与“1.”"
KIND_SPACES = "多余空格"
KIND_CHARS = "用字（钩稽/勾稽）"
KIND_WORDING = "用词"


def canon(text: str) -> str:
    """``text`` folded for comparison: NFKC (full-width → half-width), no white space, no quotes,
    "1、" → "1.", 钩稽 → 勾稽."""
    s = unicodedata.normalize("NFKC", text or "")
    s = re.sub(r"\s+", "", s).translate(_QUOTES)
    s = re.sub(r"(?<=\d)、", ".", s)
    for variant, official in _CHAR_VARIANTS.items():
        s = s.replace(variant, official)
    return s


def core(label: str) -> str:
    """The folded label without its numbering: ``（三）不予公开`` → ``不予公开``."""
    return _NUMBERING.sub("", canon(label))


def variant_kinds(found: str, official: str, *, spaces_matter: bool = True) -> list[str]:
    """The kinds of spelling difference between a label as ``found`` and as ``official`` (both the
    same label once folded). Spaces and line breaks count only where the source keeps them
    (``spaces_matter``: not in text extracted from PDF, where they are layout artefacts)."""
    kinds = []
    if re.search(r"[()]", found) and "（" in official:
        kinds.append(KIND_BRACKETS)
    if re.search(r"\d\s*、", found) and re.search(r"\d\.", official):
        kinds.append(KIND_NUMBERING)
    if spaces_matter and re.search(r"\S[ \t\u3000]+\S", found.strip()) and not re.search(r"\S\s\S", official):
        kinds.append(KIND_SPACES)
    if any(v in found and v not in official for v in _CHAR_VARIANTS):
        kinds.append(KIND_CHARS)
    return kinds


def is_subsequence(needle: str, haystack: str) -> bool:
    """Whether ``needle``'s characters occur in order in ``haystack`` (a label wrapped in a PDF
    column, interleaved with its neighbours' fragments, still reads as one)."""
    it = iter(haystack)
    return all(ch in it for ch in needle)


def tidy(text: str) -> str:
    """A label for display: spaces between Chinese characters removed, runs of spaces collapsed."""
    return re.sub(r"\s+", " ", _CJK_SPACE.sub("", text or "")).strip()

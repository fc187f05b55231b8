"""Near-identical texts across many documents without comparing all pairs.

Each text becomes a set of character shingles; a one-permutation MinHash (one hash per shingle,
the minimum kept in each of ``BINS`` bins) sketches the set, and locality-sensitive hashing on
bands of the sketch proposes candidate pairs, which are then confirmed by the exact Jaccard
similarity of the shingle sets. Work grows with the number of texts, not its square.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Hashable, Iterable

BINS = 64
ROWS = 5  # rows per band: 12 bands of 5 → a pair at 0.8 Jaccard is proposed with p ≈ 0.99, at 0.3 with p ≈ 0.03
_EMPTY = 1 << 32
BUCKET_STAR = 20  # a bucket bigger than this pairs each member with its first few only
STAR_PARTNERS = 3

_NOISE = re.compile(r"[\s\d\u3000]+")


def normalise(text: str, drop: Iterable[str] = ()) -> str:
    """Compared text: NFKC, without white space and digits (years and figures differ in
    copied text), and without the given names (an agency's own name, swapped into a copy)."""
    text = unicodedata.normalize("NFKC", text or "")
    for name in drop:
        if name:
            text = text.replace(name, "")
    return _NOISE.sub("", text)


def shingles(text: str, k: int) -> set[int]:
    return {zlib.crc32(text[i:i + k].encode("utf-8")) for i in range(max(1, len(text) - k + 1))}


def sketch(hashes: set[int]) -> tuple[int, ...]:
    bins = [_EMPTY] * BINS
    for h in hashes:
        b, v = h % BINS, h // BINS
        if v < bins[b]:
            bins[b] = v
    return tuple(bins)


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def similar_pairs(docs: dict[Hashable, str], threshold: float, k: int = 5) -> list[tuple[Hashable, Hashable, float]]:
    """Pairs of documents (ids from ``docs``) whose shingle sets have Jaccard ≥ ``threshold``.

    Only the sketches (``BINS`` numbers a text) are kept for all texts; the shingle sets are
    rebuilt for the few candidate pairs, so memory stays small for a whole country's year."""
    ids = [doc for doc, text in docs.items() if text]
    buckets: dict[tuple[int, tuple[int, ...]], list[int]] = defaultdict(list)
    for n, doc in enumerate(ids):
        sk = sketch(shingles(docs[doc], k))
        for band in range(BINS // ROWS):
            part = sk[band * ROWS:(band + 1) * ROWS]
            if part.count(_EMPTY) < ROWS:
                buckets[(band, part)].append(n)
    candidates: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) < 2:
            continue
        idx = sorted(members)
        if len(idx) > BUCKET_STAR:
            # Many texts alike (boilerplate everyone copied): link each to the first few
            # members instead of to every other one, so the work stays linear.
            heads = idx[:STAR_PARTNERS]
            candidates.update((h, i) for i in idx for h in heads if h < i)
        else:
            candidates.update((a, b) for n, a in enumerate(idx) for b in idx[n + 1:])
    out = []
    cache: dict[int, set[int]] = {}
    for a, b in sorted(candidates):
        if a not in cache:
            cache.clear()  # candidates come sorted by their first member: keep just that one
            cache[a] = shingles(docs[ids[a]], k)
        sim = jaccard(cache[a], shingles(docs[ids[b]], k))
        if sim >= threshold:
            out.append((ids[a], ids[b], sim))
    return out


def longest_passage(a: str, b: str) -> str:
    """The longest run of text the two share (as printed in ``a``)."""
    from difflib import SequenceMatcher

    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return a[m.a:m.a + m.size]

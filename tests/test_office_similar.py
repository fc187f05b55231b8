"""Copied text across agencies without comparing all pairs: the LSH search finds what brute
force finds (near-identical texts, names swapped, a few words changed), and nothing else."""

from __future__ import annotations

import random
from itertools import combinations

from office_region import prose
from xxgk.office.similar import jaccard, normalise, shingles, similar_pairs


def test_lsh_finds_what_brute_force_finds():
    rng = random.Random(3)
    docs = {n: prose(rng, 6) for n in range(300)}
    docs[300] = docs[17].replace("。", "；", 2)  # punctuation changed
    docs[301] = docs[42][:-12] + "全力做好各项工作。"  # the ending rewritten
    docs[302] = "这是一段完全不同的文字，" * 8
    texts = {k: normalise(v) for k, v in docs.items()}
    found = {(a, b) for a, b, _ in similar_pairs(texts, 0.8)}
    sets = {k: shingles(v, 5) for k, v in texts.items()}
    brute = {(a, b) for a, b in combinations(sorted(texts), 2) if jaccard(sets[a], sets[b]) >= 0.8}
    assert {(17, 300), (42, 301)} <= brute
    assert found == brute


def test_normalise_drops_names_digits_and_width():
    assert normalise("２０２４年，甲镇人民政府 主动公开", ["甲镇人民政府"]) == "年,主动公开"

"""The timing helpers the benchmarks share. Every figure is a ratio to a baseline measured in the
same run, interleaved with it: in each round every path runs once on the same input, one right
after the other (in an order that rotates), so a noisy neighbour slows both sides of a pair and
the paired ratio stays meaningful. Absolute times are printed for orientation only."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls of ``fn`` (after one warm-up call)."""
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def interleaved(paths: dict[str, Callable[[Any], object]], inputs: Sequence[Any], rounds: int) -> dict[str, list[float]]:
    """Seconds of each path on each input in each round (after one warm-up of each path on the
    first input); ``out[name][k]`` of two paths belong to the same round and input."""
    names = list(paths)
    for name in names:
        paths[name](inputs[0])
    out: dict[str, list[float]] = {name: [] for name in names}
    k = 0
    for _ in range(rounds):
        for item in inputs:
            shift = k % len(names)
            for name in names[shift:] + names[:shift]:
                start = time.perf_counter()
                paths[name](item)
                out[name].append(time.perf_counter() - start)
            k += 1
    return out


def ratios(ours: Sequence[float], base: Sequence[float]) -> list[float]:
    return [a / b for a, b in zip(ours, base, strict=True)]


def summary(values: Sequence[float]) -> str:
    """``min / median / max`` of paired ratios."""
    return f"min {min(values):6.2f}  median {statistics.median(values):6.2f}  max {max(values):6.2f}"


def ms(values: Sequence[float]) -> str:
    return f"{statistics.median(values) * 1000:8.2f} ms"


def files_and_rounds(doc: str) -> argparse.Namespace:
    """The options of a benchmark over many distinct files: ``--files`` and ``--rounds``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args()


def mean_kb(paths: Sequence[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / len(paths) / 1024

"""Linear regular expressions (issue 10 item 4): every pattern of the project, and a whole check
of a report whose texts are 1 MB of adversarial digits and separators, take time in proportion
to the text. Times are compared with a baseline measured in the same test, never with seconds.

A quadratic pattern (the old number pattern: ``收到申请`` + ``1,``×20000 + ``件。`` took 20 s) is
far outside the bounds here. Costs are measured on doubling text sizes and a test fails at the
first size that grows faster than linear, before a large text could make it run for hours.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

import xxgk
from xxgk.examples import load_example
from xxgk.report import load_json, loads
from xxgk.rules import catalogue, check
from xxgk.rules import prose as P

RATIO = 20  # a pattern may cost this many times a plain per-character scan of the same text


def project_patterns() -> dict[str, re.Pattern[str]]:
    """Every compiled text pattern held by a module of xxgk, and every pattern of the rule
    catalogue as the checks compile it."""
    out: dict[str, re.Pattern[str]] = {}
    for m in pkgutil.walk_packages(xxgk.__path__, "xxgk."):
        if m.name.endswith("__main__") or ".addin" in m.name:  # __main__ runs the CLI
            continue
        for k, v in vars(importlib.import_module(m.name)).items():
            if isinstance(v, re.Pattern) and isinstance(v.pattern, str):
                out[f"{m.name}.{k}"] = v
    for r in catalogue():
        for i, p in enumerate(r.params.get("patterns", [])):
            out[f"{r.id}.patterns[{i}]"] = P.expand(p)
        for i, o in enumerate(r.params.get("outcomes", [])):
            out[f"{r.id}.outcomes[{i}]"] = re.compile(f"(?:{o['pattern']})(?:的|申请|情形)?{P.NUMBER}{P.UNIT}")
        for i, o in enumerate(r.params.get("misplaced", [])):
            out[f"{r.id}.said[{i}]"] = re.compile(o["said"])
            out[f"{r.id}.reason[{i}]"] = re.compile(o["reason"])
    return out


def shapes(n: int) -> dict[str, str]:
    """Texts of about ``n`` characters built to make a backtracking pattern rescan."""
    return {
        "digits and commas": "收到申请" + "1," * (n // 2) + "件。",
        "digits and full-width commas": "行政复议" + "1，" * (n // 2),
        "digits": "1" * n,
        "digits and dots": "收取信息处理费" + "1." * (n // 2),
        "Chinese numerals": "一" * n,
        "spaces": "2024年" + " " * n + "x",
        "fee clauses": ("收取处理费" + "1" * 50) * (n // 55),
        "unclosed placeholders": "【待填写：" * (n // 5),
        "repeated openers": "补正后" * (n // 3),
    }


def best(fn: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


_SCAN = re.compile(r"(?:为|是)?[\d,，]")  # a per-character scan: the baseline


def grows_linearly(cost: Callable[[int], tuple[float, float]], top: int, start: int = 250) -> str:
    """Measure ``cost(n) -> (time, baseline time)`` for n = start, 2·start, … up to ``top``; "" if
    it stays linear, else what went wrong. Doubling n may cost at most 3× (quadratic: 4×,
    cubic: 8×) unless the time stays within RATIO × the baseline; the ladder stops at the first
    step that is too slow, so a regression fails in seconds instead of running for hours (a
    regex scan cannot be interrupted)."""
    n, last = start, None
    while True:
        took, base = cost(n)
        if took > RATIO * base and (last is None or took > 3 * last):
            took, base = cost(n)  # measure again before blaming noise
            if took > RATIO * base and (last is None or took > 3 * last):
                return f"n={n}: {took / base:.0f}× the baseline" + (f", {took / last:.1f}× the previous step" if last else "")
        if n >= top:
            return ""
        n, last = min(2 * n, top), took


def test_every_pattern_is_linear_on_adversarial_text() -> None:
    patterns = project_patterns()
    assert len(patterns) > 30  # the walk found them (catalogue and modules)
    slow = []
    texts = cache(shapes)

    @cache
    def base(n: int, shape: str) -> float:
        text = texts(n)[shape]
        return max(best(lambda: sum(1 for _ in _SCAN.finditer(text))), best(lambda: P.compact(text)))

    for shape in shapes(1):
        for name, p in patterns.items():
            def cost(n: int, p: re.Pattern[str] = p, shape: str = shape) -> tuple[float, float]:
                text = texts(n)[shape]
                return best(lambda: sum(1 for _ in p.finditer(text))), base(n, shape)

            why = grows_linearly(cost, top=100_000)
            if why:
                slow.append(f"{name} on {shape}: {why}")
    assert not slow, slow


def test_the_number_pattern_still_reads_what_it_read() -> None:
    figure = re.compile(P.NUMBER + P.UNIT)
    found = [m.group("n") for m in figure.finditer("收到申请3,119件，其中行政复议，2件；共计十二件；为105件")]
    assert found == ["3,119", "2", "十二", "105"]
    assert [P.parse_number(n) for n in found] == [3119, 2, 12, 105]
    assert P.fee_amounts("收取信息处理费1,200元") == [(0, 1200)]


def hostile_texts(n: int) -> dict[str, str]:
    """``n`` pairs of digits and separators in two texts."""
    return {"s1.requests": "收到申请" + "1," * n + "件。", "s6.fees": "收取处理费" + "1，" * n}


def check_cost(n: int) -> tuple[float, float]:
    """(time to check, time to read) a report with ``n`` adversarial pairs in two texts (and the
    same in last year's report, for the same-text rule)."""
    report = load_example()
    report.texts.update(hostile_texts(n))
    report.previous = load_example()
    report.previous.texts.update(hostile_texts(n))
    text = json.dumps(report.to_dict(), ensure_ascii=False)
    return best(lambda: check(report)), best(lambda: loads(text))


def test_a_report_of_1mb_adversarial_texts_is_checked_in_about_the_time_of_reading_it(tmp_path: Path) -> None:
    # From texts of 8 KB (below that the fixed cost of running every rule dominates) to 1 MB.
    why = grows_linearly(check_cost, start=4_000, top=500_000)
    assert not why, why
    report = load_example()
    # 1 MB of digits and separators in two texts (the JSON stays under the file-size limit).
    hostile = hostile_texts(500_000)
    report.texts.update(hostile)
    report.previous = load_example()
    report.previous.year = report.year - 1
    report.previous.texts.update(hostile)  # same_text compares two such texts
    path = tmp_path / "big.json"
    path.write_text(json.dumps(report.to_dict(), ensure_ascii=False), encoding="utf-8")
    read = best(lambda: load_json(path), runs=2)
    loaded = load_json(path)
    took = best(lambda: check(loaded), runs=2)
    assert took <= 5 * read, f"check {took:.2f} s vs reading {read:.2f} s"
    cut = [f for f in check(loaded) if f.rule == "TXT-TOO-LONG"]
    assert {f.cells[0] for f in cut} == set(hostile)
    f = cut[0]
    assert f.left == len(report.texts[f.cells[0]]) and f.right == P.MAX_TEXT_CHARS
    assert f"超过正文核对的上限 {P.MAX_TEXT_CHARS} 字" in f.message and not f.is_error


@pytest.mark.parametrize("size", [1_000, 5_000])
def test_same_text_is_still_found_in_long_texts(size: int) -> None:
    report = load_example()
    report.previous = load_example()
    report.previous.year = report.year - 1
    text = "".join(f"本机关第{i}项工作按要求完成，公开政府信息。" for i in range(size // 20))
    report.texts["s1.intro"] = text
    report.previous.texts["s1.intro"] = text.replace("完成", "办完", 1)
    assert [f for f in check(report) if f.rule == "XY-SAME-TEXT" and f.cells == ("s1.intro",)]
    report.previous.texts["s1.intro"] = "".join(f"今年新的第{i}件事情，另写了一段话。" for i in range(size // 20))
    assert not [f for f in check(report) if f.rule == "XY-SAME-TEXT" and f.cells == ("s1.intro",)]

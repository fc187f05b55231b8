"""The 依申请公开 draft says how the number of new requests changed from last year, when last
year's report is known (templates/narrative/s1.requests.j2, 较上年)."""

from __future__ import annotations

import copy

from fixtures import huaian_2024
from xxgk.narrative import generate


def _with_previous(new_last_year: int | None):
    report = huaian_2024()
    prev = copy.deepcopy(report)
    prev.year = 2023
    prev.cells["t3.new.total"] = new_last_year
    report.previous = prev
    return report


def test_growth_over_last_year():
    # 3119 this year against 2777: +12.3 %
    assert "新收政府信息公开申请3119件，较上年增长12.3%，" in generate(_with_previous(2777))["s1.requests"]


def test_fall_and_no_change():
    assert "较上年下降9.9%" in generate(_with_previous(3462))["s1.requests"]
    assert "3119件，与上年持平，" in generate(_with_previous(3119))["s1.requests"]


def test_nothing_said_without_last_year_or_its_figure():
    assert "较上年" not in generate(huaian_2024())["s1.requests"]
    assert "较上年" not in generate(_with_previous(None))["s1.requests"]
    assert "较上年" not in generate(_with_previous(0))["s1.requests"]

"""Prose against 表三 on wordings met in the corpus's portal pages (issue 11): a sentence that
gives the answered total and then splits it by outcome must be read for the total only."""

from __future__ import annotations

import pytest

from fixtures import huaian_2024
from xxgk.report import Report
from xxgk.rules import Finding, check

# 平潭综合实验区财政金融局 2024, （二）政府信息依申请公开办理情况, as published (表三: 新收 2,
# （一）予以公开 1, 1.本机关不掌握 1, （七）总计 2).
CZJ_2024 = ("2024年我局共收到政府网站上政府信息公开申请件2件，办结依申请2件，"
            "其中公开答复1件，无法提供1件&nbsp;。")


def answered(report: Report) -> list[Finding]:
    return [f for f in check(report) if f.rule == "TXT-T3-ANSWERED"]


@pytest.fixture
def czj() -> Report:
    report = huaian_2024()
    report.cells.update({"t3.new.total": 2, "t3.carried.total": 0, "t3.results.total.total": 2,
                         "t3.forward.total": 0})
    report.texts["s1.requests"] = CZJ_2024.replace("&nbsp;", "\u00a0")
    return report


def test_a_reply_by_outcome_is_not_the_answered_total(czj: Report) -> None:
    assert answered(czj) == []


def test_the_answered_total_of_that_sentence_is_read(czj: Report) -> None:
    czj.texts["s1.requests"] = czj.texts["s1.requests"].replace("办结依申请2件", "办结依申请3件")
    assert [(f.left, f.right) for f in answered(czj)] == [(3, 2)]

"""A region of agencies × years for the office tests and bench, made from the bundled example
(保定市科学技术局 2024) and the shared 淮安市人民政府 2024 figures (tests/fixtures.py): figures
varied but balanced, texts written per agency (so only the copies made on purpose are alike),
a few reports with errors, a few sections copied between agencies."""

from __future__ import annotations

import copy
import random
from decimal import Decimal
from pathlib import Path

from fixtures import huaian_2024
from xxgk.examples import load_example
from xxgk.report import Report, dump_json

SECTIONS = ["preamble", "s1.intro", "s1.proactive", "s1.requests", "s1.management", "s1.platform",
            "s1.oversight", "s5.text"]
_WHO = ["本单位", "机关各科室", "公开工作专班", "办公室", "政务服务中心", "信息中心", "法制机构", "各业务处室",
        "网站管理团队", "档案室", "督查部门", "宣传部门"]
_DO = ["持续完善", "认真梳理", "全面推进", "逐项落实", "深入开展", "稳步提升", "集中整治", "定期更新", "严格审核",
       "动态调整", "主动回应", "细化规范"]
_WHAT = ["政策解读材料", "主动公开目录", "依申请公开流程", "政府网站栏目", "公开属性认定", "保密审查机制",
         "政务新媒体矩阵", "基层公开标准", "意见征集渠道", "办事指南要素", "公开考核指标", "业务培训课程",
         "重点领域信息", "历史文件清理", "答复文书模板", "年度工作要点"]
_HOW = ["做到应公开尽公开", "切实保障群众知情权", "不断提高工作透明度", "确保信息准确及时", "推动工作提质增效",
        "形成长效工作机制", "提升群众满意度", "夯实工作基础"]


def prose(rng: random.Random, sentences: int = 5) -> str:
    return "".join(f"{rng.choice(_WHO)}{rng.choice(_DO)}{rng.choice(_WHAT)}，{rng.choice(_HOW)}。"
                   for _ in range(sentences))


def _add(r: Report, key: str, x: int) -> None:
    r.cells[key] = (r.cells[key] or 0) + x


def vary(r: Report, k: int, d: int) -> None:
    """Scale every count of 表三/表四 by ``k`` and add ``d`` new requests, all granted: every
    total still equals its parts."""
    for key, v in r.cells.items():
        if key.startswith(("t3.", "t4.")) and isinstance(v, int):
            r.cells[key] = v * k
    for row in ("new", "results.granted", "results.total"):
        for col in ("natural", "total"):
            _add(r, f"t3.{row}.{col}", d)


def carry_from(r: Report, prev: Report) -> None:
    """This year's 上年结转 = last year's 结转下年度, per column, balanced by 予以公开."""
    for col in (c.key for c in r.spec.tables["t3"].columns):
        x = (prev.cells[f"t3.forward.{col}"] or 0) - (r.cells[f"t3.carried.{col}"] or 0)
        for row in ("carried", "results.granted", "results.total"):
            _add(r, f"t3.{row}.{col}", x)
    for row in ("rules", "normative"):
        r.cells[f"t2.{row}.in_force"] = (prev.cells[f"t2.{row}.in_force"] + r.cells[f"t2.{row}.issued"]
                                         - r.cells[f"t2.{row}.repealed"])


def agency_names(n: int) -> list[str]:
    """``n`` distinct names: towns of 示范县, then of 示范甲县, 示范乙县 … (then numbered counties)."""
    towns, counties = "东西南北中", "县甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"

    def county(i: int) -> str:
        return "" if i < 150 else counties[i // 150] if i // 150 < len(counties) else str(i // 150)

    return [f"示范{county(i)}县{towns[i % 5]}{'一二三四五六七八九十'[(i // 5) % 10]}"
            f"{'镇乡街道'[i // 50 % 3]}人民政府" if i % 3 else f"示范县第{i}局" for i in range(n)]


def make_region(n: int = 52, years: tuple[int, ...] = (2023, 2024), seed: int = 7) -> dict[tuple[str, int], Report]:
    """{(agency, year): report}. Agency 3's reports have an 错误 (a total off by one); agency 6
    copies agency 5's 存在的主要问题 in the last year; agency 8 copies agency 9's 总体情况 导语."""
    bases = [load_example(), huaian_2024()]
    names = agency_names(n)
    out: dict[tuple[str, int], Report] = {}
    for i, name in enumerate(names):
        prev: Report | None = None
        for y in years:
            rng = random.Random(f"{seed}-{i}-{y}")
            r = copy.deepcopy(bases[i % 2])
            r.year, r.agency, r.previous = y, name, None
            r.drafts = {}
            vary(r, 1 + i % 3, rng.randint(0, 40) + (y - years[0]) * 7)
            if prev is not None:
                carry_from(r, prev)
            for key in [k for k, v in r.texts.items() if v.strip()] + SECTIONS:
                r.texts[key] = prose(rng, 4 + rng.randint(0, 3))
            r.texts["s6.fees"] = f"{y}年，{name}未收取信息处理费。" + prose(rng, 2)
            r.facts["fees.collected"] = Decimal(0)
            r.texts["preamble"] = f"本报告由{name}根据《中华人民共和国政府信息公开条例》编制。" + r.texts["preamble"]
            if i == 3:
                _add(r, "t3.results.total.total", 1)
            out[(name, y)] = r
            prev = r
    last = years[-1]
    if n < 10:
        return out
    a5, a6 = out[(names[5], last)], out[(names[6], last)]
    a6.texts["s5.text"] = a5.texts["s5.text"].replace(names[5], names[6])
    a8, a9 = out[(names[8], last)], out[(names[9], last)]
    a8.texts["s1.intro"] = a9.texts["s1.intro"]
    return out


def write_region(folder: Path, region: dict[tuple[str, int], Report]) -> dict[tuple[str, int], Path]:
    paths = {}
    for (name, year), r in region.items():
        d = folder / str(year)
        d.mkdir(parents=True, exist_ok=True)
        paths[(name, year)] = dump_json(r, d / f"{name}-{year}.json", overwrite=True)
    return paths

"""Agency names and the roster: one key per agency (width and spaces folded, prefixes kept),
rosters from .xlsx and .csv (UTF-8 or GBK), and Chinese refusals naming the fix."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from xxgk.errors import InputError
from xxgk.office.agencies import agency_key, read_roster


def test_agency_key_folds_width_and_spaces_but_keeps_prefixes():
    assert agency_key("示范县 第１２局") == agency_key("示范县第12局") == "示范县第12局"
    assert agency_key("　ＡＢＣ 市教育局 ") == "ABC市教育局"
    assert agency_key("市教育局") != agency_key("区教育局")


def test_roster_from_xlsx_and_gbk_csv(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "单位名称", "级别", "上级单位"])
    ws.append([1, "示范县 第１２局", "县级部门", "示范县"])
    ws.append([2, "示范县第12局", "县级部门", "示范县"])  # the same agency twice: kept once
    ws.append([None, None, None, None])
    ws.append([3, "示范县东一镇人民政府", "乡镇", "示范县"])
    wb.save(tmp_path / "名单.xlsx")
    members = read_roster(tmp_path / "名单.xlsx")
    assert [(m.key, m.level, m.parent) for m in members] == [
        ("示范县第12局", "县级部门", "示范县"), ("示范县东一镇人民政府", "乡镇", "示范县")]
    (tmp_path / "名单.csv").write_bytes("机关,级别\n示范县东一镇人民政府,乡镇\n".encode("gbk"))
    assert [m.name for m in read_roster(tmp_path / "名单.csv")] == ["示范县东一镇人民政府"]


def test_roster_refusals(tmp_path):
    (tmp_path / "无列名.csv").write_text("示范县东一镇人民政府,乡镇\n", encoding="utf-8")
    with pytest.raises(InputError, match="第 1 行没有“单位”列"):
        read_roster(tmp_path / "无列名.csv")
    (tmp_path / "名单.txt").write_text("单位\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"\.xlsx 或 \.csv"):
        read_roster(tmp_path / "名单.txt")
    (tmp_path / "坏.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(InputError, match="无法作为 Excel 工作簿打开"):
        read_roster(tmp_path / "坏.xlsx")

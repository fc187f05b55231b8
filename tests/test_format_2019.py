"""The 2019 trial format as data: labels agree with the oracle, and schema, layout and rules work
for a 2019 report without any code that knows about 2019."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from xxgk import layout
from xxgk.cli import main
from xxgk.report import Report, loads
from xxgk.rules import check, has_errors
from xxgk.schema import iter_errors, report_schema
from xxgk.spec import SIGNED, format_for_year, load_format
from xxgk.values import NEGATIVE, normalise

SHARED = Path(__file__).resolve().parents[2] / "shared"
ORACLE = json.loads((SHARED / "spec" / "official-labels.json").read_text(encoding="utf-8"))["formats"]


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_labels_equal_the_oracle(version: str) -> None:
    fmt, o = load_format(version), ORACLE[version]
    assert [h.label for h in fmt.headings] == o["headings"]
    blocks = [{"title": b.title, "columns": [b.head, *(c.label for c in b.columns)], "rows": [r.label for r in b.rows]}
              for b in fmt.tables["t2"].blocks]
    assert blocks == o["table2"]["blocks"]
    t3 = fmt.tables["t3"]
    assert [list(r.labels) for r in t3.rows] == o["table3"]["rows"]
    assert [list(c.labels) for c in t3.columns] == o["table3"]["columns"]
    assert t3.corner_note == o["table3"]["corner_note"]
    assert [list(c.labels) for c in fmt.tables["t4"].columns] == o["table4"]["columns"]


def test_2019_shape_and_shared_keys() -> None:
    f19, f21 = load_format("2019"), load_format("2021")
    assert (f19.first_year, f19.last_year) == (2019, 2020)
    assert len(f19.tables["t3"].rows) == 23 and len(f21.tables["t3"].rows) == 25
    # Same row, same key: every 表三 and 表四 key of 2019 exists in 2021, except the one-row （六）.
    only19 = set(f19.cells) - set(f21.cells)
    assert {k for k in only19 if k.startswith(("t3.", "t4."))} == {f"t3.results.other.{c.key}" for c in f19.tables["t3"].columns}
    assert "results.other" in [r.key for r in f19.tables["t3"].rows]
    assert "results.other" in next(r.sum for r in f19.tables["t3"].rows if r.key == "results.total")
    assert {c.type for c in f19.cells.values() if c.column == "change"} == {SIGNED}
    assert format_for_year(2019).version == format_for_year(2020).version == "2019"
    assert format_for_year(2021).version == "2021"


def zero_2019() -> Report:
    r = Report.blank(2020, "测试局")
    assert r.format == "2019"
    for k in r.cells:
        r.cells[k] = 0
    r.texts.update({"s5.text": "存在问题：公开质量有待提高。", "s6.other": "无其他需要报告的事项。"})
    return r


def test_rules_run_on_a_2019_report() -> None:
    r = zero_2019()
    r.cells["t2.licensing.change"] = -3  # 本年增/减 may be negative
    r.cells["t2.procurement.amount"] = Decimal("12.5")
    findings = check(r)
    assert not has_errors(findings), [f.message for f in findings if f.is_error]
    # The arithmetic rules use the 23-row table: （六） is one row in （七）总计.
    r.cells["t3.results.other.natural"] = 2
    ids = {f.id for f in check(r)}
    assert "T3-RESULT-SUM:t3.results.total.natural" in ids
    assert "T3-ROW-TOTAL:t3.results.other.total" in ids
    # A negative count is still an error.
    r.cells["t3.results.other.natural"] = 0
    r.cells["t2.licensing.decisions"] = -1
    assert [f.where for f in check(r) if f.rule == "CELL-RANGE"] == ["t2.licensing.decisions"]


def test_prose_outcome_rule_reads_the_one_row_other() -> None:
    r = zero_2019()
    r.cells["t3.results.other.natural"] = r.cells["t3.results.other.total"] = 2
    r.cells["t3.new.natural"] = r.cells["t3.new.total"] = 2
    for c in ("natural", "total"):
        r.cells[f"t3.results.total.{c}"] = 2
    r.texts["s1.requests"] = "本年收到申请 2 件，其他处理 3 件。"
    found = [f for f in check(r) if f.rule == "TXT-T3-OUTCOME"]
    assert [(f.left, f.right) for f in found] == [(3, 2)]


def test_signed_values() -> None:
    assert normalise("-3", SIGNED).value == -3
    assert normalise("−3", SIGNED).value == -3  # U+2212 as typeset
    assert normalise(-3, SIGNED).problem is None
    assert normalise("-3", "count").problem == NEGATIVE
    assert normalise("1.5", SIGNED).value is None


def test_schema_json_round_trip_and_layout() -> None:
    r = zero_2019()
    r.cells["t2.fees.change"] = -2
    data = json.loads(r.to_json())
    assert not list(iter_errors(data))
    back = loads(r.to_json())
    assert back.cells["t2.fees.change"] == -2 and back.format == "2019"
    data["tables"]["t2"]["licensing.decisions"] = -1
    assert any("不能为负数" in m for m in iter_errors(data))
    schema = report_schema("2019")
    assert schema["properties"]["tables"]["properties"]["t2"]["properties"]["licensing.change"]["$ref"] == "#/$defs/signed"
    addrs = layout.addresses("2019")
    assert set(load_format("2019").cells) <= set(addrs)
    assert len({str(a) for k, a in addrs.items() if k.startswith("t")}) == len(load_format("2019").cells)


def test_wrong_format_for_the_year_is_an_error() -> None:
    r = zero_2019()
    r.year = 2022
    msgs = [f.message for f in check(r) if f.rule == "FORM-VERSION"]
    assert len(msgs) == 1 and "2022 年度" in msgs[0] and "〔2021〕30号" in msgs[0]
    assert not [f for f in check(zero_2019()) if f.rule == "FORM-VERSION"]


def test_cli_schema_2019(capsys) -> None:
    assert main(["schema", "--format-version", "2019"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"]["format"] == {"const": "2019", "title": "格式版本"}
    assert len(schema["properties"]["tables"]["properties"]["t3"]["properties"]) == 23 * 7

"""`xxgk check`, `xxgk schema`, `xxgk rules`: exit codes, Chinese messages, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from cli_run import run
from fixtures import huaian_2024
from xxgk.cli import main
from xxgk.examples import load_example
from xxgk.report import dump_json
from xxgk.schema import report_schema


@pytest.fixture
def example_json(tmp_path: Path) -> Path:
    return dump_json(load_example(), tmp_path / "保定2024.json")


def test_check_example_exit_0(capsys, example_json: Path) -> None:
    code, out, _ = run(capsys, "check", str(example_json))
    assert code == 0
    assert "保定市科学技术局 2024 年度报告" in out and "可以导出（错误 0 处" in out


def test_check_with_errors_exit_1_grouped(capsys, tmp_path: Path) -> None:
    r = huaian_2024()
    r.cells["t3.forward.legal"] = 2
    path = dump_json(r, tmp_path / "r.json")
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    # The legal column's identity breaks, and so does the 总计 of row 四.
    assert "不可导出" in out and "【错误】共 2 处" in out and "T3-IDENTITY" in out and "T3-ROW-TOTAL" in out
    assert "表三!H29" in out


def test_check_json_output_for_machines(capsys, tmp_path: Path) -> None:
    r = huaian_2024()
    r.cells["t4.review.total"] = 350
    path = dump_json(r, tmp_path / "r.json")
    code, out, _ = run(capsys, "check", "--format", "json", str(path))
    data = json.loads(out)
    # The group sum breaks, and the prose (行政复议 351 件) no longer matches the table.
    assert code == 1 and data["errors"] == 2 and not data["exportable"]
    assert {f["rule"] for f in data["findings"] if f["severity"] == "error"} == {"T4-GROUP-SUM", "TXT-T4-FIGURE"}
    f = next(f for f in data["findings"] if f["rule"] == "T4-GROUP-SUM")
    assert f["left"] == 350 and f["right"] == 351 and f["diff"] == -1 and f["addresses"][0] == "表四!E5"


def test_check_disable_and_previous(capsys, tmp_path: Path) -> None:
    r = huaian_2024()
    prev = huaian_2024()
    prev.year = 2023
    prev.cells["t3.forward.natural"] = 1
    p_now, p_prev = dump_json(r, tmp_path / "now.json"), dump_json(prev, tmp_path / "prev.json")
    code, out, _ = run(capsys, "check", str(p_now), "--previous", str(p_prev))
    assert code == 1 and "XY-CARRIED" in out
    code, out, _ = run(capsys, "check", str(p_now), "--previous", str(p_prev), "--disable", "XY-CARRIED,XY-SAME-TEXT")
    assert code == 0 and "■ XY-CARRIED" not in out
    assert "停用的规则（未校验）：XY-CARRIED" in out and "（由命令停用）" in out  # the run says what was off
    code, _, err = run(capsys, "check", str(p_now), "--disable", "NOPE")
    assert code == 2 and "没有这些规则" in err


def test_many_files_one_report_each(capsys, tmp_path: Path, example_json: Path) -> None:
    bad = tmp_path / "坏.json"
    bad.write_text("{", encoding="utf-8")
    code, out, err = run(capsys, "check", str(example_json), str(bad))
    assert code == 2 and "保定市科学技术局" in out and "坏.json" in err


BAD_INPUTS = {
    "not json": ("这不是 JSON", "不是有效的 JSON"),
    "array": ("[1, 2]", "最外层应为一个对象"),
    "unknown version": ('{"format": "2030", "year": 2024, "tables": {}}', "格式版本"),
    "no format": ('{"year": 2024}', "格式版本（format）应为"),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_exit_2_chinese(capsys, tmp_path: Path, name: str) -> None:
    text, expected = BAD_INPUTS[name]
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "check", str(path))
    assert code == 2 and expected in err and "Traceback" not in err + out


def _mutated(tmp_path: Path, change) -> Path:
    data = load_example().to_dict()
    change(data)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["tables"]["t3"].__setitem__("new.natural", "5件"),
         '表三 一、本年新收政府信息公开申请数量 / 自然人：应为不小于 0 的整数，实际为 "5件"'),
        (lambda d: d["tables"]["t3"].__setitem__("forward.total", -1),
         "表三 四、结转下年度继续办理 / 总计：不能为负数"),
        (lambda d: d["tables"]["t4"].__setitem__("review.total", 2.5), "表四 行政复议·总计：应为不小于 0 的整数"),
        (lambda d: d["tables"].pop("t3"), "缺少表三（三、收到和处理政府信息公开申请情况）"),
        (lambda d: d["tables"]["t2"].pop("rules.issued"), "表二 缺少单元格“表二 规章 / 本年制发件数”"),
        (lambda d: d.__setitem__("year", "二〇二四"), "报告年度（year）：应为不小于 0 的整数"),
        (lambda d: d["facts"].__setitem__("fees.collected", -5), "实际收取信息处理费总金额（元）：不能为负数"),
    ],
)
def test_schema_errors_name_the_cell(capsys, tmp_path: Path, change, expected: str) -> None:
    code, _, err = run(capsys, "check", str(_mutated(tmp_path, change)))
    assert code == 2
    assert expected in err, err


def test_huge_file_refused_before_reading(capsys, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:  # sparse: 200 MB on paper, nothing on disk
        fh.truncate(200 * 1024 * 1024)
    code, _, err = run(capsys, "check", str(big))
    assert code == 2 and "200 MB" in err


def test_binary_and_missing_files(capsys, tmp_path: Path) -> None:
    binary = tmp_path / "x.json"
    binary.write_bytes(b"\xff\xfe\x00\x01garbage")
    code, _, err = run(capsys, "check", str(binary))
    assert code == 2 and "不是 UTF-8" in err
    code, _, err = run(capsys, "check", str(tmp_path / "无此文件.json"))
    assert code == 2 and "找不到文件" in err
    other = tmp_path / "a.csv"
    other.write_text("1,2", encoding="utf-8")
    code, _, err = run(capsys, "check", str(other))
    assert code == 2 and "不能直接读取" in err


def test_thousand_findings_stay_readable(capsys, tmp_path: Path) -> None:
    r = huaian_2024()
    for i, key in enumerate(k for k in r.cells if k.startswith("t3.")):
        r.cells[key] = None if i % 2 else r.cells[key] + 1
    findings_path = dump_json(r, tmp_path / "many.json")
    code, out, _ = run(capsys, "check", "--format", "json", str(findings_path))
    assert len(json.loads(out)["findings"]) >= 50
    # Scale up: 1,000+ findings through the text renderer directly.
    from xxgk.findings_report import render_text
    from xxgk.rules import check

    found = check(r)
    many = found * (1000 // len(found) + 1)
    assert len(many) >= 1000
    text = render_text(many, r, "many.json")
    lines = text.splitlines()
    assert len(lines) < 120, len(lines)
    assert "另有" in text and "加 --limit 0 显示全部" in text
    assert f"【错误】共 {sum(f.is_error for f in many)} 处" in text
    assert code == 1


def test_schema_command_prints_valid_2020_12_schema(capsys) -> None:
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and schema["$schema"].endswith("2020-12/schema")
    Draft202012Validator.check_schema(schema)
    assert schema == report_schema("2021")
    # Derived, not hand-written: every cell of the format is a required property.
    assert len(schema["properties"]["tables"]["properties"]["t3"]["required"]) == 175


def test_schema_accepts_what_we_write(tmp_path: Path) -> None:
    data = json.loads(dump_json(huaian_2024(), tmp_path / "h.json").read_text(encoding="utf-8"))
    assert not list(Draft202012Validator(report_schema("2021")).iter_errors(data))


def test_rules_command_lists_every_rule(capsys) -> None:
    from xxgk.rules import rule_ids

    code, out, _ = run(capsys, "rules")
    assert code == 0 and all(i in out for i in rule_ids())


def test_help_is_chinese(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out, _ = capsys.readouterr()
    assert "显示本帮助并退出" in out and "显示版本号并退出" in out
    assert "show " not in out and "usage" not in out


def test_argument_errors_are_chinese(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check"])
    _, err = capsys.readouterr()
    assert exc.value.code == 2 and "缺少必需的参数" in err


def test_console_script_end_to_end(tmp_path: Path, example_json: Path) -> None:
    """The installed `xxgk` command, as a user runs it: no traceback on bad input."""
    ok = subprocess.run([sys.executable, "-m", "xxgk", "check", str(example_json)], capture_output=True, text=True)
    assert ok.returncode == 0 and "可以导出" in ok.stdout
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "xxgk", "check", str(tmp_path / "bad.json")], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "不是有效的 JSON" in bad.stderr


def test_example_command_never_overwrites(capsys, tmp_path: Path) -> None:
    out = tmp_path / "e.json"
    assert run(capsys, "example", str(out))[0] == 0
    code, _, err = run(capsys, "example", str(out))
    assert code == 2 and "文件已存在" in err

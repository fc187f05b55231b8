"""``xxgk audit`` over a batch: the summary as text and as JSON, and what the exit code means
(issue 11 item 10). Real published reports from ../shared/examples, one changed to be wrong and
one that cannot be read."""

from __future__ import annotations

import json
import re
from pathlib import Path

from oracle import EXAMPLES
from xxgk.cli import main
from xxgk.importer.audit import BATCH_EXIT_RULE

BAODING = EXAMPLES / "baoding-kjj-2024.txt"
HUAIAN = EXAMPLES / "huaian-2024.txt"


def _wrong(tmp_path: Path) -> Path:
    """淮安 2024 with one 表三 figure changed: the identity and the row total break."""
    text = HUAIAN.read_text(encoding="utf-8")
    assert text.count("3001        53") == 1
    path = tmp_path / "淮安-改错.txt"
    path.write_text(text.replace("3001        53", "3002        53"), encoding="utf-8")
    return path


def _unreadable(tmp_path: Path) -> Path:
    path = tmp_path / "空文件.txt"
    path.write_text("", encoding="utf-8")
    return path


def _summary_json(capsys, *files: Path) -> tuple[int, dict]:
    code = main(["audit", "--summary", "--format", "json", *map(str, files)])
    return code, json.loads(capsys.readouterr().out)


def test_json_summary_names_each_files_outcome(tmp_path: Path, capsys) -> None:
    code, data = _summary_json(capsys, BAODING, _wrong(tmp_path), _unreadable(tmp_path))
    assert code == 2 and data["exit_code"] == 2 and data["exit_rule"] == BATCH_EXIT_RULE
    assert (data["files"], data["checked"], data["refused"], data["with_errors"], data["without_errors"]) == (3, 2, 1, 1, 1)
    ok, wrong, bad = data["results"]
    assert ok["status"] == "checked" and ok["agency"] == "保定市科学技术局" and ok["errors"] == 0
    assert ok["cells_read"] == ok["cells_total"] > 0 and ok["exportable"] is True
    assert wrong["status"] == "checked" and wrong["errors"] >= 2 and wrong["year"] == 2024
    assert {"T3-IDENTITY", "T3-ROW-TOTAL"} <= set(wrong["rules"])
    assert bad["status"] == "refused" and bad["status_label"] == "无法读取" and bad["reason"]
    assert "errors" not in bad  # a refused file has no counts, not zero counts
    # Only the summary: no per-file findings.
    assert "findings" not in json.dumps(data)


def test_exit_code_of_a_batch(tmp_path: Path, capsys) -> None:
    assert _summary_json(capsys, BAODING, HUAIAN)[0] == 0
    assert _summary_json(capsys, BAODING, _wrong(tmp_path))[0] == 1
    assert _summary_json(capsys, _wrong(tmp_path), _unreadable(tmp_path))[0] == 2


def test_text_summary_prints_the_exit_rule_and_the_code_returned(tmp_path: Path, capsys) -> None:
    for files, expected in (([BAODING, _wrong(tmp_path)], 1), ([BAODING, _unreadable(tmp_path)], 2)):
        code = main(["audit", "--summary", *map(str, files)])
        out = capsys.readouterr().out
        printed = re.search(r"本次退出码为 (\d)", out)
        assert code == expected and printed and int(printed.group(1)) == code, out
        assert BATCH_EXIT_RULE in out


def test_a_file_read_but_not_checked_is_said_so() -> None:
    from xxgk.importer import import_report
    from xxgk.importer.audit import Audit, batch_exit_code, summary_dict, summary_table

    read = Audit(str(HUAIAN), import_report(HUAIAN), error="规则执行中断", checked=False)
    data = summary_dict([read])
    [row] = data["results"]
    assert row["status"] == "read" and row["reason"] == "规则执行中断" and row["cells_read"] > 0
    assert "errors" not in row and data["read_not_checked"] == 1
    assert batch_exit_code([read]) == data["exit_code"] == 2
    assert "未能校验：规则执行中断" in summary_table([read])

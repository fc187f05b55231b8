"""`xxgk new`: a blank template, one filled from JSON or from a workbook, last year's report
stored, and never a file overwritten."""

from __future__ import annotations

import pytest

from xxgk.cli import main
from xxgk.report import Report, dump_json
from xxgk.workbook.reader import read_workbook


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_blank_template(tmp_path, capsys):
    out = tmp_path / "模板.xlsx"
    code, text, _ = run(capsys, "new", str(out), "--year", "2024", "--agency", "某县科学技术局")
    assert code == 0 and "已生成填报工作簿" in text
    back = read_workbook(out)
    assert (back.year, back.agency) == (2024, "某县科学技术局")
    assert all(v is None for v in back.cells.values())


def test_from_json_and_from_workbook_with_previous(tmp_path, capsys, example):
    src = dump_json(example, tmp_path / "2024.json")
    first = tmp_path / "2024.xlsx"
    assert run(capsys, "new", str(first), "--from", str(src))[0] == 0
    assert read_workbook(first) == example
    # next year's workbook from this one, with this one stored as last year's
    nxt = tmp_path / "2025.xlsx"
    code, _, _ = run(capsys, "new", str(nxt), "--year", "2025", "--previous", str(first))
    assert code == 0
    back = read_workbook(nxt)
    assert back.year == 2025 and back.previous == example
    # a workbook as the source
    copy = tmp_path / "copy.xlsx"
    assert run(capsys, "new", str(copy), "--from", str(first))[0] == 0
    assert read_workbook(copy) == example


def test_inconsistent_totals_in_the_source_are_reported(tmp_path, capsys, example):
    data = example.to_dict()
    data["tables"]["t3"]["new.total"] = 9
    src = dump_json(Report.from_dict(data), tmp_path / "bad.json")
    code, text, _ = run(capsys, "new", str(tmp_path / "out.xlsx"), "--from", str(src))
    assert code == 0 and "1 个合计与分项之和不一致" in text
    assert read_workbook(tmp_path / "out.xlsx").cells["t3.new.total"] == 0


@pytest.mark.parametrize(
    ("which", "words"),
    [("existing", "文件已存在"), ("input", "与输入文件相同"), ("suffix", ".xlsx"), ("year", "2010"),
     ("format", "不适用")],
)
def test_refusals(tmp_path, capsys, example, which, words):
    from xxgk.workbook import write_workbook

    book = write_workbook(tmp_path / "in.xlsx", example)
    kept = book.read_bytes()
    existing = tmp_path / "there.xlsx"
    existing.write_bytes(b"keep me")
    argv = {
        "existing": ["new", str(existing)],
        "input": ["new", str(book), "--from", str(book)],
        "suffix": ["new", str(tmp_path / "out.xls")],
        "year": ["new", str(tmp_path / "y.xlsx"), "--year", "2010"],
        "format": ["new", str(tmp_path / "f.xlsx"), "--from", str(book), "--year", "2020"],
    }[which]
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.startswith("xxgk：") and words in err and "Traceback" not in err
    assert existing.read_bytes() == b"keep me" and book.read_bytes() == kept


def test_year_2020_gets_the_2019_trial_format(tmp_path, capsys):
    out = tmp_path / "2020.xlsx"
    assert run(capsys, "new", str(out), "--year", "2020")[0] == 0
    back = read_workbook(out)
    assert (back.format, back.year) == ("2019", 2020)


def test_a_text_too_long_for_an_excel_cell_exits_2(tmp_path, capsys, example):
    example.texts["s5.text"] = "问" * 32768  # one over the limit
    src = dump_json(example, tmp_path / "long.json")
    out = tmp_path / "out.xlsx"
    code, _, err = run(capsys, "new", str(out), "--from", str(src))
    assert code == 2 and "32767" in err and "五、存在的主要问题及改进情况" in err and "Traceback" not in err
    assert not out.exists()

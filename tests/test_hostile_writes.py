"""Issue 10 item 5: no command writes over one of its inputs, or over a file that is not its own
earlier output, --force or not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_run import digest, run, tree
from xxgk.examples import load_example
from xxgk.export import export
from xxgk.report import dump_json


@pytest.fixture(autouse=True)
def _logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_LOG_DIR", str(tmp_path / "logs"))


@pytest.fixture
def page(tmp_path: Path) -> Path:
    """A published report page, as the portal would have it."""
    [path] = export(load_example(), "html", tmp_path / "pub")
    return path.rename(tmp_path / "r.html")


def test_import_never_writes_over_its_input(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(page)
    code, _, err = run(capsys, "import", page, "-o", page, "--force")
    assert code == 2 and "输入文件" in err
    link = page.with_name("link.json")
    link.symlink_to(page.name)
    code, _, err = run(capsys, "import", page, "-o", link, "--force")
    assert code == 2 and "输入文件" in err
    hard = page.with_name("hard.json")
    os.link(page, hard)
    code, _, err = run(capsys, "import", page, "-o", hard, "--force")
    assert code == 2 and "输入文件" in err
    assert digest(page) == before


def test_import_force_replaces_only_its_own_json(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    foreign = page.with_name("台账.json")
    foreign.write_text('{"台账": [1, 2, 3]}', encoding="utf-8")
    code, _, err = run(capsys, "import", page, "-o", foreign, "--force")
    assert code == 2 and "不是本工具以前生成的" in err
    assert foreign.read_text(encoding="utf-8") == '{"台账": [1, 2, 3]}'
    own = page.with_name("r.json")
    assert run(capsys, "import", page, "-o", own)[0] == 0
    assert run(capsys, "import", page, "-o", own)[0] == 2  # exists, no --force
    assert run(capsys, "import", page, "-o", own, "--force")[0] == 0  # its own earlier output


def test_new_and_export_leave_inputs_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = dump_json(load_example(), tmp_path / "a.json")
    wb = tmp_path / "a.xlsx"
    assert run(capsys, "new", wb, "--from", src)[0] == 0
    before = tree(tmp_path)
    for argv in (["new", wb, "--from", wb], ["new", wb, "--previous", wb], ["new", wb, "--from", src]):
        code = run(capsys, *argv)[0]
        assert code == 2, argv
    assert tree(tmp_path) == before
    # Export into the folder of its input: new names beside it, the input untouched.
    assert run(capsys, "export", wb, "--to", "json", "--previous", src)[0] == 0
    after = tree(tmp_path)
    assert {k: v for k, v in after.items() if k in before} == before
    assert len(after) == len(before) + 1


def test_addin_build_replaces_only_an_addin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pyopenvba")
    filled = tmp_path / "年报.xlsm"
    assert run(capsys, "new", tmp_path / "年报.xlsx", "--from", dump_json(load_example(), tmp_path / "a.json"))[0] == 0
    (tmp_path / "年报.xlsx").rename(filled)
    before = digest(filled)
    code, _, err = run(capsys, "addin", "build", "-o", filled)
    assert code == 2 and "不是本工具以前生成的加载项" in err
    assert digest(filled) == before
    xlam = tmp_path / "xxgk.xlam"
    assert run(capsys, "addin", "build", "-o", xlam)[0] == 0
    assert run(capsys, "addin", "build", "-o", xlam)[0] == 0  # a previous build is replaced


def test_example_refuses_an_existing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "x.json"
    target.write_text("mine", encoding="utf-8")
    assert run(capsys, "example", target)[0] == 2
    assert target.read_text(encoding="utf-8") == "mine"

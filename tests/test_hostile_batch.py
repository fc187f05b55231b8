"""Issue 10 item 8: one bad file never stops a batch; item 10: output encoding never fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_run import W, bodiless_docx, run
from xxgk.examples import load_example
from xxgk.export import export
from xxgk.report import dump_json
from xxgk.resources import templates_dir


@pytest.fixture(autouse=True)
def _logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_LOG_DIR", str(tmp_path / "logs"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "收集"
    d.mkdir()
    bodiless_docx(d / "a 无正文.docx")
    bodiless_docx(d / "b 根元素.docx", f'<w:settings xmlns:w="{W}"><w:body/></w:settings>')
    [page] = export(load_example(), "html", tmp_path / "pub")
    page.rename(d / "c 正常.html")
    return d


def test_audit_goes_on_after_unreadable_docx(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "audit", folder)
    assert code == 2, err
    assert "Traceback" not in out + err
    assert "共 3 份：未发现错误 1 份，有错误 0 份，无法读取 2 份。" in out
    assert err.count("<w:body>") == 2
    code, out, _ = run(capsys, "audit", folder, "--format", "json")
    data = json.loads(out)
    assert [d["readable"] for d in data] == [False, False, True]


def test_single_bodiless_docx_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "import", bodiless_docx(tmp_path / "x.docx"))
    assert code == 2 and "<w:body>" in err


def test_internal_error_in_one_file_is_recorded_and_the_batch_goes_on(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import xxgk.importer.html as html

    def broken(raw: bytes, name: str):
        raise RuntimeError("a bug in the reader")

    monkeypatch.setattr(html, "read_html", broken)
    code, out, err = run(capsys, "audit", folder, "--summary")
    assert code == 3
    assert "Traceback" not in out + err and "内部错误" in err
    assert "无法读取 3 份" in out
    assert "本次退出码为 3。" in out  # the summary states the code the command returns
    code, out, _ = run(capsys, "audit", folder, "--summary", "--format", "json")
    assert code == json.loads(out)["exit_code"] == 3
    assert "a bug in the reader" in (tmp_path / "logs" / "xxgk.log").read_text(encoding="utf-8")


def test_check_goes_on_after_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    good = dump_json(load_example(), tmp_path / "a.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    broken = tmp_path / "c.json"
    broken.write_bytes(good.read_bytes())
    import xxgk.rules as rules

    real = rules.check

    def check(report, **kw):  # an internal error for one file only
        if report.agency == "出错":
            raise RuntimeError("boom")
        return real(report, **kw)

    r = load_example()
    r.agency = "出错"
    dump_json(r, tmp_path / "d.json")
    monkeypatch.setattr(rules, "check", check)
    code, out, err = run(capsys, "check", good, bad, tmp_path / "d.json", broken)
    assert code == 3 and "Traceback" not in out + err
    assert out.count("结论") == 2
    assert "共 4 份：已校验 2 份，无法读取 2 份。" in out
    code, out, _ = run(capsys, "check", good, bad, "--format", "json")
    assert [d.get("status") for d in json.loads(out)] == [None, "refused"]


# ------------------------------------------------------------------ item 10: GBK consoles
def _gbk_run(*argv: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "XXGK_LOG_DIR": str(cwd / "logs")}
    return subprocess.run([sys.executable, "-m", "xxgk", *argv], capture_output=True, env=env, cwd=cwd, timeout=120)


def test_rules_list_on_a_gbk_console(tmp_path: Path) -> None:
    proc = _gbk_run("rules", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode("gbk", "replace")
    assert "XY-IN-FORCE" in proc.stdout.decode("gbk")


def test_text_gbk_lacks_is_replaced_not_fatal(tmp_path: Path) -> None:
    r = load_example()
    r.agency = "保定市科学技术局\u2212\U0001f600"
    path = dump_json(r, tmp_path / "a.json")
    proc = _gbk_run("check", str(path), cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr.decode("gbk", "replace")
    assert "保定市科学技术局??" in proc.stdout.decode("gbk")


def test_our_own_words_are_all_in_gbk() -> None:
    """What we write ourselves must not need the replacement: rule titles and messages,
    the narrative templates, the add-in's messages."""
    from xxgk.resources import addin_dir

    texts = [Path(__file__).parents[1] / "src" / "xxgk" / "rules" / "catalogue.toml",
             addin_dir() / "messages.toml", *templates_dir().rglob("*.j2")]
    for path in texts:
        text = path.read_text(encoding="utf-8")
        bad = sorted({c for c in text if not c.encode("gbk", "ignore")} - {"\n"})
        assert not bad, f"{path.name}: {bad}"

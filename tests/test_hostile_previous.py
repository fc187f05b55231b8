"""Issue 10 item 11: deeply nested HTML is read (or refused with the reason), and a --previous
report of another agency or year gets a 提示 instead of errors from comparing with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_run import run
from xxgk.examples import load_example
from xxgk.export import export
from xxgk.importer import import_report
from xxgk.report import dump_json


@pytest.fixture(autouse=True)
def _logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_LOG_DIR", str(tmp_path / "logs"))


def _previous(tmp_path: Path, *, year: int, agency: str) -> Path:
    prev = load_example()
    prev.year, prev.agency = year, agency
    for key in prev.cells:
        if key.startswith("t3.forward."):
            prev.cells[key] = 999  # would contradict this year's 上年结转 (XY-CARRIED, an error)
    return dump_json(prev, tmp_path / f"prev-{year}.json")


@pytest.mark.parametrize(("year", "agency", "rule"), [
    (2023, "保定市财政局", "XY-AGENCY"),
    (2025, "保定市科学技术局", "XY-YEAR"),
    (2022, "保定市财政局", "XY-AGENCY"),
])
def test_previous_of_another_agency_or_year_is_a_warning(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], year: int, agency: str, rule: str) -> None:
    src = dump_json(load_example(), tmp_path / "a.json")
    prev = _previous(tmp_path, year=year, agency=agency)
    code, out, err = run(capsys, "check", src, "--previous", prev)
    assert code == 0, out + err
    assert rule in out and "XY-CARRIED" not in out
    assert run(capsys, "export", src, "--previous", prev, "--to", "json", "-o", tmp_path / "out")[0] == 0


def test_previous_of_the_same_agency_is_still_compared(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = dump_json(load_example(), tmp_path / "a.json")
    prev = _previous(tmp_path, year=2023, agency=" 保定市科学技术局 ")
    code, out, _ = run(capsys, "check", src, "--previous", prev)
    assert code == 1 and "XY-CARRIED" in out and "XY-AGENCY" not in out


# ------------------------------------------------------------------ deep HTML
def _nested(page: str, levels: int, tag: str = "div") -> str:
    head, _, rest = page.partition("<body")
    attrs, _, body = rest.partition(">")
    body, _, tail = body.rpartition("</body>")
    return f"{head}<body{attrs}>" + f"<{tag}>" * levels + body + f"</{tag}>" * levels + f"</body>{tail}"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    [path] = export(load_example(), "html", tmp_path_factory.mktemp("pub"))
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("levels", "tag"), [(260, "div"), (1500, "div"), (600, "font"), (300, "section")])
def test_deeply_nested_report_is_read_whole(tmp_path: Path, page: str, levels: int, tag: str) -> None:
    path = tmp_path / "deep.html"
    path.write_text(_nested(page, levels, tag), encoding="utf-8")
    result = import_report(path)
    assert result.cells_read == result.cells_total
    assert result.report.texts == load_example().texts or result.texts_found


def test_too_deep_is_refused_with_the_reason(tmp_path: Path, page: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deep.html"
    path.write_text(_nested(page, 5000), encoding="utf-8")
    code, _, err = run(capsys, "import", path)
    assert code == 2 and "嵌套过深" in err
    # Content at every level cannot be unwrapped: refused by the same limit, never cut silently.
    path.write_text(_nested(page.replace("<body>", "<body>" + "<div>层<p>文</p>" * 500, 1), 0), encoding="utf-8")
    code, _, err = run(capsys, "import", path)
    assert code == 2 and "嵌套过深" in err

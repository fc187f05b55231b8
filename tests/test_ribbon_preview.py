"""The README's ribbon pictures (docs/ribbons.py): each is drawn from the ribbon file as the add-in
ships it (addin/customUI.xml for Excel, the ribbon.xml that ``xxgk addin build --wps`` writes for
WPS) and shows exactly the texts of that file, as headless Chromium builds the page."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")]


def load_script():
    spec = importlib.util.spec_from_file_location("ribbons", ROOT / "docs" / "ribbons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class VisibleText(HTMLParser):
    """Text nodes a reader of the picture sees (not style, script or head)."""

    HIDDEN = frozenset({"style", "script", "head", "title"})

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        self.depth += tag in self.HIDDEN

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag in self.HIDDEN

    def handle_data(self, data: str) -> None:
        if not self.depth and data.strip():
            self.texts.append(data.strip())


def visible_texts(dom: str) -> list[str]:
    parser = VisibleText()
    parser.feed(dom)
    return parser.texts


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str, str]]:
    """look → (ribbon XML, generated HTML, the DOM Chromium built from it)."""
    ribbons = load_script()
    folder = tmp_path_factory.mktemp("ribbons")
    out = {}
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        for look, path in ribbons.ribbon_files(folder).items():
            xml = path.read_text("utf-8")
            page = folder / f"{look}.html"
            page.write_text(ribbons.mock_html(xml, look), "utf-8")
            dom = subprocess.run([CHROMIUM, *ribbons.CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                                  page.as_uri()], capture_output=True, text=True, timeout=120, check=True).stdout
            out[look] = (xml, page.read_text("utf-8"), dom)
    return out


def test_the_wps_ribbon_is_the_one_the_build_writes(drawn) -> None:
    excel, wps = drawn["excel"][0], drawn["wps"][0]
    assert excel.startswith("<?xml") and "<!--" in excel
    assert wps.startswith('<customUI onLoad="OnAddinLoad"') and 'onAction="OnAction"' in wps


@pytest.mark.parametrize("look", ["excel", "wps"])
def test_mock_shows_exactly_the_texts_of_its_ribbon(drawn, look: str) -> None:
    ribbons = load_script()
    xml, page, dom = drawn[look]
    wanted = ribbons.ui_texts(xml)
    assert "校验" in wanted and "导出" in wanted and "信息公开年报" in wanted and len(wanted) > 20
    assert Counter(visible_texts(dom)) == Counter(wanted)
    # No text slipped in through the stylesheet either.
    assert all(not s.strip() for s in re.findall(r"content:\s*[\"']([^\"']*)[\"']", page))


def test_both_ribbons_show_the_same_texts(drawn) -> None:
    excel, wps = (Counter(visible_texts(drawn[look][2])) for look in ("excel", "wps"))
    assert excel == wps and excel


def test_mock_follows_a_changed_ribbon() -> None:
    ribbons = load_script()
    xml = (ROOT / "addin" / "customUI.xml").read_text("utf-8").replace('label="帮助" size', 'label="使用说明" size')
    texts = visible_texts(ribbons.mock_html(xml, "wps"))
    assert "使用说明" in texts and texts.count("帮助") == 1  # the group keeps its label


def test_committed_ribbon_pictures_exist() -> None:
    for name in ("ribbon-excel.png", "ribbon-wps.png"):
        data = (ROOT / "docs" / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, name

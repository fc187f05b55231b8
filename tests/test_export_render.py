"""The exported documents as real programs show them: LibreOffice turns the .docx into a PDF
(fonts mapped by a private fontconfig, as on a machine without the licensed 仿宋/小标宋), and
headless Chromium loads the .html. Layout is measured with poppler (pdftotext -bbox / -layout)."""

from __future__ import annotations

import itertools
import re
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

import pytest

from fixtures import huaian_2024
from render import FONT_FILES, docx_to_pdf, fontconfig_env, pdf_fonts, pdf_pages, pdf_text
from support import needs_soffice
from xxgk import narrative
from xxgk.examples import load_example
from xxgk.export import docx as docx_export
from xxgk.export import html as html_export
from xxgk.report import Report
from xxgk.values import format_value

pytestmark = [pytest.mark.slow, needs_soffice]

PT_PER_MM = 72 / 25.4
A4 = (210 * PT_PER_MM, 297 * PT_PER_MM)
LEFT, RIGHT = 28 * PT_PER_MM, (210 - 26) * PT_PER_MM
TOP, BOTTOM = 37 * PT_PER_MM, (297 - 35) * PT_PER_MM
# Page counts of the two reports as laid out now: a change means the layout moved.
PAGES = {"baoding": 5, "huaian": 4}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def drafted(report: Report) -> Report:
    for key in narrative.generated_keys(report.spec):
        report.texts[key] = ""
    return narrative.regenerate(report)[0]


REPORTS = {"baoding": lambda: drafted(load_example()), "huaian": lambda: drafted(huaian_2024())}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Report, Path]]:
    out = {}
    for name, make in REPORTS.items():
        folder = tmp_path_factory.mktemp(name)
        report = make()
        src = folder / f"{name}.docx"
        src.write_bytes(docx_export.render(report))
        out[name] = (report, docx_to_pdf(src, folder))
    return out


def words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page: (xMin, yMin, xMax, yMax, text) of every word."""
    pages = pdf_text(pdf, "-bbox").split("<page ")[1:]
    pat = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    return [[(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in pat.findall(p)] for p in pages]


@pytest.mark.parametrize("name", list(REPORTS))
def test_pages_are_a4_and_the_count_is_stable(pdfs, name: str, tmp_path: Path) -> None:
    report, pdf = pdfs[name]
    sizes = pdf_pages(pdf)
    assert all(w == pytest.approx(A4[0], abs=1) and h == pytest.approx(A4[1], abs=1) for w, h in sizes)
    assert len(sizes) == PAGES[name]
    # The same document converted again lays out the same.
    again = tmp_path / "again.docx"
    again.write_bytes(docx_export.render(report))
    assert len(pdf_pages(docx_to_pdf(again, tmp_path))) == PAGES[name]


# Closing punctuation that may hang past the right edge of the type area (行尾点号悬挂, normal in
# Chinese typesetting; GB/T 9704 only fixes the type area), as Word and LibreOffice both do by
# default: one full-width character, 16 pt in the 3号 body. Nothing else may cross the margin.
HANGING = "。，、；：？！）》」』”’"
BODY_CHAR = 16.0


def margin_crossings(page: list[tuple[float, float, float, float, str]]) -> list[str]:
    """Body words that end past the right margin other than by one hanging closing mark."""
    bad = []
    for _x0, y0, x1, _y1, text in page:
        if y0 >= BOTTOM or x1 <= RIGHT + 1.5:
            continue
        if not (text[-1] in HANGING and x1 <= RIGHT + BODY_CHAR + 1.5):
            bad.append(f"{text} (+{x1 - RIGHT:.1f} pt)")
    return bad


@pytest.mark.parametrize("name", list(REPORTS))
def test_text_stays_in_the_type_area_and_page_numbers_sit_below_it(pdfs, name: str) -> None:
    _, pdf = pdfs[name]
    for n, page in enumerate(words(pdf), start=1):
        body = [w for w in page if w[1] < BOTTOM]
        foot = [w for w in page if w[1] >= BOTTOM]
        assert body and min(w[0] for w in body) >= LEFT - 1.5
        assert margin_crossings(page) == []
        assert min(w[1] for w in body) >= TOP - 3
        if n == 1:  # justified body text reaches both edges of the 156 mm type area
            assert min(w[0] for w in body) <= LEFT + 3 and max(w[2] for w in body) >= RIGHT - 6
        # "— N —", 4号 宋体, 7 mm below the type area; odd pages right, even pages left, 空一字.
        assert "".join(w[4] for w in foot) == f"—{n}—"
        top = min(w[1] for w in foot)
        assert BOTTOM + 4 * PT_PER_MM <= top <= BOTTOM + 10 * PT_PER_MM
        if n % 2:
            assert max(w[2] for w in foot) == pytest.approx(RIGHT - 14, abs=3)
        else:
            assert min(w[0] for w in foot) == pytest.approx(LEFT + 14, abs=3)


def test_body_is_22_lines_of_28_characters(pdfs) -> None:
    _, pdf = pdfs["huaian"]
    page = words(pdf)[0]
    starts = sorted({round(w[1], 1) for w in page if w[0] < LEFT + 40 and TOP < w[1] < BOTTOM})
    pitches = [b - a for a, b in itertools.pairwise(starts)]
    assert statistics.median(pitches) == pytest.approx(28.95, abs=0.3)
    assert (BOTTOM - TOP) / 28.95 == pytest.approx(22, abs=0.1)
    cjk_only = [w[4] for w in page if re.fullmatch(r"[\u3000-\u9fff\uff00-\uffef“”《》]+", w[4])
                and w[0] < LEFT + 2 and TOP < w[1] < BOTTOM]
    assert max(len(t) for t in cjk_only) == 28  # a full line of Chinese text: 28 characters


def test_fonts_named_in_the_docx_reach_the_renderer(pdfs) -> None:
    """The PDF says which fonts it was rendered with: exactly the stand-ins render.py names, so a
    layout measured here is the layout of the fonts .ci/run installs."""
    used = set(re.findall(r"^[A-Z]{6}\+(\S+)", pdf_fonts(pdfs["huaian"][1]), re.M))
    families = {re.sub(r"(jp|sc)?-.*$", "", f) for f in used}
    # 仿宋, 楷体, 黑体, 小标宋/宋体, and Times New Roman for digits and Latin letters.
    assert families == {"UMingCN", "UKaiCN", "NotoSansCJK", "NotoSerifCJK", "DejaVuSerif"}, used


def test_other_latin_metrics_move_only_hanging_punctuation(tmp_path: Path) -> None:
    """With narrower Latin figures (UMing's) the huaian lines break elsewhere and a closing mark
    lands at a line end, as on the machine where this test once failed: it may hang, nothing
    else may cross the margin."""
    from support import soffice_convert

    src = tmp_path / "huaian.docx"
    src.write_bytes(docx_export.render(drafted(huaian_2024())))
    pdf = soffice_convert(src, "pdf", tmp_path, env=fontconfig_env(tmp_path, latin="AR PL UMing CN"))
    assert "DejaVuSerif" not in pdf_fonts(pdf)
    assert [margin_crossings(page) for page in words(pdf)] == [[]] * len(pdf_pages(pdf))


def test_the_renderer_sees_only_the_fonts_ci_installs(tmp_path: Path) -> None:
    """Extra fonts on a machine (a condensed face, a Times look-alike) change line breaks: the
    private fontconfig lists exactly FONT_FILES, and every one of them is installed."""
    import os

    env = {**os.environ, **fontconfig_env(tmp_path)}
    listed = subprocess.run(["fc-list", "-f", "%{file}\n"], env=env, capture_output=True, text=True,
                            check=True).stdout.split()
    wanted = {name for files in FONT_FILES.values() for name in files}
    assert {Path(f).name for f in listed} == wanted
    matched = subprocess.run(["fc-match", "-f", "%{family[0]}", "Times New Roman"], env=env,
                             capture_output=True, text=True, check=True).stdout
    assert matched == "DejaVu Serif"


def test_the_docx_leaves_hanging_punctuation_to_the_default() -> None:
    """Word and LibreOffice both hang closing punctuation when ``w:overflowPunct`` is absent,
    which is what the type-area test allows. An explicit one would split them: LibreOffice
    reads it inverted (writerfilter DomainMapper: hanging = ``val == 0``), so ``val="1"``
    hangs in Word only and ``val="0"`` in LibreOffice only."""
    import zipfile
    from io import BytesIO

    with zipfile.ZipFile(BytesIO(docx_export.render(drafted(huaian_2024())))) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert "overflowPunct" not in xml


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_table_figure_is_in_its_row(pdfs, name: str) -> None:
    report, pdf = pdfs[name]
    fmt = report.spec
    lines = pdf_text(pdf, "-layout").splitlines()
    # 表三: 25 rows ending in exactly 7 figures, in the order of the format's rows.
    t3 = fmt.tables["t3"]
    seven = re.compile(r"(?:^|[^\d\s])\s*((?:\d+\s+){6}\d+)\s*$")
    rows7 = [tuple(m.group(1).split()) for line in lines if (m := seven.search(line))]
    expected = [tuple(format_value(report.cells[f"t3.{r.key}.{c.key}"]) for c in t3.columns) for r in t3.rows]
    assert rows7 == expected
    # 表四: one row of 15 figures.
    t4 = tuple(format_value(report.cells[f"t4.{c.key}"]) for c in fmt.tables["t4"].columns)
    fifteen = re.compile(r"\s*" + r"(\d+)\s+" * 14 + r"(\d+)\s*")
    rows15 = [m.groups() for line in lines if (m := fifteen.fullmatch(line))]
    assert rows15 == [t4]
    # 表二: each row label followed by its figures.
    for block in fmt.tables["t2"].blocks:
        for row in block.rows:
            values = [format_value(report.cells[f"t2.{row.key}.{c.key}"]) for c in block.columns]
            pattern = r"^\s*" + re.escape(row.label) + "".join(r"\s+" + re.escape(v) for v in values) + r"\s*$"
            assert any(re.match(pattern, line) for line in lines), (row.label, values)


def test_table3_keeps_to_one_page_with_its_heading(pdfs) -> None:
    _, pdf = pdfs["huaian"]
    pages = pdf_text(pdf, "-layout").split("\f")
    holding = [i for i, p in enumerate(pages) if "勾稽关系" in p]
    assert len(holding) == 1
    page = pages[holding[0]]
    assert "三、收到和处理政府信息公开申请情况" in page and "四、结转下年度继续办理" in page


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_html_renders_in_headless_chromium(tmp_path: Path) -> None:
    report = drafted(huaian_2024())
    page = tmp_path / "report.html"
    page.write_bytes(html_export.render(report))
    shot, pdf = tmp_path / "shot.png", tmp_path / "print.pdf"
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        base = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
        subprocess.run([*base, f"--screenshot={shot}", "--window-size=1200,3000", page.as_uri()],
                       capture_output=True, timeout=120, check=True)
        subprocess.run([*base, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()],
                       capture_output=True, timeout=120, check=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
    # Printed through the print stylesheet: A4, and every 表三 figure in the page text.
    assert all(w == pytest.approx(A4[0], abs=1) for w, _ in pdf_pages(pdf))
    text = pdf_text(pdf, "-layout")
    assert "3119" in text and "3050" in text and "收到和处理政府信息公开申请情况" in text


def test_committed_figures_exist() -> None:
    docs = Path(__file__).resolve().parents[1] / "docs"
    for name in ("report-page1.png", "report-table3.png", "report-html.png"):
        data = (docs / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, name

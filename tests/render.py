"""Rendering helpers for the export tests: a private fontconfig that maps the GB/T 9704 font names
to installed free fonts (tests only, never in an output), LibreOffice → PDF, and poppler reads.

The private fontconfig sees exactly the font files ``.ci/run`` installs (FONT_FILES) and no
other: a font that happens to be installed on a machine (a condensed or italic face, a Times
New Roman look-alike, another CJK family) would change widths and so line breaks."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from support import soffice_convert

# The Debian packages .ci/run installs for these tests, and the files of each that renders use.
FONT_FILES = {
    "fonts-arphic-uming": ("uming.ttc",),
    "fonts-arphic-ukai": ("ukai.ttc",),
    "fonts-noto-cjk": ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc",
                       "NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc"),
    "fonts-dejavu-core": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
}

FONT_TYPES = ("ttf", "ttc", "otf", "otc", "pfa", "pfb", "pcf", "pcf.gz", "bdf", "woff", "woff2", "dfont", "t1")

# GB/T 9704 font names → free substitutes (peers.md §6: 仿宋→UMing, 楷→UKai, 黑→Noto Sans CJK,
# 宋/小标宋→Noto Serif CJK). Latin (Times New Roman) → DejaVu Serif: every Debian fontconfig has
# it; it is wider than Times, so it errs on the side of longer lines.
ALIASES = {
    "Times New Roman": "DejaVu Serif",
    "仿宋": "AR PL UMing CN",
    "仿宋_GB2312": "AR PL UMing CN",
    "楷体": "AR PL UKai CN",
    "楷体_GB2312": "AR PL UKai CN",
    "黑体": "Noto Sans CJK SC",
    "宋体": "Noto Serif CJK SC",
    "方正小标宋简体": "Noto Serif CJK SC",
}
BOLD = {"方正小标宋简体"}  # 小标宋 is a heavy face: Noto Serif CJK Bold stands in, as GONGWEN does


def fontconfig_env(folder: Path, *, latin: str | None = None) -> dict[str, str]:
    """Environment with ``FONTCONFIG_FILE`` pointing at a private config that includes the
    system's, sees only FONT_FILES and adds the aliases (``latin`` replaces Times New Roman's)."""
    aliases = "\n".join(
        f'  <match target="pattern"><test name="family"><string>{name}</string></test>'
        f'<edit name="family" mode="prepend" binding="strong"><string>{real}</string></edit>'
        + ('<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>' if name in BOLD else "")
        + "</match>"
        for name, real in {**ALIASES, **({"Times New Roman": latin} if latin else {})}.items()
    )
    accepted = "".join(f"<glob>*/{name}</glob>" for files in FONT_FILES.values() for name in files)
    # By file type: a bare "*" would also reject the font folders, so nothing would be scanned.
    rejected = "".join(f"<glob>*.{ext}</glob>" for ext in FONT_TYPES)
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f'  <selectfont><rejectfont>{rejected}</rejectfont><acceptfont>{accepted}</acceptfont></selectfont>\n'
        f'  <cachedir>{folder / "fc-cache"}</cachedir>\n{aliases}\n</fontconfig>\n',
        encoding="utf-8",
    )
    return {"FONTCONFIG_FILE": str(conf)}


@cache
def _shared_fontconfig() -> dict[str, str]:
    """One private fontconfig (and its font cache) per test session: building the cache is the
    slow part of the first conversion."""
    folder = Path(tempfile.mkdtemp(prefix="xxgk-fontconfig-"))
    atexit.register(shutil.rmtree, folder, True)
    return fontconfig_env(folder)


def docx_to_pdf(docx: Path, outdir: Path) -> Path:
    return soffice_convert(docx, "pdf", outdir, env=_shared_fontconfig())


def pdf_text(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_pages(pdf: Path) -> list[tuple[float, float]]:
    """Page sizes in points."""
    out = subprocess.run(["pdfinfo", "-l", "999", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


def pdf_fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


def page_png(pdf: Path, page: int, out: Path, dpi: int = 60) -> Path:
    """Page ``page`` (1-based) of ``pdf`` as a PNG at ``out``."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), "-png",
                        "-singlefile", str(pdf), os.path.join(tmp, "p")], check=True)
        shutil.move(os.path.join(tmp, "p.png"), out)
    return out

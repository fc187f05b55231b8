"""Draw the add-ins' ribbons for the README: docs/ribbon-excel.png and docs/ribbon-wps.png.

    python docs/ribbons.py

There is no Excel or WPS here, so these are previews drawn from the ribbon files as the add-ins
ship them, not screenshots: the Excel one from addin/customUI.xml, the WPS one from the ribbon.xml
that ``xxgk addin build --wps`` writes. Each tab becomes an HTML page styled roughly like that
program's ribbon (tab strip, groups, buttons by size, the 导出 menu opened, and every button's
screentip/supertip as a tooltip card below); headless Chromium takes the picture. Every word in a
picture is an attribute of the XML: other tabs and icons (imageMso) are neutral placeholders.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs"))

from figures import CHROMIUM_FLAGS  # noqa: E402

from xxgk.addin.build import addin_sources  # noqa: E402

UI_TEXT = ("label", "screentip", "supertip")  # the attributes a user reads on a ribbon
WIDTH = 660  # CSS pixels; the pictures sit side by side in the README
SCALE = 2  # device pixels per CSS pixel, so the Chinese stays sharp when the README shrinks it
GHOST_TABS = (3, 2)  # built-in tabs drawn as blank bars before and after ours


def ribbon_files(folder: Path) -> dict[str, Path]:
    """look → the ribbon file as shipped: Excel's customUI.xml and the WPS build's ribbon.xml."""
    subprocess.run([sys.executable, "-m", "xxgk", "addin", "build", "--wps", str(folder / "wps")],
                   capture_output=True, check=True, timeout=120)
    built = sorted((folder / "wps").glob("*/ribbon.xml"))
    if len(built) != 1:
        raise SystemExit(f"expected one ribbon.xml in the WPS build, found {len(built)}")
    return {"excel": addin_sources() / "customUI.xml", "wps": built[0]}


def ui_texts(xml: str) -> list[str]:
    """Every text of the ribbon a user can read, in document order."""
    return [el.attrib[a] for el in ET.fromstring(xml).iter() for a in UI_TEXT if el.attrib.get(a)]


def _name(el: ET.Element) -> str:
    return el.tag.rsplit("}", 1)[-1]


def _text(value: str) -> str:
    return html.escape(value, quote=False)


def _icon(el: ET.Element) -> str:
    image = el.attrib.get("imageMso", "")
    return f'<i class="icon" title="{html.escape(image)}"></i>' if image else '<i class="icon none"></i>'


def _control(el: ET.Element, menus: list[str], tips: list[str]) -> str:
    kind, a = _name(el), el.attrib
    if a.get("screentip") or a.get("supertip"):
        head = f"<b>{_text(a['screentip'])}</b>" if a.get("screentip") else ""
        body = f"<p>{_text(a['supertip'])}</p>" if a.get("supertip") else ""
        tips.append(f'<div class="tip">{head}{body}</div>')
    if kind in ("separator", "menuSeparator"):
        return '<hr class="sep">'
    if kind in ("box", "buttonGroup"):
        return "".join(_control(c, menus, tips) for c in el)
    size = "large" if a.get("size") == "large" else "small"
    label = f'<span class="label">{_text(a["label"])}</span>' if a.get("label") else ""
    caret = '<span class="caret"></span>' if kind in ("menu", "splitButton", "dynamicMenu", "gallery") else ""
    if kind == "menu":
        items = "".join(_control(c, menus, tips) for c in el)
        menus.append(f'<div class="menu" data-for="{html.escape(a.get("id", ""))}">{items}</div>')
    return f'<div class="ctl {size}" id="{html.escape(a.get("id", ""))}">{_icon(el)}{label}{caret}</div>'


def _tab(tab: ET.Element) -> str:
    menus: list[str] = []
    tips: list[str] = []
    groups = []
    for group in tab:
        if _name(group) != "group":
            continue
        controls = "".join(_control(c, menus, tips) for c in group)
        label = f'<div class="glabel">{_text(group.attrib["label"])}</div>' if group.attrib.get("label") else ""
        groups.append(f'<div class="group"><div class="controls">{controls}</div>{label}</div>')
    before, after = ('<span class="tab ghost"></span>' * n for n in GHOST_TABS)
    title = _text(tab.attrib.get("label", ""))
    return (f'<div class="window"><div class="titlebar"><span class="doc ghost"></span></div>'
            f'<div class="tabs">{before}<span class="tab on">{title}</span>{after}</div>'
            f'<div class="ribbon">{"".join(groups)}</div>'
            f'<div class="below">{"".join(menus)}<div class="tips">{"".join(tips)}</div></div></div>')


def mock_html(xml: str, look: str) -> str:
    """An HTML page showing every tab of the ribbon ``xml`` in the ``look`` of Excel or WPS."""
    root = ET.fromstring(xml)
    tabs = "".join(_tab(t) for t in root.iter() if _name(t) == "tab")
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>body {{ width: {WIDTH}px; }}{STYLE}{LOOKS[look]}</style>'
            f'</head><body class="{look}">{tabs}<script>{PLACE_MENUS}</script></body></html>')


def render(page: Path, png: Path, profile: Path) -> Path:
    """Screenshot ``page`` at its own height (asked of Chromium first)."""
    browser = ["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    dom = subprocess.run([*browser, f"--window-size={WIDTH},2000", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    height = int(re.search(r'data-height="(\d+)"', dom).group(1))
    subprocess.run([*browser, f"--window-size={WIDTH},{height}", f"--force-device-scale-factor={SCALE}",
                    "--hide-scrollbars", f"--screenshot={png}", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    return png


# Opened menus hang under their button, and the tooltip cards start below the longest one.
PLACE_MENUS = """
document.querySelectorAll('.window').forEach(function (win) {
  var below = win.querySelector('.below'), top = below.getBoundingClientRect().top, drop = 0;
  win.querySelectorAll('.menu').forEach(function (menu) {
    var button = document.getElementById(menu.dataset.for);
    menu.style.left = (button.getBoundingClientRect().left - below.getBoundingClientRect().left) + 'px';
    drop = Math.max(drop, menu.getBoundingClientRect().height);
  });
  win.querySelector('.tips').style.marginTop = (drop ? drop + 18 : 12) + 'px';
});
document.body.dataset.height = Math.ceil(document.body.getBoundingClientRect().bottom) + 1;
"""

STYLE = """
* { box-sizing: border-box; }
body { margin: 0; font: 12px/1.45 "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: #262626; }
.window { border-bottom: 1px solid transparent; }
.ghost { display: inline-block; height: 9px; border-radius: 5px; }
.tabs { display: flex; align-items: flex-end; gap: 6px; padding: 0 10px; height: 30px; }
.tab { padding: 0 10px 6px; }
.tab.ghost { width: 34px; margin: 0 6px 11px; padding: 0; }
.ribbon { display: flex; align-items: stretch; padding: 4px 4px 0; min-height: 96px; }
.group { display: flex; flex-direction: column; padding: 0 6px; }
.controls { display: flex; align-items: flex-start; gap: 2px; flex: 1; }
.glabel { text-align: center; font-size: 11px; padding: 1px 0 3px; }
.ctl { display: flex; align-items: center; border-radius: 3px; position: relative; }
.ctl.large { flex-direction: column; min-width: 56px; min-height: 70px; padding: 4px 6px 2px; text-align: center; white-space: nowrap; }
.ctl.large .label { margin-top: 4px; line-height: 1.25; }
.ctl.small { gap: 6px; padding: 3px 8px; white-space: nowrap; }
.icon { display: inline-block; flex: none; border-radius: 4px; }
.ctl.large .icon { width: 32px; height: 32px; }
.ctl.small .icon { width: 16px; height: 16px; border-radius: 3px; }
.icon.none { visibility: hidden; }
.caret { width: 0; height: 0; margin-top: 3px; border: 4px solid transparent; border-top-color: #555; border-bottom: 0; }
.below { position: relative; display: flow-root; padding: 0 14px 14px; }
.menu { position: absolute; top: 0; padding: 3px 0; z-index: 1; }
.menu .ctl.small { padding: 4px 14px 4px 8px; }
.sep { border: 0; margin: 3px 6px 3px 32px; height: 1px; }
.tips { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
.tip { padding: 7px 10px; }
.tip b { display: block; margin-bottom: 2px; }
.tip p { margin: 0; }
"""

LOOKS = {
    # Excel (Microsoft 365): green title bar, white tab strip, the open tab underlined in green,
    # a white ribbon with grey group labels and hairline group separators.
    "excel": """
body.excel { background: #fff; font-family: "Segoe UI", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; }
.excel .titlebar { height: 30px; background: #217346; padding: 10px 14px; }
.excel .doc.ghost { width: 120px; background: #4e9a6e; }
.excel .tabs { background: #fff; }
.excel .tab.ghost { background: #d9d9d9; }
.excel .tab.on { color: #185c37; font-weight: 600; border-bottom: 3px solid #217346; padding-bottom: 3px; }
.excel .ribbon { background: #fff; border-top: 1px solid #e1e1e1; border-bottom: 1px solid #d4d4d4; }
.excel .group + .group { border-left: 1px solid #d6d6d6; }
.excel .glabel { color: #5f5f5f; }
.excel .icon { background: #dde7e1; border: 1px solid #9cb8a7; }
.excel .menu { background: #fff; border: 1px solid #c6c6c6; box-shadow: 0 3px 8px rgba(0,0,0,.18); }
.excel .sep { background: #e1e1e1; }
.excel .tip { background: #fff; border: 1px solid #bfbfbf; box-shadow: 0 2px 6px rgba(0,0,0,.15); }
""",
    # WPS 表格: grey document-tab bar on top, tabs on a pale strip with the open one bold over a
    # short green bar, a flat white ribbon, rounded menus and tooltips.
    "wps": """
body.wps { background: #fff; }
.wps .titlebar { height: 32px; background: #e8eaed; padding: 8px 12px 0; }
.wps .doc.ghost { width: 130px; height: 24px; border-radius: 6px 6px 0 0; background: #f7f8fa; }
.wps .tabs { background: #f7f8fa; justify-content: center; }
.wps .tab.ghost { background: #dcdfe4; }
.wps .tab.on { color: #111; font-weight: 700; position: relative; }
.wps .tab.on::after { content: ""; position: absolute; left: 30%; right: 30%; bottom: 0; height: 3px;
  border-radius: 2px; background: #1aa260; }
.wps .ribbon { background: #fff; border-top: 1px solid #e6e8eb; border-bottom: 1px solid #e6e8eb; justify-content: center; }
.wps .group + .group { border-left: 1px solid #eceef1; }
.wps .glabel { color: #8a9099; }
.wps .ctl { border-radius: 6px; }
.wps .icon { background: #e3f4ea; border: 1px solid #a9d8bd; border-radius: 7px; }
.wps .menu { background: #fff; border: 1px solid #e0e3e7; border-radius: 8px; box-shadow: 0 4px 14px rgba(0,0,0,.12); }
.wps .sep { background: #eceef1; }
.wps .tip { background: #fff; border: 1px solid #e0e3e7; border-radius: 8px; box-shadow: 0 2px 10px rgba(0,0,0,.10); }
""",
}


def main() -> None:
    docs = ROOT / "docs"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for look, path in ribbon_files(folder).items():
            page = folder / f"{look}.html"
            page.write_text(mock_html(path.read_text("utf-8"), look), "utf-8")
            print(render(page, docs / f"ribbon-{look}.png", folder / "profile"))


if __name__ == "__main__":
    main()

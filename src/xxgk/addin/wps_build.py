"""The WPS add-in (addin/wps): build it, lint it, install it for the current user.

``ribbon.xml`` is generated from ``addin/customUI.xml`` (the Excel ribbon), so the two ribbons
show the same Chinese labels and tags and nothing is typed twice: the XML declaration and
comments go (WPS's publish check rejects a declaration), every ``onAction`` becomes main.js's
``OnAction`` and the root gets ``onLoad="OnAddinLoad"``. ``main.js`` is shipped with a first line
``var XXGK_CONFIG = {…}``: button id → tag, the input sheets (from ``xxgk.layout``), the Python
that starts ``xxgk serve`` and the state file both sides use.

Where WPS looks for JS add-ins (both checked against real deployments, see addin/README.md):
``%APPDATA%\\kingsoft\\wps\\jsaddons`` on Windows, ``~/.local/share/Kingsoft/wps/jsaddons`` on
Linux; the add-in lives in ``<name>_<version>/`` there and is listed in ``publish.xml``
(``enable="enable_dev"``: load the local folder), ``jsplugins.xml`` and, for the ``null`` origin
of its file:// pages, ``authwebsite.xml``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from xxgk import __version__
from xxgk.errors import InputError

ADDIN_NAME = "xxgk"  # ASCII: WPS makes folder names and URLs of it
ADDIN_TYPE = "et"  # WPS 表格
DUMMY_URL = "http://127.0.0.1:0/"  # never fetched: enable_dev loads the local folder
CALLBACKS = ("onAction", "onLoad", "getImage", "getLabel", "getEnabled", "getVisible", "getPressed")
REGISTRIES = {
    "jsplugins.xml": ("jsplugins", f'<jsplugin name="{ADDIN_NAME}" type="{ADDIN_TYPE}" url="{DUMMY_URL}" version="{{version}}"/>'),
    "publish.xml": ("jsplugins", f'<jsplugin name="{ADDIN_NAME}" type="{ADDIN_TYPE}" url="{DUMMY_URL}" '
                    'version="{version}" enable="enable_dev" install="null"/>'),
    "authwebsite.xml": ("websites", f'<website origin="null" name="{ADDIN_NAME}" status="enable"/>'),
}


def wps_sources() -> Path:
    from xxgk.resources import addin_dir

    return addin_dir() / "wps"


def folder_name(version: str = __version__) -> str:
    return f"{ADDIN_NAME}_{version}"


# ---------------------------------------------------------------------------- ribbon and main.js
def ribbon_xml(custom_ui: str | None = None) -> str:
    """WPS's ribbon.xml from the Excel ribbon's customUI.xml."""
    from xxgk.addin.build import addin_sources

    text = custom_ui if custom_ui is not None else (addin_sources() / "customUI.xml").read_text("utf-8")
    text = re.sub(r"<\?xml[^>]*\?>", "", text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r'onAction="[^"]*"', 'onAction="OnAction"', text)
    text = re.sub(r"<customUI\b", '<customUI onLoad="OnAddinLoad"', text, count=1)
    return text.strip() + "\n"


def button_tags(ribbon: str) -> dict[str, str]:
    import xml.etree.ElementTree as ET

    return {el.attrib["id"]: el.attrib["tag"] for el in ET.fromstring(ribbon).iter()
            if "tag" in el.attrib and "id" in el.attrib}


def config(*, python: str | None = None, state_file: str | None = None, ribbon: str | None = None) -> dict[str, Any]:
    from xxgk import layout

    return {
        "version": __version__,
        "tags": button_tags(ribbon or ribbon_xml()),
        "inputSheets": list(layout.INPUT_SHEETS),
        "python": python,
        "stateFile": state_file,
        "startWait": 20000,
    }


def main_js(cfg: dict[str, Any]) -> str:
    source = (wps_sources() / "main.js").read_text("utf-8")
    return f"var XXGK_CONFIG = {json.dumps(cfg, ensure_ascii=False)};\n" + source


def lint(ribbon: str | None = None, main: str | None = None) -> list[str]:
    """Problems in the WPS add-in (empty: fine): the ribbon starts with ``<customUI``, every
    callback it names is a plain (not async) function of main.js, every button's tag is one the
    service runs or main.js answers itself."""
    import xml.etree.ElementTree as ET

    from xxgk.addin.buttons import TAGS

    ribbon = ribbon if ribbon is not None else ribbon_xml()
    main = main if main is not None else (wps_sources() / "main.js").read_text("utf-8")
    problems = []
    if not ribbon.startswith("<customUI"):
        problems.append("ribbon.xml must start with <customUI (no XML declaration, no comment)")
    for m in re.finditer(r"async\s+function\s+(\w+)|(\w+)\s*=\s*async\b", main):
        problems.append(f"main.js: {m.group(1) or m.group(2)} is async (WPS ribbon callbacks must be synchronous)")
    try:
        root = ET.fromstring(ribbon)
    except ET.ParseError as exc:
        return [*problems, f"ribbon.xml is not well-formed: {exc}"]
    for el in root.iter():
        for attr in CALLBACKS:
            name = el.attrib.get(attr)
            if name and not re.search(rf"^function {re.escape(name)}\(", main, re.M):
                problems.append(f"ribbon.xml {attr}={name} is not a function of main.js")
        tag = el.attrib.get("tag")
        if tag is not None and tag not in TAGS:
            problems.append(f"ribbon.xml: tag {tag!r} is not a button of xxgk.addin")
    return problems


# ---------------------------------------------------------------------------- build
def write_addin(folder: Path, cfg: dict[str, Any]) -> Path:
    """``folder`` = the add-in's own folder (``xxgk_<version>``): ribbon.xml and main.js."""
    from xxgk.fileio import write_atomic

    ribbon = ribbon_xml()
    main = main_js(cfg)
    problems = lint(ribbon, main)
    if problems:
        raise InputError("WPS 加载项源文件有误，未构建：\n" + "\n".join(problems))
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / "ribbon.xml", ribbon.encode("utf-8"), overwrite=True)
    write_atomic(folder / "main.js", main.encode("utf-8"), overwrite=True)
    return folder


def build_dir(out: str | Path) -> list[Path]:
    """The offline deployment for 专业版/政务版 and 信创 (no network): the add-in folder plus the
    three registry files and an ``oem.ini`` snippet, for an administrator to copy into each
    user's jsaddons folder (or point ``JSPluginsServer`` at)."""
    from xxgk.fileio import write_atomic

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = [write_addin(out / folder_name(), config())]
    for name in REGISTRIES:
        written.append(write_atomic(out / name, register("", name).encode("utf-8"), overwrite=True))
    written.append(write_atomic(out / "oem.ini.txt", OEM_INI.encode("utf-8"), overwrite=True))
    return written


OEM_INI = """\
; 专业版/政务版/信创版 WPS：在 WPS 安装目录的 office6/cfgs/oem.ini 中加入（或改为）下面两节，
; 把 JSPluginsServer 指向 jsaddons 文件夹中的 jsplugins.xml（本地路径，不需要网络）。
; Windows：<安装目录>\\office6\\cfgs\\oem.ini；Linux：/opt/kingsoft/wps-office/office6/cfgs/oem.ini
; 统信 UOS：/opt/apps/cn.wps.wps-office-pro/files/kingsoft/wps-office/office6/cfgs/oem.ini
[Support]
JsApiPlugin=true
[Server]
JSPluginsServer=<jsaddons 文件夹>/jsplugins.xml
"""


def register(text: str, registry: str, *, remove: bool = False) -> str:
    """``text`` (a WPS registry file, maybe empty) with our entry replaced (or removed); other
    add-ins' entries are kept as they are."""
    root, entry = REGISTRIES[registry]
    entry = entry.format(version=__version__)
    if not text.strip():
        text = f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>\n</{root}>\n'
    text = re.sub(rf'[ \t]*<\w+\b[^>]*\bname="{ADDIN_NAME}"[^>]*/>[ \t]*\r?\n?', "", text)
    if remove:
        return text
    m = re.search(rf"<{root}\b[^>]*>", text)
    if m is None:
        raise InputError(f"WPS 的加载项列表文件 {registry} 格式不对（找不到 <{root}>）。请删除该文件后重新运行 xxgk addin install --wps。")
    return text[:m.end()] + "\n  " + entry + text[m.end():]


# ---------------------------------------------------------------------------- install
def jsaddons_dir(env: dict[str, str] | None = None, platform: str | None = None) -> Path:
    env = dict(os.environ if env is None else env)
    platform = platform or sys.platform
    if platform.startswith("win"):
        if not env.get("APPDATA"):
            raise InputError("找不到当前用户的 APPDATA 文件夹，无法安装 WPS 加载项。请以普通用户身份在“命令提示符”中运行本命令。")
        return Path(env["APPDATA"]) / "kingsoft" / "wps" / "jsaddons"
    home = env.get("HOME")
    if not home:
        raise InputError("找不到当前用户的主文件夹（HOME），无法安装 WPS 加载项。")
    return Path(home) / ".local" / "share" / "Kingsoft" / "wps" / "jsaddons"


def install(env: dict[str, str] | None = None, platform: str | None = None) -> list[str]:
    from xxgk.addin.install import interpreter
    from xxgk.fileio import write_atomic
    from xxgk.serve.state import STATE_DIR, STATE_NAME

    env = dict(os.environ if env is None else env)
    platform = platform or sys.platform
    target = jsaddons_dir(env, platform)
    home = env.get("USERPROFILE") if platform.startswith("win") else env.get("HOME")
    state_file = str(Path(home) / STATE_DIR / STATE_NAME) if home else None
    python = str(interpreter())
    target.mkdir(parents=True, exist_ok=True)
    _remove_old(target)
    folder = write_addin(target / folder_name(), config(python=python, state_file=state_file))
    for name in REGISTRIES:
        path = target / name
        old = path.read_text("utf-8") if path.exists() else ""
        write_atomic(path, register(old, name).encode("utf-8"), overwrite=True)
    return [
        f"已安装 WPS 加载项：{folder}",
        f"已登记到：{target / 'publish.xml'}、jsplugins.xml、authwebsite.xml",
        f"按钮将用 {python} 启动本机服务（xxgk serve，仅 127.0.0.1，空闲后自动停止）。",
        "请关闭并重新打开 WPS，打开填报工作簿后，功能区会出现“信息公开年报”选项卡。",
    ]


def uninstall(env: dict[str, str] | None = None, platform: str | None = None) -> list[str]:
    from xxgk.fileio import write_atomic

    target = jsaddons_dir(env, platform)
    removed = _remove_old(target)
    for name in REGISTRIES:
        path = target / name
        if path.exists():
            write_atomic(path, register(path.read_text("utf-8"), name, remove=True).encode("utf-8"), overwrite=True)
    if not removed:
        return [f"没有找到已安装的 WPS 加载项（{target}）。"]
    return [f"已卸载 WPS 加载项：{', '.join(str(p) for p in removed)}", "请关闭并重新打开 WPS。"]


def _remove_old(target: Path) -> list[Path]:
    removed = []
    for p in sorted(target.glob(f"{ADDIN_NAME}_*")):
        if p.is_dir() and (p / "ribbon.xml").exists() and (p / "main.js").exists():
            shutil.rmtree(p)
            removed.append(p)
    return removed


def cmd(action: str, folder: str) -> int:
    if action == "build":
        out = Path(folder or "xxgk-wps")
        build_dir(out)
        print(f"已构建 WPS 加载项离线部署包：{out.resolve()}\n"
              f"每台电脑：把其中的 {folder_name()} 文件夹和三个 .xml 文件复制到该用户的 jsaddons 文件夹"
              "（或按 oem.ini.txt 配置 JSPluginsServer）；详见 addin/README.md 的 WPS 一节。")
        return 0
    lines = install() if action == "install" else uninstall()
    print("\n".join(lines))
    return 0

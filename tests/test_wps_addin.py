"""The WPS add-in's static checks, its build and its per-user install (no WPS here)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from xxgk import layout
from xxgk.addin import wps_build
from xxgk.addin.build import addin_sources
from xxgk.cli import main

NS = "{http://schemas.microsoft.com/office/2006/01/customui}"
UI_ATTRS = ("label", "screentip", "supertip", "tag", "size", "keytip")


def elements(xml: str) -> dict[str, dict[str, str]]:
    return {el.attrib["id"]: {a: el.attrib.get(a) for a in UI_ATTRS} for el in ET.fromstring(xml).iter()
            if "id" in el.attrib}


def test_ribbon_has_the_excel_ribbons_labels_and_tags() -> None:
    excel = (addin_sources() / "customUI.xml").read_text("utf-8")
    ribbon = wps_build.ribbon_xml()
    assert ribbon.startswith("<customUI ") and "<?xml" not in ribbon and "<!--" not in ribbon
    assert elements(ribbon) == elements(excel)
    labels = [e["label"] for e in elements(ribbon).values()]
    assert "校验" in labels and "生成说明" in labels and "导出" in labels


def test_every_callback_is_a_plain_function_of_main_js() -> None:
    ribbon = wps_build.ribbon_xml()
    main_js = (wps_build.wps_sources() / "main.js").read_text("utf-8")
    assert wps_build.lint(ribbon, main_js) == []
    names = {el.attrib[a] for el in ET.fromstring(ribbon).iter() for a in wps_build.CALLBACKS if a in el.attrib}
    assert names == {"OnAction", "OnAddinLoad"}
    assert not re.search(r"\basync\s+function|=>|\bawait\b", main_js)  # plain synchronous ES5


def test_lint_catches_what_wps_rejects() -> None:
    ribbon = wps_build.ribbon_xml()
    main_js = (wps_build.wps_sources() / "main.js").read_text("utf-8")
    assert any("start with <customUI" in p for p in wps_build.lint('<?xml version="1.0"?>\n' + ribbon, main_js))
    assert any("async" in p for p in wps_build.lint(ribbon, main_js.replace("function OnAction(", "async function OnAction(")))
    assert any("OnAction is not a function" in p for p in wps_build.lint(ribbon, main_js.replace("function OnAction(", "function OnClick(")))
    assert any("not a button" in p for p in wps_build.lint(ribbon.replace('tag="help"', 'tag="format_disk"'), main_js))


def test_build_wps_writes_the_offline_layout(tmp_path: Path) -> None:
    out = tmp_path / "部署包"
    assert main(["addin", "build", "--wps", str(out)]) == 0
    folder = out / wps_build.folder_name()
    assert (folder / "ribbon.xml").read_text("utf-8") == wps_build.ribbon_xml()
    first, _, source = (folder / "main.js").read_text("utf-8").partition("\n")
    cfg = json.loads(first.removeprefix("var XXGK_CONFIG = ").removesuffix(";"))
    assert cfg["inputSheets"] == list(layout.INPUT_SHEETS) and cfg["tags"]["xxgkValidate"] == "validate"
    assert source == (wps_build.wps_sources() / "main.js").read_text("utf-8")
    publish = ET.fromstring((out / "publish.xml").read_text("utf-8"))
    (entry,) = publish
    assert entry.attrib["name"] == "xxgk" and entry.attrib["type"] == "et" and entry.attrib["enable"] == "enable_dev"
    assert ET.fromstring((out / "authwebsite.xml").read_text("utf-8"))[0].attrib["origin"] == "null"
    assert "JSPluginsServer=" in (out / "oem.ini.txt").read_text("utf-8")


def test_jsaddons_folder_per_system() -> None:
    assert wps_build.jsaddons_dir({"APPDATA": r"C:\Users\张三\AppData\Roaming"}, "win32") == \
        Path(r"C:\Users\张三\AppData\Roaming") / "kingsoft" / "wps" / "jsaddons"
    assert wps_build.jsaddons_dir({"HOME": "/home/zs"}, "linux") == Path("/home/zs/.local/share/Kingsoft/wps/jsaddons")
    from xxgk.errors import InputError

    with pytest.raises(InputError, match="APPDATA"):
        wps_build.jsaddons_dir({}, "win32")


def test_install_keeps_other_addins_and_uninstall_removes_only_ours(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    jsaddons = tmp_path / ".local" / "share" / "Kingsoft" / "wps" / "jsaddons"
    jsaddons.mkdir(parents=True)
    other = '<jsplugin url="http://127.0.0.1:3889/" type="wps" enable="enable_dev" install="null" version="1.0" name="wps-zotero"/>'
    (jsaddons / "publish.xml").write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<jsplugins>\n  {other}\n</jsplugins>\n', "utf-8")
    (jsaddons / "wps-zotero_1.0").mkdir()
    for _ in range(2):  # installing again replaces, never duplicates
        assert main(["addin", "install", "--wps"]) == 0
    assert "已安装 WPS 加载项" in capsys.readouterr().out
    folder = jsaddons / wps_build.folder_name()
    cfg = json.loads((folder / "main.js").read_text("utf-8").partition("\n")[0][len("var XXGK_CONFIG = "):-1])
    assert cfg["stateFile"] == str(tmp_path / ".xxgk" / "serve.json") and Path(cfg["python"]).exists()
    publish = (jsaddons / "publish.xml").read_text("utf-8")
    assert other in publish and publish.count('name="xxgk"') == 1
    for name in ("jsplugins.xml", "authwebsite.xml"):
        assert ET.fromstring((jsaddons / name).read_text("utf-8")).find("*[@name='xxgk']") is not None
    assert main(["addin", "uninstall", "--wps"]) == 0
    assert not folder.exists() and (jsaddons / "wps-zotero_1.0").is_dir()
    publish = (jsaddons / "publish.xml").read_text("utf-8")
    assert other in publish and 'name="xxgk"' not in publish
    assert ET.fromstring(publish).tag == "jsplugins"

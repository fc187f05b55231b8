"""The .xlam built from addin/ text sources, checked without Excel: olevba reads back exactly our
VBA, the xlwings module is the installed one, LibreOffice lists the modules, the ribbon lint
holds (and catches what it should), and pyOpenVBA's interpreter runs the one dispatcher with a
fake ribbon control against the built add-in's own message sheet."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from support import needs_soffice, soffice_convert
from xxgk import __version__
from xxgk.addin import build

CUI = "{http://schemas.microsoft.com/office/2006/01/customui}"


@pytest.fixture(scope="module")
def sources() -> build.Sources:
    return build.collect_sources()


@pytest.fixture(scope="module")
def xlam(tmp_path_factory: pytest.TempPathFactory, sources: build.Sources) -> Path:
    # A Chinese folder and file name, as users have them.
    out = tmp_path_factory.mktemp("加载项 构建") / build.ADDIN_FILENAME
    out.write_bytes(build.build_bytes(sources))
    return out


def _body(code: str) -> str:
    """Module text without the Attribute header lines (and a class file's VERSION…END export
    preamble, which the stored stream never has), LF line ends, no trailing blank lines."""
    code = re.sub(r"\AVERSION 1\.0 CLASS\nBEGIN\n.*?\nEND\n", "", code.replace("\r\n", "\n"), flags=re.S)
    lines = code.split("\n")
    return "\n".join(line for line in lines if not line.startswith("Attribute VB_")).rstrip("\n")


def _buttons() -> list[ET.Element]:
    root = ET.fromstring((build.addin_sources() / "customUI.xml").read_bytes())
    return [el for el in root.iter() if el.tag == CUI + "button"]


# ------------------------------------------------------------------------- the package
def test_olevba_reads_back_exactly_our_sources(xlam: Path, sources: build.Sources) -> None:
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(xlam))
    try:
        got = {Path(stream).name: code for _f, stream, _n, code in parser.extract_macros()}
    finally:
        parser.close()
    assert set(got) == {"ThisWorkbook", "Sheet1", *sources.modules}
    for name, text in sources.modules.items():
        assert _body(got[name]) == _body(text), name
    # Our dispatcher really is in there, byte for byte from addin/vba.
    ribbon = (build.addin_sources() / "vba" / "XxgkRibbon.bas").read_text(encoding="ascii")
    assert _body(got["XxgkRibbon"]) == _body(ribbon)


def test_xlwings_module_is_the_installed_one(sources: build.Sources) -> None:
    import xlwings

    text = sources.modules["xlwings"]
    m = re.search(r'Public Const XLWINGS_VERSION As String = "([^"]+)"', text)
    assert m and m.group(1) == xlwings.__version__
    # The DLL the add-in loads is named after that version: the cause of "File not found: xlwings64-x.dll".
    dlls = set(re.findall(r'Lib "(xlwings(?:32|64)-[^"]+\.dll)"', text))
    assert dlls == {f"xlwings32-{xlwings.__version__}.dll", f"xlwings64-{xlwings.__version__}.dll"}
    assert 'Public Const PROJECT_NAME As String = "xxgk"' in text
    shipped = (Path(xlwings.__file__).parent / "xlwings_custom_addin.bas").read_text(encoding="utf-8")
    assert _body(text) == _body(shipped.replace('"myaddin"', '"xxgk"'))


def test_pinned_versions_are_the_installed_ones() -> None:
    """The add-in is built from the installed xlwings and pyOpenVBA; pyproject pins both, so
    every build (and every user's install) gets the same ones."""
    from importlib.metadata import version

    from xxgk.rules import tomllib  # tomllib or, before 3.11, tomli

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    deps = project["project"]["dependencies"] + project["project"]["optional-dependencies"]["addin"]
    pins = dict(d.split("==") for d in deps if "==" in d)
    assert pins["xlwings"] == version("xlwings")
    assert pins["pyOpenVBA"] == version("pyOpenVBA")


def test_package_is_an_addin_with_our_ribbon(xlam: Path) -> None:
    with zipfile.ZipFile(xlam) as z:
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("_rels/.rels").decode()
        ui = z.read("customUI/customUI.xml")
        wb_rels = z.read("xl/_rels/workbook.xml.rels").decode()
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    strings = "".join(t.text or "" for t in sheet.iter() if t.tag.endswith("}t"))
    assert 'PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.addin.macroEnabled.main+xml"' in types
    assert build.REL_UI in rels and 'Target="customUI/customUI.xml"' in rels
    assert ui == (build.addin_sources() / "customUI.xml").read_bytes()
    assert "vbaProject.bin" in wb_rels
    assert "信息公开年报助手" in strings  # the VBA side's Chinese messages, in the add-in's sheet


def test_project_references_the_office_library(xlam: Path, tmp_path: Path) -> None:
    """IRibbonControl lives in the Office object library: without the reference the callback
    does not compile."""
    from pyopenvba import ExcelFile

    copy = tmp_path / "addin.xlsm"
    shutil.copy(xlam, copy)
    with ExcelFile(copy) as x:
        libids = {r.name: r.libid for r in x.references()}
    assert "{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}" in libids.get("Office", "")
    assert "stdole" in libids


def test_build_is_reproducible(xlam: Path, sources: build.Sources) -> None:
    assert build.build_bytes(sources) == xlam.read_bytes()


def test_build_xlam_writes_a_chinese_path(tmp_path: Path) -> None:
    out = tmp_path / "我的 加载项" / "年报助手.xlam"
    out.parent.mkdir()
    data = build.build_xlam(out, udfs=False)
    assert out.read_bytes() == data and zipfile.is_zipfile(out)


def test_udf_wrappers_are_generated_by_xlwings(sources: build.Sources) -> None:
    text = sources.modules[build.UDF_VBA_MODULE]
    for func in ("XXGK_STATUS", "XXGK_PARAGRAPH"):
        assert re.search(rf"^Function {func}\(", text, re.M), func
        assert f'XLPy.CallUDF("{build.UDF_MODULE}", "{func}"' in text
    assert "ActiveWorkbook" in text  # an add-in's UDFs act on the active workbook, not the add-in
    text.encode("ascii")


# ------------------------------------------------------------------------- lint
def test_ribbon_lint_is_clean() -> None:
    assert build.lint_sources() == []


def test_ribbon_has_every_button_with_its_own_tag() -> None:
    from xxgk.addin.buttons import TAGS

    tags = [b.attrib["tag"] for b in _buttons()]
    assert len(tags) == len(set(tags))
    assert set(tags) == set(TAGS)  # every handler reachable, every button handled
    labels = {b.attrib.get("label") for b in _buttons()}
    assert {"校验", "生成说明", "导入上年数据", "清除标记", "帮助"} <= labels
    root = ET.fromstring((build.addin_sources() / "customUI.xml").read_bytes())
    assert [t.attrib["label"] for t in root.iter(CUI + "tab")] == ["信息公开年报"]
    assert [m.attrib["label"] for m in root.iter(CUI + "menu")] == ["导出"]


def test_vba_sources_are_ascii() -> None:
    paths = sorted((build.addin_sources() / "vba").glob("*.bas"))
    assert paths, "no VBA sources found: the check would pass vacuously"
    for path in paths:
        path.read_bytes().decode("ascii")  # raises on any non-ASCII byte


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda ui, bas: (ui.replace('onAction="XxgkOnAction"', 'onAction="Missing"', 1), bas),
         "Missing is not a Public Sub"),
        (lambda ui, bas: (ui.replace('id="xxgkHelp"', 'id="xxgkValidate"'), bas), "duplicate id 'xxgkValidate'"),
        (lambda ui, bas: (ui.replace('tag="help"', 'tag="nope"'), bas), "'nope' is not handled"),
        (lambda ui, bas: (ui, bas.replace("' xxgk ribbon", "' 年报 ribbon")), "非 ASCII"),
        (lambda ui, bas: (ui, bas.replace("(control As IRibbonControl)", "()")), "IRibbonControl"),
        (lambda ui, bas: (ui, bas.replace('XxgkText("no_workbook")', 'XxgkText("no_such_key")')),
         "no 'no_such_key'"),
    ],
)
def test_ribbon_lint_catches(tmp_path: Path, edit, expected: str) -> None:
    src = tmp_path / "addin"
    shutil.copytree(build.addin_sources(), src)
    ui = (src / "customUI.xml").read_text(encoding="utf-8")
    bas = (src / "vba" / "XxgkRibbon.bas").read_text(encoding="ascii")
    ui, bas = edit(ui, bas)
    (src / "customUI.xml").write_text(ui, encoding="utf-8")
    (src / "vba" / "XxgkRibbon.bas").write_text(bas, encoding="utf-8")
    problems = build.lint_sources(src)
    assert any(expected in p for p in problems), problems


# ------------------------------------------------------------------------- VBA interpreter
FAKE_XLWINGS = r"""Public LastCommand As String
Public Calls As Long
Public FailWith As Long
Public Function RunPython(PythonCommand As String)
    If FailWith <> 0 Then Err.Raise FailWith, "xlwings", "File not found: xlwings64-0.0.0.dll"
    LastCommand = PythonCommand
    Calls = Calls + 1
End Function
Public Function LastCmd() As String
    LastCmd = LastCommand
End Function
Public Function CallCount() As Long
    CallCount = Calls
End Function
Public Sub SetFail(n As Long)
    FailWith = n
End Sub
Public Interpreter As String
Public Function GetConfig(configKey As String, Optional default As String = "") As Variant
    If configKey = "INTERPRETER_WIN" Then
        GetConfig = Interpreter
    Else
        GetConfig = default
    End If
End Function
Public Function FileExists(ByVal FileSpec As String) As Boolean
    FileExists = (FileSpec = "C:\Python311\pythonw.exe")
End Function
Public Sub SetInterpreter(path As String)
    Interpreter = path
End Sub
"""


@pytest.fixture
def vba(xlam: Path, tmp_path: Path):
    """The built add-in opened in pyOpenVBA's Excel model: our module as built (read back from
    the file), xlwings' RunPython replaced by a recorder (xlwings.bas needs a real Excel)."""
    from oletools.olevba import VBA_Parser
    from pyopenvba.apps.excel import ExcelApplication

    parser = VBA_Parser(str(xlam))
    try:
        built = {Path(s).name: c for _f, s, _n, c in parser.extract_macros()}
    finally:
        parser.close()
    copy = tmp_path / "addin.xlsm"  # the model opens by extension; the package is the same
    shutil.copy(xlam, copy)
    app = ExcelApplication.open(copy, with_vba=False)
    app.add_module(FAKE_XLWINGS, name="xlwings")
    app.add_module(built["XxgkRibbon"].replace("\r\n", "\n"), name="XxgkRibbon")
    app.interpreter.run("SetInterpreter", ["C:\\Python311\\pythonw.exe"])  # as xxgk addin install writes it
    return app


class _Control:
    def __new__(cls, id_: str, tag: str):
        from pyopenvba.interpreter import VBAObject, member

        class FakeRibbonControl(VBAObject):
            vba_type_name = "IRibbonControl"

            @member(name="Id")
            def id(self):
                return id_

            @member(name="Tag")
            def tag(self):
                return tag

        return FakeRibbonControl()


@pytest.mark.parametrize("button", [b for b in _buttons() if b.attrib["tag"] != "help"],
                         ids=lambda b: b.attrib["tag"])
def test_dispatcher_calls_runpython_with_the_tag(vba, button: ET.Element) -> None:
    vm = vba.interpreter
    vm.run(button.attrib["onAction"], [_Control(button.attrib["id"], button.attrib["tag"])])
    assert vm.run("LastCmd", []) == f"import xxgk.addin; xxgk.addin.dispatch('{button.attrib['tag']}')"
    assert vm.run("CallCount", []) == 1
    assert vm.dialogs == []


def test_help_needs_no_python(vba) -> None:
    vm = vba.interpreter
    vm.run("XxgkOnAction", [_Control("xxgkHelp", "help")])
    assert vm.run("CallCount", []) == 0
    (kind, prompt, title, _style), = vm.dialogs
    assert kind == "MsgBox" and title == "信息公开年报助手"
    assert f"信息公开年报助手 {__version__}" in prompt and "校验" in prompt


def test_no_workbook_says_so_in_chinese_without_python(vba) -> None:
    model = vba.interpreter.host.application if hasattr(vba.interpreter.host, "application") else None
    assert model is not None
    model._this_workbook = model.active_book  # the add-in itself stays ThisWorkbook …
    model.active_book = None  # … but nothing is open (or it is in Protected View)
    vm = vba.interpreter
    vm.run("XxgkOnAction", [_Control("xxgkValidate", "validate")])
    assert vm.run("CallCount", []) == 0
    (_kind, prompt, _title, _style), = vm.dialogs
    assert "没有可处理的工作簿" in prompt and "受保护的视图" in prompt


@pytest.mark.parametrize("configured", ["", "C:\\旧的\\Python39\\pythonw.exe"])
def test_missing_python_is_explained_before_xlwings_says_it_in_english(vba, configured: str) -> None:
    vm = vba.interpreter
    vm.run("SetInterpreter", [configured])
    vm.run("XxgkOnAction", [_Control("xxgkValidate", "validate")])
    assert vm.run("CallCount", []) == 0
    (_kind, prompt, _title, _style), = vm.dialogs
    assert "找不到加载项要使用的 Python" in prompt and "xxgk addin install" in prompt
    assert configured in prompt


def test_python_failure_is_explained_in_chinese(vba) -> None:
    vm = vba.interpreter
    vm.run("SetFail", [53])
    vm.run("XxgkOnAction", [_Control("xxgkValidate", "validate")])
    (_kind, prompt, _title, _style), = vm.dialogs
    assert "无法启动 Python" in prompt and "53" in prompt and "xxgk addin install" in prompt


def test_bad_tag_never_reaches_python(vba) -> None:
    vm = vba.interpreter
    vm.run("XxgkOnAction", [_Control("x", "validate'); import os; os.system('calc")])
    assert vm.run("CallCount", []) == 0
    assert "按钮配置有误" in vm.dialogs[0][1]


def test_the_python_command_runs_the_dispatcher(capsys: pytest.CaptureFixture[str]) -> None:
    """The exact command the VBA sends imports our fixed module; with no Excel behind it the
    dispatcher says so in Chinese instead of a traceback."""
    import xxgk.addin.buttons as buttons

    seen = []
    original = buttons.dispatch
    try:
        buttons.dispatch = lambda tag, book=None, **kw: seen.append(original(tag, book, **kw))  # type: ignore[assignment]
        exec(build_command("validate"), {})
    finally:
        buttons.dispatch = original  # type: ignore[assignment]
    (outcome,) = seen
    assert not outcome.ok and "没有找到要处理的工作簿" in outcome.message
    assert "没有找到要处理的工作簿" in capsys.readouterr().err


def build_command(tag: str) -> str:
    text = (build.addin_sources() / "vba" / "XxgkRibbon.bas").read_text(encoding="ascii")
    module = re.search(r'XXGK_PY_MODULE As String = "([^"]+)"', text).group(1)
    return f"import {module}; {module}.dispatch('{tag}')"


# ------------------------------------------------------------------------- LibreOffice
@pytest.mark.slow
@needs_soffice
def test_libreoffice_lists_the_modules(xlam: Path, sources: build.Sources, tmp_path: Path) -> None:
    ods = soffice_convert(xlam, "ods", tmp_path, infilter="Calc MS Excel 2007 XML")
    with zipfile.ZipFile(ods) as z:
        basic = {Path(n).stem: z.read(n).decode("utf-8") for n in z.namelist()
                 if n.startswith("Basic/") and n.endswith(".xml") and "script-l" not in n}
    assert {"xlwings", "Dictionary", "XxgkRibbon", build.UDF_VBA_MODULE} <= set(basic)
    assert "XxgkOnAction" in basic["XxgkRibbon"]
    assert 'script:language="StarBasic"' in basic["Dictionary"] or "Dictionary" in basic["Dictionary"]

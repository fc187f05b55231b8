"""The .xlam built from addin/ text sources, checked without Excel: olevba reads back exactly our
VBA, the xlwings module is the installed one, LibreOffice lists the modules, the ribbon lint
holds (and catches what it should), and pyOpenVBA's interpreter runs the one dispatcher with a
fake ribbon control against the built add-in's own message sheet."""

from __future__ import annotations

import itertools
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
    # Apart from the project name, Option Private Module and the procedures in
    # addin/xlwings_overrides/ (GetConfig, XLPyLoadDLL) it is xlwings' text.
    shipped = (Path(xlwings.__file__).parent / "xlwings_custom_addin.bas").read_text(encoding="utf-8")
    assert _without_overrides(_body(text)) == _without_overrides(_body(shipped.replace('"myaddin"', '"xxgk"')))
    assert set(build.xlwings_overrides()) == {"GetConfig", "XLPyLoadDLL"}
    for name, override in build.xlwings_overrides().items():
        assert override.strip() in text and len(re.findall(rf"(?m)^(?:Private )?(?:Sub|Function) {name}\(", text)) == 1


def _without_overrides(code: str) -> str:
    for name in build.xlwings_overrides():
        code = re.sub(rf"^(?:Private )?(Function|Sub) {name}\(.*?^End \1\n", "", code, count=1, flags=re.M | re.S)
    return "\n".join(line for line in code.split("\n")
                     if line != "Option Private Module" and not line.startswith("' "))


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
        problems = x.validate()  # the project as finished (7-byte _VBA_PROJECT, renamed), not as pyOpenVBA wrote it
    assert problems == []
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


def test_user_texts_say_flags_are_orange() -> None:
    """The 校验 button marks cells orange (the workbook's own formulas mark 不平衡 red): every
    text a user reads says so."""
    from xxgk.addin.buttons import Outcome, show_help

    texts = {name: (build.addin_sources() / name).read_text(encoding="utf-8")
             for name in ("README.md", "customUI.xml", "messages.toml")}
    outcome = Outcome("help")
    show_help(None, outcome)
    texts["help"] = outcome.message
    for name, text in texts.items():
        for sentence in re.split(r"[。；\n]", text):
            assert "标红" not in sentence or "不平衡" in sentence, (name, sentence)
    assert "橙色底、深色粗体" in texts["README.md"] and "橙色" in texts["customUI.xml"]


def test_vba_sources_are_ascii() -> None:
    paths = sorted((build.addin_sources() / "vba").glob("*.bas"))
    paths += sorted((build.addin_sources() / "xlwings_overrides").glob("*.bas"))
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
Public ConfigFailsWith As Long
Public Sub SetConfigFail(n As Long)
    ConfigFailsWith = n
End Sub
Public Function GetConfig(configKey As String, Optional default As String = "") As Variant
    ' xlwings' GetConfig expands %VARS% through CreateObject("WScript.Shell"), which a locked-down PC may refuse.
    If ConfigFailsWith <> 0 Then Err.Raise ConfigFailsWith, "xlwings", "ActiveX component can't create object"
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


def test_a_blocked_wscript_shell_is_explained_in_chinese(vba) -> None:
    """Reading the config already needs WScript.Shell: when the PC refuses it, the user gets our
    Chinese message with the error number, not VBA's own error box with its Debug button."""
    vm = vba.interpreter
    vm.run("SetConfigFail", [429])
    vm.run("XxgkOnAction", [_Control("xxgkValidate", "validate")])
    assert vm.run("CallCount", []) == 0
    (_kind, prompt, _title, _style), = vm.dialogs
    assert "无法启动 Python" in prompt and "429" in prompt and "WScript.Shell" in prompt


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
        libraries = {Path(n).parent.name for n in z.namelist() if n.endswith("/XxgkRibbon.xml")}
    assert {"xlwings", "Dictionary", "XxgkRibbon", build.UDF_VBA_MODULE} <= set(basic)
    # An independent reader of the dir stream: LibreOffice names the library after the project.
    assert libraries == {"xxgk"}
    assert "XxgkOnAction" in basic["XxgkRibbon"]
    assert 'script:language="StarBasic"' in basic["Dictionary"] or "Dictionary" in basic["Dictionary"]


# ------------------------------------------------------------------------- what Excel reads
@pytest.fixture(scope="module")
def built(xlam: Path) -> dict[str, str]:
    """The modules as the built add-in stores them (read back by olevba), LF line ends."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(xlam))
    try:
        return {Path(s).name: c.replace("\r\n", "\n") for _f, s, _n, c in parser.extract_macros()}
    finally:
        parser.close()


def _vba_bin(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/vbaProject.bin")


def _stream(vba_bin: bytes, name: str) -> bytes:
    import olefile

    with olefile.OleFileIO(vba_bin) as ole:
        return ole.openstream(name).read()


def _dir_records(vba_bin: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    """The ``dir`` stream decompressed by olevba, walked record by record (MS-OVBA 2.3.4.2):
    the records up to the terminator, and whatever follows it."""
    from oletools.olevba import decompress_stream

    data = bytes(decompress_stream(bytearray(_stream(vba_bin, "VBA/dir"))))
    records, at = [], 0
    while at < len(data):
        rid, size = int.from_bytes(data[at:at + 2], "little"), int.from_bytes(data[at + 2:at + 6], "little")
        size = 6 if rid == 0x0009 else size  # PROJECTVERSION: Size says 4, 6 bytes follow
        records.append((rid, data[at + 6:at + 6 + size]))
        at += 6 + size
        if rid == 0x0010:
            break
    return records, data[at:]


def test_vba_project_stream_is_the_spec_form(xlam: Path) -> None:
    """MS-OVBA 2.3.4.1: version 0xFFFF and no compiled-code cache, so every Excel compiles the
    project from source; the add-ins that ship inside xlwings hold the same 7 bytes."""
    import xlwings

    ours = _stream(_vba_bin(xlam), "VBA/_VBA_PROJECT")
    assert ours == bytes.fromhex("CC61FFFF000100")
    shipped = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
    assert _stream(_vba_bin(shipped), "VBA/_VBA_PROJECT") == ours


def test_dir_stream_ends_at_its_terminator(xlam: Path) -> None:
    """Terminator: id 0x0010 and 4 reserved zero bytes (read as a Size of 0), then nothing."""
    records, rest = _dir_records(_vba_bin(xlam))
    assert records[-1] == (0x0010, b"")
    assert rest == b""


def test_vba_project_is_named_xxgk(xlam: Path) -> None:
    vba_bin = _vba_bin(xlam)
    records, _ = _dir_records(vba_bin)
    assert [payload for rid, payload in records if rid == 0x0004] == [b"xxgk"]
    assert re.findall(rb'(?m)^Name="([^"]*)"', _stream(vba_bin, "PROJECT")) == [b"xxgk"]


def test_no_project_wide_compilation_constants(xlam: Path) -> None:
    """Conditional-compilation arguments of the whole project (PROJECTCONSTANTS) would reach
    every module; we set none, so each module's own #Const decides (see the UDF test)."""
    records, _ = _dir_records(_vba_bin(xlam))
    assert [payload for rid, payload in records if rid == 0x000C] == [b""]


FAKE_XLPY = r"""Public Recorder As Object
Public Application As Object
Public Sub UseFakes(py As Object, app As Object)
    Set Recorder = py
    Set Application = app
End Sub
Function XLPy() As Object
    Set XLPy = Recorder
End Function
"""


def test_udf_wrappers_pass_the_workbook_and_the_calling_cell(built: dict[str, str], tmp_path: Path) -> None:
    """The built UDF module, run by pyOpenVBA's interpreter (its preprocessor evaluates the
    module's own #Const and #If as VBA does, a #Const being private to its module): each
    wrapper takes its Excel branch and hands Python the active workbook and the calling cell.
    Without the module's own ``#Const App`` the other branch runs, which is #VALUE! in Excel.
    XLPy (the COM server) and Application.Caller are the two things Excel provides; the test
    stands them in with a recorder and a real cell of pyOpenVBA's Excel model."""
    import openpyxl
    from pyopenvba.apps.excel import ExcelApplication
    from pyopenvba.interpreter import VBAObject, member, method

    calls: list[tuple[object, ...]] = []

    class Recorder(VBAObject):
        @method(name="CallUDF")
        def call_udf(self, *args: object) -> str:
            calls.append(args)
            return "ok"

    class Host(VBAObject):
        vba_type_name = "Application"

        def __init__(self, cell: object) -> None:
            self.cell = cell

        @member(name="Caller")
        def caller(self) -> object:
            return self.cell

    book = tmp_path / "年报.xlsx"
    openpyxl.Workbook().save(book)
    app = ExcelApplication.open(book, with_vba=False)
    app.add_module(FAKE_XLPY, name="xlwings")
    app.add_module(built[build.UDF_VBA_MODULE], name=build.UDF_VBA_MODULE)
    cell = app.evaluate('ActiveWorkbook.Worksheets(1).Range("B2")')
    app.interpreter.run("UseFakes", [Recorder(), Host(cell)])
    for func, args in (("XXGK_STATUS", []), ("XXGK_PARAGRAPH", ["s1.intro"])):
        calls.clear()
        assert app.run(func, *args) == "ok"
        ((module, name, _args, workbook, caller),) = calls  # 3 arguments on the dead branch
        assert (module, name) == (build.UDF_MODULE, func)
        assert workbook is app.application.active_book and caller is cell


def test_only_the_documented_udfs_are_worksheet_functions(xlam: Path, built: dict[str, str]) -> None:
    """Excel lists every Public Function of a standard module (one without Option Private
    Module) in its function wizard and accepts it in a cell."""
    project = _stream(_vba_bin(xlam), "PROJECT").decode("latin-1")
    standard = re.findall(r"(?m)^Module=(\w+)\r?$", project)
    assert set(standard) == {"xlwings", "XxgkRibbon", build.UDF_VBA_MODULE}
    visible = set()
    for name in standard:
        code = [line for line in built[name].split("\n") if line.strip() and not line.startswith(("Attribute ", "'", "#"))]
        head = list(itertools.takewhile(lambda line: line.startswith("Option "), code))
        if "Option Private Module" in head:
            continue
        visible |= set(re.findall(r"(?m)^(?:Public )?Function (\w+)\(", built[name]))
    assert visible == {"XXGK_STATUS", "XXGK_PARAGRAPH"}


def test_option_private_module_comes_before_any_declaration(built: dict[str, str]) -> None:
    """VBA accepts Option statements only before the first declaration of a module."""
    code = [line for line in built["xlwings"].split("\n")
            if line.strip() and not line.startswith(("Attribute ", "'", "#"))]
    assert code[0] == "Option Private Module"


# ------------------------------------------------------------------------- config lookup
USER_PYTHON = "C:\\Python311\\pythonw.exe"
PROFILE = "C:\\Users\\审核员"
SUBMITTED = "C:\\收件\\某局2024年报.xlsx"  # the workbook a reviewer opened
DLL = "xlwings64-" + __import__("xlwings").__version__ + ".dll"  # what 64-bit Office loads
HOSTILE = {"INTERPRETER_WIN": "C:\\收件\\x\\pythonw.exe", "PYTHONPATH": "C:\\收件",
           "ADD_WORKBOOK_TO_PYTHONPATH": "true"}

# The few procedures of the xlwings module that touch the machine rather than decide anything,
# replaced by calls to a Python stand-in: GetAttr, file input, WScript.Shell and Environ are
# beyond pyOpenVBA, and GetFullName reads a Windows path that its Excel model does not have.
MACHINE_VBA = r"""Public M As Object
Public Sub UseMachine(x As Object)
    Set M = x
End Sub
Function Environ(name As String) As String
    Environ = M.Env(name)
End Function
Function LoadLibrary(ByVal lpLibFileName As String) As Long
    LoadLibrary = M.Load(lpLibFileName)
End Function
"""
MACHINE_PROCEDURES = {
    "FileExistsOnWindows": "Function FileExistsOnWindows(ByVal FileSpec As String) As Boolean\n"
                           "    FileExistsOnWindows = M.Exists(FileSpec)\nEnd Function\n",
    "GetConfigFromFile": "Function GetConfigFromFile(sFile As String, sName As String, Optional sValue As String) As Boolean\n"
                         "    GetConfigFromFile = M.Has(sFile, sName)\n"
                         "    If GetConfigFromFile Then sValue = M.Read(sFile, sName)\nEnd Function\n",
    "GetFullName": "Function GetFullName(wb As Workbook) As String\n    GetFullName = M.FullName()\nEnd Function\n",
    "ExpandEnvironmentStrings": "Function ExpandEnvironmentStrings(ByVal s As String)\n"
                                "    ExpandEnvironmentStrings = s\nEnd Function\n",
}


def _directive_comments_removed(code: str) -> str:
    """VBA allows a comment after a #Const/#If line; pyOpenVBA's preprocessor reads none."""
    return "\n".join(re.sub(r"""^((?:[^'"\n]|"[^"\n]*")*)'.*$""", r"\1", line).rstrip()
                     if line.lstrip().startswith("#") else line for line in code.split("\n"))


def _config_files(files: dict[str, str]) -> dict[str, dict[str, str]]:
    """Windows path → settings, read as VBA's ``Input #`` reads a ``Write #`` file."""
    import csv
    import io

    out = {}
    for path, text in files.items():
        rows = csv.reader(io.StringIO(text))
        out[path.casefold()] = {row[0].upper(): row[1] for row in rows if len(row) == 2}
    return out


def _get_config(module: str, tmp_path: Path, *, sheet: bool, folder: bool, user: bool) -> dict[str, str]:
    """What ``module``'s GetConfig answers (see _xlwings_vm)."""
    app, _loads = _xlwings_vm(module, tmp_path, sheet=sheet, folder=folder, user=user)
    return {k: str(app.run("GetConfig", k, "")) for k in HOSTILE}


def _xlwings_vm(module: str, tmp_path: Path, *, sheet: bool, folder: bool, user: bool):
    """``module`` (an xlwings module) running in pyOpenVBA with the submitted workbook as
    ActiveWorkbook: a hidden ``xxgk.conf`` sheet in it, an ``xxgk.conf`` file beside it, and
    the user's own file as ``xxgk addin install`` writes it — each only if asked for. Returns
    the application and the list of paths LoadLibrary was asked for."""
    import openpyxl
    from pyopenvba.apps.excel import ExcelApplication
    from pyopenvba.interpreter import VBAObject, member

    from xxgk.addin import install

    wb = openpyxl.Workbook()
    wb.active.title = "封面"
    if sheet:
        conf = wb.create_sheet("xxgk.conf")
        conf.sheet_state = "hidden"
        for r, (k, v) in enumerate(HOSTILE.items(), 1):
            conf.cell(r, 1, k)
            conf.cell(r, 2, v)
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "submitted.xlsx"
    wb.save(path)
    files = {}
    if folder:
        files[SUBMITTED.rsplit("\\", 1)[0] + "\\xxgk.conf"] = "".join(f'"{k}","{v}"\r\n' for k, v in HOSTILE.items())
    if user:
        files[PROFILE + "\\.xxgk\\xxgk.conf"] = install.conf_text(Path(USER_PYTHON))
    settings = _config_files(files)

    def key(p: str) -> str:
        return re.sub(r"\\+", r"\\", p).casefold()  # Windows reads C:\a\\b as C:\a\b

    class Machine(VBAObject):
        @member(name="Env")
        def env(self, name: str) -> str:
            return {"USERPROFILE": PROFILE}.get(name.upper(), "")

        @member(name="Exists")
        def exists(self, p: str) -> bool:
            return key(p) in settings

        @member(name="Has")
        def has(self, f: str, k: str) -> bool:
            return k.upper() in settings.get(key(f), {})

        @member(name="Read")
        def read(self, f: str, k: str) -> str:
            return settings[key(f)][k.upper()]

        @member(name="FullName")
        def full_name(self) -> str:
            return SUBMITTED

        @member(name="Load")
        def load(self, p: str) -> int:
            loads.append(p)
            return int(key(p) == key(USER_PYTHON.rsplit("\\", 1)[0] + "\\" + DLL))

    loads: list[str] = []
    for name, text in MACHINE_PROCEDURES.items():
        module = build.replace_procedure(module, name, text)
    module = re.sub(r"(?m)^.*Declare (?:PtrSafe )?Function LoadLibrary .*$", "", module)
    app = ExcelApplication.open(path, with_vba=False)
    app.add_module(MACHINE_VBA, name="Machine")
    app.add_module(_directive_comments_removed(module), name="xlwings")
    app.interpreter.run("UseMachine", [Machine()])
    return app, loads


def _stock_xlwings_module() -> str:
    shipped = (build.xlwings_dir() / "xlwings_custom_addin.bas").read_text(encoding="utf-8")
    return shipped.replace("\r\n", "\n").replace('"myaddin"', '"xxgk"')


@pytest.mark.parametrize(("sheet", "folder"), [(True, False), (False, True), (True, True)],
                         ids=["sheet", "folder", "sheet+folder"])
def test_a_workbook_cannot_choose_what_the_addin_runs(built: dict[str, str], tmp_path: Path,
                                                      sheet: bool, folder: bool) -> None:
    """xlwings' own lookup lets the workbook's sheet or folder override the interpreter and
    PYTHONPATH (the first assert shows this harness sees that); the add-in as built reads only
    the user's config file."""
    stock = _get_config(_stock_xlwings_module(), tmp_path / "stock", sheet=sheet, folder=folder, user=True)
    assert stock["INTERPRETER_WIN"] == HOSTILE["INTERPRETER_WIN"]
    ours = _get_config(built["xlwings"], tmp_path / "ours", sheet=sheet, folder=folder, user=True)
    assert ours == {"INTERPRETER_WIN": USER_PYTHON, "PYTHONPATH": "", "ADD_WORKBOOK_TO_PYTHONPATH": "false"}


def test_without_a_user_config_the_workbook_still_chooses_nothing(built: dict[str, str], tmp_path: Path) -> None:
    """No user config (add-in copied by hand): no interpreter, so the ribbon says in Chinese
    that Python is missing rather than running the one the workbook names."""
    ours = _get_config(built["xlwings"], tmp_path, sheet=True, folder=True, user=False)
    assert ours == {"INTERPRETER_WIN": "", "PYTHONPATH": "", "ADD_WORKBOOK_TO_PYTHONPATH": ""}


@pytest.mark.parametrize("user", [True, False], ids=["user-config", "no-user-config"])
def test_worksheet_functions_load_the_dll_only_from_the_users_python(built: dict[str, str], tmp_path: Path,
                                                                     user: bool) -> None:
    """Recalculating =XXGK_STATUS() loads xlwings' DLL (XLPy → XLPyLoadDLL). It comes only from
    beside the user's configured Python, by full path; without a user config the add-in refuses
    instead of letting Windows search for the DLL by name (which includes the current folder,
    often the workbook's). The Declare'd DLL entry itself is beyond pyOpenVBA: reaching it is
    reported as VBAUnsupportedError, which is how the test sees that xlwings' own code went on
    to load the DLL by name."""
    from pyopenvba.exceptions import VBARuntimeError, VBAUnsupportedError

    app, loads = _xlwings_vm(built["xlwings"], tmp_path, sheet=True, folder=True, user=user)
    entry = "XLPyDLLActivateAuto is a Declare"
    if user:
        with pytest.raises(VBAUnsupportedError, match=entry):  # the DLL is loaded; its entry point is next
            app.run("XLPy")
        assert loads == [USER_PYTHON.rsplit("\\", 1)[0] + "\\" + DLL]
        return
    with pytest.raises(VBARuntimeError, match="xxgk addin install"):
        app.run("XLPy")
    assert loads == []
    # xlwings' own code, for comparison: the workbook's config picks the DLL's folder …
    stock, stock_loads = _xlwings_vm(_stock_xlwings_module(), tmp_path / "stock", sheet=True, folder=True, user=False)
    with pytest.raises(VBARuntimeError):
        stock.run("XLPy")
    assert stock_loads[0] == HOSTILE["INTERPRETER_WIN"].rsplit("\\", 1)[0] + "\\" + DLL
    # … and with no config at all it goes on to load the DLL by name.
    stock, stock_loads = _xlwings_vm(_stock_xlwings_module(), tmp_path / "bare", sheet=False, folder=False, user=False)
    with pytest.raises(VBAUnsupportedError, match=entry):
        stock.run("XLPy")
    assert stock_loads == []

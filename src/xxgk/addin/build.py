"""Build the ribbon add-in (.xlam) from the text sources in ``addin/``, on any OS, without Excel.

openpyxl makes a one-sheet workbook (the sheet holds the VBA side's Chinese messages) →
pyOpenVBA (pinned) adds the VBA project: xlwings' own ``xlwings_custom_addin.bas`` and
``Dictionary.cls`` read from the *installed* xlwings (so the add-in's ``XLWINGS_VERSION`` and the
DLL it loads always match the Python package), our ``addin/vba/*.bas`` and the generated UDF
wrappers → the customUI part and its relationship are added → the workbook content type becomes
the add-in one (openpyxl writes the .xlsx type; Excel refuses a mismatch).

The output is reproducible: fixed document dates, fixed ZIP entry times, sorted entries.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from xxgk import __version__
from xxgk.errors import InputError

PROJECT_NAME = "xxgk"  # xlwings PROJECT_NAME: user config at %USERPROFILE%\.xxgk\xxgk.conf
TEXT_SHEET = "xxgk_text"  # must equal XXGK_TEXT_SHEET in addin/vba/XxgkRibbon.bas
UDF_MODULE = "xxgk.addin.udfs"
UDF_VBA_MODULE = "xxgk_udfs"
ADDIN_FILENAME = "xxgk.xlam"  # ASCII: xlwings passes it on command lines (xlwings#2004)

REL_UI = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
CT_ADDIN = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
CT_XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_FIXED_DATE = datetime(2021, 1, 1)  # the format's year; any constant makes builds reproducible
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Sources:
    """Everything the .xlam is made of, as text (what the tests compare the built file with)."""

    custom_ui: bytes
    modules: dict[str, str]  # VBA module name → source (LF line ends), in project order
    messages: dict[str, str]


def addin_sources() -> Path:
    from xxgk.resources import addin_dir

    return addin_dir()


def xlwings_dir() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent


def xlwings_module_source(src: Path | None = None) -> str:
    """xlwings' own add-in module as our add-in ships it: our PROJECT_NAME (selects our config
    file), the procedures in ``addin/xlwings_overrides/`` in place of xlwings' own (GetConfig
    reads only the user's config file), and ``Option Private Module`` (its public functions would
    otherwise be listed as worksheet functions)."""
    text = _lf((xlwings_dir() / "xlwings_custom_addin.bas").read_text(encoding="utf-8"))
    new, n = re.subn(r'(Public Const PROJECT_NAME As String = )"myaddin"', rf'\1"{PROJECT_NAME}"', text)
    if n != 1:
        raise RuntimeError("xlwings_custom_addin.bas has no PROJECT_NAME line: xlwings changed its add-in module")
    for name, replacement in xlwings_overrides(src).items():
        new = replace_procedure(new, name, replacement)
    return private_module(new)


def xlwings_overrides(src: Path | None = None) -> dict[str, str]:
    """``addin/xlwings_overrides/<Procedure>.bas``: each file holds one procedure (and comments
    saying why) that replaces xlwings' procedure of the same name."""
    folder = (src or addin_sources()) / "xlwings_overrides"
    return {path.stem: _lf(path.read_bytes().decode("ascii")) for path in sorted(folder.glob("*.bas"))}


def replace_procedure(module: str, name: str, replacement: str) -> str:
    """``module`` with its one ``Function``/``Sub`` ``name`` replaced by ``replacement``; fails
    the build when xlwings no longer has exactly one (an override must never silently miss)."""
    pattern = re.compile(
        rf"^(?:Public |Private )?(Function|Sub) {re.escape(name)}\(.*?^End \1[^\n]*\n", re.M | re.S
    )
    found = pattern.findall(module)
    if len(found) != 1:
        raise RuntimeError(f"xlwings_custom_addin.bas has {len(found)} procedures {name}: cannot override it")
    return pattern.sub(lambda _m: replacement.rstrip("\n") + "\n", module)


def private_module(module: str) -> str:
    """``Option Private Module`` after the Attribute lines, before any declaration (VBA accepts
    it nowhere else): the module's public procedures stay callable inside the add-in's project
    but are no longer worksheet functions."""
    if re.search(r"^Option Private Module\b", module, re.M):
        return module
    m = re.match(r"(?:Attribute [^\n]*\n)*", module)
    return module[: m.end()] + "Option Private Module\n" + module[m.end():]


def dictionary_class_source() -> str:
    return _lf((xlwings_dir() / "addin" / "Dictionary.cls").read_text(encoding="utf-8"))


def our_modules(src: Path | None = None) -> dict[str, str]:
    """``addin/vba/*.bas`` by module name; they must be ASCII (VBA source is stored in the
    Windows ANSI code page, which differs between a Chinese and an English Windows)."""
    folder = (src or addin_sources()) / "vba"
    out: dict[str, str] = {}
    for path in sorted(folder.glob("*.bas")):
        raw = path.read_bytes()
        try:
            text = raw.decode("ascii")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path} 含有非 ASCII 字符（第 {exc.start} 字节）。VBA 源码只能用英文字符，中文请写在 customUI.xml 或 messages.toml。") from None
        m = re.search(r'^Attribute VB_Name = "([A-Za-z][A-Za-z0-9_]*)"', text, re.M)
        if not m:
            raise InputError(f"{path} 没有 Attribute VB_Name 行。")
        out[m.group(1)] = _lf(text)
    return out


def messages(src: Path | None = None) -> dict[str, str]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    data = tomllib.loads(((src or addin_sources()) / "messages.toml").read_text(encoding="utf-8"))
    return {k: str(v).replace("{version}", __version__) for k, v in data.items()}


def udf_module_source(python: str | None = None) -> str:
    """The VBA wrappers of our ``@xw.func`` UDFs, written by xlwings' own generator.

    xlwings' generator lives in ``xlwings.udfs``, which imports pywin32. A child process stubs
    pywin32 (where it is missing) and rebinds ``xw.func`` to the real decorator before importing
    our UDF module, so this process and its imports stay untouched."""
    code = _UDF_GENERATOR.format(module=UDF_MODULE, vba_name=UDF_VBA_MODULE, book=ADDIN_FILENAME)
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.run([python or sys.executable, "-c", code], capture_output=True, env=env, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError("UDF module generation failed:\n" + proc.stderr.decode("utf-8", "replace"))
    text = _lf(proc.stdout.decode("utf-8"))
    text.encode("ascii")  # our UDF names and arguments are ASCII; fail the build otherwise
    return text


_UDF_GENERATOR = r"""
import importlib, io, sys, types
for n in ("pythoncom", "pywintypes", "win32com", "win32com.client", "win32api", "win32con"):
    try:
        importlib.import_module(n)
    except ImportError:
        sys.modules[n] = types.ModuleType(n)
sys.modules["win32com.client"].__dict__.setdefault("Dispatch", None)
sys.modules["pywintypes"].__dict__.setdefault("com_error", Exception)
sys.modules["pythoncom"].__dict__.setdefault("CoInitialize", lambda: None)
import xlwings, xlwings.udfs as u
xlwings.func, xlwings.arg, xlwings.ret, xlwings.sub = u.xlfunc, u.xlarg, u.xlret, u.xlsub
buf = io.StringIO()
w = u.VBAWriter(buf)
w.writeln('Attribute VB_Name = "{vba_name}"')
# As xlwings' own import_udfs writes it: a #Const is private to its module, and without this
# line every wrapper takes its non-Excel branch (no workbook, no caller: #VALUE! in Excel). No
# comment after it: pyOpenVBA's preprocessor, which the tests evaluate it with, reads none.
w.writeln("'Generated by xxgk addin build with xlwings' generator")
w.writeln('#Const App = "Microsoft Excel"')
u.generate_vba_wrapper("{module}", importlib.import_module("{module}"), buf, types.SimpleNamespace(Name="{book}"))
sys.stdout.write(buf.getvalue())
"""


def collect_sources(src: Path | None = None, *, udfs: bool = True) -> Sources:
    src = src or addin_sources()
    modules = {"xlwings": xlwings_module_source(src), "Dictionary": dictionary_class_source()}
    for name, text in our_modules(src).items():
        if name in modules:
            raise InputError(f"addin/vba 中的模块名 {name} 与 xlwings 自带模块重名，请改名。")
        modules[name] = text
    if udfs:
        modules[UDF_VBA_MODULE] = udf_module_source()
    return Sources(custom_ui=(src / "customUI.xml").read_bytes(), modules=modules, messages=messages(src))


def build_xlam(out: str | Path | None = None, *, src: Path | None = None, udfs: bool = True) -> bytes:
    """Build the add-in; write it to ``out`` (overwriting a previous build) if given; return the bytes."""
    sources = collect_sources(src, udfs=udfs)
    data = build_bytes(sources, suffix=Path(out).suffix.lower() if out else ".xlam")
    if out is not None:
        out = Path(out)
        if out.suffix.lower() not in (".xlam", ".xlsm"):
            raise InputError(f"输出文件 {out.name} 的扩展名应为 .xlam（加载项）。")
        from xxgk.fileio import write_atomic

        write_atomic(out, data, overwrite=True, may_replace=is_addin_file, what="加载项")
    return data


def build_bytes(sources: Sources, *, suffix: str = ".xlam") -> bytes:
    import openpyxl

    try:
        from pyopenvba import ExcelFile
        from pyopenvba.vba import VBAModuleKind
    except ImportError:
        raise InputError('构建加载项需要 pyOpenVBA 组件。请先运行：pip install "xxgk[addin]"') from None

    with tempfile.TemporaryDirectory(prefix="xxgk-addin-") as tmp:
        work = Path(tmp) / "addin.xlsm"  # pyOpenVBA adds projects to .xlsm only; renamed below
        wb = openpyxl.Workbook()
        wb.code_name = "ThisWorkbook"
        ws = wb.active
        ws.title = TEXT_SHEET
        ws.sheet_properties.codeName = "Sheet1"
        for r, (key, text) in enumerate(sources.messages.items(), 1):
            ws.cell(r, 1, key)
            ws.cell(r, 2, text)
        wb.properties.creator = "xxgk"
        wb.properties.lastModifiedBy = "xxgk"
        wb.properties.title = f"信息公开年报助手 {__version__}"
        wb.properties.created = wb.properties.modified = _FIXED_DATE
        wb.save(work)
        with ExcelFile(work) as x:
            project = x.add_vba_project()
            for name, text in sources.modules.items():
                kind = VBAModuleKind.other if name == "Dictionary" else VBAModuleKind.standard
                project.add_module(name, _crlf(text), kind=kind)
            x.save(work)
        with ExcelFile(work) as x:
            problems = x.validate()
        if problems:
            raise RuntimeError("pyOpenVBA rejects the VBA project it wrote: " + "; ".join(problems))
        return _finish_package(work.read_bytes(), sources.custom_ui, CT_ADDIN if suffix == ".xlam" else CT_XLSM)


def _finish_package(data: bytes, custom_ui: bytes, content_type: str) -> bytes:
    """Add customUI, set the workbook content type, pin dates and order: a reproducible package."""
    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            parts[name] = z.read(name)
    ct = parts["[Content_Types].xml"].decode("utf-8")
    ct, n = re.subn(r'(PartName="/xl/workbook.xml" ContentType=")[^"]+', rf"\g<1>{content_type}", ct)
    if n != 1:
        raise RuntimeError("no workbook Override in [Content_Types].xml")
    parts["[Content_Types].xml"] = ct.encode("utf-8")
    rels = parts["_rels/.rels"].decode("utf-8")
    if REL_UI not in rels:
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="rIdXxgkUI" Type="{REL_UI}" Target="customUI/customUI.xml"/></Relationships>',
        )
    parts["_rels/.rels"] = rels.encode("utf-8")
    parts["customUI/customUI.xml"] = custom_ui
    from xxgk.addin.ovba import spec_form

    parts["xl/vbaProject.bin"] = spec_form(parts["xl/vbaProject.bin"], project_name=PROJECT_NAME)
    # openpyxl stamps "modified" with the time of saving, whatever the properties say.
    core = parts["docProps/core.xml"].decode("utf-8")
    core = re.sub(r"(<dcterms:modified[^>]*>)[^<]*", rf"\g<1>{_FIXED_DATE:%Y-%m-%dT%H:%M:%SZ}", core)
    parts["docProps/core.xml"] = core.encode("utf-8")
    buf = io.BytesIO()
    # [Content_Types].xml first, as Office writes it; the rest sorted so the bytes never depend
    # on dict or filesystem order.
    order = ["[Content_Types].xml", *sorted(n for n in parts if n != "[Content_Types].xml")]
    with zipfile.ZipFile(buf, "w") as zo:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zo.writestr(info, parts[name])
    return buf.getvalue()


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _crlf(text: str) -> str:
    return _lf(text).replace("\n", "\r\n")


# ---------------------------------------------------------------------------- lint
CALLBACK_ATTRIBUTES = ("onAction", "getLabel", "getEnabled", "getVisible", "getImage", "getScreentip",
                       "getSupertip", "getPressed", "onLoad", "getContent", "getItemCount", "getItemLabel")
_CUI_NS = "{http://schemas.microsoft.com/office/2006/01/customui}"
XLWINGS_API_USED = ("RunPython", "GetConfig", "FileExists")


def lint_sources(src: Path | None = None) -> list[str]:
    """Problems in the add-in sources (an empty list means fine): every customUI callback is a
    Public Sub of our VBA with an IRibbonControl parameter, ids are unique, every button has an
    ASCII tag the Python dispatcher knows, VBA is ASCII, messages cover every key the VBA asks for."""
    import xml.etree.ElementTree as ET

    from xxgk.addin.buttons import TAGS

    src = src or addin_sources()
    problems: list[str] = []
    try:
        modules = our_modules(src)
    except InputError as exc:
        return [str(exc)]
    subs: dict[str, str] = {}
    for text in modules.values():
        for m in re.finditer(r"^Public Sub (\w+)\(([^)]*)\)", text, re.M):
            subs[m.group(1)] = m.group(2)
    try:
        root = ET.fromstring((src / "customUI.xml").read_bytes())
    except ET.ParseError as exc:
        return [f"customUI.xml is not well-formed XML: {exc}"]
    if root.tag != _CUI_NS + "customUI":
        problems.append(f"customUI.xml root is {root.tag}, expected the 2006/01 customUI namespace")
    ids: dict[str, int] = {}
    for el in root.iter():
        if "id" in el.attrib:
            ids[el.attrib["id"]] = ids.get(el.attrib["id"], 0) + 1
        for attr in CALLBACK_ATTRIBUTES:
            proc = el.attrib.get(attr)
            if proc is None:
                continue
            if proc not in subs:
                problems.append(f"{el.attrib.get('id')}: {attr}={proc} is not a Public Sub in addin/vba")
            elif attr == "onAction" and "IRibbonControl" not in subs[proc]:
                problems.append(f"{proc} must take (control As IRibbonControl)")
        if el.tag == _CUI_NS + "button":
            tag = el.attrib.get("tag", "")
            if not re.fullmatch(r"[a-z0-9_]{1,40}", tag):
                problems.append(f"{el.attrib.get('id')}: tag {tag!r} must be [a-z0-9_]")
            elif tag not in TAGS:
                problems.append(f"{el.attrib.get('id')}: tag {tag!r} is not handled by xxgk.addin.dispatch")
    problems += [f"duplicate id {i!r} ({n} times)" for i, n in ids.items() if n > 1]
    # The xlwings procedures our VBA calls must exist in the installed xlwings module.
    xl = xlwings_module_source()
    for proc in XLWINGS_API_USED:
        if not re.search(rf"^(?:Public )?Function {proc}\(", xl, re.M):
            problems.append(f"xlwings_custom_addin.bas has no Function {proc} (used by addin/vba)")
    asked = {m for text in modules.values() for m in re.findall(r'XxgkText\("(\w+)"\)', text)}
    have = messages(src)
    problems += [f"messages.toml has no {k!r} (used by the VBA)" for k in sorted(asked - set(have))]
    return problems


def is_addin_file(path: Path) -> bool:
    """Whether ``path`` is an add-in built here (its one sheet is the messages sheet), the only
    file a new build may replace: never a filled workbook that happens to be named .xlsm."""
    import re
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("xl/workbook.xml")
            if info.file_size > 1_000_000:
                return False
            xml = z.read(info).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False
    return re.findall(r'<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"', xml) == [TEXT_SHEET]

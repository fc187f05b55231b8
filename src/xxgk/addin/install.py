"""``xxgk addin install`` / ``uninstall`` (Windows desktop Excel).

Install builds the add-in afresh from the installed package (so its xlwings VBA module and DLL
name always match the installed xlwings), copies it into the user's Excel start-up folder
``%APPDATA%\\Microsoft\\Excel\\XLSTART`` (Excel opens every add-in there at start, and the folder
is one of Excel's default Trusted Locations, so no macro-security prompt), and writes xlwings'
user config ``%USERPROFILE%\\.xxgk\\xxgk.conf`` pointing at the Python running this command.

The add-in file name is ASCII on purpose: xlwings passes it on a command line (see
xlwings#2004); the Chinese title shows in Excel's add-in list.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from xxgk.errors import InputError

INSTALLED_NAME = "xxgk.xlam"
CONF_DIR = ".xxgk"  # %USERPROFILE%\.xxgk\xxgk.conf, as xlwings_custom_addin.bas looks for it
CONF_NAME = "xxgk.conf"

WINDOWS_ONLY = (
    "Excel 加载项只能在 Windows 版 Excel 中安装（本机是 {system}）。\n"
    "在本机可以用命令行完成同样的工作：xxgk check（校验）、xxgk export（导出）；"
    "WPS 用户可直接使用工作簿自带的公式校验。"
)


@dataclass(frozen=True)
class Places:
    xlstart: Path
    conf: Path

    @property
    def addin(self) -> Path:
        return self.xlstart / INSTALLED_NAME


def places(env: dict[str, str] | None = None) -> Places:
    env = dict(os.environ if env is None else env)
    appdata, profile = env.get("APPDATA"), env.get("USERPROFILE")
    if not appdata or not profile:
        raise InputError("找不到当前用户的 APPDATA 或 USERPROFILE 文件夹，无法安装。请以普通用户身份在“命令提示符”中运行本命令。")
    return Places(Path(appdata) / "Microsoft" / "Excel" / "XLSTART", Path(profile) / CONF_DIR / CONF_NAME)


def interpreter(executable: str | None = None) -> Path:
    """pythonw.exe beside the running Python (no console window flashes), else python.exe."""
    exe = Path(executable or sys.executable)
    windowed = exe.with_name("pythonw.exe")
    return windowed if windowed.exists() else exe


def conf_text(python: Path) -> str:
    """xlwings' config file: one ``"KEY","value"`` line per setting, as VBA's ``Write #`` makes it."""
    settings = {
        "INTERPRETER_WIN": str(python),
        # Never put the folder of the user's workbook on sys.path: a stray .py file there must
        # not shadow our modules.
        "ADD_WORKBOOK_TO_PYTHONPATH": "false",
    }
    return "".join(f'"{k}","{v}"\r\n' for k, v in settings.items())


def conf_bytes(python: Path, encoding: str | None = None) -> bytes:
    """The config in the Windows ANSI code page: VBA's ``Input #`` reads nothing else."""
    text = conf_text(python)
    enc = encoding or ("mbcs" if os.name == "nt" else "utf-8")
    try:
        return text.encode(enc)
    except UnicodeEncodeError:
        raise InputError(
            f"Python 的安装路径 {python} 含有本机系统编码无法表示的字符，Excel 将找不到它。"
            "请把 Python 安装到只含英文字母和数字的文件夹（如 C:\\Python311），再运行 xxgk addin install。"
        ) from None


def install(env: dict[str, str] | None = None, executable: str | None = None,
            data: bytes | None = None) -> list[str]:
    """Install for the current user; return what was done, as Chinese lines to print."""
    from xxgk.addin.build import build_xlam
    from xxgk.fileio import write_atomic

    where = places(env)
    python = interpreter(executable)
    if not python.exists():
        raise InputError(f"找不到 Python 程序 {python}。请在安装了 xxgk 的 Python 中运行本命令。")
    payload = data if data is not None else build_xlam()
    conf = conf_bytes(python)
    done = []
    try:
        where.xlstart.mkdir(parents=True, exist_ok=True)
        where.conf.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"无法创建文件夹（{exc.strerror}）：{exc.filename}。请检查权限。") from None
    replaced = where.addin.exists()
    try:
        write_atomic(where.addin, payload, overwrite=True)
    except InputError as exc:
        raise InputError(f"{exc.message}\n如果 Excel 正在运行，请先关闭所有 Excel 窗口再安装。") from None
    done.append(f"{'已更新' if replaced else '已安装'}加载项：{where.addin}")
    write_atomic(where.conf, conf, overwrite=True)
    done.append(f"已写入配置：{where.conf}（Python：{python}）")
    done += dll_check(python)
    done += path_notice(python)
    done.append("请关闭并重新打开 Excel，功能区会出现“信息公开年报”选项卡。")
    return done


def dll_check(python: Path) -> list[str]:
    """The xlwings DLL the add-in's UDFs load, looked for where its VBA looks (beside the
    interpreter, or one folder up in a virtual environment): say so now if it is missing,
    rather than as "Run-time error 53" in Excel."""
    import xlwings

    names = [f"xlwings{bits}-{xlwings.__version__}.dll" for bits in (64, 32)]
    for folder in (python.parent, python.parent.parent):
        if any((folder / n).exists() for n in names):
            return []
    return [f"注意：在 {python.parent} 及其上一级文件夹中没有找到 {names[0]}（或 32 位版本）。按钮可以使用，"
            f"但工作表函数 XXGK_STATUS 等会报错。请运行 pip install --force-reinstall xlwings=={xlwings.__version__} "
            "后再运行 xxgk addin install；杀毒软件可能删除了该文件。"]


def path_notice(python: Path) -> list[str]:
    """A notice when Python sits in a folder with non-ASCII characters (python.org's default is
    under the user's folder, often a Chinese name): it works while the ANSI code page holds the
    name, but xlwings' COM server and command lines are fragile there (xlwings#1934)."""
    if str(python).isascii():
        return []
    return [f"注意：Python 位于含中文等非英文字符的文件夹 {python.parent}。工作表函数和按钮在这种路径下容易出错，"
            "建议用 python.org 安装程序的“Customize installation”把 Python 重新安装到 C:\\Python311，"
            "再在新的 Python 中安装 xxgk 并运行 xxgk addin install。"]


def uninstall(env: dict[str, str] | None = None) -> list[str]:
    where = places(env)
    done = []
    for path in (where.addin, where.conf):
        if path.exists():
            try:
                path.unlink()
            except OSError as exc:
                raise InputError(f"无法删除 {path}（{exc.strerror}）。如果 Excel 正在运行，请先关闭所有 Excel 窗口。") from None
            done.append(f"已删除：{path}")
    try:
        where.conf.parent.rmdir()  # only if empty
    except OSError:
        pass
    if not done:
        done.append("没有找到已安装的加载项，无需卸载。")
    else:
        done.append("请重新打开 Excel。")
    return done


def require_windows() -> None:
    if os.name != "nt":
        import platform

        raise InputError(WINDOWS_ONLY.format(system=platform.system() or sys.platform))

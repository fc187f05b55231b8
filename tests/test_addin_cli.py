"""``xxgk addin build/install/uninstall``: the build from the command line, and the install
logic against a fake user profile (the real install is Windows-only and says so elsewhere)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from xxgk.addin import build, install
from xxgk.cli import main
from xxgk.errors import InputError


def test_build_from_the_command_line_to_a_chinese_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "加载项" / "信息公开年报助手.xlam"
    out.parent.mkdir()
    assert main(["addin", "build", "-o", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    assert out.read_bytes() == build.build_bytes(build.collect_sources())


def test_build_refuses_a_wrong_suffix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["addin", "build", "-o", str(tmp_path / "x.xlsx")]) == 2
    assert ".xlam" in capsys.readouterr().err


@pytest.mark.skipif(os.name == "nt", reason="the Windows path really installs")
@pytest.mark.parametrize("action", ["install", "uninstall"])
def test_install_elsewhere_is_a_chinese_windows_only_message(action: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["addin", action]) == 2
    err = capsys.readouterr().err
    assert "只能在 Windows 版 Excel 中安装" in err and "Traceback" not in err


def test_install_and_uninstall_in_a_chinese_user_profile(tmp_path: Path) -> None:
    profile = tmp_path / "用户" / "张三"
    env = {"APPDATA": str(profile / "AppData" / "Roaming"), "USERPROFILE": str(profile)}
    done = install.install(env, executable=sys.executable, data=b"PK-fake-xlam")
    where = install.places(env)
    assert where.addin == profile / "AppData/Roaming/Microsoft/Excel/XLSTART/xxgk.xlam"
    assert where.addin.read_bytes() == b"PK-fake-xlam"
    conf = where.conf.read_bytes().decode("utf-8")
    assert where.conf == profile / ".xxgk" / "xxgk.conf"  # where xlwings_custom_addin.bas looks (PROJECT_NAME xxgk)
    assert f'"INTERPRETER_WIN","{install.interpreter(sys.executable)}"\r\n' in conf
    assert '"ADD_WORKBOOK_TO_PYTHONPATH","false"\r\n' in conf
    assert any("已安装加载项" in line for line in done)
    # No xlwings DLL beside a Linux Python: said now, not as "Run-time error 53" later.
    assert any("xlwings64-" in line and "--force-reinstall" in line for line in done)
    again = install.install(env, executable=sys.executable, data=b"PK-new")
    assert any("已更新加载项" in line for line in again) and where.addin.read_bytes() == b"PK-new"
    gone = install.uninstall(env)
    assert not where.addin.exists() and not where.conf.exists() and not where.conf.parent.exists()
    assert len([line for line in gone if line.startswith("已删除")]) == 2
    assert install.uninstall(env) == ["没有找到已安装的加载项，无需卸载。"]


def test_dll_found_beside_the_interpreter_or_one_up(tmp_path: Path) -> None:
    import xlwings

    venv = tmp_path / "venv"
    (venv / "Scripts").mkdir(parents=True)
    python = venv / "Scripts" / "pythonw.exe"
    assert install.dll_check(python)
    (venv / f"xlwings64-{xlwings.__version__}.dll").write_bytes(b"")
    assert install.dll_check(python) == []


def test_config_is_written_in_the_ansi_code_page() -> None:
    python = Path("C:/程序/Python311/pythonw.exe")
    assert install.conf_bytes(python, "gbk").decode("gbk").startswith('"INTERPRETER_WIN","C:')
    with pytest.raises(InputError, match="只含英文字母和数字的文件夹"):
        install.conf_bytes(python, "cp1252")


def test_install_needs_a_user_profile() -> None:
    with pytest.raises(InputError, match="APPDATA"):
        install.places({})


def test_a_python_under_a_chinese_folder_gets_a_notice() -> None:
    """python.org's "Install Now" puts Python under the user's folder, whose name may be Chinese:
    encodable in GBK it still works, but xlwings' COM server and command lines are fragile there
    (xlwings#1934), so install says where to put it instead."""
    under_profile = Path("C:/Users/张三/AppData/Local/Programs/Python/Python311/pythonw.exe")
    (notice,) = install.path_notice(under_profile)
    assert "C:\\Python311" in notice and "张三" in notice
    assert install.path_notice(Path("C:/Python311/pythonw.exe")) == []

"""``xxgk demo``: the whole job once, on the bundled example, into one folder.

Build the locked workbook filled with the example (保定市科学技术局 2024), read it back as any
submitted workbook is read, check it, draft the narrative, and export .xlsx (with the drafted
texts), .docx, .html and .json. The example's own wording for the generated parts is left out
first, so the output shows what the tool writes; the staff-written parts (一 导语, （三）–（五）, 五)
are the published ones.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from xxgk.examples import load_example
from xxgk.export import FORMAT_NAMES, FORMATS, default_stem, export, output_folder
from xxgk.fileio import free_name, write_atomic
from xxgk.findings_report import render_text, verdict
from xxgk.narrative import generated_keys, regenerate
from xxgk.rules import check

DEFAULT_DIR = "xxgk-示例输出"


def run(outdir: str | Path = DEFAULT_DIR, echo: Callable[[str], None] = print) -> list[Path]:
    """Run the demo into ``outdir`` (created if missing); return the files written."""
    from xxgk.workbook import build_workbook
    from xxgk.workbook.reader import read_workbook

    folder = output_folder(outdir)
    example = load_example()
    for key in generated_keys(example.spec):
        example.texts[key] = ""
    echo(f"示例：{example.agency} {example.year} 年度政府信息公开工作年度报告（表格数字均为该机关公开发布的数字）")

    # 1. The workbook staff fill, filled with the example, read back the way a submitted one is.
    with tempfile.TemporaryDirectory(prefix="xxgk-demo-") as tmp:
        filled = Path(tmp) / "示例工作簿.xlsx"
        filled.write_bytes(build_workbook(example))
        report = read_workbook(filled)
    echo("1. 已按示例填好工作簿并重新读入（与读取报送的工作簿相同）。")

    # 2. Narrative: drafts for the generated parts from the numbers.
    report, notices = regenerate(report)
    echo(f"2. 已生成说明文字：{'、'.join(report.spec.texts[k].label for k in generated_keys(report.spec))}。")
    for n in notices:
        echo(f"   {n}")

    # 3. Check, then export everything; the workbook last, with the drafted texts in it.
    findings = check(report)
    echo(f"3. 校验：{verdict(findings)}")
    for line in render_text(findings, limit=3).splitlines()[2:]:
        echo(f"   {line}" if line else "")
    paths = list(export(report, FORMATS, folder, findings=findings))
    xlsx = free_name(folder / f"{default_stem(report)}（填报工作簿）.xlsx")
    paths.insert(0, write_atomic(xlsx, build_workbook(report)))

    echo(f"4. 已导出到 {folder.resolve()}：")
    names = {"xlsx": "填报工作簿（含生成的说明文字）", **FORMAT_NAMES}
    for p in paths:
        echo(f"   {names[p.suffix.lstrip('.')]}：{p}")
    echo("说明文字中的【待填写：…】表示示例未提供该数字（如新闻发布会场数），校验结果中有对应提示。")
    return paths

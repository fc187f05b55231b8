"""Reading published reports back (issue 6): both shared examples, figure for figure, and
variants built from them: portal HTML, .docx, 2019-format tables, blank cells, label variants, a
missing section, a table split over pages, arithmetic and prose errors, and bad input."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oracle import EXAMPLES, official_labels
from published import Published
from strategies import consistent_reports
from support import needs_soffice, soffice_convert
from xxgk.cli import main
from xxgk.errors import InputError
from xxgk.importer import MAX_IMPORT_BYTES, import_report
from xxgk.report import Report, load_json
from xxgk.rules import check, has_errors
from xxgk.sources import read_report
from xxgk.spec import load_format

BAODING = EXAMPLES / "baoding-kjj-2024.txt"
HUAIAN = EXAMPLES / "huaian-2024.txt"
COLS = ["natural", "commercial", "research", "nonprofit", "legal", "other", "total"]
T4_COLS = [f"{g}.{c}" for g in ("review", "direct", "after_review") for c in ("upheld", "corrected", "other", "pending", "total")]

# 淮安市人民政府 2024, transcribed from shared/examples/huaian-2024.txt (25 rows of 表三, in
# the format's order; columns 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计).
HUAIAN_T3 = """
3001 53 0 0 61 4 3119
34 0 0 0 0 0 34
1288 21 0 0 50 3 1362
447 7 0 0 0 0 454
2 0 0 0 0 0 2
30 1 0 0 0 0 31
5 0 0 0 0 0 5
6 0 0 0 0 0 6
7 1 0 0 0 0 8
12 0 0 0 0 0 12
9 0 0 0 0 0 9
105 0 0 0 0 0 105
746 12 0 0 10 1 769
11 0 0 0 0 0 11
1 0 0 0 0 0 1
56 6 0 0 0 0 62
25 0 0 0 0 0 25
0 0 0 0 0 0 0
0 0 0 0 0 0 0
1 0 0 0 0 0 1
67 3 0 0 1 0 71
6 0 0 0 0 0 6
108 2 0 0 0 0 110
2932 53 0 0 61 4 3050
103 0 0 0 0 0 103
"""
HUAIAN_T4 = "72 64 178 37 351 13 4 8 1 26 12 1 1 6 20"
# 表二 in oracle row order: 规章, 行政规范性文件 (制发, 废止, 现行有效); 行政许可; 行政处罚; 行政强制; 行政事业性收费.
HUAIAN_T2 = [["1", "0", "11"], ["8", "26", "66"], ["447228"], ["3985758"], ["88283"], ["96171.6"]]
BAODING_T2 = [["0", "0", "0"], ["1", "3", "4"], ["0"], ["0"], ["0"], ["0"]]


def rows_of(text: str) -> list[list[str]]:
    return [line.split() for line in text.strip().splitlines()]


def t2_keys(version: str) -> list[list[str]]:
    t2 = load_format(version).tables["t2"]
    return [[t2.cell_key(r.key, c.key) for c in b.columns] for b in t2.blocks for r in b.rows]


def assert_figures(report: Report, t2: list[list[str]], t3: list[list[str]], t4: list[str]) -> None:
    fmt = report.spec
    got_t3 = [[report.cells[f"t3.{r.key}.{c}"] for c in COLS] for r in fmt.tables["t3"].rows]
    assert got_t3 == [[int(v) for v in row] for row in t3]
    assert [report.cells[f"t4.{c}"] for c in T4_COLS] == [int(v) for v in t4]
    got_t2 = [[report.cells[k] for k in keys] for keys in t2_keys(report.format)]
    assert got_t2 == [[Decimal(v) if "." in v else int(v) for v in row] for row in t2]


def errors(report: Report) -> list[str]:
    return [f.id for f in check(report, disabled=["FACT-BLANK"]) if f.is_error]


def rule_ids(report: Report) -> set[str]:
    return {f.rule for f in check(report, disabled=["FACT-BLANK"])}


# ------------------------------------------------------------------ the two shared examples
def test_huaian_pdf_text_every_figure() -> None:
    result = import_report(HUAIAN)
    r = result.report
    assert (r.year, r.agency, r.format) == (2024, "淮安市人民政府", "2021")
    assert_figures(r, HUAIAN_T2, rows_of(HUAIAN_T3), HUAIAN_T4.split())
    assert result.cells_read == result.cells_total == 200
    assert result.tables_found == ["t2", "t3", "t4"]
    assert r.headings == official_labels()["2021"]["headings"]
    assert r.facts["fees.collected"] == 3940
    assert r.texts["s1.requests"].startswith("依申请公开情况。") and "3119" in r.texts["s1.requests"]
    assert r.texts["preamble"].startswith("本报告由淮安市人民政府办公室") and "-1-" not in r.texts["s1.proactive"]
    assert "营商环境高质量推进产业发展" in r.texts["s1.proactive"]  # a paragraph continued over a page break
    assert r.texts["s5.text"].endswith("增强队伍凝聚力。") and "3940" in r.texts["s6.fees"]
    assert not errors(r)
    # Its 表三 writes "1、" in （六）: each is a 提示, not silently folded.
    variants = [f for f in check(r) if f.rule == "IMPORT-LABEL-VARIANT"]
    assert len(variants) == 3 and all("序号" in f.message for f in variants)


def test_baoding_tab_text_every_figure() -> None:
    result = import_report(BAODING)
    r = result.report
    assert (r.year, r.agency, r.format) == (2024, "保定市科学技术局", "2021")
    assert_figures(r, BAODING_T2, [["0"] * 7] * 25, ["0"] * 15)
    assert result.cells_read == 200 and not result.cells_unread
    assert r.texts["s1.requests"] == "规范办理依申请公开。2024 年我局未收到政府信息公开申请。"
    assert r.facts["fees.collected"] == 0
    assert not errors(r)
    kinds = " ".join(f.message for f in check(r) if f.rule == "IMPORT-LABEL-VARIANT")
    assert "括号全角/半角" in kinds and "多余空格" in kinds


def test_cli_import_and_audit_on_examples(tmp_path: Path, capsys) -> None:
    out = tmp_path / "淮安.json"
    assert main(["import", str(HUAIAN), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "读到 200 个" in text and "找到 表二、表三、表四" in text
    back = load_json(out)
    assert back.cells["t3.results.total.total"] == 3050
    assert main(["import", str(HUAIAN), "-o", str(out)]) == 2  # never overwrites
    assert "已存在" in capsys.readouterr().err
    assert main(["audit", str(BAODING), str(HUAIAN)]) == 0
    cap = capsys.readouterr()
    assert "【汇总】" in cap.out and "未发现错误 2 份" in cap.out
    assert "[2/2]" in cap.err
    assert main(["audit", str(HUAIAN), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["errors"] == 0 and data["import"]["cells_read"] == 200


def test_check_and_read_report_accept_published_reports(capsys) -> None:
    assert read_report(HUAIAN).cells["t3.new.total"] == 3119
    assert main(["check", str(BAODING)]) == 0


# ------------------------------------------------------------------ variants built from the examples
def huaian_published(**kw) -> Published:
    base = dict(
        year=2024, agency="淮安市人民政府", version="2021", t2=HUAIAN_T2, t3=rows_of(HUAIAN_T3), t4=HUAIAN_T4.split(),
        preamble="本报告由淮安市人民政府办公室根据《中华人民共和国政府信息公开条例》规定编制。报告所列统计期限自 2024 年 1 月 1 日至 2024 年 12 月 31 日。",
        s1=["2024 年，我市严格落实《中华人民共和国政府信息公开条例》各项规定。",
            "（一）主动公开情况。市政府网站主动公开各类政府信息 5500 余条。",
            "（二）依申请公开情况。2024 年，全市共受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到下年度答复）。政府信息公开行政复议 351 件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚未审结 37 件。",
            "（三）政府信息管理情况。规范审查程序。",
            "（四）政府信息公开平台建设情况。优化政务公开专栏设置。",
            "（五）政府信息公开监督保障情况。全年组织 4 次检查。"],
        s5=["一是政策解读质量仍需提升。下一步，我市将着力加强政策解读质效。"],
        s6=["2024 年，全年收取政府信息公开信息处理费 3940 元。"],
    )
    year = kw.get("year", 2024)
    base["preamble"] = base["preamble"].replace("2024", str(year))
    base.update(kw)
    return Published(**base)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_portal_html_td_only_with_spans(tmp_path: Path, encoding: str) -> None:
    pub = huaian_published()
    page = pub.html().replace('charset="utf-8"', f'charset="{encoding}"')
    assert "<th" not in page and "rowspan" in page and "colspan" in page
    result = import_report(write(tmp_path, "report.html", page, encoding))
    r = result.report
    assert (r.year, r.agency) == (2024, "淮安市人民政府")
    assert_figures(r, HUAIAN_T2, rows_of(HUAIAN_T3), HUAIAN_T4.split())
    assert r.headings == official_labels()["2021"]["headings"]
    assert r.texts["s1.proactive"] == "主动公开情况。市政府网站主动公开各类政府信息 5500 余条。"
    assert "版权所有" not in r.texts["s6.fees"]  # the portal footer is not part of 六
    assert not errors(r) and not [f for f in check(r) if f.rule.startswith("IMPORT-")]


def test_docx_with_merged_cells(tmp_path: Path) -> None:
    path = huaian_published().docx(tmp_path / "年报.docx")
    r = import_report(path).report
    assert_figures(r, HUAIAN_T2, rows_of(HUAIAN_T3), HUAIAN_T4.split())
    assert r.agency == "淮安市人民政府" and not errors(r)


def test_table_split_across_pages(tmp_path: Path) -> None:
    pub = huaian_published(split_t3_after=13)
    page = pub.html()
    assert page.count("一、本年新收") == 1 and "- 4 -" in page
    r = import_report(write(tmp_path, "split.html", page)).report
    assert_figures(r, HUAIAN_T2, rows_of(HUAIAN_T3), HUAIAN_T4.split())
    assert not errors(r)
    d = import_report(pub.docx(tmp_path / "split.docx")).report
    assert_figures(d, HUAIAN_T2, rows_of(HUAIAN_T3), HUAIAN_T4.split())


def test_2019_format_detected_and_read(tmp_path: Path) -> None:
    o = official_labels()["2019"]
    assert len(o["table3"]["rows"]) == 23
    t3 = rows_of(HUAIAN_T3)
    # The 2019 table: （六）其他处理 is one row (71 + 6 + 110 merged).
    other = [str(sum(int(t3[r][c]) for r in (20, 21, 22))) for c in range(7)]
    t3_2019 = [*t3[:20], other, *t3[23:]]
    t2_2019 = [["1", "1", "11"], ["8", "8", "66"], ["120", "-3", "447228"], ["40", "2", "15"],
               ["300", "0", "3985758"], ["10", "−1", "88283"], ["12", "0"], ["5", "123.45"]]
    pub = huaian_published(year=2020, version="2019", t3=t3_2019, t2=t2_2019,
                           s6=["本年度未收取信息处理费。"])
    for path in (write(tmp_path, "r2019.html", pub.html()), write(tmp_path, "r2019.txt", pub.tab_text()),
                 pub.docx(tmp_path / "r2019.docx")):
        result = import_report(path)
        r = result.report
        assert (r.format, r.year) == ("2019", 2020), path
        assert "2019" in result.format_reason
        assert_figures(r, [[v.replace("−", "-") for v in row] for row in t2_2019], t3_2019, HUAIAN_T4.split())
        assert r.cells["t2.licensing.change"] == -3
        assert not errors(r), path
    # The same 2019 tables in a 2022 report: the wrong format is an error.
    late = import_report(write(tmp_path, "late.html", huaian_published(year=2022, version="2019", t3=t3_2019, t2=t2_2019).html())).report
    assert late.format == "2019" and "FORM-VERSION" in {f.rule for f in check(late) if f.is_error}


def test_blank_and_unreadable_cells_are_never_guessed(tmp_path: Path) -> None:
    # HTML: an empty cell stays blank (CELL-BLANK), "/" is text (CELL-TEXT), "1,288" is normalised.
    t3 = rows_of(HUAIAN_T3)
    t3[0][2] = ""
    t3[1][3] = "/"
    t3[2][0] = "1,288"
    r = import_report(write(tmp_path, "blank.html", huaian_published(t3=t3).html())).report
    assert r.cells["t3.new.research"] is None and r.cells["t3.carried.nonprofit"] is None
    assert r.cells["t3.results.granted.natural"] == 1288
    found = {f.id for f in check(r)}
    assert "CELL-BLANK:t3.new.research" in found and "CELL-TEXT:t3.carried.nonprofit" in found
    assert "CELL-NORMALISED:t3.results.granted.natural" in found
    # PDF text: a missing figure cannot be placed in a column, so the whole row is unread.
    line = next(ln for ln in HUAIAN.read_text(encoding="utf-8").splitlines() if "8.属于行政查询事项" in ln)
    text = HUAIAN.read_text(encoding="utf-8").replace(line, line.replace("    0   105", "   105"))
    result = import_report(write(tmp_path, "gap.txt", text))
    r = result.report
    keys = [f"t3.results.withheld.inquiry.{c}" for c in COLS]
    assert all(r.cells[k] is None for k in keys)
    notes = [n for n in r.notes if n.problem == "unread"]
    assert [n.key for n in notes] == keys and "6 个数值" in notes[0].fix
    assert {f.where for f in check(r) if f.rule == "CELL-UNREAD"} == set(keys)
    assert len(result.cells_unread) == 7 and "无法读取 7 个" in result.summary_text()


def test_label_variants_are_read_and_reported(tmp_path: Path) -> None:
    text = BAODING.read_text(encoding="utf-8").replace("勾稽", "钩稽").replace("行政规范性文件", "规范性文件")
    text = text.replace("四、结转下年度继续办理", "四、结转下年度  继续办理")
    r = import_report(write(tmp_path, "variants.txt", text)).report
    assert r.cells["t2.normative.in_force"] == 4 and r.cells["t3.forward.total"] == 0
    msgs = [f.message for f in check(r) if f.rule == "IMPORT-LABEL-VARIANT"]
    assert any("钩稽" in m for m in msgs)
    assert any("“规范性文件”" in m and "行政规范性文件" in m and "用词" in m for m in msgs)
    assert not errors(r)
    # In HTML too: half-width brackets and "1、" in a portal table.
    pub = huaian_published(relabel={"（一）予以公开": "(一)予以公开", "3.其他": "3、其他", "行政规范性文件": "规范性文件"})
    r = import_report(write(tmp_path, "variants.html", pub.html())).report
    assert_figures(r, HUAIAN_T2, rows_of(HUAIAN_T3), HUAIAN_T4.split())
    msgs = [f.message for f in check(r) if f.rule == "IMPORT-LABEL-VARIANT"]
    assert len(msgs) == 3, msgs


def test_missing_section_and_heading_wording(tmp_path: Path) -> None:
    heads = list(official_labels()["2021"]["headings"])
    heads[4] = None  # no 五 at all
    r = import_report(write(tmp_path, "no5.html", huaian_published(headings=heads, s5=[]).html())).report
    assert {"FORM-HEADINGS", "FORM-S5-EMPTY"} <= {f.rule for f in check(r) if f.is_error}
    assert "缺少 五、存在的主要问题及改进情况" in import_report(tmp_path / "no5.html").summary_text()
    text = BAODING.read_text(encoding="utf-8").replace("五、存在的主要问题及改进情况", "五、存在的主要问题及改进措施")
    r = import_report(write(tmp_path, "wording.txt", text)).report
    found = [f for f in check(r) if f.rule == "FORM-HEADING-WORDING"]
    assert len(found) == 1 and "改进措施" in found[0].message
    assert r.texts["s5.text"].startswith("2024 年度政府信息公开工作虽然取得一定成效")


def test_arithmetic_and_prose_errors_are_flagged(tmp_path: Path) -> None:
    text = HUAIAN.read_text(encoding="utf-8")
    wrong = text.replace("3001        53", "3002        53").replace("复 3050 件", "复 3060 件")
    assert wrong.count("3002") == 1 and "复 3060 件" in wrong
    r = import_report(write(tmp_path, "wrong.txt", wrong)).report
    assert r.cells["t3.new.natural"] == 3002
    found = {f.id for f in check(r) if f.is_error}
    assert {"T3-IDENTITY:natural", "T3-ROW-TOTAL:t3.new.total"} <= found
    assert any(i.startswith("TXT-T3-ANSWERED") for i in found)
    assert main(["audit", str(tmp_path / "wrong.txt")]) == 1
    # A fee stated in 六 that the report contradicts elsewhere is caught too.
    pub = huaian_published(s6=["2024 年未收取信息处理费。全年收取政府信息公开信息处理费 3940 元。"])
    r = import_report(write(tmp_path, "fee.html", pub.html())).report
    assert r.facts["fees.collected"] is None  # two statements that disagree: not filled in


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("unrelated.txt", "关于开展秋季运动会的通知\n各单位：\n定于十月举行运动会，请做好准备。\n", "不是政府信息公开工作年度报告"),
        ("unrelated.html", "<html><body><h1>天气预报</h1><p>明天晴。</p><table><tr><td>1</td></tr></table></body></html>", "不是政府信息公开工作年度报告"),
        ("empty.html", "", "空文件"),
        ("empty.txt", "", "空文件"),
        ("blank.txt", "   \n\n  ", "空的"),
        ("broken.html", "<<<html><body><table><tr><td>一、<p>总体<td><tr></tabl", "不是政府信息公开工作年度报告"),
        ("tags.html", "<html><head></head></html>", "不是政府信息公开工作年度报告"),
        ("note.md", "# x", "note.md（.md）"),
        ("old.doc", "x", "另存为 .docx"),
    ],
)
def test_bad_input_exits_2_with_a_chinese_message(tmp_path: Path, capsys, name: str, content: str, words: str) -> None:
    path = write(tmp_path, name, content)
    for cmd in (["import", str(path)], ["audit", str(path)], ["check", str(path)]):
        assert main(cmd) == 2, cmd
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err, err


@pytest.mark.parametrize("name", ["binary.txt", "binary.html", "binary.docx", "binary.pdf"])
def test_binary_input(tmp_path: Path, capsys, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * 64)
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("xxgk：") and "Traceback" not in err


def test_huge_file_refused_by_size_before_reading(tmp_path: Path, capsys, monkeypatch) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as fh:  # sparse: 100 MB on paper, nothing on disk
        fh.truncate(100 * 1024 * 1024)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file over the size limit"))
    assert main(["audit", str(path)]) == 2
    assert "100 MB" in capsys.readouterr().err
    assert MAX_IMPORT_BYTES < 100 * 1024 * 1024


def test_pdf_without_pdftotext(tmp_path: Path, monkeypatch) -> None:
    import shutil

    path = tmp_path / "r.pdf"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\n")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(InputError, match="pdftotext"):
        import_report(path)


def test_many_files_one_unreadable(tmp_path: Path, capsys) -> None:
    bad = write(tmp_path, "bad.txt", "")
    assert main(["audit", str(BAODING), str(bad), "--format", "json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert [d["readable"] for d in data] == [True, False]
    assert has_errors([]) is False


# ------------------------------------------------------------------ our own exports, read back
def test_exported_html_and_docx_read_back_exactly(tmp_path: Path) -> None:
    from fixtures import huaian_2024
    from xxgk.export import renderers

    original = huaian_2024()
    for kind in ("html", "docx"):
        path = tmp_path / f"淮安.{kind}"
        path.write_bytes(renderers()[kind](original))
        r = import_report(path).report
        assert r.cells == original.cells, kind
        assert (r.year, r.agency, r.format) == (2024, "淮安市人民政府", "2021")
        assert r.texts["s5.text"] == original.texts["s5.text"]
        assert r.texts["s6.other"] == ""  # the page footer is not part of 六
        assert not check(r, disabled=["FACT-BLANK"]), kind


@pytest.mark.slow
@needs_soffice
def test_pdf_through_pdftotext(tmp_path: Path) -> None:
    from fixtures import huaian_2024
    from xxgk.export import renderers

    original = huaian_2024()
    docx = tmp_path / "淮安.docx"
    docx.write_bytes(renderers()["docx"](original))
    pdf = soffice_convert(docx, "pdf", tmp_path / "pdf")
    result = import_report(pdf)
    assert "pdftotext" in result.kind
    assert result.report.cells == original.cells
    assert not errors(result.report)
    assert main(["audit", str(pdf)]) == 0


def test_rows_missing_or_unrecognised_in_table3(tmp_path: Path) -> None:
    # A row left out: the others are matched by their labels; the missing one is unread, with why.
    r = import_report(write(tmp_path, "drop.html", huaian_published(drop_t3={11}).html())).report
    t3 = rows_of(HUAIAN_T3)
    assert all(r.cells[f"t3.results.withheld.inquiry.{c}"] is None for c in COLS)
    assert r.cells["t3.results.withheld.enforcement.natural"] == int(t3[10][0])
    assert r.cells["t3.results.unavailable.not_held.total"] == int(t3[12][6])
    reasons = {n.fix for n in r.notes if n.problem == "unread"}
    assert reasons == {"发布稿的表三中找不到“8.属于行政查询事项”这一行"}
    # A row whose label matches nothing, in a table of the right length: read by its position,
    # and said so (a 提示), never silently.
    pub = huaian_published(relabel={"8.属于行政查询事项": "8.其它情形"})
    r = import_report(write(tmp_path, "odd.html", pub.html())).report
    assert r.cells["t3.results.withheld.inquiry.total"] == 105
    found = [f for f in check(r) if f.rule == "IMPORT-ROW-UNVERIFIED"]
    assert len(found) == 1 and "8.其它情形" in found[0].message


def test_titles_and_docx_content_controls(tmp_path: Path) -> None:
    from xxgk.importer import import_document
    from xxgk.importer.doc import Document

    for title, agency in [("2023年度某某县民政局政府信息公开工作年度报告", "某某县民政局"),
                          ("某某县民政局2023年政府信息公开工作年度报告", "某某县民政局")]:
        d = Document("text")
        for line in (title, "一、总体情况", "二、主动公开政府信息情况"):
            d.para(line)
        r = import_document(d, "t.txt").report
        assert (r.year, r.agency) == (2023, agency)
    # Word/WPS templates wrap parts of the body in content controls (w:sdt).
    import docx
    from docx.oxml import OxmlElement

    path = huaian_published().docx(tmp_path / "sdt.docx")
    d = docx.Document(path)
    body = d.element.body
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    sdt.append(content)
    tables = [el for el in body.iterchildren() if el.tag.endswith("}tbl")]
    tables[-1].addprevious(sdt)
    content.append(tables[-1])  # 表四 inside a content control
    d.save(path)
    r = import_report(path).report
    assert r.cells["t4.review.total"] == 351


def test_heading_run_into_its_paragraph_and_a_work_summary(tmp_path: Path, capsys) -> None:
    page = huaian_published().html().replace(
        "<strong>一、总体情况</strong></p>\n<p style=\"text-indent:2em\">2024 年，", "<strong>一、总体情况</strong>2024 年，")
    assert "总体情况</strong>2024" in page
    r = import_report(write(tmp_path, "runin.html", page)).report
    assert r.headings[0] == "一、总体情况" and r.texts["s1.intro"].startswith("2024 年，我市")
    assert not errors(r)
    summary = write(tmp_path, "summary.txt", "2024年工作总结\n一、总体情况\n今年工作顺利。\n二、主要做法\n加强学习。\n")
    assert main(["audit", str(summary)]) == 2
    assert "不是政府信息公开工作年度报告" in capsys.readouterr().err


def test_damaged_files_never_raise_anything_but_input_error(tmp_path: Path) -> None:
    """Truncated, byte-flipped and line-dropped copies of every kind of input: each either
    imports (and every rule runs without an internal error) or is refused with InputError."""
    import random

    rnd = random.Random(6)
    pub = huaian_published()
    sources = {".html": pub.html().encode(), ".txt": HUAIAN.read_bytes(), ".docx": pub.docx(tmp_path / "d.docx").read_bytes()}
    sources_list = [*sources.items(), (".txt", BAODING.read_bytes())]
    for n in range(60):
        suffix, data = sources_list[n % len(sources_list)]
        op = n // len(sources_list) % 3
        if op == 0:
            data = data[: rnd.randrange(len(data))]
        elif op == 1:
            buf = bytearray(data)
            for _ in range(rnd.randrange(1, 40)):
                buf[rnd.randrange(len(buf))] = rnd.randrange(256)
            data = bytes(buf)
        else:
            lines = data.split(b"\n")
            for _ in range(rnd.randrange(1, 15)):
                lines.pop(rnd.randrange(len(lines)))
            data = b"\n".join(lines)
        path = tmp_path / f"{n}{suffix}"
        path.write_bytes(data)
        try:
            result = import_report(path)
        except InputError as exc:
            assert str(exc) and "Traceback" not in str(exc)
            continue
        assert not [f for f in check(result.report) if f.where == "internal"]
        result.summary_text()
        json.loads(result.report.to_json())


def _t4_line(text: str) -> str:
    return next(ln for ln in text.splitlines() if ln.startswith("72   64"))


def test_figures_wrapped_in_narrow_pdf_columns(tmp_path: Path) -> None:
    """"178" printed as "17" over "8" in a narrow column is read as 178; a stray number that is
    not under any figure makes the row unread instead of a wrong figure."""
    text = HUAIAN.read_text(encoding="utf-8")
    line = _t4_line(text)
    at = line.index("178")
    wrapped = line[:at] + "17 " + line[at + 3 :] + "\n" + " " * (at + 1) + "8"
    r = import_report(write(tmp_path, "wrap.txt", text.replace(line, wrapped))).report
    assert [r.cells[f"t4.{c}"] for c in T4_COLS] == [int(v) for v in HUAIAN_T4.split()]
    stray = line[:at] + "17 " + line[at + 3 :] + "\n" + " " * (len(line) + 8) + "8"
    r = import_report(write(tmp_path, "stray.txt", text.replace(line, stray))).report
    assert all(r.cells[f"t4.{c}"] is None for c in T4_COLS)
    notes = [n for n in r.notes if n.problem == "unread"]
    assert len(notes) == 15 and "折行" in notes[0].fix


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("version", ["2021", "2019"])
def test_narrow_column_pdf_made_by_libreoffice(tmp_path: Path, version: str) -> None:
    """A Word table with equal narrow columns, printed to PDF: labels wrap character by
    character, figures wrap under themselves, a 表二 row label wraps onto a second line."""
    if version == "2019":
        t3 = rows_of(HUAIAN_T3)
        other = [str(sum(int(t3[r][c]) for r in (20, 21, 22))) for c in range(7)]
        t3 = [*t3[:20], other, *t3[23:]]
        t2 = [["1", "1", "11"], ["8", "8", "66"], ["120", "-3", "447228"], ["40", "2", "15"],
              ["300", "0", "3985758"], ["10", "-1", "88283"], ["12", "0"], ["5", "123.45"]]
        pub = huaian_published(year=2020, version="2019", t3=t3, t2=t2, s6=["本年度未收取信息处理费。"])
    else:
        t3, t2, pub = rows_of(HUAIAN_T3), HUAIAN_T2, huaian_published()
    pdf = soffice_convert(pub.docx(tmp_path / f"narrow{version}.docx"), "pdf", tmp_path / "pdf")
    result = import_report(pdf)
    r = result.report
    assert r.format == version
    assert_figures(r, t2, t3, HUAIAN_T4.split())
    assert result.cells_read == result.cells_total
    assert r.texts["s1.proactive"] == "主动公开情况。市政府网站主动公开各类政府信息 5500 余条。"
    assert not errors(r), [f.message for f in check(r) if f.is_error]


def test_audit_a_folder_of_reports(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "各单位年报"
    (folder / "县区").mkdir(parents=True)
    (folder / "淮安.txt").write_bytes(HUAIAN.read_bytes())
    (folder / "县区" / "保定科技局.txt").write_bytes(BAODING.read_bytes())
    (folder / "说明.md").write_text("不是年报", encoding="utf-8")
    assert main(["audit", str(folder)]) == 0
    cap = capsys.readouterr()
    assert "共 2 份：未发现错误 2 份" in cap.out and "[2/2]" in cap.err
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    assert main(["audit", str(empty)]) == 2
    assert "没有可读取的年报文件" in capsys.readouterr().err


def test_rows_out_of_order_are_read_by_their_labels(tmp_path: Path) -> None:
    pub = huaian_published()
    page = pub.html()
    t3 = rows_of(HUAIAN_T3)
    # Swap 1.属于国家秘密 and 2.其他法律行政法规禁止公开, each with its own figures.
    a = "<td>1.属于国家秘密</td>" + "".join(f"<td>{v}</td>" for v in t3[4])
    b = "<td>2.其他法律行政法规禁止公开</td>" + "".join(f"<td>{v}</td>" for v in t3[5])
    assert a in page and b in page
    page = page.replace(a, "@@A@@").replace(b, a).replace("@@A@@", b)
    r = import_report(write(tmp_path, "swapped.html", page)).report
    assert_figures(r, HUAIAN_T2, t3, HUAIAN_T4.split())
    assert not [f for f in check(r) if f.rule.startswith("IMPORT-")]


def test_web_page_saved_as_txt(tmp_path: Path) -> None:
    r = import_report(write(tmp_path, "saved.txt", huaian_published().html())).report
    assert_figures(r, HUAIAN_T2, rows_of(HUAIAN_T3), HUAIAN_T4.split())


def test_text_without_tables_and_old_reports(tmp_path: Path, capsys) -> None:
    # Text copied from a web page: the tables' cells run together. Read what is there, say why
    # the figures are missing.
    lines = [ln for ln in BAODING.read_text(encoding="utf-8").splitlines() if "\t" not in ln]
    lines.insert(lines.index("三、收到和处理政府信息公开申请情况") + 1, "一、本年新收政府信息公开申请数量0000000")
    result = import_report(write(tmp_path, "copied.txt", "\n".join(lines)))
    assert not result.tables_found and result.cells_read == 0
    assert len(result.cells_unread) == result.cells_total
    assert "没有找到任何统计表格" in result.summary_text()
    assert result.report.texts["s5.text"].startswith("2024 年度政府信息公开工作")
    old = BAODING.read_text(encoding="utf-8").replace("2024", "2017")
    assert main(["import", str(write(tmp_path, "old.txt", old))]) == 2
    assert "2019 年以前" in capsys.readouterr().err


def test_article_in_a_one_cell_layout_table(tmp_path: Path) -> None:
    paras = ["淮安市人民政府", "2024年政府信息公开工作年度报告", *official_labels()["2021"]["headings"]]
    page = "<html><body><table><tr><td>" + "".join(f"<p>{p}</p>" for p in paras) + "</td></tr></table></body></html>"
    result = import_report(write(tmp_path, "one.html", page))
    assert result.report.headings == official_labels()["2021"]["headings"]
    assert not result.tables_found  # and the summary says why no figures were read


# ------------------------------------------------------------------ any report, published and read back
def _printed(report: Report, blanks: set[str]) -> tuple[list[list[str]], list[list[str]], list[str]]:
    def show(key: str) -> str:
        return "" if key in blanks else str(report.cells[key])

    fmt = report.spec
    t2 = [[show(k) for k in keys] for keys in t2_keys("2021")]
    t3 = [[show(f"t3.{r.key}.{c}") for c in COLS] for r in fmt.tables["t3"].rows]
    return t2, t3, [show(f"t4.{c}") for c in T4_COLS]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(report=consistent_reports(), blank_at=st.sets(st.integers(0, 199), max_size=4), kind=st.sampled_from(["html", "txt", "docx"]))
def test_any_report_published_and_read_back(tmp_path: Path, report: Report, blank_at: set[int], kind: str) -> None:
    keys = list(report.spec.cells)
    blanks = {keys[i] for i in blank_at}
    t2, t3, t4 = _printed(report, blanks)
    pub = huaian_published(agency=report.agency, t2=t2, t3=t3, t4=t4)
    path = tmp_path / f"r-{len(list(tmp_path.iterdir()))}.{kind}"
    if kind == "html":
        path.write_text(pub.html(), encoding="utf-8")
    elif kind == "txt":
        path.write_text(pub.tab_text(), encoding="utf-8")
    else:
        pub.docx(path)
    result = import_report(path)
    got = result.report
    assert {k: got.cells[k] for k in keys} == {k: None if k in blanks else report.cells[k] for k in keys}
    fmt = got.spec  # a total blank because a part is blank is not reported again (CELL-BLANK)
    expected = {k for k in blanks if not any(p in blanks for p in fmt.cells[k].total_of)}
    assert {f.where for f in check(got) if f.rule == "CELL-BLANK"} == expected
    assert not result.cells_unread and got.agency == report.agency


def test_audit_summary_only(capsys) -> None:
    assert main(["audit", "--summary", str(BAODING), str(HUAIAN)]) == 0
    out = capsys.readouterr().out
    assert "【汇总】" in out and "【校验结果】" not in out and "保定市科学技术局" in out


def test_fit_never_drops_a_figure_and_never_guesses_a_blank() -> None:
    from xxgk.importer.tables import fit

    six = [str(n) for n in range(1, 7)]
    assert fit(["", *["0"] * 7, ""], 7) == ["0"] * 7  # padding on both sides: one way to cut
    row = ["", "", *six, ""]  # a blank at the end, or padding?
    assert fit(row, 7) is None
    assert fit(row, 7, trailing_padding=True) == ["", *six]
    assert fit(row, 7, trailing_padding=False) == [*six, ""]
    assert fit(["1", *six, "9"], 7) is None  # eight figures for seven columns
    assert fit(six, 7) is None
    # Tab text: a row whose only figure is blank ("行政许可\t") is still a table row.
    text = BAODING.read_text(encoding="utf-8").replace("行政许可\t0\t\t", "行政许可\t\t\t")
    r = import_report_text(text)
    assert r.cells["t2.licensing.decisions"] is None
    assert "CELL-BLANK:t2.licensing.decisions" in {f.id for f in check(r)}


def import_report_text(text: str) -> Report:
    from xxgk.importer import import_document
    from xxgk.importer.text import read_text

    return import_document(read_text(text.encode("utf-8"), "t.txt"), "t.txt").report


def test_word_saved_as_web_page(tmp_path: Path) -> None:
    """HTML as Word's 另存为网页 writes it (and many portals paste it): every cell a MsoNormal
    paragraph with spans and <o:p>, &nbsp; in empty cells, labels broken with <br>, GBK."""
    import re as _re

    t3 = rows_of(HUAIAN_T3)
    t3[3][1] = ""  # one blank cell, printed as &nbsp;
    page = huaian_published(t3=t3).html().replace('charset="utf-8"', 'charset="gb2312"')
    page = _re.sub(r"<td([^>]*)>([^<]*)</td>",
                   lambda m: f"<td{m.group(1)} valign=top><p class=MsoNormal align=center><span lang=EN-US "
                             f"style='font-size:10.5pt'>{m.group(2) or '&nbsp;'}<o:p></o:p></span></p></td>", page)
    page = page.replace("（三）不予公开<", "（三）不<br>予公开<").replace("<p style=\"text-indent:2em\">",
                                                                   "<p class=MsoNormal style='text-indent:32.0pt'><span>")
    path = tmp_path / "word.htm"
    path.write_bytes(page.encode("gb18030"))
    r = import_report(path).report
    expected = [row[:] for row in t3]
    expected[3][1] = "0"  # compare the rest; the blank is checked below
    got = r.cells.copy()
    assert got["t3.results.partial.commercial"] is None
    r.cells["t3.results.partial.commercial"] = 0
    assert_figures(r, HUAIAN_T2, expected, HUAIAN_T4.split())
    assert r.agency == "淮安市人民政府" and r.headings == official_labels()["2021"]["headings"]
    assert not [f for f in check(r) if f.rule.startswith("IMPORT-")]


def test_table4_groups_read_by_their_headers(tmp_path: Path) -> None:
    t4 = HUAIAN_T4.split()
    swapped = t4[:5] + t4[10:] + t4[5:10]  # 复议后起诉 printed before 未经复议直接起诉
    page = huaian_published(t4=swapped).html()
    a, b = '<td colspan="5">未经复议直接起诉</td>', '<td colspan="5">复议后起诉</td>'
    assert a + b in page
    page = page.replace(a + b, b + a)
    r = import_report(write(tmp_path, "t4.html", page)).report
    assert [r.cells[f"t4.{c}"] for c in T4_COLS] == [int(v) for v in t4]
    assert not errors(r)

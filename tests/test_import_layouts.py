"""Reading real published layouts (issue 11 items 1–6): text copied from a web page with one cell
per line, a report whose tables are of different format versions, tab rows that begin like a
heading, 表四 with blank cells, figures run together, and a page without a title line.

Expected figures are typed by hand from the shared examples, never taken from the tool."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fixtures import T3_COLUMNS as COLS
from oracle import EXAMPLES
from test_import import BAODING, T4_COLS, huaian_published, write
from xxgk.cli import main
from xxgk.errors import InputError
from xxgk.importer import import_report
from xxgk.rules import check

HEBEI = EXAMPLES / "hebei-education-2019-copied-text.txt"
HONGZE = EXAMPLES / "hongze-district-2023.pdf"

# 河北省教育厅 2019, typed from shared/examples/hebei-education-2019-copied-text.txt. 表二 (2019
# format) by cell key; 表三 rows with figures (every other row is printed blank); 表四 prints only
# its three 总计 cells (0), the other twelve are blank.
HEBEI_T2 = {
    "rules": [0, 0, 0], "normative": [16, 16, 16],
    "licensing": [9, 0, 16], "other_services": [17, 0, 0],
    "penalty": [5, 0, 0], "coercion": [0, 0, 0],
    "fees": [21, 0], "procurement": [22, 256146],
}
HEBEI_T3 = {
    "new": [16, 0, 0, 0, 0, 0, 16],
    "carried": [0, 0, 0, 0, 0, 0, 0],
    "results.granted": [9, 0, 0, 0, 0, 0, 9],
    "results.unavailable.not_held": [3, 0, 0, 0, 0, 0, 3],
    "results.unavailable.not_existing": [4, 0, 0, 0, 0, 0, 4],
    "results.total": [16, 0, 0, 0, 0, 0, 16],
    "forward": [0, 0, 0, 0, 0, 0, 0],
}
HEBEI_T4_FILLED = {"review.total": 0, "direct.total": 0, "after_review.total": 0}


def test_copied_text_one_cell_per_line_every_figure() -> None:
    result = import_report(HEBEI)
    r = result.report
    assert (r.format, r.year) == ("2019", 2019)
    fmt = r.spec
    t2 = fmt.tables["t2"]
    got_t2 = {row.key: [r.cells[t2.cell_key(row.key, c.key)] for c in b.columns] for b in t2.blocks for row in b.rows}
    assert got_t2 == HEBEI_T2
    for row in fmt.tables["t3"].rows:
        got = [r.cells[f"t3.{row.key}.{c}"] for c in COLS]
        assert got == HEBEI_T3.get(row.key, [None] * 7), row.key
    assert {c: r.cells[f"t4.{c}"] for c in T4_COLS} == {c: HEBEI_T4_FILLED.get(c) for c in T4_COLS}
    # Every printed figure read; the cells printed blank are blank (CELL-BLANK), none unread.
    assert (result.cells_total, result.cells_read, len(result.cells_blank)) == (198, 74, 124)
    assert not result.cells_unread and result.tables_found == ["t2", "t3", "t4"]
    rules = {f.rule for f in check(r) if f.is_error}
    assert "CELL-UNREAD" not in rules and "CELL-BLANK" in rules
    assert "每个单元格一行" in result.summary_text()


def test_copied_text_without_a_title_line() -> None:
    # The page has no title line: its first paragraph is the preamble, which names the report in
    # a sentence ("我厅编写了2019年政府信息公开工作年度报告"). The sentence is not a title and not an
    # agency; the agency is the one that signs the report.
    r = import_report(HEBEI).report
    assert r.texts["preamble"].startswith("根据《中华人民共和国政府信息公开条例》和省政府有关政府信息公开的要求")
    assert r.agency == "河北省教育厅"
    assert r.texts["s5.text"].endswith("加强与公众的互动交流。")  # the signature is no part of 五


def test_sentence_is_never_an_agency_and_preamble_is_kept(tmp_path: Path) -> None:
    text = HEBEI.read_text(encoding="utf-8").split("\n")
    # Without the source note and without the signature: no agency is known, and none is made up.
    body = [ln for ln in text[1:] if ln.strip() not in ("河北省教育厅", "2020年1月15日")]
    r = import_report(write(tmp_path, "nosign.txt", "\n".join(body))).report
    assert r.agency == "" and r.year == 2019
    assert "我厅编写了2019年政府信息公开工作年度报告" in r.texts["preamble"]
    # A title line still gives its agency; a clause before it does not.
    page = huaian_published().html()
    r = import_report(write(tmp_path, "t.html", page)).report
    assert r.agency == "淮安市人民政府"
    clause = page.replace("<strong>淮安市人民政府</strong>", "<strong>根据条例要求，现公布</strong>", 1)
    assert clause != page
    r = import_report(write(tmp_path, "clause.html", clause)).report
    assert r.agency != "根据条例要求，现公布" and "，" not in r.agency


@pytest.mark.parametrize("row", ["3. 补正后申请内容仍不明确", "2. 重复申请", "4. 无正当理由大量反复申请"])
def test_tab_row_starting_like_a_heading_is_a_row(tmp_path: Path, row: str) -> None:
    # 保定市科学技术局's tab text with the merged label 三、本年度办理结果 carried on another row
    # (as a page copies a vertically centred merged cell): the row names 申请, like the heading of 三.
    lines = BAODING.read_text(encoding="utf-8").split("\n")
    first = next(n for n, ln in enumerate(lines) if ln.startswith("三、本年度办理结果\t"))
    lines[first] = lines[first].replace("三、本年度办理结果", "", 1)
    at = next(n for n, ln in enumerate(lines) if row in ln)
    lines[at] = "三、本年度办理结果\t" + lines[at].lstrip("\t")
    result = import_report(write(tmp_path, "v.txt", "\n".join(lines)))
    assert not result.cells_unread and result.cells_read == result.cells_total
    assert result.report.headings[2] == "三、收到和处理政府信息公开申请情况"


# 表四 as portals print it when only non-zero figures are typed: fewer than half the cells filled.
T4_WITH_BLANKS = ["10", "1", "", "", "11", "", "", "", "", "0", "5", "", "", "", "5"]


@pytest.mark.parametrize("kind", ["html", "tab", "docx"])
def test_table4_with_blank_cells_is_read(tmp_path: Path, kind: str) -> None:
    pub = huaian_published(t4=T4_WITH_BLANKS)
    if kind == "docx":
        path = pub.docx(tmp_path / "r.docx")
    else:
        path = write(tmp_path, f"r.{'html' if kind == 'html' else 'txt'}", pub.html() if kind == "html" else pub.tab_text())
    r = import_report(path).report
    assert [r.cells[f"t4.{c}"] for c in T4_COLS] == [int(v) if v else None for v in T4_WITH_BLANKS]
    found = {f.id for f in check(r)}
    assert not any(i.startswith("CELL-UNREAD") for i in found)
    assert {f"CELL-BLANK:t4.{c}" for c, v in zip(T4_COLS, T4_WITH_BLANKS, strict=True)
            if not v and not c.endswith("total")} <= found


def test_figures_run_together_are_refused_with_the_real_reason(tmp_path: Path, capsys) -> None:
    # The same page copied where the cells of a row lost their separators: every row's figures
    # run together ("一、本年新收政府信息公开申请数量160000016"). No cell can be told apart.
    text = "\n".join(HEBEI.read_text(encoding="utf-8").split("\n")[3:])
    joined = re.sub(r"\n+", lambda m: "" if len(m.group()) == 3 else "\n", text)
    assert "一、本年新收政府信息公开申请数量160000016" in joined
    # And the same with the headings run into the text too (as such pages often have them):
    # the refusal must not claim there are no headings and no tables.
    headless = "\n".join(ln for ln in joined.split("\n") if not re.match(r"^[一二三四五六]、\S{4,20}情况$", ln))
    assert headless.count("\n") < joined.count("\n")
    # And a web page whose table was pasted as paragraphs, one run-together row each.
    page = "<html><body>" + "".join(f"<p>{ln}</p>" for ln in headless.split("\n")) + "</body></html>"
    for n, (text, suffix) in enumerate(((joined, "txt"), (headless, "txt"), (page, "html"))):
        path = write(tmp_path, f"together{n}.{suffix}", text)
        with pytest.raises(InputError) as err:
            import_report(path)
        msg = str(err.value)
        assert "连在了一起" in msg and "一、本年新收政府信息公开申请数量160000016" in msg
        assert ".html" in msg and ".docx" in msg and "PDF" in msg
        assert "没有找到“一、总体情况”" not in msg
        assert main(["audit", str(path)]) == 2
        assert "连在了一起" in capsys.readouterr().err


# 淮安市洪泽区人民政府 2023 (shared/examples/hongze-district-2023.pdf), typed from the PDF's pages
# as printed: the 2021 表二 and the 2019 表三 (（六）其他处理 one row). 表三 by 2021 row key.
HONGZE_T2 = {"t2.rules": [0, 0, 0], "t2.normative": [0, 5, 5], "t2.licensing": [550], "t2.penalty": [4119],
             "t2.coercion": [195], "t2.fees": ["7730.28"]}
_Z = [0] * 7
HONGZE_T3 = {
    "new": [21, 0, 0, 0, 0, 0, 21], "carried": _Z, "results.granted": _Z,
    "results.partial": [4, 0, 0, 0, 0, 0, 4],
    "results.withheld.secret": [1, 0, 0, 0, 0, 0, 1], "results.withheld.prohibited": _Z,
    "results.withheld.security": _Z, "results.withheld.third_party": _Z, "results.withheld.internal": _Z,
    "results.withheld.process": [1, 0, 0, 0, 0, 0, 1], "results.withheld.enforcement": [1, 0, 0, 0, 0, 0, 1],
    "results.withheld.inquiry": _Z,
    "results.unavailable.not_held": [10, 0, 0, 0, 0, 0, 10], "results.unavailable.not_existing": [3, 0, 0, 0, 0, 0, 3],
    "results.unavailable.unclear": _Z,
    "results.not_handled.complaint": [1, 0, 0, 0, 0, 0, 1], "results.not_handled.repeated": _Z,
    "results.not_handled.publication": _Z, "results.not_handled.mass": _Z, "results.not_handled.confirm": _Z,
    "results.total": [21, 0, 0, 0, 0, 0, 21], "forward": _Z,
}
# Not in the 2019 table: the 2021 format's three （六） rows.
HONGZE_T3_ABSENT = ["results.other.no_correction", "results.other.unpaid_fee", "results.other.other"]
HONGZE_T4 = [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]


def test_tables_of_different_format_versions_in_one_pdf(capsys) -> None:
    from decimal import Decimal

    result = import_report(HONGZE)
    r = result.report
    assert (r.year, r.format, r.agency) == (2023, "2021", "洪泽区人民政府")
    t2 = r.spec.tables["t2"]
    got = {f"t2.{row.key}": [r.cells[t2.cell_key(row.key, c.key)] for c in b.columns] for b in t2.blocks for row in b.rows}
    assert got == {k: [Decimal(v) if isinstance(v, str) else v for v in vs] for k, vs in HONGZE_T2.items()}
    for row, figures in HONGZE_T3.items():
        assert [r.cells[f"t3.{row}.{c}"] for c in COLS] == figures, row
    assert [r.cells[f"t4.{c}"] for c in T4_COLS] == HONGZE_T4
    absent = [f"t3.{row}.{c}" for row in HONGZE_T3_ABSENT for c in COLS]
    assert all(r.cells[k] is None for k in absent)
    assert sorted(result.cells_other_format) == sorted(absent) and not result.cells_unread
    assert result.tables_other_format == {"t3": "2019"}
    assert "表三为国办公开办函〔2019〕60号格式" in result.format_reason
    # Findings: its two real 表四 sum defects (复议 总计 0 over 10 + 1; 复议后起诉 总计 0 over 5),
    # the format mix once, and nothing else as 错误.
    findings = check(r)
    errs = sorted((f.rule, f.where) for f in findings if f.is_error)
    assert [e[0] for e in errs] == ["FORM-VERSION", "T4-GROUP-SUM", "T4-GROUP-SUM"], errs
    sums = {f.message for f in findings if f.rule == "T4-GROUP-SUM"}
    assert any("总计为 0" in m and "之和为 11" in m for m in sums) and any("之和为 5" in m for m in sums)
    (mix,) = [f for f in findings if f.rule == "FORM-VERSION"]
    assert "2023 年度" in mix.message and "〔2019〕60号" in mix.message and "只有表三" in mix.message
    assert "逾期不补正" in mix.message and "（六）其他处理" in mix.message
    assert set(mix.cells) == set(absent)
    assert not [f for f in findings if f.rule in ("CELL-BLANK", "CELL-UNREAD")]
    assert main(["audit", str(HONGZE)]) == 1
    assert "■ FORM-VERSION 表格格式版本与报告年度相符（1 处）" in capsys.readouterr().out


def _regap(text: str, cell: int, row: int) -> str:
    """The Hebei page copied by another browser: ``cell`` newlines between the cells of a row and
    ``row`` between rows (the original has 3 and 5), empty cells kept as empty lines."""
    def one(m: re.Match) -> str:
        n = len(m.group())
        if n >= 5 and (n - 5) % 3 == 0:
            return "\n" * (row + cell * ((n - 5) // 3))
        if n % 3 == 0:
            return "\n" * (cell * (n // 3))
        return m.group()

    return re.sub(r"\n{3,}", one, text)


@pytest.mark.parametrize(("cell", "row"), [(2, 3), (2, 5), (4, 6)])
def test_copied_text_with_other_gaps_and_wrapped_labels(tmp_path: Path, cell: int, row: int) -> None:
    text = _regap(HEBEI.read_text(encoding="utf-8"), cell, row)
    # Labels and headers wrapped over two lines inside their cell, as narrow columns copy.
    for label in ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "本年新制作数量", "2.没有现成信息需要另行制作"):
        assert label in text
        text = text.replace(label, label[: len(label) // 2] + "\n" + label[len(label) // 2 :], 1)
    result = import_report(write(tmp_path, "regap.txt", text.replace("\n", "\r\n")))
    r = result.report
    for key, figures in HEBEI_T3.items():
        assert [r.cells[f"t3.{key}.{c}"] for c in COLS] == figures, key
    assert {c: r.cells[f"t4.{c}"] for c in T4_COLS} == {c: HEBEI_T4_FILLED.get(c) for c in T4_COLS}
    assert (result.cells_read, len(result.cells_blank), len(result.cells_unread)) == (74, 124, 0)
    assert not result.variants  # a wrapped label is the official label, not a variant


def _spliced(tmp_path: Path, *, year: int, old_table: str) -> Path:
    """淮安's tab text with ``old_table`` printed in the 2019 format (``t2``) or, in a 2019-format
    report, in the 2021 format (``t3``)."""
    from test_import import HUAIAN_T3, rows_of

    t3 = rows_of(HUAIAN_T3)
    other = [str(sum(int(t3[r][c]) for r in (20, 21, 22))) for c in range(7)]
    t2_2019 = [["1", "1", "11"], ["8", "8", "66"], ["120", "-3", "447228"], ["40", "2", "15"],
               ["300", "0", "3985758"], ["10", "−1", "88283"], ["12", "0"], ["5", "123.45"]]
    new = huaian_published(year=year).tab_text()
    old = huaian_published(year=year, version="2019", t3=[*t3[:20], other, *t3[23:]], t2=t2_2019).tab_text()

    def parts(text: str) -> tuple[str, str, str]:
        a, b = text.index("二、主动公开政府信息情况"), text.index("三、收到和处理政府信息公开申请情况")
        return text[:a], text[a:b], text[b:]

    n, o = parts(new), parts(old)
    text = n[0] + o[1] + n[2] if old_table == "t2" else o[0] + o[1] + n[2]
    return write(tmp_path, f"mixed-{year}.txt", text)


def test_2019_table2_in_a_2021_report(tmp_path: Path) -> None:
    result = import_report(_spliced(tmp_path, year=2024, old_table="t2"))
    r = result.report
    assert r.format == "2021" and result.tables_other_format == {"t2": "2019"}
    # The keys both formats share are read from the 2019 表二 (处理决定数量); the rest are named.
    assert (r.cells["t2.licensing.decisions"], r.cells["t2.penalty.decisions"], r.cells["t2.coercion.decisions"]) \
        == (447228, 3985758, 88283)
    assert r.cells["t3.results.other.unpaid_fee.total"] == 6 and not result.cells_unread
    absent = {"t2.rules.issued", "t2.rules.repealed", "t2.rules.in_force", "t2.normative.issued",
              "t2.normative.repealed", "t2.normative.in_force", "t2.fees.amount"}
    assert set(result.cells_other_format) == absent
    errs = [f for f in check(r) if f.is_error]
    assert [f.rule for f in errs] == ["FORM-VERSION"], [f.message for f in errs]
    assert "只有表二" in errs[0].message and "“行政事业性收费”" in errs[0].message
    assert "“规范性文件”（读到 8、8、66）" in errs[0].message


def test_2021_table3_in_a_2020_report(tmp_path: Path) -> None:
    # A 2020 report (2019 format) whose 表三 is the 2021 one: read into the 2019 keys; the three
    # （六） rows have no 2019 key, and the 2019 one-row （六） is not in the printed table.
    result = import_report(_spliced(tmp_path, year=2020, old_table="t3"))
    r = result.report
    assert r.format == "2019" and result.tables_other_format == {"t3": "2021"}
    assert r.cells["t3.new.total"] == 3119 and r.cells["t3.results.total.total"] == 3050
    assert all(r.cells[f"t3.results.other.{c}"] is None for c in COLS)
    assert set(result.cells_other_format) == {f"t3.results.other.{c}" for c in COLS}
    (mix,) = [f for f in check(r) if f.rule == "FORM-VERSION"]
    assert "只有表三" in mix.message and "申请人逾期未按收费通知要求缴纳费用" in mix.message


def test_page_without_title_line_keeps_preamble_and_checks_the_page_title(tmp_path: Path) -> None:
    page = huaian_published().html()
    for line in ("<strong>淮安市人民政府</strong>", "<strong>2024年政府信息公开工作年度报告</strong>"):
        assert line in page
        page = page.replace(line, "", 1)
    r = import_report(write(tmp_path, "notitle.html", page)).report
    assert r.year == 2024 and r.texts["preamble"].startswith("本报告由淮安市人民政府办公室")
    assert r.agency == "淮安市人民政府"  # from the page title, and the report names it
    # A page title naming an agency the report never mentions is the portal's, not the report's.
    other = page.replace("<title>淮安市人民政府", "<title>某某县人民政府", 1)
    assert other != page
    r = import_report(write(tmp_path, "portal.html", other)).report
    assert r.agency == "" and r.texts["preamble"].startswith("本报告由")


@pytest.mark.parametrize(("title", "agency"), [
    ("《洪泽区人民政府2023年政府信息公开工作年度报告》", "洪泽区人民政府"),
    ("中共某某县委办公室、某某县人民政府办公室2023年政府信息公开工作年度报告", "中共某某县委办公室、某某县人民政府办公室"),
    ("2023年度某某县民政局政府信息公开工作年度报告", "某某县民政局"),
    ("根据条例规定，现将我局2023年政府信息公开工作年度报告公布如下。", ""),
])
def test_title_lines_and_sentences(title: str, agency: str) -> None:
    from xxgk.importer import import_document
    from xxgk.importer.doc import Document

    d = Document("text")
    for line in (title, "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"):
        d.para(line)
    r = import_document(d, "t.txt").report
    assert (r.year, r.agency) == (2023, agency)
    assert bool(r.texts.get("preamble")) == (agency == "")  # a sentence is the preamble

"""Pages kept as one line of text (a crawler's copy of a portal page): the headings run into the
prose and the table rows into each other. Seen in the corpus (河北省科学技术厅/工业和信息化厅/
人力资源和社会保障厅 2019–2023). Such a file is refused — no figure is taken by guesswork — but
for its true reason: the figures of a row are run together, or the tables are not in the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_import import write
from xxgk.cli import main
from xxgk.errors import InputError
from xxgk.importer import import_report

PREAMBLE = ("根据《中华人民共和国政府信息公开条例》等规定，发布本年度报告。报告中所列数据统计期限为"
            "2022年1月1日至12月31日。")
S1 = "一、总体情况2022年，我厅坚持公开为常态。（一）主动公开。全年发布信息1200篇。"
S5 = "五、存在的主要问题及改进情况下一步，我厅将继续提升公开质量。"
S6 = "六、其他需要报告的事项2022年未收取信息处理费。"
# The 2021 表二 and 表三 as such a page keeps them: each row's cells joined with no separator.
T2_RUN = ("二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
          "规章000行政规范性文件1153第二十条第（五）项信息内容本年处理决定数量行政许可1153")
T3_RUN = ("三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构"
          "社会公益组织法律服务机构其他一、本年新收政府信息公开申请数量170000017"
          "二、上年结转政府信息公开申请数量0000000三、本年度办理结果（一）予以公开100000010"
          "（七）总计170000017四、结转下年度继续办理0000000")
T4_RUN = "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持总计000000000000000"
# The 2019 表二 of such a page: signed changes run into the figures around them.
T2_2019_RUN = ("二、主动公开政府信息情况第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量"
               "行政许可97+82179其他对外管理服务事项00第二十条第（六）项信息内容上一年项目数量本年增/减"
               "处理决定数量行政处罚0+1111行政强制00")


@pytest.mark.parametrize("body", [
    T2_RUN + T3_RUN + T4_RUN,
    T2_2019_RUN + "三、收到和处理政府信息公开申请情况2020年未收到政府信息公开申请。"
    "四、政府信息公开行政复议、行政诉讼情况2020年未发生涉及政府信息公开的行政复议、行政诉讼案件。",
    # 表二 kept its separators (full-width spaces), 表三 did not.
    "二、主动公开政府信息情况第二十条第（一）项　　信息内容　　本年制发件数　　规章　　0　　0　　0　　"
    "行政规范性文件　　13　　8　　49　　" + T3_RUN + T4_RUN,
], ids=["2021", "2019-signed", "t2-spaced"])
def test_one_line_page_with_run_together_rows_is_refused_for_that(tmp_path: Path, body: str, capsys) -> None:
    path = write(tmp_path, "page.txt", PREAMBLE + S1 + body + S5 + S6)
    with pytest.raises(InputError) as err:
        import_report(path)
    msg = str(err.value)
    assert "连在了一起" in msg and ".html" in msg and ".docx" in msg and "PDF" in msg
    assert "看起来不是" not in msg
    assert main(["audit", str(path)]) == 2
    assert "连在了一起" in capsys.readouterr().err


def test_one_line_page_without_its_tables_says_the_tables_are_missing(tmp_path: Path) -> None:
    # The headings 二、三、四 follow each other with nothing between them: the page's tables were
    # images, or lost when the text was kept.
    body = ("二、主动公开政府信息情况三、收到和处理政府信息公开申请情况四、政府信息公开行政复议、行政诉讼情况"
            "五、存在的主要问题及改进情况全年共受理政府信息公开申请64件。")
    path = write(tmp_path, "page.txt", PREAMBLE + S1 + body + S6)
    with pytest.raises(InputError) as err:
        import_report(path)
    msg = str(err.value)
    assert "看起来不是" not in msg
    assert "表格" in msg and "二、主动公开政府信息情况" in msg
    assert ".html" in msg and ".docx" in msg and "PDF" in msg


@pytest.mark.parametrize("prose", [
    # Figures in prose follow a label but carry their unit or end a date: no run-together row.
    "全年行政许可1153件，行政规范性文件13件，本年新收政府信息公开申请数量110件，行政处罚2022年起公开。",
    "我们的工作总结：规章制度不断完善，行政许可办理提速。",
])
def test_prose_is_no_run_together_row_nor_a_report(tmp_path: Path, prose: str) -> None:
    path = write(tmp_path, "note.txt", "工作总结" + prose * 3)
    with pytest.raises(InputError) as err:
        import_report(path)
    assert "看起来不是" in str(err.value)


@pytest.mark.parametrize("period", ["本报告中所列数据的统计期限为2018年1月1日至2018年12月31日。",
                                    "内容涵盖我厅2018年1月1日至2018年12月31日期间政府信息公开情况。"],
                         ids=["统计期限", "period"])
def test_report_before_2019_without_title_line_says_its_format_is_older(tmp_path: Path, period: str) -> None:
    # A 2018 report (the format before 2019: four or five parts, no 表二/表三/表四) kept as one
    # line: its year comes from the period it covers, and that year is the true reason.
    text = ("根据《中华人民共和国政府信息公开条例》等相关规定，现发布本厅2018年度政府信息公开工作报告。" + period
            + "一、基本情况2018年，我厅认真贯彻落实条例。二、主动公开政府信息情况全年公开信息500条。"
            + "三、依申请公开情况全年收到申请3件。四、存在的主要问题和改进措施下一步将继续改进。")
    path = write(tmp_path, "old.txt", text)
    with pytest.raises(InputError) as err:
        import_report(path)
    msg = str(err.value)
    assert "2018 年度" in msg and "更早的格式" in msg
    assert "看起来不是" not in msg

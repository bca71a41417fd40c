"""RETURN_FORMAT.md "Must be accepted": every item, in .xlsx and .xls (and .ods where it differs), real files."""
import datetime as dt

import pandas as pd
import pytest

from analytics import load_returns
from tests.conftest import codes
from tests.returns import (
    Content,
    Event,
    Inspection,
    Task,
    default_content,
    layout_b_sheets,
    return_sheets,
    write_gbk_zip,
    write_return,
    write_workbook,
)

EXPECTED_TASKS = [  # (area, task, planned, done, deployed) of default_content()
    ("宣传教育与干部培训", "业务知识学习", 2, 2, False),
    ("宣传教育与干部培训", "理论学习专题会", 1, 1, False),
    ("思想道德建设", "道德讲堂", 1, 0, False),
    ("文明城市创建", "义务洁城日", 1, 1, True),
    ("志愿服务", "学雷锋志愿服务", 2, 3, False),
    ("环境卫生与硬件建设", "每周二卫生清洁", 4, 4, False),
]
EXPECTED_MARKS = [(1,) * 9, (1, 0) + (1,) * 7, (1,) * 5 + (None,) + (1,) * 3]


def load_one(path, roster):
    result = load_returns([path], roster)
    (report,) = result.reports
    assert codes(report) == [], [i.message for i in report.errors]
    return result, report


def task_tuples(result):
    return list(result.tasks[["area", "task", "planned", "done", "deployed"]].itertuples(index=False, name=None))


def mark_tuples(result):
    items = result.inspections.columns[4:13]
    return [tuple(None if pd.isna(v) else int(v) for v in row)
            for row in result.inspections[items].itertuples(index=False, name=None)]


def test_plain_return_reads_every_table(tmp_path, roster, suffix):
    content = default_content()
    content.events = [Event(dt.date(2024, 3, 9), "其他", "办公室电脑未关机", "待核实")]
    path = write_return(tmp_path / f"预算科_2024年3月{suffix}", content, bonus_sheet=True)
    result, report = load_one(path, roster)
    assert (report.sections, report.months, report.warnings) == (["预算科"], ["2024-03"], [])
    assert task_tuples(result) == EXPECTED_TASKS
    assert mark_tuples(result) == EXPECTED_MARKS
    assert result.inspections["date"].tolist() == [dt.date(2024, 3, 5)] * 3
    assert result.events[["category", "status", "date"]].values.tolist() == [["其他", "pending", dt.date(2024, 3, 9)]]
    assert result.tasks[["source_file", "source_sheet", "source_row"]].iloc[0].tolist() == [str(path), "任务完成情况", 4]


@pytest.mark.parametrize("title_rows, block, blank_above", [(0, "cells", 0), (2, "pairs", 3), (1, "one", 8)])
def test_1_title_and_header_block_rows_above_the_header(tmp_path, roster, suffix, title_rows, block, blank_above):
    path = write_return(tmp_path / f"r{suffix}", title_rows=title_rows, block=block, blank_above=blank_above)
    result, report = load_one(path, roster)
    assert (report.sections, report.months) == (["预算科"], ["2024-03"])
    assert task_tuples(result) == EXPECTED_TASKS


def test_1_header_below_row_15_is_not_found(tmp_path, roster, suffix):
    path = write_return(tmp_path / f"r{suffix}", title_rows=2, blank_above=12)
    (report,) = load_returns([path], roster).reports
    assert "no-tasks-table" in [i.code for i in report.errors]


@pytest.mark.parametrize("carry", ["merge", "blank"])
def test_2_area_merged_or_blank_over_its_tasks(tmp_path, roster, suffix, carry):
    result, _ = load_one(write_return(tmp_path / f"r{suffix}", carry_area=carry), roster)
    assert task_tuples(result) == EXPECTED_TASKS


def test_2_two_row_hygiene_header_under_a_merged_group(tmp_path, roster, suffix):
    result, report = load_one(write_return(tmp_path / f"r{suffix}", two_row_header=True, title_rows=1), roster)
    assert mark_tuples(result) == EXPECTED_MARKS
    assert result.inspections["place"].tolist() == ["302办公室", "三楼卫生间", "档案室"]
    assert result.inspections["source_row"].tolist() == [5, 6, 7]


def test_2_two_row_header_without_merges_ods(tmp_path, roster):
    """.ods gives no merge ranges: the names above a 九无检查项目 group row are still read."""
    result, _ = load_one(write_return(tmp_path / "r.ods", two_row_header=True), roster)
    assert mark_tuples(result) == EXPECTED_MARKS
    assert result.inspections["date"].tolist() == [dt.date(2024, 3, 5)] * 3


@pytest.mark.parametrize("word", ["合计", "总计", "本月合计", " 合 计 "])
def test_3_totals_blank_rows_and_footer(tmp_path, roster, suffix, word):
    path = write_return(tmp_path / f"r{suffix}", total=True, total_word=word, blank_inside=True, footer=True,
                        template_rows=3)
    result, report = load_one(path, roster)
    assert task_tuples(result) == EXPECTED_TASKS  # the total is never counted twice
    assert report.warnings == []


def test_3_subtotals_per_area_and_a_total(tmp_path, roster, suffix):
    result, report = load_one(write_return(tmp_path / f"r{suffix}", subtotals=True, total=True), roster)
    assert task_tuples(result) == EXPECTED_TASKS
    assert report.warnings == []


def test_3_a_total_that_disagrees_is_a_warning(tmp_path, roster, suffix):
    path = write_return(tmp_path / f"r{suffix}", total=True, total_off_by=1, footer=False, title_rows=0, block="one")
    result, report = load_one(path, roster)
    assert codes(report, "warning") == [("任务完成情况", 9, "计划数", "total-mismatch")]
    assert report.warnings[0].message == "任务完成情况 第9行合计的「计划数」为 12，与上方各行之和 11 不符：已按各行计算，请核对合计"
    assert result.tasks["planned"].sum() == 11


@pytest.mark.parametrize("style", ["int", "text", "spaced", "wide", "unit", "float"])
def test_4_numbers_as_typed(tmp_path, roster, suffix, style):
    result, _ = load_one(write_return(tmp_path / f"r{suffix}", count_style=style), roster)
    assert task_tuples(result) == EXPECTED_TASKS


@pytest.mark.parametrize("style", ["check", "tick", "yes", "number", "word"])
def test_5_pass_fail_and_not_applicable_marks(tmp_path, roster, suffix, style):
    result, _ = load_one(write_return(tmp_path / f"r{suffix}", mark_style=style), roster)
    assert mark_tuples(result) == EXPECTED_MARKS


@pytest.mark.parametrize("style", ["full", "short", "paren", "digit", "cn", "paren_name"])
def test_6_area_as_name_number_or_short_form(tmp_path, roster, suffix, style):
    result, _ = load_one(write_return(tmp_path / f"r{suffix}", area_style=style), roster)
    assert task_tuples(result) == EXPECTED_TASKS


def test_7_spaces_nbsp_and_full_width_brackets(tmp_path, roster, suffix):
    content = Content(tasks=[Task("\u00a0文明城市创建 ", " 义务洁城日\u00a0", " 1 ", "１", True)],
                      inspections=[Inspection(dt.date(2024, 3, 5), " 302办公室 ", ("pass",) * 9)])
    headers = [" 序号", "创建内容 ", "工作\n任务", "计划数（次）", "完成数(次)", "是否市文明办部署（是/否）", "说明"]
    path = write_return(tmp_path / f"r{suffix}", content, task_headers=headers, unit_name="\u00a0市财政局（预算科） ")
    result, report = load_one(path, roster)
    assert task_tuples(result) == [("文明城市创建", "义务洁城日", 1, 1, True)]
    assert result.inspections["place"].tolist() == ["302办公室"]


@pytest.mark.parametrize("style, expected", [
    ("cell", dt.date(2024, 3, 5)), ("iso", dt.date(2024, 3, 5)), ("slash", dt.date(2024, 3, 5)),
    ("cn", dt.date(2024, 3, 5)), ("md", dt.date(2024, 3, 5)),
])
def test_8_dates(tmp_path, roster, suffix, style, expected):
    result, report = load_one(write_return(tmp_path / f"r{suffix}", date_style=style), roster)
    assert result.inspections["date"].tolist() == [expected] * 3
    assert report.warnings == []


def test_8_yearless_december_date_in_a_january_return(tmp_path, roster):
    content = default_content(month="2024-01")
    content.inspections = [Inspection(dt.date(2023, 12, 28), "档案室", ("pass",) * 9)]
    result, report = load_one(write_return(tmp_path / "r.xlsx", content, date_style="md"), roster)
    assert result.inspections["date"].tolist() == [dt.date(2023, 12, 28)]
    assert codes(report, "warning") == [("九无卫生检查", 4, "检查日期", "date-outside-month")]


@pytest.mark.parametrize("month_style", ["cn", "cn0", "dash", "dot", "compact", "date"])
def test_month_in_the_header_block(tmp_path, roster, suffix, month_style):
    _, report = load_one(write_return(tmp_path / f"月报_1251{suffix}", month_style=month_style), roster)
    assert (report.sections, report.months) == (["预算科"], ["2024-03"])


@pytest.mark.parametrize("unit", ["预算科", "预算股", "市财政局预算科", "某某新区财政局 预算科", " 预算科 "])
def test_section_by_name_alias_or_with_bureau_prefix(tmp_path, roster, unit):
    _, report = load_one(write_return(tmp_path / "月报.xlsx", unit_name=unit), roster)
    assert report.sections == ["预算科"]


def test_section_and_month_from_the_file_name_alone(tmp_path, roster, suffix):
    _, report = load_one(write_return(tmp_path / f"预算股_2024年3月{suffix}", block="none"), roster)
    assert (report.sections, report.months) == (["预算科"], ["2024-03"])


def test_veto_sheet_saying_nothing_to_report_is_empty(tmp_path, roster, suffix):
    result, report = load_one(write_return(tmp_path / f"r{suffix}", nothing_row=True), roster)
    assert len(result.events) == 0 and report.warnings == []


def test_hygiene_veto_and_bonus_sheets_may_be_absent(tmp_path, roster, suffix):
    sheets = return_sheets(default_content(), veto_sheet=False)
    del sheets["九无卫生检查"]
    result, _ = load_one(write_workbook(tmp_path / f"r{suffix}", sheets), roster)
    assert len(result.tasks) == 6 and len(result.inspections) == 0


def test_renamed_sheets_and_other_header_names(tmp_path, roster, suffix):
    headers = ["序号", "工作类别", "具体任务", "计划完成数（次）", "实际完成数（次）", "上级部署", "说明"]
    path = write_return(tmp_path / f"r{suffix}", task_headers=headers, sheet_names=("一", "二", "三", "四"),
                        date_header="日期", place_header="部位")
    result, _ = load_one(path, roster)
    assert task_tuples(result) == EXPECTED_TASKS and mark_tuples(result) == EXPECTED_MARKS


@pytest.mark.parametrize("every_row", [True, False])
def test_layout_b_one_workbook_for_many_sections(tmp_path, roster, suffix, every_row):
    contents = [default_content("办公室"), default_content("财政投资评审中心")]
    sheets = layout_b_sheets(contents, unit_names={"财政投资评审中心": "评审中心"}, unit_every_row=every_row)
    result, report = load_one(write_workbook(tmp_path / f"直属单位汇总_2024年3月{suffix}", sheets), roster)
    assert report.sections == ["办公室", "财政投资评审中心"]
    assert result.tasks.groupby("section").size().to_dict() == {"办公室": 6, "财政投资评审中心": 6}
    assert result.inspections.groupby("section").size().to_dict() == {"办公室": 3, "财政投资评审中心": 3}
    assert task_tuples(result) == EXPECTED_TASKS * 2


def test_xlsx_saved_with_an_xls_name_and_xlsm(tmp_path, roster):
    xlsx = write_return(tmp_path / "a.xlsx")
    for name in ("预算科_2024年3月.xls", "预算科_2024年3月.xlsm"):
        (tmp_path / name).write_bytes(xlsx.read_bytes())
        result, _ = load_one(tmp_path / name, roster)
        assert task_tuples(result) == EXPECTED_TASKS


def test_ods(tmp_path, roster):
    result, report = load_one(write_return(tmp_path / "预算科_2024年3月.ods", count_style="text", mark_style="yes"), roster)
    assert task_tuples(result) == EXPECTED_TASKS and mark_tuples(result) == EXPECTED_MARKS


def test_many_files_and_a_zip_with_gbk_names(tmp_path, roster):
    first = write_return(tmp_path / "预算科_2024年3月.xlsx")
    second = write_return(tmp_path / "国库科_2024年3月.xls", default_content("国库科"))
    archive = write_gbk_zip(tmp_path / "三月月报.zip", {
        "三月/办公室_2024年3月.xlsx": write_return(tmp_path / "x.xlsx", default_content("办公室")).read_bytes(),
        "三月/~$办公室_2024年3月.xlsx": b"lock file", "__MACOSX/._办公室.xlsx": b"resource fork", ".DS_Store": b"x",
    })
    result = load_returns([first, second, archive], roster)
    assert [(r.file, r.status, r.sections) for r in result.reports] == [
        (str(first), "imported", ["预算科"]), (str(second), "imported", ["国库科"]),
        (f"{archive}/三月/办公室_2024年3月.xlsx", "imported", ["办公室"])]
    assert sorted(result.tasks["section"].unique()) == ["办公室", "国库科", "预算科"]


def test_a_filled_template_loads_without_warnings(tmp_path, roster):
    import openpyxl

    from analytics.intake.template import template_bytes

    path = tmp_path / "月报.xlsx"
    path.write_bytes(template_bytes("预算科", "2024-03"))
    workbook = openpyxl.load_workbook(path)
    tasks, hygiene = workbook["任务完成情况"], workbook["九无卫生检查"]
    for column, value in zip("BCDEF", ["（五）", "义务洁城日", 1, 1, "是"]):
        tasks[f"{column}4"] = value
    tasks["C5"], tasks["D5"], tasks["E5"] = "道德讲堂", 2, 1  # 创建内容 left blank: taken from above
    hygiene["B4"], hygiene["C4"] = dt.date(2024, 3, 5), "302办公室"
    for column in "DEFGHIJKL":
        hygiene[f"{column}4"] = "√"
    workbook.save(path)
    result, report = load_one(path, roster)
    assert report.warnings == []
    assert task_tuples(result) == [("文明城市创建", "义务洁城日", 1, 1, True), ("文明城市创建", "道德讲堂", 2, 1, False)]
    assert mark_tuples(result) == [(1,) * 9]


def test_the_blank_template_loads_with_no_rows(tmp_path, roster):
    from analytics.intake.template import template_bytes

    path = tmp_path / "月报.xlsx"
    path.write_bytes(template_bytes("国库科", "2024-12"))
    result, report = load_one(path, roster)
    assert (report.sections, report.months, report.warnings, len(result.tasks)) == (["国库科"], ["2024-12"], [], 0)


@pytest.mark.parametrize("carry", ["merge", "blank"])
def test_layout_b_unit_spelt_with_the_bureau_prefix_is_one_unit(tmp_path, roster, suffix, carry):
    """办公室 then 县财政局办公室 are one roster section: a blank or merged 创建内容 takes the one above."""
    contents = [default_content("办公室"), default_content("预算科")]
    sheets = layout_b_sheets(contents, carry_area=carry)
    rows = sheets["任务完成情况"].rows
    for row in rows[4:9]:  # spreadsheet rows 5-9: 办公室's tasks after its first, the area of row 5 merged or blank
        assert row[0] == "办公室"
        row[0] = "县财政局办公室"
    result, report = load_one(write_workbook(tmp_path / f"直属单位汇总_2024年3月{suffix}", sheets), roster)
    assert report.sections == ["办公室", "预算科"]
    assert result.tasks.groupby("section").size().to_dict() == {"办公室": 6, "预算科": 6}
    assert task_tuples(result) == EXPECTED_TASKS * 2

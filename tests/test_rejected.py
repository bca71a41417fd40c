"""RETURN_FORMAT.md "Must be rejected": every case, in .xlsx and .xls, with the position and reason.

A rejected file imports nothing; one bad file never stops the others.
"""
import datetime as dt

import pytest

from analytics import load_returns
from analytics.intake.limits import DEFAULT_LIMITS
from tests.conftest import codes
from tests.returns import (
    Bonus,
    Event,
    default_content,
    layout_b_sheets,
    return_sheets,
    set_cells,
    write_return,
    write_workbook,
)


def rejected(paths, roster, limits=DEFAULT_LIMITS):
    result = load_returns(paths if isinstance(paths, list) else [paths], roster, limits)
    for report in result.reports:
        assert report.status == "rejected"
    assert len(result.tasks) == len(result.inspections) == len(result.events) == 0  # nothing half-imported
    return result.reports[0] if len(result.reports) == 1 else result.reports


def test_negative_count_names_sheet_row_and_column(tmp_path, roster, suffix):
    report = rejected(write_return(tmp_path / f"预算科_2024年3月{suffix}", cells={("任务完成情况", 7, "完成数"): -2}), roster)
    assert codes(report) == [("任务完成情况", 7, "完成数", "negative-count")]
    assert report.errors[0].message == "任务完成情况 第7行「完成数」为 -2：应为 0 或正整数"
    assert report.errors[0].cell == "E7"


@pytest.mark.parametrize("value, code", [("两次", "not-a-number"), ("2.5", "fraction-count"), (2.5, "fraction-count"),
                                         ("", "empty-count"), ("-1次", "negative-count")])
def test_counts_that_are_not_counts(tmp_path, roster, suffix, value, code):
    report = rejected(write_return(tmp_path / f"r{suffix}", cells={("任务完成情况", 5, "计划数"): value}), roster)
    assert codes(report) == [("任务完成情况", 5, "计划数", code)]


def test_empty_count_says_fill_zero(tmp_path, roster, suffix):
    report = rejected(write_return(tmp_path / f"r{suffix}", cells={("任务完成情况", 6, "完成数"): ""}), roster)
    assert report.errors[0].message.startswith("任务完成情况 第6行「完成数」为空：未开展请填 0")


def test_formula_never_saved_in_excel(tmp_path, roster, suffix):
    report = rejected(write_return(tmp_path / f"r{suffix}", cells={("任务完成情况", 4, "计划数"): "=1+1"}), roster)
    code = "unsaved-formula" if suffix == ".xlsx" else "empty-count"  # .xls: reads as empty, the message says why
    assert codes(report) == [("任务完成情况", 4, "计划数", code)]
    assert "保存" in report.errors[0].message


def test_counts_without_a_task(tmp_path, roster, suffix):
    report = rejected(write_return(tmp_path / f"r{suffix}", cells={("任务完成情况", 5, "工作任务"): ""}), roster)
    assert codes(report) == [("任务完成情况", 5, "工作任务", "counts-without-task")]


def test_unknown_area_lists_the_seven(tmp_path, roster, suffix):
    report = rejected(write_return(tmp_path / f"r{suffix}", cells={("任务完成情况", 4, "创建内容"): "扶贫攻坚"}), roster)
    assert codes(report) == [("任务完成情况", 4, "创建内容", "unknown-area")]
    assert "文明城市创建" in report.errors[0].message and "环境卫生与硬件建设" in report.errors[0].message


def test_first_area_blank(tmp_path, roster, suffix):
    report = rejected(write_return(tmp_path / f"r{suffix}", cells={("任务完成情况", 4, "创建内容"): ""}), roster)
    assert codes(report) == [("任务完成情况", 4, "创建内容", "missing-area")]


def test_deployed_neither_yes_nor_no(tmp_path, roster, suffix):
    report = rejected(write_return(tmp_path / f"r{suffix}", cells={("任务完成情况", 7, "是否市文明办部署"): "可能"}), roster)
    assert codes(report) == [("任务完成情况", 7, "市文明办部署", "bad-yes-no")]


@pytest.mark.parametrize("missing", ["计划数", "完成数"])
def test_tasks_table_without_planned_or_done(tmp_path, roster, suffix, missing):
    headers = ["序号", "创建内容", "工作任务", "计划数", "完成数", "是否市文明办部署", "说明"]
    headers[headers.index(missing)] = "备用"
    report = rejected(write_return(tmp_path / f"r{suffix}", task_headers=headers), roster)
    assert codes(report) == [("任务完成情况", 3, None, "missing-columns")]
    assert report.errors[0].message == f"任务完成情况 第3行的表头缺少必需的列：{missing}；请按模板补上"


def test_no_tasks_table_at_all(tmp_path, roster, suffix):
    sheets = return_sheets(default_content())
    del sheets["任务完成情况"]
    report = rejected(write_workbook(tmp_path / f"预算科_2024年3月{suffix}", sheets), roster)
    assert [i.code for i in report.errors] == ["no-tasks-table"]


@pytest.mark.parametrize("mark, code", [("?", "bad-mark"), ("良", "bad-mark"), ("", "empty-mark")])
def test_hygiene_mark_unreadable_or_empty(tmp_path, roster, suffix, mark, code):
    report = rejected(write_return(tmp_path / f"r{suffix}", cells={("九无卫生检查", 5, "无痰迹"): mark}), roster)
    assert codes(report) == [("九无卫生检查", 5, "无痰迹", code)]
    assert report.errors[0].cell == "F5"


def test_hygiene_date_unreadable(tmp_path, roster, suffix):
    report = rejected(write_return(tmp_path / f"r{suffix}", cells={("九无卫生检查", 4, "检查日期"): "上旬"}), roster)
    assert codes(report) == [("九无卫生检查", 4, "检查日期", "bad-date")]


def test_veto_row_without_a_category(tmp_path, roster, suffix):
    content = default_content()
    content.events = [Event(dt.date(2024, 3, 9), "", "会议费超标", "待核实")]
    report = rejected(write_return(tmp_path / f"r{suffix}", content), roster)
    assert codes(report) == [("一票否决事项", 4, "事项类别", "missing-category")]


def test_veto_category_outside_the_six_lists_them(tmp_path, roster, suffix):
    content = default_content()
    content.events = [Event(dt.date(2024, 3, 9), "迟到早退", "多次迟到", "是")]
    report = rejected(write_return(tmp_path / f"r{suffix}", content), roster)
    assert codes(report) == [("一票否决事项", 4, "事项类别", "unknown-category")]
    assert "违法违纪案件、公务接待/会议/差旅费违规、不文明行为被曝光" in report.errors[0].message


def test_veto_status_unreadable(tmp_path, roster, suffix):
    content = default_content()
    content.events = [Event(dt.date(2024, 3, 9), "其他", "某事", "大概")]
    report = rejected(write_return(tmp_path / f"r{suffix}", content), roster)
    assert codes(report) == [("一票否决事项", 4, "是否属实", "bad-status")]


def test_bonus_category_unknown(tmp_path, roster, suffix):
    content = default_content()
    content.bonus = [Bonus(dt.date(2024, 3, 9), "优秀党员", "王磊")]
    report = rejected(write_return(tmp_path / f"r{suffix}", content), roster)
    assert codes(report) == [("加分事项", 4, "加分类别", "unknown-category")]


def test_month_cannot_be_determined(tmp_path, roster, suffix):
    report = rejected(write_return(tmp_path / f"预算科月报{suffix}", block="none"), roster)
    assert [i.code for i in report.errors] == ["no-month"]


def test_month_unreadable_in_the_header_block(tmp_path, roster, suffix):
    sheets = return_sheets(default_content(), block="pairs")
    sheets["任务完成情况"].rows[1][4] = "三月份"
    report = rejected(write_workbook(tmp_path / f"预算科{suffix}", sheets), roster)
    assert codes(report)[0] == ("任务完成情况", 2, "报表月份", "bad-month")


def test_section_cannot_be_determined(tmp_path, roster, suffix):
    report = rejected(write_return(tmp_path / f"月报_2024年3月{suffix}", block="none"), roster)
    assert [i.code for i in report.errors] == ["no-section"]


def test_section_not_on_the_roster(tmp_path, roster, suffix):
    report = rejected(write_return(tmp_path / f"月报{suffix}", unit_name="档案科"), roster)
    assert codes(report) == [("任务完成情况", 2, "填报单位", "unknown-section")]
    assert report.errors[0].cell == "A2"


def test_file_name_month_disagrees_with_the_workbook(tmp_path, roster, suffix):
    report = rejected(write_return(tmp_path / f"预算科_2024年4月{suffix}"), roster)
    assert [i.code for i in report.errors] == ["month-conflict"]
    assert report.errors[0].message == ("报表月份不一致：工作表「任务完成情况」为「2024年3月」，文件名「预算科_2024年4月」为"
                                        "「2024年4月」；请核对是否沿用了上月的表格")


def test_file_name_section_disagrees_with_the_workbook(tmp_path, roster, suffix):
    report = rejected(write_return(tmp_path / f"国库科_2024年3月{suffix}"), roster)
    assert [i.code for i in report.errors] == ["section-conflict"]
    assert "预算科" in report.errors[0].message and "国库科" in report.errors[0].message


def test_sheets_disagree_on_the_month(tmp_path, roster, suffix):
    sheets = return_sheets(default_content())
    sheets["九无卫生检查"].rows[1][3] = "报表月份：2024年2月"
    report = rejected(write_workbook(tmp_path / f"月报{suffix}", sheets), roster)
    assert [i.code for i in report.errors] == ["month-conflict"]
    assert "九无卫生检查" in report.errors[0].message


def test_two_files_for_one_section_month_in_a_batch(tmp_path, roster, suffix):
    first = write_return(tmp_path / f"预算科_2024年3月{suffix}")
    corrected = default_content("预算科")
    corrected.tasks = corrected.tasks[:3]  # another return, not the same bytes again (that is same-file)
    second = write_return(tmp_path / f"预算科第二版{suffix}", corrected)
    other = write_return(tmp_path / f"国库科{suffix}", default_content("国库科"))
    result = load_returns([first, second, other], roster)
    assert [r.status for r in result.reports] == ["rejected", "rejected", "imported"]
    assert [i.code for i in result.reports[0].errors] == ["duplicate-return"]
    assert str(second) in result.reports[0].errors[0].message and str(first) in result.reports[1].errors[0].message
    assert set(result.tasks["section"]) == {"国库科"}


def test_layout_b_unit_not_on_the_roster_and_blank_first_area(tmp_path, roster, suffix):
    sheets = layout_b_sheets([default_content("办公室"), default_content("综合科")], unit_names={"综合科": "综合处"})
    set_cells(sheets, {("任务完成情况", 4, "创建内容"): ""})
    report = rejected(write_workbook(tmp_path / f"汇总_2024年3月{suffix}", sheets), roster)
    errors = codes(report)
    assert errors[0] == ("任务完成情况", 4, "创建内容", "missing-area")
    assert ("任务完成情况", 10, "填报单位", "unknown-unit") in errors
    assert ("九无卫生检查", 7, "填报单位", "unknown-unit") in errors


def test_one_bad_file_does_not_stop_the_others(tmp_path, roster, suffix):
    good = write_return(tmp_path / f"国库科{suffix}", default_content("国库科"))
    bad = write_return(tmp_path / f"预算科{suffix}", cells={("任务完成情况", 7, "完成数"): -2})
    result = load_returns([bad, good], roster)
    assert [r.status for r in result.reports] == ["rejected", "imported"]
    assert set(result.tasks["section"]) == {"国库科"} and len(result.tasks) == 6


def test_every_problem_is_listed_at_once(tmp_path, roster):
    cells = {("任务完成情况", 5, "计划数"): "两次", ("任务完成情况", 7, "完成数"): -1, ("九无卫生检查", 6, "无污水"): "?"}
    report = rejected(write_return(tmp_path / "预算科_2024年3月.xlsx", cells=cells), roster)
    assert sorted(codes(report)) == sorted([("任务完成情况", 5, "计划数", "not-a-number"),
                                            ("任务完成情况", 7, "完成数", "negative-count"),
                                            ("九无卫生检查", 6, "无污水", "bad-mark")])


def test_issue_dicts_have_exactly_the_contract_keys(tmp_path, roster):
    report = rejected(write_return(tmp_path / "r.xlsx", cells={("任务完成情况", 7, "完成数"): -2}), roster)
    data = report.to_dict(max_issues=10)
    assert set(data) == {"file", "status", "sections", "months", "errors", "warnings"}
    # RETURN_FORMAT.md's issue keys, plus the stable code it welcomes as "more keys" (test_cli checks the same).
    assert set(data["errors"][0]) == {"sheet", "row", "column", "cell", "message", "code"}
    assert data["errors"][0]["row"] == 7 and data["errors"][0]["column"] == "完成数"

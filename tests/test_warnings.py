"""Warnings never block an import; they say what looks wrong."""
import openpyxl

from analytics import load_returns
from analytics.config import SAMPLE_BAD_RETURNS
from tests.conftest import codes
from tests.returns import Grid, default_content, return_sheets, write_return, write_workbook


def test_a_sheet_without_a_recognisable_header_is_a_warning(tmp_path, roster):
    sheets = return_sheets(default_content())
    sheets["填报说明"] = Grid([["填报说明：每月5日前报送"], ["联系人：王磊"]])
    result = load_returns([write_workbook(tmp_path / "预算科_2024年3月.xlsx", sheets)], roster)
    (report,) = result.reports
    assert report.status == "imported" and len(result.tasks) == 6
    assert codes(report, "warning") == [("填报说明", None, None, "no-header")]
    assert report.warnings[0].message == "填报说明 有内容，但前 15 行内没有可识别的表头，已忽略此工作表"


def test_a_hidden_sheet_is_ignored_with_a_warning(tmp_path, roster):
    path = write_return(tmp_path / "预算科_2024年3月.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["九无卫生检查"].sheet_state = "hidden"
    workbook.save(path)
    result = load_returns([path], roster)
    assert codes(result.reports[0], "warning") == [("九无卫生检查", None, None, "hidden-sheet")]
    assert len(result.inspections) == 0 and len(result.tasks) == 6


def test_empty_place_and_date_are_warnings(tmp_path, roster):
    path = write_return(tmp_path / "预算科_2024年3月.xlsx", cells={("九无卫生检查", 4, "检查区域"): "",
                                                                    ("九无卫生检查", 5, "检查日期"): ""})
    result = load_returns([path], roster)
    assert codes(result.reports[0], "warning") == [("九无卫生检查", 4, "检查区域", "empty-place"),
                                                   ("九无卫生检查", 5, "检查日期", "empty-date")]
    assert result.reports[0].status == "imported" and len(result.inspections) == 3


def test_hundreds_of_errors_are_listed_up_to_a_limit(tmp_path, roster):
    content = default_content()
    content.tasks = content.tasks * 50
    path = write_return(tmp_path / "预算科_2024年3月.xlsx", content, count_style="int")
    workbook = openpyxl.load_workbook(path)
    for row in range(4, 304):
        workbook["任务完成情况"].cell(row, 5, "很多")
    workbook.save(path)
    (report,) = load_returns([path], roster).reports
    listed = report.to_dict(max_issues=200)["errors"]
    assert len(report.errors) == 300 and len(listed) == 201
    assert listed[-1]["message"] == "另有 100 条问题未逐条列出：请先改正以上问题后重新上传"


def test_a_total_is_checked_the_same_alone_and_in_a_batch(tmp_path, roster):
    """A count that fails to parse in another file of the batch never changes this file's total check."""
    good = write_return(tmp_path / "预算科_2024年3月.xlsx", total=True)
    bad = write_return(tmp_path / "国库科_2024年3月.xlsx", default_content("国库科"), total=True,
                       cells={("任务完成情况", 5, "完成数"): "很多"})
    alone = load_returns([good], roster).reports[0]
    result = load_returns([good, bad], roster)
    batch = result.reports
    assert codes(alone, "warning") == codes(batch[0], "warning") == []
    assert batch[0].status == "imported" and len(result.tasks) == 6
    assert codes(batch[1]) == [("任务完成情况", 5, "完成数", "not-a-number")]
    assert codes(batch[1], "warning") == []  # its sum is unknown: the error says what to fix


def test_a_total_over_an_unsaved_formula_is_not_a_warning(roster):
    """The unsaved formula is the error; the 合计 row is not compared with a sum that cannot be known."""
    (report,) = load_returns([SAMPLE_BAD_RETURNS / "综合科_2024年3月_公式未保存.xlsx"], roster).reports
    assert codes(report) == [("任务完成情况", 4, "计划数", "unsaved-formula")]
    assert codes(report, "warning") == []

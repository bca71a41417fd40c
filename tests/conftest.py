import pytest
from hypothesis import settings

from analytics.roster import build_roster

# No per-example deadline: on a busy 2-core CI machine a slow example is not a failure.
settings.register_profile("ci", deadline=None)
settings.load_profile("ci")

ROSTER_ROWS = [
    ["科室", "别名", "负责人", "类别", "设立月份", "撤销月份"],
    ["办公室", "局办、局办公室", "陈建国", "科室", "", ""],
    ["预算科", "预算股", "张伟", "科室", "", ""],
    ["国库科", "国库股", "刘洋", "科室", "", ""],
    ["综合科", "", "杨静", "科室", "", ""],
    ["财政投资评审中心", "评审中心", "高洁", "直属单位", "", ""],
]


@pytest.fixture
def roster():
    return build_roster(ROSTER_ROWS, "roster.xlsx")


def codes(report, severity="error"):
    """(sheet, row, column, code) of a report's errors or warnings."""
    issues = report.errors if severity == "error" else report.warnings
    return [(i.sheet, i.row, i.column, i.code) for i in issues]

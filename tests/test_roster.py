"""The roster: read from .xlsx or .csv (UTF-8, with or without BOM, or GB18030), checked on load."""
import pytest

from analytics.intake.roster import RosterError, build_roster, load_roster
from tests.conftest import ROSTER_ROWS
from tests.returns import Grid, write_workbook


def csv_text(rows):
    return "\n".join(",".join(f'"{cell}"' for cell in row) for row in rows) + "\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_any_encoding_clerks_save(tmp_path, encoding):
    path = tmp_path / "名册.csv"
    path.write_text(csv_text(ROSTER_ROWS), encoding=encoding)
    roster = load_roster(path)
    assert list(roster.sections["section"]) == [row[0] for row in ROSTER_ROWS[1:]]
    assert roster.match("局办公室") == "办公室"


def test_xlsx_with_a_title_row(tmp_path):
    path = write_workbook(tmp_path / "名册.xlsx", {"名册": Grid([["某某市财政局组织名册"], *ROSTER_ROWS])})
    roster = load_roster(path)
    assert roster.sections.loc[roster.sections["section"] == "财政投资评审中心", "kind"].item() == "直属单位"
    assert roster.sections.loc[0, "head"] == "陈建国"


@pytest.mark.parametrize("typed, expected", [
    ("预算科", "预算科"), ("预算股", "预算科"), ("市财政局预算科", "预算科"), ("某某新区财政局预算股", "预算科"),
    (" 预算 科 ", "预算科"), ("预算科\u00a0", "预算科"), ("评审中心", "财政投资评审中心"), ("档案科", None), ("", None),
])
def test_names_match_after_trimming_and_dropping_the_bureau_prefix(roster, typed, expected):
    assert roster.match(typed) == expected


@pytest.mark.parametrize("stem, expected", [
    ("预算科_2024年3月", {"预算科"}), ("市财政局预算股202403", {"预算科"}), ("局办公室月报", {"办公室"}),
    ("月报_1251", set()), ("预算科与国库科合报", {"预算科", "国库科"}),
])
def test_sections_named_in_a_file_name(roster, stem, expected):
    assert roster.sections_named_in(stem) == expected


def test_roster_with_months_of_existence():
    roster = build_roster([["科室", "设立月份", "撤销月份"], ["绩效科", "2024年7月", ""], ["农业科", "", "2024-09"]])
    months = roster.sections[["start_month", "end_month"]].values.tolist()
    assert [[m if isinstance(m, str) else None for m in row] for row in months] == [["2024-07", None], [None, "2024-09"]]


@pytest.mark.parametrize("rows, message", [
    ([["名称", "负责人"], ["预算科", "张伟"]], "没有「科室」列"),
    ([["科室", "别名"], ["预算科", "综合"], ["综合科", "综合"]], "名称「综合」已用于「预算科」"),
    ([["科室", "别名"], ["预算科", ""], ["预算科", ""]], "科室「预算科」重复"),
    ([["科室", "类别"], ["预算科", "处室"]], "「类别」为「处室」"),
    ([["科室", "设立月份"], ["预算科", "七月"]], "「设立月份」为「七月」"),
    ([["科室", "负责人"], ["", "张伟"]], "第2行「科室」为空"),
    ([["科室"]], "没有任何科室"),
])
def test_a_bad_roster_says_what_to_fix(rows, message):
    with pytest.raises(RosterError, match=message):
        build_roster(rows)


def test_unreadable_roster_files(tmp_path):
    with pytest.raises(RosterError, match="无法读取"):
        load_roster(tmp_path / "none.xlsx")
    (tmp_path / "bad.xlsx").write_text("not a workbook")
    with pytest.raises(RosterError, match="不是可读取的表格"):
        load_roster(tmp_path / "bad.xlsx")

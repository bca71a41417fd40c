"""Issue 14 "Build" 2 and 7: the year against its work plan (analytics/plan_calendar.py) on the sample year, the
/plan page (AppTest) and the bulletin's 工作计划落实情况 read back from the .docx `python -m analytics report` writes."""
import io
import os
import subprocess
import sys
from urllib.parse import unquote

import docx
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import account_store, workspace
from analytics.plan import load_plan
from analytics.plan_calendar import month_status, plan_calendar, state_grid
from analytics.section_view import section_link
from analytics.store import Store
from tests.conftest import ROOT, sign_in_apptest

FIVE_FOUR, LETTER, THREE_EIGHT = "纪念“五四”青年节活动", "签订党风廉政建设责任书", "庆祝“三八”妇女节活动"


@pytest.fixture(scope="module")
def sample_year(sample_database):
    return workspace.year(Store(f"sqlite:///{sample_database}"), 2024)


def row(calendar: pd.DataFrame, item: str, month: str) -> pd.Series:
    rows = calendar[(calendar["item"] == item) & (calendar["month"] == month)]
    assert len(rows) == 1, (item, month)
    return rows.iloc[0]


def test_the_sample_year_reports_some_plan_items_and_misses_others(sample_year):
    calendar = plan_calendar(sample_year.plan, sample_year.records.tasks, sample_year.roster.sections, "2024-12")
    # The responsibility letter, due in January from every section: 办公室 reported it (as 签订党风廉政建设责任书),
    # 法规税政科 did not; 绩效评价科 (set up in July) was not expected.
    letter = row(calendar, LETTER, "2024-01")
    assert "办公室" in letter["reported"] and "法规税政科" in letter["missing"]
    assert set(letter["reported"]) | set(letter["missing"]) == set(letter["expected"]) and len(letter["expected"]) == 20
    assert "绩效评价科" not in letter["expected"] and (letter["state"], letter["overdue"]) == ("partial", True)
    # 三八 (a bureau item) is done: sections wrote 三八妇女节活动; 五一 came as “五一”劳动节 活动 (quotes, a space).
    assert row(calendar, THREE_EIGHT, "2024-03")["state"] == "done"
    assert "预算科" in row(calendar, THREE_EIGHT, "2024-03")["reported"]
    assert row(calendar, "庆祝“五一”劳动节活动", "2024-05")["state"] == "done"
    # 五四 nobody reported: overdue once May is past, not yet due while May is in view, overdue when May is closed.
    five_four = row(calendar, FIVE_FOUR, "2024-05")
    assert (five_four["state"], five_four["overdue"], five_four["reported"]) == ("overdue", True, ())
    args = (sample_year.plan, sample_year.records.tasks, sample_year.roster.sections, "2024-05")
    assert row(plan_calendar(*args), FIVE_FOUR, "2024-05")["state"] == "not_due"
    assert row(plan_calendar(*args, closed=True), FIVE_FOUR, "2024-05")["state"] == "overdue"
    # 农业农村科 was abolished after September: not expected in October.
    assert "农业农村科" not in row(calendar, "义务洁城日活动", "2024-10")["expected"]
    grid = state_grid(calendar)
    assert grid.loc[FIVE_FOUR, "5月"] == "✗" and grid.loc[THREE_EIGHT, "3月"] == "✓" and grid.loc[THREE_EIGHT, "4月"] == ""


def tasks_of(*rows) -> pd.DataFrame:
    return pd.DataFrame([{"section": s, "month": m, "area": "", "task": t, "planned": 1, "done": d, "deployed": False,
                          "note": ""} for s, m, t, d in rows])


SECTIONS = pd.DataFrame({"section": ["甲科", "乙科"], "start_month": [None, None], "end_month": [None, None]})


@pytest.mark.parametrize("written", ["签订 责任书", "《签订党风廉政建设责任书》", "签订党风廉政建设责任书。", "（签订）责任书",
                                     "签订党风廉政建设责任书", "“党风廉政建设责任书”"])
def test_a_task_is_matched_after_normalisation(written):
    calendar = plan_calendar(load_plan(), tasks_of(("甲科", "2024-01", written, 1)), SECTIONS, "2024-02")
    assert row(calendar, LETTER, "2024-01")[["reported", "missing"]].tolist() == [("甲科",), ("乙科",)]


def test_a_deadline_counts_every_month_up_to_it_and_done_zero_is_not_reported():
    tasks = tasks_of(("甲科", "2024-02", "结对帮扶", 1), ("乙科", "2024-01", LETTER, 0), ("乙科", "2024-07", "文明餐桌行动", 1))
    calendar = plan_calendar(load_plan(), tasks, SECTIONS, "2024-08")
    assert row(calendar, "结对帮扶村精神文明建设", "2024-06")["state"] == "done"      # 6月底前, reported in February
    assert row(calendar, "文明餐桌行动", "2024-06")["state"] == "overdue"           # reported in July: too late
    assert row(calendar, LETTER, "2024-01")["state"] == "overdue"


def test_a_weekly_item_is_done_as_often_as_its_weekday_falls():
    # April 2024 has five Tuesdays: 4 clean-ups are not enough, 5 are; one section's count is not added to another's.
    tasks = tasks_of(("甲科", "2024-04", "周二环境卫生清洁", 4), ("乙科", "2024-04", "青年志愿者卫生清洁", 3),
                     ("甲科", "2024-05", "每周二卫生大扫除", 4), ("乙科", "2024-05", "周二环境卫生清洁", 1))
    calendar = plan_calendar(load_plan(), tasks, SECTIONS, "2024-06")
    april, may = row(calendar, "周二环境卫生清洁", "2024-04"), row(calendar, "周二环境卫生清洁", "2024-05")
    assert (april["state"], april["reported"]) == ("partial", ())
    assert (may["state"], may["reported"]) == ("done", ("甲科",))    # May 2024 has four Tuesdays
    assert month_status(calendar, "2024-04")["plan_undone"].count("周二环境卫生清洁") == 1


def open_plan_page(item: str | None = None, month: str | None = None, area: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/plan.py").run()
    for key, value in (("plan_area", area), ("plan_item", item), ("plan_month", month)):
        if value:
            at.selectbox(key=key).set_value(value).run()
    assert not at.exception, at.exception
    return at


def grid_of(at: AppTest) -> pd.DataFrame:
    return next(frame.value for frame in at.dataframe if "1月" in frame.value.columns)


def test_the_plan_page_shows_the_calendar_the_overdue_and_links_to_sections(sample_url):
    at = open_plan_page()
    assert [t.value for t in at.title] == ["工作计划"] and not at.error
    assert at.warning[0].value.startswith("逾期未报（已过时间")
    grid = grid_of(at)
    assert grid.loc[FIVE_FOUR, "5月"] == "✗" and len(grid) == len(load_plan().items)
    at = open_plan_page(LETTER, "2024-01", area="党风廉政建设")
    assert set(grid_of(at).index) == {"签订党风廉政建设责任书", "优质服务倡议承诺书", "廉政警示教育", "公务接待费用审核"}
    reported, missing = (list(frame.value["科室"]) for frame in at.dataframe[-2:])
    assert section_link("办公室", "2024", "2024-01") in reported
    assert section_link("法规税政科", "2024", "2024-01") in missing


def test_a_section_account_sees_only_its_own_section_on_the_plan_page(sample_url, monkeypatch):
    store = Store(sample_url)
    sections = list(workspace.roster_in_force(store).sections["section"])
    account_store.add_account(store, "fgk", "a password", "section", "test", sections, "法规税政科")
    sign_in_apptest(monkeypatch, store, "fgk")
    at = open_plan_page(LETTER, "2024-01")
    headings = [m.value for m in at.markdown]
    assert "已报送的科室（0）" in headings and "未报送的科室（1）" in headings
    assert list(at.dataframe[-1].value["科室"]) == [section_link("法规税政科", "2024", "2024-01")]
    at = open_plan_page(THREE_EIGHT, "2024-03")   # a bureau item: only the own section counts (预算科 reported it)
    shown = unquote(" ".join(frame.value.to_string() for frame in at.dataframe) + " ".join(m.value for m in at.markdown))
    assert "预算科" not in shown and "国库科" not in shown and "已报送的科室（0）" in shown


def test_the_bulletin_says_the_months_plan_status(sample_url, tmp_path):
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "analytics", "report", "--month", "2024-05", "--out", str(out)], cwd=ROOT,
                   env={**os.environ, "WENMING_DB_URL": sample_url}, check=True, capture_output=True, timeout=600)
    document = docx.Document(io.BytesIO((out / "月度通报_2024-05.docx").read_bytes()))
    texts = [paragraph.text for paragraph in document.paragraphs]
    body = texts[texts.index("五、工作计划落实情况") + 1]
    assert body.startswith("按照年度工作计划，本月应开展事项14项，已完成6项。")
    assert FIVE_FOUR in body and "学雷锋志愿服务队" in body   # due in May and undone; due in March and never reported
    plan_table = document.tables[2]
    assert [cell.text for cell in plan_table.rows[0].cells] == ["事项", "时间", "开展单位", "状态", "未报送"]
    states = {cells[0].text: cells[3].text for cells in (r.cells for r in plan_table.rows[1:])}
    assert len(states) == 14 and states[FIVE_FOUR] == "逾期未报" and states["庆祝“五一”劳动节活动"] == "已完成"


def test_a_plan_put_in_force_on_settings_is_the_calendars(sample_url):
    text = (ROOT / "analytics" / "plan_2024.toml").read_text(encoding="utf-8")
    edited = text.replace(f'name = "{FIVE_FOUR}"', 'name = "五四青年节座谈会"').encode()
    workspace.replace_plan(Store(sample_url), "计划_修订.toml", edited, "test")
    grid = grid_of(open_plan_page())
    assert "五四青年节座谈会" in grid.index and FIVE_FOUR not in grid.index

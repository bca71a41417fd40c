"""Issue 12, part "section": the section drill-down page (/section, 科室详情) on the sample year, as each role sees it;
the section names in the other pages' tables link to it (hostile names too); 九无卫生's ranking; 总览's two charts."""
import base64
import csv
import io
import json
import re
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import account_store, charts, completion, hygiene, section_view, workspace
from analytics.intake.loader import load_uploaded
from analytics.intake.vocab import NINE_ITEM_NAMES
from analytics.store import Store
from pages._shared import section_link
from sample_data.make_samples import content
from tests.conftest import ROOT, sign_in_apptest
from tests.returns import default_content, return_sheets, write_return, write_workbook
from tests.test_roles import everything_shown

SECTION, OTHER = "国库科", "预算科"
HOSTILE = ["a&b#c", "[x](http://e)", "a+b c%/?=&year=1999"]


def open_page(page: str, query: dict | None = None, month: str | None = None) -> AppTest:
    """app.py with `query` in the address and `month` picked, then `page` (as a link or the navigation opens it)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    if month:
        at.session_state["month"] = month
    at.run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def frame(at: AppTest, first_column: str) -> pd.DataFrame:
    return next(f.value for f in at.dataframe if f.value.columns[0] == first_column)


def shown_names(element, column: str = "科室") -> list[str]:
    """What the table's link cells show, as the browser draws them: display_text's group, URL-decoded."""
    config = json.loads(element.proto.columns)[column]["type_config"]
    assert config["type"] == "link"
    pattern = re.compile(config["display_text"])
    return [unquote(pattern.match(link).group(1).replace("+", "%20")) for link in element.value[column]]


def series(values) -> np.ndarray:
    """A chart's numbers from its spec: a list, or plotly's typed array ({"dtype", "bdata"})."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.array(values, dtype=float)


def linked_sections(at: AppTest, year: int = 2024) -> list[list[str]]:
    """Per table with a 科室 column: the names its cells show, after checking each cell links to that name's page."""
    tables = []
    for element in at.dataframe:
        if "科室" not in element.value.columns:
            continue
        names = shown_names(element)
        for link, name in zip(element.value["科室"], names):
            address = urlsplit(link)
            assert (address.scheme, address.netloc, address.path) == ("", "", "/section"), link
            assert parse_qs(address.query) == {"section": [name], "year": [str(year)], "month": [at.session_state["month"]]}, link
        tables.append(names)
    return tables


@pytest.fixture
def year(sample_url) -> workspace.Year:
    return workspace.year(Store(sample_url), 2024)


def test_the_page_shows_one_sections_year(sample_url, year):
    at = open_page("pages/section.py", {"section": SECTION}, month="2024-11")
    assert [t.value for t in at.title] == ["科室详情"] and not at.error and not at.main.warning
    assert at.selectbox(key="section_page").value == SECTION
    assert dict(at.query_params) == {"section": SECTION, "year": "2024", "month": "2024-11"}
    months = year.summary.section_months
    own = months[months["section"] == SECTION].set_index("month")
    november = own.loc["2024-11"]
    assert {m.label: m.value for m in at.metric} == {
        "2024-11 得分": f"{november['score']:.2f}", "2024-11 名次": f"{november['rank']} / {(months['month'] == '2024-11').sum()}",
        "任务完成率": f"{november['completion_rate'] * 100:.1f}%", "九无卫生得分": f"{november['nine_no_score']:.1f}",
        "一票否决": "是"}
    by_month = frame(at, "月份").set_index("月份")
    assert by_month.index.tolist() == year.summary.months
    assert by_month["任务完成率"].tolist() == [charts.percent(rate) for rate in own["completion_rate"]]
    assert by_month["得分"].tolist() == [f"{score:.2f}" for score in own["score"]]
    assert by_month["名次"].tolist() == own["rank"].tolist() and by_month.loc["2024-03", "一票否决"] == ""
    assert set(by_month.loc["2024-04":, "一票否决"]) == {"是"}  # confirmed in April: vetoed for the rest of the year
    trend = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert np.allclose(series(trend[0]["y"]), own["completion_rate"] * 100)
    assert np.allclose(series(trend[1]["y"]), own["nine_no_score"])

    tasks = year.records.tasks[year.records.tasks["section"] == SECTION]
    areas = next(f.value for f in at.dataframe if f.value.index.name == "创建内容")
    expected = completion.completion(tasks, ["area", "month"])["completion_rate"]
    assert all(areas.loc[area, month] == charts.percent(rate) for (area, month), rate in expected.items())
    assert frame(at, "创建内容")["计划数"].sum() == tasks.loc[tasks["month"] == "2024-11", "planned"].sum()

    inspected = hygiene.in_month(year.records.inspections, "2024-11")
    inspected = inspected[inspected["section"] == SECTION]
    checks = frame(at, "检查日期")
    assert checks["检查区域"].tolist() == inspected["place"].tolist()
    assert checks["不达标项目"].tolist() == ["、".join(name for name, mark in zip(NINE_ITEM_NAMES, row) if mark == 0)
                                        for row in inspected[hygiene.ITEMS].fillna(1).to_numpy().tolist()]
    items = frame(at, "项目")
    assert items["不达标次数"].is_monotonic_decreasing and (items["不达标次数"] > 0).all()

    assert frame(at, "报告月份")["事项类别"].tolist() == ["公务接待/会议/差旅费违规"]
    vetoes = next(f.value for f in at.dataframe if f.value.columns.tolist() == ["月份", "否决原因"])
    assert vetoes.values.tolist() == [["2024-04", "公务接待/会议/差旅费违规"]]
    versions = Store(sample_url).versions_of(SECTION)
    assert len(next(f.value for f in at.dataframe if "导入时间" in f.value.columns)) == len(versions) == 12
    assert len(at.selectbox(key="section_version").options) == 12 and at.download_button
    assert [s.value for s in at.subheader] == ["任务完成（按创建内容）", "九无卫生检查", "一票否决", "月报与历史版本"]


def test_the_picker_changes_the_section_and_the_address(sample_url):
    at = open_page("pages/section.py")
    assert at.selectbox(key="section_page").value == "办公室" and at.query_params["section"] == "办公室"
    at.selectbox(key="section_page").set_value(OTHER).run()
    assert at.query_params["section"] == OTHER and at.selectbox(key="section_page").value == OTHER
    assert OTHER in json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]


def test_a_name_not_in_the_roster_says_so_and_offers_the_roster(sample_url):
    at = open_page("pages/section.py", {"section": "[不存在](http://e)"})
    assert "不在 2024 年的组织名册中" in at.main.warning[0].value and "[不存在](http" not in at.main.warning[0].value
    assert at.selectbox(key="section_page").value == "办公室"


def test_the_address_names_the_year(sample_url, tmp_path):
    store = Store(sample_url)
    path = write_workbook(tmp_path / f"{SECTION}_2025年1月.xlsx", return_sheets(content(SECTION, 1, year=2025)))
    uploads = [(path.name, path.read_bytes())]
    store.import_batch(load_uploaded(uploads, workspace.roster_in_force(store)), uploads, who="wmb")
    assert open_page("pages/section.py", {"section": SECTION}).query_params["year"] == "2025"  # the latest by default
    at = open_page("pages/section.py", {"section": SECTION, "year": "2024"})
    assert at.sidebar.selectbox[0].value == 2024 and at.query_params["year"] == "2024"
    assert len(frame(at, "月份")) == 12
    # A link from a page showing June opens June (a new tab is a new session: the month travels in the address).
    at = open_page("pages/section.py", {"section": SECTION, "year": "2024", "month": "2024-06"})
    assert at.session_state["month"] == "2024-06" and at.query_params["month"] == "2024-06"


@pytest.fixture
def accounts(sample_url):
    store = Store(sample_url)
    sections = list(workspace.roster_in_force(store).sections["section"])
    for username, role, section in (("ld", "leader", None), ("gkk", "section", SECTION)):
        account_store.add_account(store, username, "a password", role, "test", sections, section)
    return store


def test_a_section_account_sees_its_own_section_only(accounts, monkeypatch):
    sign_in_apptest(monkeypatch, accounts, "gkk")
    others = [name for name in workspace.roster_in_force(accounts).sections["section"] if name not in (SECTION, "办公室")]
    refused = open_page("pages/section.py", {"section": OTHER})
    assert [e.value for e in refused.error] == [f"本账号只能查看本科室（{SECTION}）的详情。"]
    assert not refused.metric and not refused.dataframe and not refused.get("plotly_chart")
    assert not [name for name in others if name in everything_shown(refused)]
    own = open_page("pages/section.py")
    assert own.selectbox(key="section_page").options == [SECTION] and own.query_params["section"] == SECTION
    assert not [name for name in others if name in everything_shown(own)]
    assert own.metric[1].value.endswith(" / 20")  # its rank in the bureau, as 总览 publishes the ranking


def test_a_leader_opens_any_section(accounts, monkeypatch):
    sign_in_apptest(monkeypatch, accounts, "ld")
    at = open_page("pages/section.py", {"section": OTHER})
    roster = workspace.roster_in_force(accounts).sections["section"].tolist()
    assert at.selectbox(key="section_page").value == OTHER and at.selectbox(key="section_page").options == roster
    assert not at.error and at.download_button


def test_the_other_pages_link_every_section_name(sample_url, year):
    roster = list(year.roster.sections["section"])
    overview = linked_sections(open_page("pages/overview.py", month="2024-11"))
    assert overview == [["综合科"]]
    vetoed, events = linked_sections(open_page("pages/veto.py"))
    assert set(vetoed) == {SECTION, "金融科"} and events and set(events) <= set(roster)
    annual = linked_sections(open_page("pages/annual.py"))
    assert len(annual) == 3 and sorted(annual[2]) == sorted(year.annual("2024-12")["section"])
    assert [len(names) for names in linked_sections(open_page("pages/hygiene.py"))] == [20]
    tasks = open_page("pages/tasks.py")
    link = tasks.get("page_link")[0].proto
    assert link.page == "section" and parse_qs(link.query_string) == {"section": ["办公室"], "year": ["2024"]}


def test_the_hygiene_ranking_goes_highest_first(sample_url, year):
    at = open_page("pages/hygiene.py", month="2024-11")
    ranking = frame(at, "名次")
    months = year.summary.section_months
    november = months[months["month"] == "2024-11"]
    scored = november.dropna(subset=["nine_no_score"]).sort_values("nine_no_score", ascending=False, kind="stable")
    assert shown_names(next(f for f in at.dataframe if f.value.columns[0] == "名次")) == [
        *scored["section"], *november.loc[november["nine_no_score"].isna(), "section"]]
    assert ranking["九无得分"].iloc[:-1].tolist() == scored["nine_no_score"].tolist() and pd.isna(ranking["九无得分"].iloc[-1])
    assert ranking["名次"].iloc[0] == 1 and pd.isna(ranking["名次"].iloc[-1])
    assert ranking["状态"].iloc[-1] == "未报送"  # 综合科: no return


def test_the_ranking_shares_ranks_and_leaves_out_those_without_a_score():
    months = pd.DataFrame({"section": ["甲", "乙", "丙", "丁", "戊"], "month": ["2024-03"] * 5,
                           "submitted": [True, True, True, True, False],
                           "nine_no_score": [90.0, 95.004, 94.996, np.nan, np.nan], "scored_rows": [3, 2, 4, 0, pd.NA]})
    ranking = section_view.nine_no_ranking(months, "2024-03")
    shown = ranking.assign(名次=ranking["名次"].map(lambda rank: "" if pd.isna(rank) else str(rank)),
                           九无得分=ranking["九无得分"].map(charts.score))
    assert shown[["名次", "科室", "九无得分", "状态"]].values.tolist() == [
        ["1", "乙", "95.0", ""], ["1", "丙", "95.0", ""], ["3", "甲", "90.0", ""], ["", "丁", "—", "无检查记录"],
        ["", "戊", "—", "未报送"]]


def test_overview_shows_the_ranking_beside_the_trend(sample_url):
    figures = [json.loads(c.proto.spec) for c in open_page("pages/overview.py", month="2024-11").get("plotly_chart")]
    assert [c["layout"]["title"]["text"] for c in figures] == ["全局任务完成率与九无得分（按月）", "2024-11 各科室任务完成率"]
    assert "未报送" in json.dumps(figures[1], ensure_ascii=False)  # 综合科's missing return, for the office


def test_a_section_account_sees_the_ranking_without_who_did_not_report(accounts, monkeypatch):
    sign_in_apptest(monkeypatch, accounts, "gkk")
    figures = open_page("pages/overview.py", month="2024-11").get("plotly_chart")
    ranking = json.dumps(json.loads(figures[1].proto.spec), ensure_ascii=False)
    assert len(figures) == 2 and SECTION in ranking and OTHER in ranking
    assert "未报送" not in ranking and "综合科" not in ranking


def roster_csv(names: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([["科室", "别名", "负责人", "类别"], *[[name, "", "负责人甲", "科室"] for name in names]])
    return out.getvalue().encode("utf-8-sig")


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_name_links_and_shows_as_typed(name, empty_url, tmp_path, monkeypatch):
    url = empty_url
    store = workspace.open_store(url, sample=False)
    store.set_flag("bootstrapped", True)
    workspace.replace_roster(store, "名册.csv", roster_csv([name, OTHER]), "wmb")
    uploads = []
    for section in (name, OTHER):
        path = write_return(tmp_path / f"{len(uploads)}.xlsx", default_content(section, "2024-03"))
        uploads.append((path.name, path.read_bytes()))
    store.import_batch(load_uploaded(uploads, workspace.roster_in_force(store)), uploads, who="wmb")
    monkeypatch.setenv("WENMING_DB_URL", url)

    link = section_link(name, 2024)
    assert link.startswith("/section?section=") and parse_qs(urlsplit(link).query) == {"section": [name], "year": ["2024"]}
    at = open_page("pages/section.py", {"section": name})
    assert at.selectbox(key="section_page").value == name and not at.main.warning and not at.error
    for element in [*at.markdown, *at.caption, *at.info, *at.success, *at.warning]:
        assert "[x](http" not in element.value and "<a " not in element.value
    assert name in json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"].replace("&amp;", "&")
    assert sorted(linked_sections(open_page("pages/annual.py"))[-1]) == sorted([name, OTHER])

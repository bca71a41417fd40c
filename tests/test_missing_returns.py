"""A section that did not report shows as 未报送 on 任务完成 (DOMAIN.md "missing return"), never just disappears:
in the sample data 金融科 sent no return for 2024-05."""
import base64
import json

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import charts, completion
from analytics.intake import vocab
from tests.conftest import ROOT

MONTH = "2024-05"


@pytest.fixture
def tasks_page(sample_url) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["month"] = MONTH
    at.run().switch_page("pages/tasks.py").run()
    assert not at.exception, at.exception
    return at


def plain(value):
    """Figure JSON with plotly's typed arrays ({"dtype", "bdata", "shape"}) as lists, NaN as None."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        array = array.reshape([int(n) for n in str(value.get("shape", len(array))).split(",")])
        return np.where(np.isnan(array), None, array).tolist() if array.dtype.kind == "f" else array.tolist()
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return [plain(item) for item in value] if isinstance(value, list) else value


def figures(at: AppTest) -> dict[str, dict]:
    """Title → plotly figure JSON, for every chart on the page."""
    specs = [plain(json.loads(element.proto.spec)) for element in at.get("plotly_chart")]
    return {spec["layout"]["title"]["text"]: spec for spec in specs}


def test_the_ranking_lists_the_missing_section_last_as_not_submitted(tasks_page):
    ranking = figures(tasks_page)[f"{MONTH} 各科室任务完成率"]
    marked = [(y, text) for trace in ranking["data"] for y, text in zip(trace["y"], trace["text"])]
    assert ("金融科", "未报送") in marked
    assert ranking["layout"]["yaxis"]["categoryarray"][0] == "金融科"   # the bottom row of a horizontal bar chart
    assert len(ranking["layout"]["yaxis"]["categoryarray"]) == 20       # every section expected in May


def test_the_heatmap_keeps_the_missing_sections_row_blank_and_marked(tasks_page):
    heat = figures(tasks_page)[f"{MONTH} 科室 × 创建内容 完成率"]
    rates, marks = heat["data"]
    assert "金融科" in rates["y"] and len(rates["y"]) == 20
    row = rates["y"].index("金融科")
    assert all(z is None for z in rates["z"][row])                      # no rate drawn
    assert marks["y"] == rates["y"] and marks["text"][row] == ["未报送"] * len(vocab.AREA_NAMES)
    assert [r for r, texts in zip(marks["y"], marks["text"]) if "未报送" in texts] == ["金融科"]


def test_the_page_lists_who_did_not_report(tasks_page):
    assert [w.value for w in tasks_page.warning if "未报送" in w.value] == [f"{MONTH} 未报送月报（1 个）：金融科"]


def test_the_detail_offers_every_expected_section_and_says_when_one_did_not_report(tasks_page):
    box = tasks_page.selectbox(key="task_section")
    assert len(box.options) == 20 and "金融科（未报送）" in box.options and "预算科" in box.options
    box.set_value("金融科").run()
    assert not tasks_page.exception
    assert tasks_page.info[0].value == f"金融科 {MONTH} 未报送月报"
    assert not tasks_page.dataframe


def test_section_area_rates_has_a_row_for_every_expected_section():
    section_months = pd.DataFrame({"section": ["预算科", "金融科", "国库科", "预算科"],
                                   "month": [MONTH, MONTH, MONTH, "2024-06"],
                                   "submitted": [True, False, True, True]})
    tasks = pd.DataFrame({"section": ["预算科", "预算科", "国库科", "国库科", "预算科"],
                          "month": [MONTH, MONTH, MONTH, MONTH, "2024-06"],
                          "area": ["文化活动", "文化活动", "志愿服务", "文化活动", "志愿服务"],
                          "planned": [2, 2, 0, 4, 1], "done": [3, 1, 5, 1, 1]})
    table = completion.section_area_rates(section_months, tasks, MONTH, areas=["文化活动", "志愿服务"])
    assert table.index.tolist() == ["预算科", "金融科", "国库科"]            # the roster's order, the missing one kept
    assert table.columns.tolist() == ["文化活动", "志愿服务"]
    assert table.loc["预算科", "文化活动"] == 3 / 4                          # capped: 2 + 1 of 4 planned
    assert table.loc["国库科", "文化活动"] == 1 / 4
    assert table.loc[["金融科"]].isna().all(axis=None)                     # no return: no rate
    assert pd.isna(table.loc["国库科", "志愿服务"])                          # nothing planned: undefined, not 100%
    assert pd.isna(table.loc["预算科", "志愿服务"])                          # June's task is not May's
    assert completion.return_status(section_months, MONTH).to_dict() == {"预算科": True, "金融科": False,
                                                                           "国库科": True}


def test_a_month_with_no_task_rows_still_lists_the_sections():
    section_months = pd.DataFrame({"section": ["预算科", "金融科"], "month": [MONTH, MONTH], "submitted": [False, False],
                                   "completion_rate": [float("nan")] * 2, "veto": [False, False]})
    tasks = pd.DataFrame({c: pd.Series(dtype=object) for c in ("section", "month", "area")}).assign(
        planned=pd.Series(dtype=int), done=pd.Series(dtype=int))
    table = completion.section_area_rates(section_months, tasks, MONTH)
    assert table.index.tolist() == ["预算科", "金融科"] and table.columns.tolist() == list(vocab.AREA_NAMES)
    assert table.isna().all(axis=None)
    figure = charts.section_ranking(section_months, MONTH)
    assert [t for trace in figure.data for t in trace.text] == ["未报送", "未报送"]

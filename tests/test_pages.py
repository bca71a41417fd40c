"""Every page renders (Streamlit AppTest) on the sample data and on an empty store, with the right figures;
an upload through the page changes the overview."""
import pytest
from streamlit.testing.v1 import AppTest

from analytics import workspace
from analytics.config import DATABASE_URL_VARIABLE
from pages._shared import section_link
from tests.conftest import PAGE_TITLES, PAGES, ROOT
from tests.returns import default_content, write_return

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def empty_url(empty_url, monkeypatch) -> str:
    """An empty store (conftest's, on each backend) the dashboard opens, its sample declined."""
    workspace.open_store(empty_url, sample=False).set_flag("bootstrapped", True)
    monkeypatch.setenv(DATABASE_URL_VARIABLE, empty_url)
    return empty_url


def run(page: str | None = None) -> AppTest:
    """app.py, then `page`. AppTest's switch_page runs the page without app.py's frame (STYLE.md), so the pages
    take the shared period from st.session_state with defaults, never from the sidebar's widgets."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    if page and page != "pages/overview.py":
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def test_every_page_has_a_test():
    assert PAGES == ["pages/annual.py", "pages/audit.py", "pages/evidence.py", "pages/hygiene.py", "pages/ledger.py", "pages/overview.py",
                     "pages/plan.py", "pages/reports.py",
                     "pages/section.py", "pages/settings.py", "pages/tasks.py", "pages/upload.py", "pages/veto.py"]
    assert sorted(PAGE_TITLES) == PAGES


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_sample_data(sample_url, page):
    at = run(page)
    assert [t.value for t in at.title] == [PAGE_TITLES[page]]  # the page switched to, not the one before it
    assert not at.error


def test_the_dashboard_says_it_shows_sample_data(sample_url):
    at = run()
    assert "示例数据" in at.sidebar.warning[0].value
    assert [s.label for s in at.sidebar.selectbox] == ["年度", "月份"]
    assert (at.sidebar.selectbox[0].value, at.sidebar.selectbox[1].value) == (2024, "2024-12")


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_an_empty_store(empty_url, page):
    at = run(page)
    assert [t.value for t in at.title] == [PAGE_TITLES[page]]
    if page not in ("pages/upload.py", "pages/settings.py", "pages/audit.py"):  # these work without data
        assert "暂无数据" in at.info[0].value


def test_overview_shows_the_months_figures(sample_url):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["month"] = "2024-11"
    at.run()
    store = workspace.open_store(sample_url)
    summary = workspace.year(store, 2024).summary
    november = summary.bureau_months.set_index("month").loc["2024-11"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["全局任务完成率"] == f"{november['completion_rate'] * 100:.1f}%"
    assert metrics["已收月报 / 应报"] == "19 / 20"
    assert metrics["被一票否决科室"] == "2"  # 国库科 since April, 金融科 since September
    chase = at.dataframe[0].value[["科室", "负责人", "状态"]].values.tolist()
    assert chase == [[section_link("综合科", 2024, "2024-11"), "杨静", "已逾期"]]
    deltas = {m.label: m.proto.delta for m in at.metric}
    assert deltas["已收月报 / 应报"] == "-1 份" and deltas["被一票否决科室"] == "+0 个"  # counts change by whole numbers


def test_settings_shows_no_raw_values(sample_url):
    at = run("pages/settings.py")
    roster = next(frame.value for frame in at.dataframe if "设立月份" in frame.value.columns)
    assert set(roster["设立月份"]) == {"", "2024-07"} and set(roster["撤销月份"]) == {"", "2024-09"}
    footer = next(c.value for c in at.caption if c.value.startswith("数据库中："))
    assert "239 个月报版本" in footer and "{" not in footer


def test_annual_page_lists_candidates_and_exclusions(sample_url):
    at = run("pages/annual.py")
    candidates = at.dataframe[0].value["科室"].tolist()
    assert len(candidates) == 3
    reasons = at.dataframe[2].value.set_index("科室")["未评先进集体的原因"]
    assert all(reasons[section_link(name, 2024, at.session_state["month"])].startswith("一票否决") for name in ("国库科", "金融科"))


def test_upload_imports_a_return_and_the_overview_changes(empty_url, tmp_path):
    at = run("pages/upload.py")
    path = write_return(tmp_path / "预算科_2024年3月.xlsx", default_content("预算科"))
    at.file_uploader[0].set_value([(path.name, path.read_bytes(), XLSX)]).run()
    assert [m.value for m in at.metric] == ["1", "1", "0"]
    next(b for b in at.button if b.label.startswith("确认导入")).click().run()
    assert not at.exception and "已导入 1 个科室月份" in at.success[0].value
    at.switch_page("pages/overview.py").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["已收月报 / 应报"].startswith("1 / ")
    assert metrics["全局任务完成率"] == f"{10 / 11 * 100:.1f}%"


def test_reports_page_makes_every_file_with_progress(sample_url):
    at = run("pages/reports.py")
    at.button[0].click().run()
    assert not at.exception
    labels = [b.label for b in at.download_button]
    assert [label.split("：")[0] for label in labels] == ["下载Excel 汇总", "下载图表图片（.zip）", "下载月度通报（Word）",
                                                        "下载网页报告（.html）"]
    assert labels[0].endswith("文明创建汇总_2024-12.xlsx")


def test_withdraw_and_restore_from_the_history(sample_url, tmp_path):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["month"] = "2024-12"
    at.run().switch_page("pages/upload.py").run()
    at.selectbox(key="history_section").set_value("预算科").run()
    next(b for b in at.button if b.label == "撤回").click().run()
    assert not at.exception
    store = workspace.open_store(sample_url)
    history = store.versions_of("预算科", "2024-12")
    assert history["state"].tolist() == ["withdrawn"] and store.log()["who"].iloc[0] == "文明办"
    path = write_return(tmp_path / "预算科_2024年12月_更正.xlsx", default_content("预算科", "2024-12"))
    at.file_uploader[0].set_value([(path.name, path.read_bytes(), XLSX)]).run()
    next(b for b in at.button if b.label.startswith("确认导入")).click().run()
    next(b for b in at.button if b.label == "恢复为当前").click().run()  # the withdrawn original, back again
    assert store.versions_of("预算科", "2024-12")["state"].tolist() == ["superseded", "current"]

"""Issue 12, part "screen": every page legible at 1024×768 on a projector (measured in the browser), every section name
a link to its page, no raw text (paths, file names of rules, YYYY-MM, 88%), and the settings' template history."""
import json
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pandas as pd
from playwright.sync_api import sync_playwright

from analytics import labels, preview, section_view, workspace
from analytics.intake.loader import load_uploaded
from analytics.intake.template import DEFAULT_SETTINGS
from analytics.markdown import plain
from analytics.store import Store
from tests import test_browser
from tests.returns import default_content, write_return
from tests.test_browser import CHROMIUM
from tests.test_section_page import open_page

server = test_browser.server  # its fixture: `streamlit run app.py` on a copy of the sample database
TEMPLATE_SETTINGS = """[[tasks]]
area = "文化活动"
task = "读书会"
planned = 1
"""


def test_choose_period_keeps_what_was_asked_where_it_has_data():
    months = {2023: ["2023-11", "2023-12"], 2024: ["2024-01", "2024-02"]}.get
    assert workspace.choose_period([2023, 2024], 2023, "2023-11", months) == (2023, "2023-11")
    assert workspace.choose_period([2023, 2024], 1999, "2023-11", months) == (2024, "2024-02")  # unknown: the latest
    assert workspace.choose_period([2023, 2024], 2024, "2023-11", months) == (2024, "2024-02")  # not that year's
    assert workspace.choose_period([2023, 2024], None, None, months) == (2024, "2024-02")
    assert workspace.choose_period([2024], 2024, None, lambda year: []) == (2024, None)
    assert workspace.choose_period([], 2024, "2024-01", months) == (None, None)


def test_file_names_not_paths():
    assert section_view.file_name("returns/2024-12/2024年12月月报.zip/12月月报/月报_3072.xlsx") == "月报_3072.xlsx"
    assert section_view.file_name("预算科.xlsx") == "预算科.xlsx" and section_view.file_name("a\\b\\c.xls") == "c.xls"


def test_the_rules_are_named_in_words(sample_url):
    rules = workspace.rules_in_force(Store(sample_url))
    assert rules.title == f"{labels.DEFAULT_RULES_NAME} · {rules.digest}"
    annual = open_page("pages/annual.py")
    shown = " ".join([*(c.value for c in annual.caption), *(m.value for m in annual.markdown)])
    assert rules.title in shown and "default_rules.toml（" not in shown
    edited = workspace.replace_rules(Store(sample_url), "规则2025.toml", workspace.rules_file(Store(sample_url))[1]
                                     + b"\n# edited\n", "文明办")
    assert edited.title == f"规则2025.toml · {edited.digest}"  # a file of the bureau's own is named by its name


def test_the_status_grid_links_every_name_and_says_what_its_marks_mean(sample_url):
    at = open_page("pages/upload.py", month="2024-11")
    grid = at.table[0].value
    assert list(grid.columns) == [f"{n}月" for n in range(1, 13)]
    year = workspace.year(Store(sample_url), 2024)
    expected = list(workspace.status_grid(year.summary.section_months).index)
    links = [re.fullmatch(r"\[(.*)\]\((.*)\)", name) for name in grid.index]
    assert [unquote(link.group(1)) for link in links] == expected
    for link, name in zip(links, expected):
        address = urlsplit(link.group(2))
        assert address.path == "/section" and parse_qs(address.query) == {"section": [name], "year": ["2024"],
                                                                            "month": ["2024-11"]}
    assert set(grid.to_numpy().ravel()) == {"✓", "逾", "✗", ""}  # the blanks: 农业农村科 abolished, 绩效评价科 new
    assert labels.STATUS_KEY in [c.value for c in at.caption]
    assert all(mark in labels.STATUS_KEY for mark in ("✓", "逾", "✗", "空白"))


def test_the_history_shows_file_names(sample_url):
    upload = open_page("pages/upload.py")
    lines = [m.value for m in upload.markdown if "示例数据" in m.value]
    assert lines and not any("returns/" in line for line in lines)
    section = open_page("pages/section.py", {"section": "预算科"})
    files = next(f.value for f in section.dataframe if "导入时间" in f.value.columns)["文件"]
    assert len(files) and not files.str.contains("/").any()
    assert not any("/" in option for option in section.selectbox(key="section_version").options)


def test_audit_names_link_to_their_months_page(sample_url):
    at = open_page("pages/audit.py")
    element = next(f for f in at.dataframe if "科室" in f.value.columns)
    rows = element.value
    named = rows[rows["科室"] != ""]
    assert len(named) and (rows.loc[rows["科室"] == "", "科室"] == "").all()
    config = json.loads(element.proto.columns)["科室"]["type_config"]
    assert config["type"] == "link"
    for link, month in zip(named["科室"], named["月份"]):
        query = parse_qs(urlsplit(link).query)
        assert query["year"] == [month[:4]] and query["month"] == [month]


def test_the_nine_no_ranking_right_aligns_its_numbers(sample_url):
    at = open_page("pages/hygiene.py", month="2024-12")
    element = next(f for f in at.dataframe if f.value.columns[0] == "名次")
    assert "状态" not in element.value.columns  # every section scored in December: no column of blanks
    columns = json.loads(element.proto.columns)
    assert {name: columns[name]["type_config"]["type"] for name in ("名次", "九无得分", "检查点数")} == dict.fromkeys(
        ("名次", "九无得分", "检查点数"), "number")
    assert columns["九无得分"]["type_config"]["format"] == "%.1f"
    assert pd.api.types.is_float_dtype(element.value["九无得分"])
    november = open_page("pages/hygiene.py", month="2024-11")
    assert "状态" in next(f for f in november.dataframe if f.value.columns[0] == "名次").value.columns  # 综合科 未报送


def test_the_preview_says_which_version_it_replaces(sample_url, tmp_path):
    store = Store(sample_url)
    path = write_return(tmp_path / "预算科_2024年12月.xlsx", default_content("预算科", month="2024-12"))
    result = load_uploaded([(path.name, path.read_bytes())], workspace.roster_in_force(store))
    versions = store.versions_of()
    rows = preview.batch_preview(result, workspace.roster_in_force(store).sections, workspace.rules_in_force(store),
                                 set(), versions)
    current = versions[(versions["section"] == "预算科") & (versions["month"] == "2024-12") & (versions["state"] == "current")]
    assert rows["replaces"].tolist() == [labels.REPLACES_VERSION.format(at=current["imported_at"].iloc[0])]
    assert rows["replaces"].iloc[0].startswith("将替换现行版本（上次导入于 2025-")
    assert preview.batch_preview(result, workspace.roster_in_force(store).sections, workspace.rules_in_force(store),
                                 set())["replaces"].tolist() == [""]


def test_the_template_month_asks_by_example(sample_url):
    at = open_page("pages/settings.py")
    month = at.text_input(key="template_month")
    assert "YYYY" not in month.label and labels.MONTH_HINT in month.label
    month.set_value("2024/3").run()
    assert plain(labels.NOT_A_MONTH.format(month="2024/3")) in [c.value for c in at.caption]
    assert not any("YYYY" in c.value for c in at.caption)


def test_an_earlier_template_settings_file_is_restored_after_a_confirmation(sample_url):
    store = Store(sample_url)
    store.set_file_setting("template", "模板设置.toml", TEMPLATE_SETTINGS.encode(), "文明办",
                           until_now=(DEFAULT_SETTINGS.name, DEFAULT_SETTINGS.read_bytes()))
    at = open_page("pages/settings.py")
    assert labels.EARLIER_TEMPLATES.format(count=1) in [e.label for e in at.expander]
    next(b for b in at.button if b.key and b.key.startswith("restore_template_")).click().run()
    assert store.file_setting("template").name == "模板设置.toml"  # nothing restored yet: asked first
    assert plain(labels.RESTORE_TEMPLATE_SURE.format(name=DEFAULT_SETTINGS.name)) in [w.value for w in at.warning]
    at.button(key="template_restore_cancel").click().run()
    assert not any(b.key == "template_restore_sure" for b in at.button)
    next(b for b in at.button if b.key and b.key.startswith("restore_template_")).click().run()
    at.button(key="template_restore_sure").click().run()
    assert not at.exception and store.file_setting("template").name == DEFAULT_SETTINGS.name
    assert store.file_setting("template").data == DEFAULT_SETTINGS.read_bytes()
    said = plain(labels.TEMPLATE_RESTORED.format(name=DEFAULT_SETTINGS.name, tasks=0))
    assert said in [s.value for s in at.success]


def test_section_link_and_plain_live_in_analytics():
    assert section_view.section_link("预算科", 2024, "2024-03") == "/section?section=%E9%A2%84%E7%AE%97%E7%A7%91&year=2024&month=2024-03"
    assert plain("[x](http://e)").startswith("\\[x\\]")  # shown as typed, never a link


# In the browser, at the projector's 1024×768 (the sidebar open, as it opens) ---
MEASURE_CHART = """chart => {
  const box = e => e.getBoundingClientRect(), svg = box(chart.querySelector('svg.main-svg'));
  const inside = r => r.left >= svg.left - 1 && r.right <= svg.right + 1;
  return {
    plot_width: box(chart.querySelector('.nsewdrag')).width,
    titles_inside: [...chart.querySelectorAll('.gtitle, .gtitle-subtitle')].every(t => inside(box(t))),
    bar_texts: [...chart.querySelectorAll('.bars .point')].filter(p => p.querySelector('text')).map(p => {
      const bar = box(p.querySelector('path')), text = box(p.querySelector('text'));
      return {beside: text.left >= bar.right - 1, inside: inside(text)};
    }),
    cell_fonts: [...chart.querySelectorAll('.hm text, .textpoint text, g.heatmaplayer text')].map(
      t => [parseFloat(getComputedStyle(t).fontSize), t.textContent]),
    ticks: [...chart.querySelectorAll('.xtick text')].map(t => { const r = box(t); return [r.left, r.right]; }),
  };
}"""


def charts_on(page, address: str) -> list[dict]:
    page.goto(address)
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=120_000)
    page.wait_for_timeout(1500)  # plotly lays out after the element appears
    return [chart.evaluate(MEASURE_CHART) for chart in page.locator(".js-plotly-plot").all()]


def test_every_chart_and_figure_is_legible_at_1024(server):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        page.set_default_timeout(120_000)
        trend, ranking = charts_on(page, server)
        assert trend["titles_inside"] and ranking["titles_inside"]
        assert ranking["plot_width"] >= 85  # was 60 px, its values inside the bars: ".3%" for 53.3%
        assert ranking["bar_texts"] and all(t["beside"] and t["inside"] for t in ranking["bar_texts"])
        for address in ("tasks", "hygiene"):
            heatmap = next(c for c in charts_on(page, f"{server}/{address}") if c["cell_fonts"])
            assert heatmap["titles_inside"]  # the note under the title too
            figures = [size for size, text in heatmap["cell_fonts"] if text.isdigit()]
            assert figures and min(figures) >= 12  # was about 6 px
            assert min(size for size, _ in heatmap["cell_fonts"]) >= 10  # 未报送 and — over nine columns
            ticks = sorted(heatmap["ticks"])
            assert all(left >= right_before - 0.5 for (_, right_before), (left, _) in zip(ticks, ticks[1:]))
        page.goto(f"{server}/section?section=%E5%8A%9E%E5%85%AC%E5%AE%A4&year=2024")  # 办公室: 100.0% in December
        values = page.get_by_test_id("stMetricValue")
        values.filter(has_text="100.0%").first.wait_for()  # the metrics arrive one by one
        assert values.evaluate_all("vs => vs.every(v => v.scrollWidth <= v.clientWidth + 1)")  # none cut to "100.…"
        # No English from Streamlit itself: no ⋮ menu (System / Light / Dark / Print…), no table toolbar (Download as CSV…).
        page.get_by_test_id("stDataFrame").first.hover()
        assert page.get_by_test_id("stMainMenu").count() == 0
        assert page.get_by_test_id("stElementToolbar").evaluate_all("bars => bars.every(b => !b.checkVisibility())")
        page.goto(f"{server}/upload")
        grid = page.locator(".st-key-status_grid table")
        grid.wait_for()
        fits = grid.evaluate("t => t.getBoundingClientRect().right <= t.closest('.st-key-status_grid')"
                             ".getBoundingClientRect().right + 1")
        assert fits  # the last month not cut
        heights = grid.locator("tbody tr").evaluate_all("rows => rows.map(r => r.getBoundingClientRect().height)")
        assert max(heights) < 1.5 * min(heights)  # every name on one line
        browser.close()

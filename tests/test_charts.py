"""Issue 12, the charts: what each figure says (axes, units, legends, order, hover text) read from its spec, and
how it is drawn (labels inside the picture, the floor's label clear of the bars' labels, the toolbar's words) read
from plotly.js drawing it in Chromium at the widths the leaders see."""
from pathlib import Path

import pandas as pd
import plotly
import pytest
import streamlit

from analytics import charts, completion, labels, workspace
from analytics.export_images import key_figures

MONTH = "2024-09"


@pytest.fixture(scope="module")
def year(sample_database):
    store = workspace.open_store(f"sqlite:///{sample_database}")
    try:
        yield workspace.year(store, 2024)
    finally:
        store.engine.dispose()


@pytest.fixture(scope="module")
def figures(year) -> dict:
    """Every chart of every page and of the exports, on the sample's September."""
    summary, records = year.summary, year.records
    return {**key_figures(summary, records.inspections, MONTH),
            "area_heatmap": charts.area_heatmap(summary.section_months, records.tasks, MONTH),
            "worst_places": charts.worst_places(records.inspections, MONTH),
            "hygiene_trend": charts.hygiene_trend(summary.bureau_months),
            "annual_ranking": charts.annual_ranking(year.annual(MONTH), year.rules.floor)}


def bars(figure) -> dict:
    """Legend name → colour of a figure's bar traces."""
    return {trace.name: trace.marker.color for trace in figure.data if trace.type == "bar"}


def test_long_bars_hold_their_label_inside_and_short_ones_beside(year):
    figure = charts.section_ranking(year.summary.section_months, MONTH)
    assert figure.layout.xaxis.range == (0, 100)
    placed = {(x >= charts.INSIDE_FROM, position) for trace in figure.data for x, position in zip(trace.x, trace.textposition)}
    assert placed <= {(True, "inside"), (False, "outside")} and (True, "inside") in placed
    rows = pd.DataFrame({"section": ["甲", "乙", "丙"], "month": MONTH, "submitted": True, "veto": False,
                         "completion_rate": [1.0, 0.05, float("nan")]})
    trace = charts.section_ranking(rows, MONTH).data[0]
    assert list(trace.textposition) == ["outside", "outside", "inside"]  # —, 5.0%, 100.0% (lowest first)
    assert list(trace.text) == [labels.NO_FIGURE, "5.0%", "100.0%"]


def test_every_meaningful_colour_is_in_the_legend(year):
    ranking = charts.section_ranking(year.summary.section_months, MONTH)
    assert ranking.layout.showlegend and bars(ranking) == {labels.SERIES_NAMES["section_rate"]: charts.COLORS["main"],
                                                           labels.SERIES_NAMES["vetoed_rate"]: charts.COLORS["veto"]}
    annual = charts.annual_ranking(year.annual(MONTH), year.rules.floor)
    assert annual.layout.showlegend and bars(annual) == {labels.SERIES_NAMES["candidate"]: charts.COLORS["good"],
                                                         labels.SERIES_NAMES["vetoed"]: charts.COLORS["veto"],
                                                         labels.SERIES_NAMES["other_sections"]: charts.COLORS["main"]}
    shown = year.annual(MONTH)
    by_colour = {name: set(trace.y) for trace in annual.data for name in [trace.name]}
    assert by_colour[labels.SERIES_NAMES["candidate"]] == set(shown.loc[shown["collective"], "section"])
    assert by_colour[labels.SERIES_NAMES["vetoed"]] == set(shown.loc[shown["vetoed"] & ~shown["collective"], "section"])


def test_one_section_per_row_in_rank_order(year):
    annual = charts.annual_ranking(year.annual(MONTH), year.rules.floor)
    order = list(annual.layout.yaxis.categoryarray)
    scores = year.annual(MONTH).set_index("section")["annual_score"]
    assert sorted(order) == sorted(scores.index) and list(scores[order]) == sorted(scores)  # best on top


def test_the_floor_label_sits_above_the_bars(year):
    figure = charts.annual_ranking(year.annual(MONTH), year.rules.floor)
    (label,) = figure.layout.annotations
    assert label.text == labels.FLOOR_LINE.format(floor=year.rules.floor)
    assert (label.yref, label.y, label.yanchor, label.x) == ("paper", 1, "bottom", year.rules.floor)


def test_worst_places_show_one_measure_in_whole_numbers(year):
    figure = charts.worst_places(year.records.inspections, MONTH)
    (trace,) = figure.data
    assert list(trace.text) == [str(v) for v in trace.x] and all(v == int(v) for v in trace.x)
    axis = figure.layout.xaxis
    assert axis.title.text == "不达标次数（次）" and axis.tickformat == "d" and axis.dtick >= 1 and axis.dtick == int(axis.dtick)
    assert axis.range[0] == 0 and axis.range[1] > max(trace.x)
    assert "%{customdata}" in trace.hovertemplate  # the fail rate only on hover


def test_pareto_counts_are_whole_and_its_share_axis_runs_0_to_100(figures):
    figure = figures[labels.PICTURE_STEMS["item_pareto"]]
    assert figure.layout.yaxis2.range == (0, 100) and figure.layout.yaxis2.title.text == "累计占比（%）"
    assert figure.layout.yaxis.tickformat == "d" and figure.layout.yaxis.dtick == int(figure.layout.yaxis.dtick)
    assert max(figure.data[1].y) == pytest.approx(100)


def test_scores_in_points_never_on_an_axis_in_percent(figures):
    trend = figures[labels.PICTURE_STEMS["bureau_trend"]]
    rate, score = trend.data
    assert (rate.yaxis or "y", score.yaxis) == ("y", "y2")
    assert trend.layout.yaxis.title.text == "任务完成率（%）" and trend.layout.yaxis2.title.text == "九无得分（分）"
    assert figures["hygiene_trend"].layout.yaxis.title.text == "九无得分（分）"
    assert figures["annual_ranking"].layout.xaxis.title.text == "年度得分（分）"


@pytest.mark.parametrize("name", ["item_heatmap", "area_heatmap"])
def test_heatmaps_list_the_roster_in_order_and_grey_out_no_data(year, figures, name):
    figure = figures[labels.PICTURE_STEMS.get(name, name)]
    status = completion.return_status(year.summary.section_months, MONTH)
    rates, grey = figure.data
    assert list(rates.y) == list(status.index) and figure.layout.yaxis.title.text == "科室（按名册顺序）"
    assert list(status.index) != sorted(status.index)  # the roster's order is not the names' order
    cells = [(rate, mark) for rate_row, mark_row in zip(rates.z, grey.text) for rate, mark in zip(rate_row, mark_row)]
    assert {mark for rate, mark in cells if rate != rate} <= {labels.NO_FIGURE, labels.RETURN_STATES["missing"]}
    assert {mark for rate, mark in cells if rate == rate} == {""}
    assert any(rate == 0 for rate, _ in cells) and any(mark == labels.NO_FIGURE for _, mark in cells)  # both kinds here
    assert {tuple(step) for step in grey.colorscale} == {(0.0, charts.COLORS["no_data"]), (1.0, charts.COLORS["no_data"])}
    assert figure.layout.title.subtitle.text == labels.CHART_NOTES[name]
    # Each layer answers the pointer over its own cells only: the grey one, blank over the rates, would hide them.
    assert rates.hoverongaps is False and grey.hoverongaps is False


def test_a_missing_return_stays_a_grey_row_of_the_heatmap():
    rows = pd.DataFrame({"section": ["乙科", "甲科"], "month": MONTH, "submitted": [False, True], "veto": False,
                         "completion_rate": [float("nan"), 0.5]})
    tasks = pd.DataFrame({"section": ["甲科"], "month": [MONTH], "area": ["文化活动"], "planned": [2], "done": [1]})
    rates, grey = charts.area_heatmap(rows, tasks, MONTH).data
    assert list(rates.y) == ["乙科", "甲科"]
    assert set(grey.text[0]) == {labels.RETURN_STATES["missing"]} and labels.NO_FIGURE in grey.text[1]


def test_hover_text_is_in_words_everywhere(figures):
    for name, figure in figures.items():
        for trace in figure.data:
            assert trace.hovertemplate and "%{" in trace.hovertemplate, (name, trace.name)
    annual = figures["annual_ranking"]
    assert {trace.hovertemplate for trace in annual.data} == {labels.HOVER["value"]}


@pytest.mark.parametrize("vetoes, pending", [([0, 0], [0, 0]), ([0, 3], [1, 0])])
def test_veto_counts_start_at_zero_and_an_empty_year_says_so(vetoes, pending):
    months = pd.DataFrame({"month": ["2024-01", "2024-02"], "vetoed_sections": vetoes, "pending_vetoes": pending})
    figure = charts.veto_summary(months)
    axis = figure.layout.yaxis
    assert axis.range[0] == 0 and axis.range[1] >= max(1, *vetoes, *pending) and axis.tickformat == "d"
    assert [a.text for a in figure.layout.annotations] == ([labels.NO_VETOES] if not any(vetoes + pending) else [])


def test_the_toolbar_holds_only_the_picture_button_with_words_plotly_js_knows():
    assert charts.CONFIG["modeBarButtons"] == [["toImage"]] and charts.CONFIG["locale"] == "zh-CN"
    words = charts.CONFIG["locales"]["zh-CN"]["dictionary"]
    # The words are looked up by plotly.js's English: both copies (the exports' and Streamlit's) still use them.
    streamlit_js = next((Path(streamlit.__file__).parent / "static").rglob("PlotlyChart*.js")).read_text(encoding="utf-8")
    exports_js = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")
    for english in ("Download plot as a PNG", "Preparing image - this may take a few seconds"):
        assert english in words and english in streamlit_js and english in exports_js


# Drawn by plotly.js in Chromium: the chart's width on a 1024-wide and a 1920-wide screen (the sidebar open) and the
# exported picture's.
WIDTHS = [("1024", 700, 768), ("1920", 1500, 1080), ("export", 1200, 700)]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        yield chromium
        chromium.close()


def drawn(browser, tmp_path, figure, width: int, height: int):
    """The page with `figure` drawn by plotly.js (inline, offline) at width × height, as the HTML report draws it."""
    path = tmp_path / "chart.html"
    path.write_text(figure.to_html(include_plotlyjs=True, full_html=True, config=charts.CONFIG,
                                   default_width=width, default_height=max(height, figure.layout.height or 0)),
                    encoding="utf-8")
    page = browser.new_page(viewport={"width": width + 40, "height": height})
    page.goto(path.as_uri())
    page.wait_for_selector(".main-svg")
    return page


BOXES = """selector => [...document.querySelectorAll(selector)].map(e => {
    const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom, e.textContent]; })"""


@pytest.mark.parametrize("where, width, height", WIDTHS, ids=[w[0] for w in WIDTHS])
@pytest.mark.parametrize("name", ["section_ranking", "annual_ranking", "area_completion", "worst_places"])
def test_no_bar_label_is_cut_off(browser, tmp_path, figures, name, where, width, height):
    figure = figures[labels.PICTURE_STEMS.get(name, name)]
    page = drawn(browser, tmp_path, figure, width, height)
    left, top, right, bottom, _ = page.evaluate(BOXES, ".main-svg")[0]
    texts = page.evaluate(BOXES, ".bartext")
    assert len(texts) == sum(len(trace.text) for trace in figure.data)
    for box in texts:
        assert left <= box[0] and box[2] <= right and top <= box[1] and box[3] <= bottom, box
    if name == "annual_ranking":
        (floor,) = page.evaluate(BOXES, ".annotation-text")
        assert all(floor[3] <= box[1] or floor[1] >= box[3] or floor[2] <= box[0] or floor[0] >= box[2]
                   for box in texts), floor
    page.close()


def test_the_toolbar_says_its_button_in_chinese(browser, tmp_path, figures):
    page = drawn(browser, tmp_path, figures["annual_ranking"], 1200, 700)
    page.hover(".main-svg")
    titles = page.evaluate("() => [...document.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title'))")
    assert titles == [labels.CHART_TOOLBAR["Download plot as a PNG"]]
    page.close()



def test_the_cut_template_holds_what_every_chart_draws(figures, year):
    """charts.TEMPLATE keeps plotly_white's defaults only for bar, line and heatmap traces on x/y axes: a chart that
    drew another kind of trace, or on maps, polar, ternary or 3D axes, would lose its defaults."""
    made = [*figures.values(), charts.section_trend(year.summary.section_months, "办公室"),
            charts.half_width(charts.bureau_trend(year.summary.bureau_months))]
    assert {trace.type for figure in made for trace in figure.data} <= set(charts.TRACES)
    drawn_on = {key.rstrip("0123456789") for figure in made for key in figure.to_plotly_json()["layout"]}
    assert not drawn_on & {"geo", "polar", "scene", "ternary", "map", "mapbox", "smith", "sliders", "updatemenus"}
    assert all(figure.layout.template.layout.font.family == charts.FONT for figure in made)


def test_the_cut_template_is_plotly_whites_own_parts():
    """chart_template.json is plotly_white's parts as the pinned plotly ships them, so a chart looks as it would on
    plotly_white; after a plotly upgrade this says to copy them again."""
    import json

    import plotly.io as pio
    white = pio.templates["plotly_white"].to_plotly_json()
    cut = json.loads((Path(charts.__file__).with_name("chart_template.json")).read_text())
    assert set(cut["data"]) == set(charts.TRACES)
    assert cut == {part: {name: white[part][name] for name in cut[part]} for part in ("data", "layout")}

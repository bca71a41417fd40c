"""The files leaders take away, opened and read back: numbers match the analytics."""
import io
import re
import subprocess
import sys
import zipfile

import docx
import openpyxl
import pytest
from PIL import Image

from analytics import load_returns
from analytics.config import SAMPLE_RETURNS, SAMPLE_ROSTER
from analytics.downloads import month_downloads
from analytics.export_bulletin import TEMPLATE, bulletin_docx
from analytics.export_excel import summary_workbook
from analytics.export_images import key_figures, render
from analytics.intake.roster import build_roster
from analytics.rules import load_rules
from analytics.summary import summarize
from analytics.workspace import Year, load_roster
from tests.conftest import ROOT
from tests.returns import default_content, write_return

MONTH = "2024-09"


@pytest.fixture(scope="module")
def year():
    roster, rules = load_roster(SAMPLE_ROSTER), load_rules()
    result = load_returns([SAMPLE_RETURNS], roster)
    return Year(2024, result, summarize(result, roster.sections, rules), roster, rules)


@pytest.fixture(scope="module")
def sample(year):
    return year.summary, year.records.inspections


@pytest.fixture(scope="module")
def pictures(sample):
    summary, inspections = sample
    return render(key_figures(summary, inspections, MONTH))


def test_excel_summary_has_native_charts_and_the_same_numbers(sample):
    summary, inspections = sample
    workbook = openpyxl.load_workbook(io.BytesIO(summary_workbook(summary, inspections, MONTH)))
    assert workbook.sheetnames == ["全局按月", "科室排名", "创建内容", "九无项目", "一票否决", "年度考评"]
    assert {ws.title: len(ws._charts) for ws in workbook} == {"全局按月": 1, "科室排名": 1, "创建内容": 1, "九无项目": 1,
                                                             "一票否决": 0, "年度考评": 1}
    bureau = workbook["全局按月"]
    rates = {row[0].value: row[3].value for row in bureau.iter_rows(min_row=2)}
    expected = summary.bureau_months.set_index("month")["completion_rate"].to_dict()
    assert rates == pytest.approx(expected)
    assert bureau["D2"].number_format == "0.0%" and bureau.freeze_panes == "A2"
    chart = bureau._charts[0]
    assert chart.series[0].val.numRef.f == "全局按月!$D$2:$D$13"  # refers to the sheet's cells: editable
    ranking = workbook["科室排名"]
    scores = {row[1].value: row[9].value for row in ranking.iter_rows(min_row=2)}
    september = summary.section_months[summary.section_months["month"] == MONTH].set_index("section")["score"]
    assert scores == pytest.approx(september.to_dict())
    assert workbook["一票否决"]["C2"].value == "公务接待/会议/差旅费违规"


def test_text_from_returns_never_runs_as_a_formula(tmp_path):
    names = ["=SUM(1,2)", "+1科", "-2科", "@科"]
    roster = build_roster([["科室"], *[[n] for n in names]])
    paths = [write_return(tmp_path / f"r{i}.xlsx", default_content(name), unit_name=name) for i, name in enumerate(names)]
    result = load_returns(paths, roster)
    assert [r.status for r in result.reports] == ["imported"] * 4
    summary = summarize(result, roster.sections, load_rules())
    workbook = openpyxl.load_workbook(io.BytesIO(summary_workbook(summary, result.inspections, "2024-03")))
    cells = [row[1] for row in workbook["科室排名"].iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted(names) and {c.data_type for c in cells} == {"s"}


def test_pictures_decode_at_print_size(pictures):
    assert sorted(pictures) == sorted(f"0{n}_{name}.{kind}" for n, name in enumerate(
        ["全局趋势", "科室完成率排名", "创建内容完成率", "九无不达标热力图", "不达标项目", "一票否决"], start=1)
        for kind in ("png", "svg"))
    for name, data in pictures.items():
        if name.endswith(".png"):
            width, height = Image.open(io.BytesIO(data)).size
            assert width == 2400 and height >= 1400  # scale 2: about 390 dpi at the bulletin's 15.5 cm
        else:
            assert data.lstrip().startswith(b"<svg")


def test_bulletin_states_the_months_figures(sample, pictures):
    summary, inspections = sample
    pngs = {name: data for name, data in pictures.items() if name.endswith(".png")}
    document = docx.Document(io.BytesIO(bulletin_docx(summary, inspections, MONTH, pngs)))
    text = "\n".join(p.text for p in document.paragraphs)
    bureau = summary.bureau_months.set_index("month").loc[MONTH]
    assert "关于2024年9月份文明单位创建工作情况的通报" in text
    assert f"应报送月报{int(bureau['expected'])}份，实际报送{int(bureau['received'])}份" in text
    assert f"任务完成率{bureau['completion_rate'] * 100:.1f}%" in text
    assert f"九无卫生平均得分{bureau['nine_no_score']:.1f}分" in text
    assert "本月新增一票否决：金融科（未完成市文明办部署任务：义务洁城日活动）" in text
    assert len(document.tables) == 2 and len(document.inline_shapes) == 6
    ranking = document.tables[0]
    assert [c.text for c in ranking.rows[0].cells] == ["名次", "科室", "任务完成率", "九无得分", "得分", "备注"]
    assert len(ranking.rows) == 1 + 21


def test_bulletin_wording_comes_from_its_template(sample, tmp_path):
    summary, inspections = sample
    edited = tmp_path / "通报措辞.toml"
    edited.write_text(TEMPLATE.read_text(encoding="utf-8").replace("局机关各科室、各直属单位：", "各科室："), encoding="utf-8")
    document = docx.Document(io.BytesIO(bulletin_docx(summary, inspections, MONTH, template=edited)))
    assert [p.text for p in document.paragraphs][2] == "各科室："


def test_html_report_loads_no_script_over_the_network(year, tmp_path):
    from playwright.sync_api import sync_playwright

    html = month_downloads(year, MONTH).files[f"月度报告_{MONTH}.html"]
    assert re.findall(rb"<script[^>]*src=", html) == [] and len(html) > 3_000_000  # plotly.js inline
    path = tmp_path / "report.html"
    path.write_bytes(html)
    requests = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        page.wait_for_selector(".plot-container", timeout=30_000)
        assert page.locator(".plot-container").count() == 6
        browser.close()
    assert [url for url in requests if not url.startswith(("file:", "data:", "blob:"))] == []


def test_report_command_writes_everything_and_without_a_browser_everything_else(tmp_path):
    args = [sys.executable, "-m", "analytics", "report", "--month", MONTH, str(SAMPLE_RETURNS), "--roster", str(SAMPLE_ROSTER)]
    done = subprocess.run([*args, "--out", str(tmp_path / "a")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [
        f"文明创建汇总_{MONTH}.xlsx", f"月度图表_{MONTH}.zip", f"月度报告_{MONTH}.html", f"月度通报_{MONTH}.docx"]
    assert len(zipfile.ZipFile(tmp_path / "a" / f"月度图表_{MONTH}.zip").namelist()) == 12
    assert _months_named(openpyxl.load_workbook(tmp_path / "a" / f"文明创建汇总_{MONTH}.xlsx")) == {"2024-01", MONTH}
    env = {"BROWSER_PATH": "/nonexistent", "PATH": "/usr/local/bin:/bin"}
    done = subprocess.run([*args, "--out", str(tmp_path / "b")], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, **env})
    assert done.returncode == 0 and "没有找到 Chrome、Chromium 或 Edge" in done.stderr
    assert len(list((tmp_path / "b").iterdir())) == 3


def _months_named(workbook) -> set:
    """The first and last month the workbook's 全局按月 sheet lists."""
    months = [row[0] for row in workbook["全局按月"].iter_rows(min_row=2, values_only=True) if re.fullmatch(r"\d{4}-\d\d", str(row[0]))]
    return {months[0], months[-1]}


@pytest.fixture(scope="module")
def excel(sample):
    summary, inspections = sample
    return openpyxl.load_workbook(io.BytesIO(summary_workbook(summary, inspections, MONTH)))


# openpyxl reads every chart back with x_axis = the category axis and y_axis = the value axis, bar charts included.
@pytest.mark.parametrize("sheet, direction, categories, bounds, number_format", [
    pytest.param("全局按月", None, "minMax", (0, 1), "0%", id="bureau-line"),
    pytest.param("科室排名", "bar", "maxMin", (0, 1), "0%", id="ranking-bars"),
    pytest.param("创建内容", "col", "minMax", (0, 1), "0%", id="areas-columns"),
    pytest.param("九无项目", "col", "minMax", (0, None), "0", id="items-columns"),
    pytest.param("年度考评", "bar", "maxMin", (0, 100), "0", id="annual-bars"),
])
def test_excel_chart_axes_read_forwards_from_zero(excel, sheet, direction, categories, bounds, number_format):
    ws = excel[sheet]
    chart = ws._charts[0]
    assert getattr(chart, "barDir", None) == direction
    # A bar chart lists its categories top-down (maxMin), the sheet's first row (the best) on top.
    assert chart.x_axis.scaling.orientation == categories
    assert chart.x_axis.delete is not True
    value = chart.y_axis
    assert value.scaling.orientation == "minMax"  # bars grow left to right, columns upwards
    assert (value.scaling.min, value.scaling.max) == bounds
    assert value.number_format.formatCode == number_format
    if direction == "bar":
        assert value.crosses == "max"  # the value axis at the bottom of the reversed categories
    cells = [c.value for row in ws[chart.series[0].val.numRef.f.split("!")[1].replace("$", "")] for c in row]
    assert min(cells) >= bounds[0] and (bounds[1] is None or max(cells) <= bounds[1])  # cells hold fractions, not percents


@pytest.mark.parametrize("sheet", ["科室排名", "年度考评"])
def test_excel_ranking_charts_follow_the_sheets_rank_order(excel, sheet):
    ws = excel[sheet]
    assert ws._charts[0].series[0].cat.strRef.f == f"{sheet}!$B$2:$B${ws.max_row}"
    ranks = [row[0].value for row in ws.iter_rows(min_row=2)]
    assert ranks[0] == 1 and ranks == sorted(ranks)  # the best first; tied ranks repeat (3, 3, 5)

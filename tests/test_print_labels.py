"""Issue 12, part "print": every chart says its numbers and every file prints legibly. The Pareto and veto charts
label their bars; the Excel summary's native charts carry data labels in the sheet's number formats, its annual
chart is coloured as the screen's (with a note saying so), each chart below its table on a page of its own; the
validation report names itself on every printed page; the bulletin's pictures are drawn at print size. Read back
with openpyxl, and printed with LibreOffice where it is installed (text sizes measured on the PDF)."""
import datetime as dt
import io
import re
import subprocess
import zipfile

import docx
import openpyxl
import pandas as pd
import pytest

from analytics import charts, downloads, export_bulletin, labels, workspace
from analytics.export_excel import summary_workbook
from analytics.export_images import WIDTH
from analytics.export_tables import page_header, print_title, workbook_bytes
from analytics.intake.issues import issues_frame, reports_frame
from tests import test_print
from tests.test_print import MONTH, needs_office, pdf_pages

loaded, sample = test_print.loaded, test_print.sample   # the same fixtures: the bad samples and the sample year
PICTURE_CM = 15.5   # export_bulletin: every picture is printed this wide


@pytest.fixture(scope="module")
def summary_xlsx(sample) -> bytes:
    return summary_workbook(*sample, MONTH)


# --- the screen's charts ---

def test_pareto_bars_say_their_counts_inside_long_bars_and_beside_short_ones():
    rates = pd.DataFrame({"item": ["无烟头", "无纸屑", "无蚊蝇", "无污水"], "fails": [20, 9, 1, 0]})
    bars, share = charts.item_pareto(rates, "t").data
    assert list(bars.text) == ["20", "9", "1", "0"]
    # The axis runs to 23 (20 × 1.15): 20 and 9 are long enough to hold their label, 1 and 0 are not.
    assert list(bars.textposition) == ["inside", "inside", "outside", "outside"] and bars.cliponaxis is False
    assert list(share.text) == ["67%", "97%", "100%", "100%"] and "text" in share.mode


def test_veto_bars_say_their_counts_and_leave_a_zero_blank():
    months = pd.DataFrame({"month": ["2024-01", "2024-02", "2024-03"], "vetoed_sections": [0, 3, 1],
                           "pending_vetoes": [2, 0, 0]})
    vetoed, pending = charts.veto_summary(months).data
    assert list(vetoed.text) == ["", "3", "1"] and list(pending.text) == ["2", "", ""]
    assert vetoed.cliponaxis is False and set(vetoed.textposition) <= {"inside", "outside"}


def test_the_annual_chart_and_the_summary_colour_sections_by_one_rule(sample):
    annual = sample[0].annual
    groups = charts.annual_groups(annual)
    figure = charts.annual_ranking(annual, 80)
    on_screen = {name: trace.marker.color for trace in figure.data for name in trace.y}
    for section, group in zip(annual["section"], groups):
        assert on_screen[section] == charts.ANNUAL_COLORS[group]
    assert set(groups) == set(charts.ANNUAL_COLORS)   # the sample has candidates, vetoed and other sections


# --- the Excel summary ---

def _chart_points(sheet) -> list[str]:
    """The colour of each point of the sheet's chart, upper case."""
    return [str(point.graphicalProperties.solidFill.srgbClr).upper() for point in sheet._charts[0].series[0].dPt]


def test_every_summary_chart_labels_its_points_in_the_sheets_number_format(summary_xlsx):
    workbook = openpyxl.load_workbook(io.BytesIO(summary_xlsx))
    charted = [sheet for sheet in workbook if sheet._charts]
    assert len(charted) == 5
    for sheet in charted:
        series = sheet._charts[0].series[0]
        assert series.dLbls is not None and series.dLbls.showVal, sheet.title
        first_value = sheet[series.val.numRef.f.split("!")[1].split(":")[0].replace("$", "")]
        expected = first_value.number_format if first_value.number_format != "General" else "0"
        assert series.dLbls.numFmt == expected, sheet.title


def test_the_summarys_annual_chart_is_coloured_as_the_screen_and_says_so(sample, summary_xlsx):
    annual = sample[0].annual
    workbook = openpyxl.load_workbook(io.BytesIO(summary_xlsx))
    expected = [charts.ANNUAL_COLORS[group].lstrip("#").upper() for group in charts.annual_groups(annual)]
    assert _chart_points(workbook["年度考评"]) == expected and len(set(expected)) == 3
    # The note is a text box above the chart (a cell there would lengthen the table the chart refers to).
    with zipfile.ZipFile(io.BytesIO(summary_xlsx)) as archive:
        drawings = [archive.read(name).decode("utf-8") for name in archive.namelist() if "drawings/drawing" in name]
    assert sum(labels.ANNUAL_COLOR_NOTE in drawing for drawing in drawings) == 1
    assert "绿色＝先进集体候选" in labels.ANNUAL_COLOR_NOTE and "红色＝被一票否决" in labels.ANNUAL_COLOR_NOTE


def test_every_annual_row_is_one_line_with_its_numbers_at_the_top_as_its_text(summary_xlsx):
    sheet = openpyxl.load_workbook(io.BytesIO(summary_xlsx))["年度考评"]
    assert all(sheet.row_dimensions[row].height is None for row in range(2, sheet.max_row + 1))
    for row in sheet.iter_rows(min_row=2):
        assert {cell.alignment.vertical for cell in row if cell.value is not None} == {"top"}, row[1].value


def test_each_summary_chart_starts_a_page_below_its_table(summary_xlsx):
    workbook = openpyxl.load_workbook(io.BytesIO(summary_xlsx))
    for sheet in workbook:
        setup = sheet.page_setup
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0)
        if not sheet._charts:
            continue
        anchor = sheet._charts[0].anchor._from
        assert anchor.col == 0 and anchor.row > sheet.max_row   # below the table, not beside it
        assert [brk.id for brk in sheet.row_breaks.brk] == [sheet.max_row]   # a new page right after the table


# --- the validation report ---

def test_a_print_title_names_the_file_its_months_and_when_it_was_made():
    at = dt.datetime(2026, 12, 1, 19, 30)
    assert print_title(labels.VALIDATION_REPORT, ["2024-03", "2024-03"], at) == "月报校验报告 · 2024年3月 · 生成于 2026-12-01 19:30"
    many = ["2024-05", "2024-01", "2024-02", "2024-03"]
    assert print_title(labels.VALIDATION_REPORT, many, at) == "月报校验报告 · 2024年1月至2024年5月 · 生成于 2026-12-01 19:30"
    assert print_title("催报名单", [], at) == "催报名单 · 生成于 2026-12-01 19:30"
    assert page_header("A&B", "表") == "&LA&&B&R表"


def test_the_validation_report_names_itself_on_every_printed_page(loaded):
    title = print_title(labels.VALIDATION_REPORT, [m for r in loaded.reports for m in r.months])
    data = workbook_bytes({"校验结果": reports_frame(loaded.reports), "问题明细": issues_frame(loaded.reports)}, title)
    for sheet in openpyxl.load_workbook(io.BytesIO(data)):
        assert (sheet.oddHeader.left.text, sheet.oddHeader.right.text) == (title, sheet.title)
    untitled = openpyxl.load_workbook(io.BytesIO(workbook_bytes({"名单": pd.DataFrame({"科室": ["预算科"]})})))["名单"]
    assert not untitled.oddHeader.left.text


# --- the bulletin's pictures ---

def test_the_bulletins_pictures_are_drawn_at_print_size(sample_database):
    drawn = {}

    class Pictures:   # a browser session that only keeps what it is asked to draw
        def render(self, figures, *args, **kwargs):
            drawn.update(figures)
            return {}

        def close(self):
            pass

    store = workspace.open_store(f"sqlite:///{sample_database}", sample=False)
    year = workspace.year(store, 2024)
    store.engine.dispose()
    downloads.month_downloads(year, MONTH, pictures=Pictures())
    assert len(drawn) == 6
    points = PICTURE_CM / 2.54 * 72 / WIDTH   # pt on paper per px of the picture
    for name, figure in drawn.items():
        assert figure.layout.font.size * points >= 8, name
        assert all((a.font.size or figure.layout.font.size) * points >= 8 for a in figure.layout.annotations), name
    screen = charts.section_ranking(year.summary.through(MONTH, year.roster.sections).section_months, MONTH)
    ranking = drawn[labels.PICTURE_STEMS["section_ranking"]]
    # Rows keep their room for the larger labels: the figure is as much taller as its font is larger.
    assert ranking.layout.height / screen.layout.height == pytest.approx(charts.PRINT_FONT / 16)
    assert ranking.layout.yaxis.categoryarray == screen.layout.yaxis.categoryarray


# --- printed, by LibreOffice ---

def cjk_sizes(pdf) -> list[list[float]]:
    """Each page's sizes (pt) of its all-Chinese words: a Chinese character is one em wide."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = []
    for page in boxes.split("<page ")[1:]:
        words = re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>', page)
        pages.append([(float(x1) - float(x0)) / len(word) for x0, x1, word in words
                      if re.fullmatch(r"[\u4e00-\u9fff]{2,}", word)])
    return pages


@needs_office
def test_printed_the_summary_is_legible_and_each_chart_has_a_page_of_its_own(tmp_path, summary_xlsx):
    pages = pdf_pages(tmp_path, "汇总.xlsx", summary_xlsx)
    sizes = cjk_sizes(tmp_path / "汇总.pdf")
    assert len(sizes) >= 11   # six tables, five charts
    for number, page in enumerate(sizes, start=1):
        assert page and min(page) >= 9, (number, min(page))
    charted = {key: next(page for page in pages if title.format(month=MONTH) in page)
               for key, title in labels.SHEET_CHART_TITLES.items()}
    assert all(labels.SHEET_NAMES[key] in page for key, page in charted.items())   # the page header names the sheet
    # No table row on a chart's page: a reason (annual) and a score (sections) are in the tables only.
    assert "超出名额" not in charted["annual"] and "90.00" not in charted["sections"]
    assert labels.ANNUAL_COLOR_NOTE.split("：")[0] in charted["annual"]


def test_every_summary_chart_names_every_category(summary_xlsx):
    """Excel names every other category where a chart's rows are close (the annual chart's 21 sections showed 10
    names): each chart asks for every one."""
    with zipfile.ZipFile(io.BytesIO(summary_xlsx)) as package:
        charts_xml = [package.read(name).decode() for name in package.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts_xml) == 5 and all('<c:tickLblSkip val="1"/>' in xml for xml in charts_xml)


def test_the_bulletins_headings_stay_with_what_follows_and_its_cells_print_large(sample_database, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent")   # the words only
    store = workspace.open_store(f"sqlite:///{sample_database}", sample=False)
    year = workspace.year(store, 2024)
    store.engine.dispose()
    document = docx.Document(io.BytesIO(downloads.month_downloads(year, MONTH).files[
        downloads.file_names(MONTH)["bulletin"]]))
    headings = [p for p in document.paragraphs if p.runs and p.runs[0].font.name == export_bulletin.HEADING_FONT]
    assert len(headings) >= 4 and all(p.paragraph_format.keep_with_next for p in headings)
    heatmap = charts.item_heatmap(year.records.inspections, year.summary.section_months, MONTH)
    printed = charts.printed(heatmap)
    sized = [(before.textfont.size, after.textfont.size) for before, after in zip(heatmap.data, printed.data)
             if before.textfont.size]
    assert sized and all(after == before * charts.PRINT_FONT / 16 for before, after in sized)
    # Its column names stay upright (broken into lines), in a type grown as the rest.
    assert printed.layout.xaxis.tickangle == 0
    assert printed.layout.xaxis.tickfont.size == heatmap.layout.xaxis.tickfont.size * charts.PRINT_FONT / 16

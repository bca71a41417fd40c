"""The Excel summary (.xlsx) with native charts that stay editable in Excel and WPS.

One sheet per table, Chinese sheet names, percent and one-decimal formats, frozen headers, widths.
Every string is written as text, so a cell starting with = + - @ from a return never runs as a formula.
Every sheet names its month and rules file, above its chart and at the top of each printed page.
"""
import io
from typing import NamedTuple

import pandas as pd
import xlsxwriter

from analytics import charts, hygiene, labels
from analytics.export_tables import LINE_HEIGHT, page_header, print_setup, table_formats, write_table
from analytics.periods import month_label

PERCENT, ONE_DECIMAL, TWO_DECIMALS = "0.0%", "0.0", "0.00"
PRINTED_WIDTH = 200  # a table with its chart beside it: always printed landscape


class Sheet(NamedTuple):
    table: pd.DataFrame     # canonical columns, in the sheet's order
    number_formats: dict    # column → number format


def _sheets(summary, inspections: pd.DataFrame, month: str) -> dict[str, Sheet]:
    """Sheet key (labels.SHEET_NAMES) → its table and number formats, in the order they appear."""
    bureau = summary.bureau_months
    sections = summary.section_months[summary.section_months["month"] == month].sort_values("rank")
    areas = summary.areas[summary.areas["month"] == month]
    items = hygiene.item_fail_rates(hygiene.in_month(inspections, month), ["month"])
    vetoes = summary.section_months[summary.section_months["veto_reasons"].map(bool)]
    annual = summary.annual
    return {
        "bureau": Sheet(bureau[["month", "expected", "received", "completion_rate", "ytd_completion_rate", "nine_no_score",
                                "mean_score", "vetoed_sections", "pending_vetoes"]],
                        {"completion_rate": PERCENT, "ytd_completion_rate": PERCENT, "nine_no_score": ONE_DECIMAL,
                         "mean_score": ONE_DECIMAL}),
        "sections": Sheet(sections.assign(submitted=sections["submitted"].map(labels.SUBMITTED_MARKS),
                                          veto=sections["veto"].map(labels.VETO_MARKS))[
            ["rank", "section", "submitted", "planned", "achieved", "over", "completion_rate", "nine_no_score", "bonus",
             "score", "veto"]],
            {"completion_rate": PERCENT, "nine_no_score": ONE_DECIMAL, "score": TWO_DECIMALS, "bonus": ONE_DECIMAL}),
        "areas": Sheet(areas[["area", "planned", "achieved", "over", "completion_rate"]], {"completion_rate": PERCENT}),
        "items": Sheet(items[["item", "fails", "applicable", "fail_rate"]], {"fail_rate": PERCENT}),
        "vetoes": Sheet(vetoes.assign(reasons=vetoes["veto_reasons"].map(labels.LIST_SEPARATOR.join))[
            ["section", "month", "reasons"]], {}),
        "annual": Sheet(annual.assign(collective=annual["collective"].map(labels.CANDIDATE_MARKS),
                                      individual=annual["individual"].map(labels.CANDIDATE_MARKS))[
            ["rank", "section", "head", "annual_score", "collective", "individual", "reason"]],
            {"annual_score": TWO_DECIMALS}),
    }


def _headings(key: str) -> dict:
    """Column → heading on sheet `key`."""
    return {**labels.FIGURE_NAMES, **labels.SHEET_COLUMN_NAMES.get(key, {})}


def summary_workbook(summary, inspections: pd.DataFrame, month: str) -> bytes:
    """The .xlsx bytes: six sheets, each with its native chart where one helps."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                            "nan_inf_to_errors": False})
    header, text = table_formats(workbook)
    # At the top of the cell, as the text is: a number beside a wrapped text would otherwise sit a line low.
    formats = {code: workbook.add_format({"num_format": code, "valign": "top"}) for code in (PERCENT, ONE_DECIMAL, TWO_DECIMALS)}
    caption = labels.SHEET_CAPTION.format(month=month_label(month), rules=summary.rules.label)
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "vcenter"})
    for key, (table, number_formats) in _sheets(summary, inspections, month).items():
        name, names = labels.SHEET_NAMES[key], _headings(key)
        sheet = workbook.add_worksheet(name)
        widths = write_table(sheet, labels.headed(table, list(table.columns), names), header,
                             {labels.heading(c, names): formats[f] for c, f in number_formats.items()}, text, SUMMARY_WIDEST)
        # Beside the table, in two lines so that it prints with the table at a legible size.
        sheet.write_string(0, len(table.columns) + 1, caption, bold)
        sheet.set_column(len(table.columns) + 1, len(table.columns) + 1, CAPTION_WIDTH)
        sheet.set_row(0, 2 * LINE_HEIGHT)
        print_setup(sheet, PRINTED_WIDTH, page_header(caption, name))
        chart = _chart(workbook, key, table, month, number_formats, _point_colors(key, summary.annual))
        _print_with_chart(sheet, [*widths, DEFAULT_COLUMN, CAPTION_WIDTH], chart, len(table),
                          labels.ANNUAL_COLOR_NOTE if key == "annual" else "")
    workbook.close()
    return buffer.getvalue()


def _point_colors(key: str, annual: pd.DataFrame) -> list[str]:
    """The colour of each point of sheet `key`'s chart where points differ: the annual ranking's, as on the screen."""
    return [charts.ANNUAL_COLORS[group] for group in charts.annual_groups(annual)] if key == "annual" else []


def _print_with_chart(sheet, widths: list[float], chart, rows: int, note: str) -> None:
    """The chart below the table (`rows` rows under its header), on a page of its own, `note` above it, as wide
    as the table (CHART_WIDTH at least); the page as wide as the two, so the caption beside a wide table is left
    off (the page header says it). `widths`: the table's columns, then the gap and the caption's."""
    table = widths[:-2]
    if chart is None:
        sheet.print_area(0, 0, rows, len(widths) - 1)
        return
    top, width = rows + 2, max(CHART_WIDTH, sum(_column_pixels(w) for w in table))
    sheet.set_h_pagebreaks([top - 1])  # a row before the chart: its border would print on the table's page too
    if note:
        sheet.insert_textbox(top, 0, note, {"width": width, "height": NOTE_HEIGHT, "font": {"size": 11},
                                            "line": {"none": True}, "fill": {"none": True}})
    height = min(PAGE_HEIGHT, max(CHART_HEIGHT, ROW_PIXELS * rows + 100))  # a name for every bar, on one page
    chart.set_size({"width": width, "height": height})
    sheet.insert_chart(top, 0, chart, {"y_offset": NOTE_HEIGHT if note else 0, "object_position": 3})
    sheet.print_area(0, 0, top + (height + NOTE_HEIGHT) // 20 + 1, _columns_across(widths, width) - 1)


def _columns_across(widths: list[float], pixels: int) -> int:
    """How many columns, of `widths` then Excel's default ones, a drawing `pixels` wide from column A spans."""
    covered, count = 0, 0
    while covered < pixels:
        covered += _column_pixels(widths[count] if count < len(widths) else DEFAULT_COLUMN)
        count += 1
    return count


def _column_pixels(width: float) -> int:
    """A column's width on the screen, as xlsxwriter and Excel count it (Calibri 11: 7 px a unit, 5 of padding)."""
    return int(width * 7 + 5)


class SheetChart(NamedTuple):
    kind: str           # xlsxwriter chart type
    values: str         # the column charted
    categories: str     # the column naming each point
    color: str
    axis: dict          # the value axis


SHEET_CHARTS = {
    "bureau": SheetChart("line", "completion_rate", "month", "#1F4E79", {"num_format": "0%", "min": 0, "max": 1}),
    "sections": SheetChart("bar", "completion_rate", "section", "#1F4E79", {"num_format": "0%", "min": 0, "max": 1}),
    "areas": SheetChart("column", "completion_rate", "area", "#1F4E79", {"num_format": "0%", "min": 0, "max": 1}),
    "items": SheetChart("column", "fails", "item", "#C62828", {"num_format": "0", "min": 0}),
    "annual": SheetChart("bar", "annual_score", "section", "#2E7D32", {"num_format": "0", "min": 0, "max": 100}),
}
# A4 landscape inside the margins is about 1030 x 650 px at 100 %: a chart 700 px wide (or the table's width)
# and 560 tall fits below the repeated header row.
CHART_WIDTH, CHART_HEIGHT = 700, 560
CHART_FONT = {"size": 11}  # labels and axes, as the tables' text (Excel's 10 would print under 9 pt on a wide sheet)
PAGE_HEIGHT = 620      # px: the tallest chart below the repeated header row and its note
ROW_PIXELS = 26        # px a row of a chart of many rows takes: its name in 11 pt with room between
NOTE_HEIGHT = 24       # px: the line above a chart saying what its colours mean
DEFAULT_COLUMN = 8.43  # Excel's default column width
SUMMARY_WIDEST = 60    # a summary's reasons fit on one line of a landscape page
CAPTION_WIDTH = 30     # the caption beside the table, in two lines


def _chart(workbook, key: str, table: pd.DataFrame, month: str, number_formats: dict, colors: list[str]):
    """The sheet's native chart, its series referring to the sheet's own cells (editable), each point labelled
    in the sheet's number format and coloured `colors` where given."""
    rows, spec, name = len(table), SHEET_CHARTS.get(key), labels.SHEET_NAMES[key]
    if rows == 0 or spec is None:
        return None
    chart = workbook.add_chart({"type": spec.kind})
    c, k = table.columns.get_loc(spec.values), table.columns.get_loc(spec.categories)
    chart.add_series({"name": [name, 0, c], "categories": [name, 1, k, rows, k], "values": [name, 1, c, rows, c],
                      "fill": {"color": spec.color}, "line": {"color": spec.color, "width": 2.25},
                      "data_labels": {"value": True, "num_format": number_formats.get(spec.values, "0"), "font": CHART_FONT,
                                      "position": "above" if spec.kind == "line" else "outside_end"},
                      "points": [{"fill": {"color": color}} for color in colors] or None,
                      **({"marker": {"type": "circle"}} if spec.kind == "line" else {})})
    if spec.kind == "bar":
        _bar_axes(chart, {**spec.axis, "num_font": CHART_FONT})
    else:
        chart.set_x_axis({"num_font": CHART_FONT, "interval_unit": 1})
        chart.set_y_axis({**spec.axis, "num_font": CHART_FONT})
    chart.set_title({"name": labels.SHEET_CHART_TITLES[key].format(month=month)})
    chart.set_legend({"none": True})
    return chart


def _bar_axes(chart, value_axis: dict) -> None:
    """Axes of a horizontal bar chart: bars grow left to right, categories top-down in the sheet's order."""
    # In an xlsxwriter bar chart x is the VALUE axis (DEPENDENCY_NOTES.md xlsxwriter); reversing y lists the
    # categories top-down, and crossing at "max" keeps the value axis at the bottom instead of the top; every
    # category named (by default Excel names every other one where the rows are close).
    chart.set_x_axis(value_axis)
    chart.set_y_axis({"reverse": True, "crossing": "max", "num_font": CHART_FONT, "interval_unit": 1})

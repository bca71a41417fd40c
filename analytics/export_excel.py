"""The Excel summary (.xlsx) with native charts that stay editable in Excel and WPS.

One sheet per table, Chinese sheet names, percent and one-decimal formats, frozen headers, widths.
Every string is written as text, so a cell starting with = + - @ from a return never runs as a formula.
Every sheet names its month and rules file, above its chart and at the top of each printed page.
"""
import io
from typing import NamedTuple

import pandas as pd
import xlsxwriter

from analytics import hygiene, labels
from analytics.export_tables import print_setup, table_formats, write_table
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
    formats = {code: workbook.add_format({"num_format": code}) for code in (PERCENT, ONE_DECIMAL, TWO_DECIMALS)}
    caption = labels.SHEET_CAPTION.format(month=month_label(month), rules=summary.rules.label)
    bold = workbook.add_format({"bold": True})
    for key, (table, number_formats) in _sheets(summary, inspections, month).items():
        name, names = labels.SHEET_NAMES[key], _headings(key)
        sheet = workbook.add_worksheet(name)
        write_table(sheet, labels.headed(table, list(table.columns), names), header,
                    {labels.heading(c, names): formats[f] for c, f in number_formats.items()}, text)
        # Beside the table, above its chart: the table's own rows and the charts' references stay where they are.
        sheet.write_string(0, len(table.columns) + 1, caption, bold)
        print_setup(sheet, PRINTED_WIDTH, _print_header(caption, name))
        chart = _chart(workbook, key, table, month)
        if chart is not None:
            sheet.insert_chart(1, len(table.columns) + 1, chart, {"x_scale": 1.6, "y_scale": 1.4})
    workbook.close()
    return buffer.getvalue()


def _print_header(caption: str, sheet_name: str) -> str:
    """The printed page's header: the month and rules on the left, the sheet on the right ("&" doubled, as Excel
    reads a single one as a code)."""
    return f"&L{caption.replace('&', '&&')}&R{sheet_name.replace('&', '&&')}"


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


def _chart(workbook, key: str, table: pd.DataFrame, month: str):
    """The sheet's native chart, its series referring to the sheet's own cells (editable)."""
    rows, spec, name = len(table), SHEET_CHARTS.get(key), labels.SHEET_NAMES[key]
    if rows == 0 or spec is None:
        return None
    chart = workbook.add_chart({"type": spec.kind})
    c, k = table.columns.get_loc(spec.values), table.columns.get_loc(spec.categories)
    chart.add_series({"name": [name, 0, c], "categories": [name, 1, k, rows, k], "values": [name, 1, c, rows, c],
                      "fill": {"color": spec.color}, "line": {"color": spec.color, "width": 2.25},
                      **({"marker": {"type": "circle"}} if spec.kind == "line" else {})})
    if spec.kind == "bar":
        _bar_axes(chart, spec.axis)
    else:
        chart.set_y_axis(spec.axis)
    chart.set_title({"name": labels.SHEET_CHART_TITLES[key].format(month=month)})
    chart.set_legend({"none": True})
    chart.set_size({"width": 640, "height": max(320, 18 * rows + 120)})
    return chart


def _bar_axes(chart, value_axis: dict) -> None:
    """Axes of a horizontal bar chart: bars grow left to right, categories top-down in the sheet's order."""
    # In an xlsxwriter bar chart x is the VALUE axis (DEPENDENCY_NOTES.md xlsxwriter); reversing y lists the
    # categories top-down, and crossing at "max" keeps the value axis at the bottom instead of the top.
    chart.set_x_axis(value_axis)
    chart.set_y_axis({"reverse": True, "crossing": "max"})

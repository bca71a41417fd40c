"""The Excel summary (.xlsx) with native charts that stay editable in Excel and WPS.

One sheet per table, Chinese sheet names, percent and one-decimal formats, frozen headers, widths.
Every string is written as text, so a cell starting with = + - @ from a return never runs as a formula.
"""
import io

import pandas as pd
import xlsxwriter

from analytics import hygiene
from analytics.export_tables import write_table

PERCENT, ONE_DECIMAL, TWO_DECIMALS = "0.0%", "0.0", "0.00"


def _sheets(summary, inspections: pd.DataFrame, month: str) -> dict:
    """Sheet name → (table, {column: number format}), in the order they appear."""
    bureau = summary.bureau_months
    sections = summary.section_months[summary.section_months["month"] == month].sort_values("rank")
    areas = summary.areas[summary.areas["month"] == month]
    items = hygiene.item_fail_rates(inspections[inspections["month"] == month], ["month"])
    vetoes = summary.section_months[summary.section_months["veto_reasons"].map(bool)]
    annual = summary.annual
    return {
        "全局按月": (pd.DataFrame({
            "月份": bureau["month"], "应报": bureau["expected"], "已报": bureau["received"],
            "任务完成率": bureau["completion_rate"], "累计完成率": bureau["ytd_completion_rate"],
            "九无得分": bureau["nine_no_score"], "平均得分": bureau["mean_score"], "被否决科室": bureau["vetoed_sections"],
            "待核实事项": bureau["pending_vetoes"]}),
            {"任务完成率": PERCENT, "累计完成率": PERCENT, "九无得分": ONE_DECIMAL, "平均得分": ONE_DECIMAL}),
        "科室排名": (pd.DataFrame({
            "名次": sections["rank"], "科室": sections["section"], "是否报送": sections["submitted"].map({True: "是", False: "未报送"}),
            "计划数": sections["planned"], "计入完成": sections["achieved"], "超额": sections["over"],
            "任务完成率": sections["completion_rate"], "九无得分": sections["nine_no_score"], "加分": sections["bonus"],
            "得分": sections["score"], "一票否决": sections["veto"].map({True: "是", False: ""})}),
            {"任务完成率": PERCENT, "九无得分": ONE_DECIMAL, "得分": TWO_DECIMALS, "加分": ONE_DECIMAL}),
        "创建内容": (pd.DataFrame({"创建内容": areas["area"], "计划数": areas["planned"], "计入完成": areas["achieved"],
                               "超额": areas["over"], "完成率": areas["completion_rate"]}), {"完成率": PERCENT}),
        "九无项目": (pd.DataFrame({"项目": items["item"], "不达标次数": items["fails"], "适用次数": items["applicable"],
                               "不达标率": items["fail_rate"]}), {"不达标率": PERCENT}),
        "一票否决": (pd.DataFrame({"科室": vetoes["section"], "否决月份": vetoes["month"],
                               "原因": vetoes["veto_reasons"].map("；".join)}), {}),
        "年度考评": (pd.DataFrame({
            "名次": annual["rank"], "科室": annual["section"], "负责人": annual["head"], "年度得分": annual["annual_score"],
            "先进集体": annual["collective"].map({True: "候选", False: ""}),
            "先进个人": annual["individual"].map({True: "候选", False: ""}), "未入选原因": annual["reason"]}),
            {"年度得分": TWO_DECIMALS}),
    }


def summary_workbook(summary, inspections: pd.DataFrame, month: str) -> bytes:
    """The .xlsx bytes: six sheets, each with its native chart where one helps."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                            "nan_inf_to_errors": False})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
    formats = {code: workbook.add_format({"num_format": code}) for code in (PERCENT, ONE_DECIMAL, TWO_DECIMALS)}
    sheets = _sheets(summary, inspections, month)
    for name, (table, number_formats) in sheets.items():
        sheet = workbook.add_worksheet(name)
        write_table(sheet, table, header, {c: formats[f] for c, f in number_formats.items()})
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        chart = _chart(workbook, name, table, month)
        if chart is not None:
            sheet.insert_chart(1, len(table.columns) + 1, chart, {"x_scale": 1.6, "y_scale": 1.4})
    workbook.close()
    return buffer.getvalue()


def _chart(workbook, name: str, table: pd.DataFrame, month: str):
    """The sheet's native chart, its series referring to the sheet's own cells (editable)."""
    rows = len(table)
    if rows == 0:
        return None

    def series(chart, column: str, category: str, color: str, **extra):
        c, k = table.columns.get_loc(column), table.columns.get_loc(category)
        chart.add_series({"name": [name, 0, c], "categories": [name, 1, k, rows, k], "values": [name, 1, c, rows, c],
                          "fill": {"color": color}, "line": {"color": color, "width": 2.25}, **extra})

    if name == "全局按月":
        chart = workbook.add_chart({"type": "line"})
        series(chart, "任务完成率", "月份", "#1F4E79", marker={"type": "circle"})
        chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
        chart.set_title({"name": "全局任务完成率（按月）"})
    elif name == "科室排名":
        chart = workbook.add_chart({"type": "bar"})
        series(chart, "任务完成率", "科室", "#1F4E79")
        _bar_axes(chart, {"num_format": "0%", "min": 0, "max": 1})
        chart.set_title({"name": f"{month} 各科室任务完成率"})
    elif name == "创建内容":
        chart = workbook.add_chart({"type": "column"})
        series(chart, "完成率", "创建内容", "#1F4E79")
        chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
        chart.set_title({"name": f"{month} 七项创建内容完成率"})
    elif name == "九无项目":
        chart = workbook.add_chart({"type": "column"})
        series(chart, "不达标次数", "项目", "#C62828")
        chart.set_y_axis({"num_format": "0", "min": 0})
        chart.set_title({"name": f"{month} 九无项目不达标次数"})
    elif name == "年度考评":
        chart = workbook.add_chart({"type": "bar"})
        series(chart, "年度得分", "科室", "#2E7D32")
        _bar_axes(chart, {"num_format": "0", "min": 0, "max": 100})
        chart.set_title({"name": "年度考评得分"})
    else:
        return None
    chart.set_legend({"none": True})
    chart.set_size({"width": 640, "height": max(320, 18 * rows + 120)})
    return chart


def _bar_axes(chart, value_axis: dict) -> None:
    """Axes of a horizontal bar chart: bars grow left to right, categories top-down in the sheet's order."""
    # In an xlsxwriter bar chart x is the VALUE axis (DEPENDENCY_NOTES.md xlsxwriter); reversing y lists the
    # categories top-down, and crossing at "max" keeps the value axis at the bottom instead of the top.
    chart.set_x_axis(value_axis)
    chart.set_y_axis({"reverse": True, "crossing": "max"})

"""The blank monthly return a clerk sends to each section (xlsxwriter: dropdowns, widths, print setup).

A filled template loads without warnings: its headers are the contract's names and its blank rows
hold only a 序号, which the loader reads as blank.
"""
import io
import zipfile

import xlsxwriter

from analytics.intake import vocab
from analytics.intake.messages import TEMPLATE_MESSAGES
from analytics.intake.normalize import unique_file_names, xml_text
from analytics.periods import month_label

# Table kind → [(column, width, dropdown choices or a validation kind)], blank rows.
_MARKS = tuple(vocab.MARKS[mark][0] for mark in ("pass", "fail", "na"))
_COLUMNS = {
    "tasks": ([("seq", 6, None), ("area", 20, vocab.AREA_NAMES), ("task", 36, None), ("planned", 9, "count"),
               ("done", 9, "count"), ("deployed", 10, vocab.TEMPLATE_YES_NO), ("note", 30, None)], 30),
    "inspections": ([("seq", 6, None), ("date", 12, "date"), ("place", 16, None),
                     *[(item, 6, _MARKS) for item in vocab.NINE_ITEMS], ("inspector", 10, None), ("remark", 20, None)], 20),
    "events": ([("seq", 6, None), ("date", 12, "date"), ("category", 24, tuple(vocab.VETO_CATEGORIES)),
                ("description", 40, None), ("status", 10, tuple(vocab.STATUS_NAMES.values())), ("handling", 30, None)], 5),
    "bonus": ([("seq", 6, None), ("date", 12, "date"), ("category", 14, tuple(vocab.BONUS_CATEGORIES)),
               ("person", 12, None), ("note", 40, None)], 10),
}
# Sheet → (title, [(header, width, dropdown choices or a validation kind)], blank rows): headers are the contract's names.
LAYOUT = {vocab.TEMPLATE_SHEETS[kind][0]: (vocab.TEMPLATE_SHEETS[kind][1],
                                           [(vocab.COLUMNS[kind][name][0], width, rule) for name, width, rule in columns], rows)
          for kind, (columns, rows) in _COLUMNS.items()}
NOTES = TEMPLATE_MESSAGES["notes"]
FOOTER = vocab.TEMPLATE_FOOTER


def template_bytes(section: str, month: str) -> bytes:
    """The blank return for one section and month ("YYYY-MM") as .xlsx bytes."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    title = workbook.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    block = workbook.add_format({"font_size": 11})
    header = workbook.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                                  "text_wrap": True, "bg_color": "#DDEBF7"})
    cell = workbook.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
    centred = workbook.add_format({"border": 1, "align": "center", "valign": "vcenter"})
    date = workbook.add_format({"border": 1, "align": "center", "num_format": "yyyy-mm-dd"})
    for sheet_name, (heading, columns, blank_rows) in LAYOUT.items():
        sheet = workbook.add_worksheet(sheet_name)
        last = len(columns) - 1
        sheet.merge_range(0, 0, 0, last, TEMPLATE_MESSAGES["title"].format(year=month[:4], heading=heading), title)
        sheet.set_row(0, 30)
        sheet.write_string(1, 0, xml_text(TEMPLATE_MESSAGES["section"].format(section=section)), block)
        sheet.write_string(1, max(3, last - 2), TEMPLATE_MESSAGES["month"].format(month=month_label(month)), block)
        first, end = 3, 3 + blank_rows - 1
        for c, (name, width, rule) in enumerate(columns):
            sheet.set_column(c, c, width)
            sheet.write_string(2, c, name, header)
            if isinstance(rule, tuple):
                sheet.data_validation(first, c, end, c, {"validate": "list", "source": list(rule),
                                                          "error_message": TEMPLATE_MESSAGES["choose"]})
            elif rule == "count":
                sheet.data_validation(first, c, end, c, {"validate": "integer", "criteria": ">=", "value": 0,
                                                          "error_message": TEMPLATE_MESSAGES["count"]})
        for r in range(first, end + 1):
            sheet.write_number(r, 0, r - first + 1, centred)
            for c, (_, _, rule) in enumerate(columns[1:], start=1):
                sheet.write_blank(r, c, None, date if rule == "date" else centred if rule else cell)
        sheet.write_string(end + 2, 0, FOOTER[0])
        sheet.write_string(end + 2, 2, FOOTER[1])
        sheet.write_string(end + 2, max(3, last - 2), FOOTER[2])
        sheet.write_string(end + 3, 0, NOTES)
        sheet.freeze_panes(first, 0)
        sheet.set_row(2, 32)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(2)
        sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    workbook.close()
    return buffer.getvalue()


def template_file_names(sections, month: str) -> dict:
    """Section → the file (or zip member) name of its template for `month`, 预算科_2024年3月.xlsx: a name made
    safe (no folders, no .., nothing Windows refuses) and different from every other section's."""
    sections = list(sections)
    return dict(zip(sections, unique_file_names(sections, f"_{month_label(month)}.xlsx")))


def templates_zip(sections, month: str) -> bytes:
    """The blank returns of `sections` for `month`, one member each, as .zip bytes (the 设置 page's download)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for section, name in template_file_names(sections, month).items():
            bundle.writestr(name, template_bytes(section, month))
    return buffer.getvalue()

"""Tables as an .xlsx to send back to a section or hand round: text stays text (never a formula)."""
import io

import pandas as pd
import xlsxwriter

from analytics.intake.normalize import xml_text


def workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table: bold frozen header, widths from the content, every string written as text."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "nan_inf_to_errors": True})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    for name, frame in sheets.items():
        sheet = workbook.add_worksheet(xml_text(name)[:31])
        write_table(sheet, frame, header)
        sheet.autofilter(0, 0, max(len(frame), 1), max(len(frame.columns) - 1, 0))
    workbook.close()
    return buffer.getvalue()


def write_table(sheet, frame: pd.DataFrame, header, number_formats: dict | None = None) -> None:
    """A table from A1 with a frozen header. A string is always written as a string: a cell typed as
    "=SUM(...)", "+1", "-2" or "@x" on a return can never become a formula here; and only as XML can hold it."""
    for c, column in enumerate(frame.columns):
        values = frame[column].astype(object).where(frame[column].notna(), None).tolist()
        width = max([_width(column), *(_width(v) for v in values[:500])], default=6)
        sheet.set_column(c, c, min(50, width + 2), (number_formats or {}).get(column))
        sheet.write_string(0, c, xml_text(str(column)), header)
        for r, value in enumerate(values, start=1):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, xml_text(value))
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, xml_text(str(value)))
    sheet.freeze_panes(1, 0)


def _width(value) -> int:
    """Display width in Excel columns: a Chinese character takes two."""
    if isinstance(value, float):
        value = f"{value:.2f}"
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(value))

"""Tables as an .xlsx to send back to a section or hand round: text stays text (never a formula), and every sheet
prints on A4, one page wide, its header row repeated on every page."""
import datetime as dt
import io

import pandas as pd
import xlsxwriter

from analytics import labels
from analytics.intake.normalize import xml_text
from analytics.periods import month_label

A4 = 9                 # xlsxwriter's paper code
WIDEST = 40            # a column is never wider than this (Excel's units); longer text wraps inside it
PORTRAIT_WIDTH = 95    # columns wider than this in all print across a landscape page
LINE_HEIGHT = 16       # points: one line of text (a Chinese font sets lines a little apart)


def workbook_bytes(sheets: dict[str, pd.DataFrame], title: str = "") -> bytes:
    """One sheet per table: bold frozen header, widths from the content, long text wrapped, every string written
    as text, and the print setup of print_setup; `title` (print_title) heads every printed page, left of the
    sheet's name."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "nan_inf_to_errors": True})
    header, text = table_formats(workbook)
    for name, frame in sheets.items():
        sheet = workbook.add_worksheet(xml_text(name)[:31])
        widths = write_table(sheet, frame, header, text=text)
        sheet.autofilter(0, 0, max(len(frame), 1), max(len(frame.columns) - 1, 0))
        print_setup(sheet, sum(widths), page_header(title, sheet.name) if title else "")
    workbook.close()
    return buffer.getvalue()


def print_title(name: str, months=(), at: dt.datetime | None = None) -> str:
    """A download's printed title: what it is, the months it covers (first to last when more than three: a header
    holds 255 characters) and when it was made, now by default."""
    shown = [month_label(month) for month in sorted(set(months))]
    covered = labels.MONTH_RANGE.format(first=shown[0], last=shown[-1]) if len(shown) > 3 else labels.NAME_SEPARATOR.join(shown)
    parts = [name, covered, labels.MADE_AT.format(at=at or dt.datetime.now())]
    return labels.TITLE_SEPARATOR.join(part for part in parts if part)


def page_header(left: str, right: str) -> str:
    """A printed page's header (xlsxwriter header codes): `left` on the left, `right` on the right, "&" doubled
    as Excel reads a single one as a code."""
    return f"&L{left.replace('&', '&&')}&R{right.replace('&', '&&')}"


def table_formats(workbook) -> tuple:
    """The header row's format and the body's: wrapped, at the top of the cell, so a long 说明 grows downward."""
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
    return header, workbook.add_format({"text_wrap": True, "valign": "top"})


def print_setup(sheet, width: float, header: str = "") -> None:
    """A4, landscape when the columns are wider than a portrait page, one page wide (as many tall as it takes), the
    first row repeated on every page, page numbers in the footer; `header` (xlsxwriter header codes) at the top."""
    sheet.set_paper(A4)
    if width > PORTRAIT_WIDTH:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    if header:
        sheet.set_header(header)
    sheet.set_footer("&C&P / &N")


def write_table(sheet, frame: pd.DataFrame, header, number_formats: dict | None = None, text=None,
                widest: int = WIDEST) -> list[float]:
    """A table from A1 with a frozen header; returns the column widths. A string is always written as a string: a
    cell typed as "=SUM(...)", "+1", "-2" or "@x" on a return can never become a formula here; and only as XML can
    hold it. A column without a number format takes `text` (wrapping) and is at most `widest` wide; a row whose text
    wraps is made as tall as its lines (LibreOffice, unlike Excel, keeps a row one line tall otherwise)."""
    widths, lines = [], [1] * (len(frame) + 1)
    for c, column in enumerate(frame.columns):
        values = frame[column].astype(object).where(frame[column].notna(), None).tolist()
        width = min(widest, max([_width(column), *(_width(v) for v in values[:500])], default=6) + 2)
        widths.append(width)
        for r, value in enumerate([column, *values]):
            if isinstance(value, str) and _width(value) > width - 2:
                lines[r] = max(lines[r], -(-_width(value) // (width - 2)))
        sheet.set_column(c, c, width, (number_formats or {}).get(column, text))
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
    for r, count in enumerate(lines):
        if count > 1:
            sheet.set_row(r, LINE_HEIGHT * count)
    sheet.freeze_panes(1, 0)
    return widths


def _width(value) -> int:
    """Display width in Excel columns: a Chinese character takes two."""
    if isinstance(value, float):
        value = f"{value:.2f}"
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(value))

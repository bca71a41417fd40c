"""Open one workbook's bytes safely and return its sheets as grids.

Format is sniffed from the content, not the name (WPS often saves an .xlsx as .xls). Before calamine
allocates anything, each sheet's extent is bounded from above the way calamine will place its cells
(DEPENDENCY_NOTES.md: one far cell makes calamine abort the whole process; in an .xls it costs seconds and
a gigabyte) and inflated sizes are checked (zip bombs). The guards are fast and catch the known shapes with a
message naming the sheet; reader.py runs all of this in a worker process with memory and time limits, for
whatever shape they miss.
"""
import io
from dataclasses import dataclass, field

from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from analytics.intake.guards import Refused, check_ole, check_zip_container
from analytics.intake.limits import Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Sheet:
    name: str
    rows: list[list]                   # calamine values; rows[0] is the spreadsheet's row 1
    merges: list = field(default_factory=list)   # ((r0, c0), (r1, c1)), 0-based, inclusive
    hidden: bool = False
    unsaved_formulas: set = field(default_factory=set)  # (r0, c0) of formulas with no saved value


def read_sheets(data: bytes, limits: Limits) -> list[Sheet]:
    """All worksheets of a workbook, or Refused with the reason."""
    unsaved = {}
    if data[:2] == b"PK":
        unsaved = check_zip_container(data, limits)
    elif data[:8] == OLE_MAGIC:
        check_ole(data, limits)
    else:
        raise Refused("not-a-spreadsheet")
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            sheets.append(Sheet(meta.name, sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or [],
                                meta.visible != SheetVisibleEnum.Visible, unsaved.get(meta.name, set())))
        return sheets
    except (Refused, MemoryError):  # out of memory is the worker's to report (reader.py)
        raise
    except BaseException as error:  # calamine raises many kinds on broken files, a Rust panic among them
        if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
            raise
        raise Refused("unreadable", f"{type(error).__name__}: {str(error)[:80]}") from error

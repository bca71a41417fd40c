"""Open one workbook's bytes safely and return its sheets as grids.

Format is sniffed from the content, not the name (WPS often saves an .xlsx as .xls). Before calamine
allocates anything, the sheet's extent is checked (DEPENDENCY_NOTES.md: one cell at XFD1048576 makes
calamine abort the whole process; in an .xls it costs seconds and a gigabyte) and inflated sizes are
checked (zip bombs).
"""
import html
import io
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field

import olefile
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from analytics.normalize import column_letter
from analytics.settings import Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


class Refused(Exception):
    """The whole file cannot be read: an issue code, its value and message params."""

    def __init__(self, code: str, value: str | None = None, sheet: str | None = None, **params):
        super().__init__(code)
        self.code, self.value, self.sheet, self.params = code, value, sheet, params


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
        unsaved = _check_zip_container(data, limits)
    elif data[:8] == OLE_MAGIC:
        _check_ole(data, limits)
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
    except Refused:
        raise
    except Exception as error:  # calamine raises many kinds on broken files; none may escape
        raise Refused("unreadable", f"{type(error).__name__}: {str(error)[:80]}") from error


# BIFF records (.xls): the start of a sheet, a sheet's name, a password, and those that hold a cell.
_BOF, _BOUNDSHEET, _FILEPASS = 0x0809, 0x0085, 0x002F
_CELL_RECORDS = {0x0006, 0x00BD, 0x00BE, 0x00D6, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E}
_MULTI_CELL_RECORDS = {0x00BD, 0x00BE}  # MULRK, MULBLANK: the last column is the record's last two bytes


def _check_ole(data: bytes, limits: Limits) -> None:
    """An OLE file: an encrypted .xlsx, or an .xls whose records are walked for a password and the extent."""
    try:
        ole = olefile.OleFileIO(data)
        if ole.exists("EncryptedPackage"):
            raise Refused("encrypted")
        stream = next((ole.openstream(name).read() for name in ("Workbook", "Book") if ole.exists(name)), None)
    except (OSError, ValueError, struct.error):
        raise Refused("not-a-spreadsheet") from None
    if stream is None:
        raise Refused("not-a-spreadsheet")  # a Word .doc or another OLE file
    names, sheet, extent = [], -1, {}
    position = 0
    while position + 4 <= len(stream):
        record, length = struct.unpack_from("<HH", stream, position)
        body = stream[position + 4:position + 4 + length]
        position += 4 + length
        if record in _CELL_RECORDS and len(body) >= 4:
            row, column = struct.unpack_from("<HH", body)
            if record in _MULTI_CELL_RECORDS and len(body) >= 6:
                column = max(column, struct.unpack_from("<H", body, len(body) - 2)[0])
            rows, columns = extent.get(sheet, (0, 0))
            extent[sheet] = (max(rows, row + 1), max(columns, column + 1))
        elif record == _BOF:
            sheet += 1
        elif record == _BOUNDSHEET and len(body) >= 8:
            size, wide = body[6], body[7] & 1
            names.append(body[8:8 + size * (2 if wide else 1)].decode("utf-16-le" if wide else "latin-1", "replace"))
        elif record == _FILEPASS:
            raise Refused("encrypted")
    for index, (rows, columns) in extent.items():
        if rows > limits.max_sheet_rows or columns > limits.max_sheet_columns:
            raise Refused("sheet-too-large", f"{column_letter(columns - 1)}{rows}",
                          sheet=names[index - 1] if 0 < index <= len(names) else f"第{index}个工作表",
                          max_rows=limits.max_sheet_rows, max_columns=limits.max_sheet_columns)


def _check_zip_container(data: bytes, limits: Limits) -> dict[str, set]:
    """Check an .xlsx/.xlsm/.ods package; return unsaved formula cells per sheet name."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = set(package.namelist())
        unpacked = sum(info.file_size for info in package.infolist())
        if unpacked > limits.max_unpacked_bytes:
            raise Refused("unpacked-too-large", f"{unpacked / 2**20:.0f} MB", limit=f"{limits.max_unpacked_mb:g} MB")
        if "xl/workbook.xml" in names:
            return _check_xlsx(package, limits)
        if "mimetype" in names and package.read("mimetype").startswith(ODS_MIME):
            _check_ods(package, limits)
            return {}
    except (zipfile.BadZipFile, KeyError, ET.ParseError, EOFError, ValueError, NotImplementedError):
        pass
    raise Refused("not-a-spreadsheet")


_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})([0-9]{1,7})"')
# A reference beyond column Z or row 9999: rare in a return, so the exact extent is computed only then.
# A literal start keeps the scan fast; any attribute ending in r (sqr="AB1") only costs the exact path.
_FAR_REF = re.compile(rb'r="(?:[A-Z]{2,3}[0-9]|[A-Z][0-9]{5})')
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_SAVED_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')


def _sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part path → sheet name, from workbook.xml and its relationships."""
    targets = {}
    for element in _RELATIONSHIP.findall(package.read("xl/_rels/workbook.xml.rels")):
        attributes = dict(_ATTRIBUTE.findall(element))
        target = attributes.get(b"Target", b"").decode()
        targets[attributes.get(b"Id", b"").decode()] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    parts = {}
    for element in _SHEET_ENTRY.findall(package.read("xl/workbook.xml")):
        attributes = {key.split(b":")[-1]: value for key, value in _ATTRIBUTE.findall(element)}
        part = targets.get(attributes.get(b"id", b"").decode())
        if part:
            parts[part] = html.unescape(attributes.get(b"name", b"").decode())
    return parts


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_xlsx(package: zipfile.ZipFile, limits: Limits) -> dict[str, set]:
    unsaved, parts = {}, None
    for part in package.namelist():
        if not (part.startswith("xl/worksheets/") and part.endswith(".xml")):
            continue
        xml = package.read(part)
        has_formula = b"<f" in xml
        if _FAR_REF.search(xml):  # only then is the extent worth computing exactly
            rows = columns = 0
            for letters, row in _CELL_REF.findall(xml):
                rows = max(rows, int(row))
                columns = max(columns, _column_number(letters))
            if rows > limits.max_sheet_rows or columns > limits.max_sheet_columns:
                parts = parts or _sheet_parts(package)
                raise Refused("sheet-too-large", f"{column_letter(max(columns, 1) - 1)}{rows}", sheet=parts.get(part),
                              max_rows=limits.max_sheet_rows, max_columns=limits.max_sheet_columns)
        if has_formula and (cells := _unsaved_formula_cells(xml)):
            parts = parts or _sheet_parts(package)
            unsaved[parts.get(part)] = cells
    return unsaved


def _unsaved_formula_cells(xml: bytes) -> set:
    """Formula cells with no saved value: never opened and saved in Excel or WPS (calamine reads them as '')."""
    cells = set()
    for attributes, body in _CELL.findall(xml):
        if body and b"<f" in body and not _SAVED_VALUE.search(body) and (ref := _REF.search(b" " + attributes)):
            cells.add((int(ref.group(2)) - 1, _column_number(ref.group(1)) - 1))
    return cells


_ODS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE_VALUE_TYPE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"


def _check_ods(package: zipfile.ZipFile, limits: Limits) -> None:
    """Repeated rows and cells with content are expanded by calamine (empty repeats are not): count them."""
    with package.open("content.xml") as content:
        rows_seen = rows = columns = 0
        for _, element in ET.iterparse(content, events=("end",)):
            if element.tag == _ODS + "table-row":
                rows_seen += int(element.get(_ODS + "number-rows-repeated", 1))
                cells = list(element)
                filled = [i for i, cell in enumerate(cells) if cell.get(_OFFICE_VALUE_TYPE) or len(cell)]
                if filled:
                    width = sum(int(cell.get(_ODS + "number-columns-repeated", 1)) for cell in cells[:filled[-1] + 1])
                    columns = max(columns, width)
                    rows = rows_seen
                element.clear()
            elif element.tag == _ODS + "table":
                if rows > limits.max_sheet_rows or columns > limits.max_sheet_columns:
                    raise Refused("sheet-too-large", f"{column_letter(max(columns, 1) - 1)}{rows}",
                                  sheet=element.get(_ODS + "name"),
                                  max_rows=limits.max_sheet_rows, max_columns=limits.max_sheet_columns)
                rows_seen = rows = columns = 0

"""Extent guards: bound each sheet's extent from above before calamine allocates it, and refuse inflated packages.

calamine places cells as described in DEPENDENCY_NOTES.md: one far cell makes it abort the whole process (in an
.xls it costs seconds and a gigabyte). These checks walk the .xls records, the .xlsx XML and the .ods content the
way calamine will, fast, and raise Refused naming the sheet; workbook.py calls them before reading.
"""
import functools
import html
import io
import re
import string
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass
from operator import methodcaller

import olefile

from analytics.intake.limits import MB, Limits


def column_letter(index: int) -> str:
    """0-based column index → spreadsheet letters (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
FAR = 10**9  # a reference too long to be real: beyond any limit


class Refused(Exception):
    """The whole file cannot be read: an issue code, its value and message params."""

    def __init__(self, code: str, value: str | None = None, sheet: str | None = None, **params):
        super().__init__(code)
        self.code, self.value, self.sheet, self.params = code, value, sheet, params


def _too_large(extent: tuple[int, int], sheet: str | None, limits: Limits) -> Refused | None:
    rows, columns = extent
    if rows > limits.max_sheet_rows or columns > limits.max_sheet_columns:
        return Refused("sheet-too-large", f"{column_letter(max(columns, 1) - 1)}{rows}", sheet=sheet,
                       max_rows=limits.max_sheet_rows, max_columns=limits.max_sheet_columns)
    return None


# .xls ------------------------------------------------------------------------------------------------
# BIFF records: the start and end of a substream, a sheet's name and offset, a password, the declared
# extent (calamine reserves rows x columns cells from it), and those that hold a cell.
_BOF, _EOF, _BOUNDSHEET, _FILEPASS, _DIMENSIONS = 0x0809, 0x000A, 0x0085, 0x002F, 0x0200
_CELL_RECORDS = {0x0006, 0x00BD, 0x00BE, 0x00D6, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E}
_MULTI_CELL_RECORDS = {0x00BD, 0x00BE}  # MULRK, MULBLANK: the last column is the record's last two bytes


def _records(stream: bytes, position: int):
    """(type, body) of each BIFF record from `position` on, as calamine walks them."""
    while position + 4 <= len(stream):
        record, length = struct.unpack_from("<HH", stream, position)
        yield record, stream[position + 4:position + 4 + length]
        position += 4 + length


def check_ole(data: bytes, limits: Limits) -> None:
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
    sheets = []
    for record, body in _records(stream, 0):  # the workbook globals, up to their EOF
        if record == _FILEPASS:
            raise Refused("encrypted")
        if record == _BOUNDSHEET and len(body) >= 8:
            size, wide = body[6], body[7] & 1
            name = body[8:8 + size * (2 if wide else 1)].decode("utf-16-le" if wide else "latin-1", "replace")
            sheets.append((struct.unpack_from("<I", body)[0], name))
        elif record == _EOF:
            break
    for offset, name in sheets:
        # calamine reads each sheet from the offset its BOUNDSHEET gives, wherever that points.
        if offset >= len(stream):
            raise Refused("not-a-spreadsheet")
        if refused := _too_large(_xls_extent(stream, offset), name, limits):
            raise refused


def _xls_extent(stream: bytes, offset: int) -> tuple[int, int]:
    """(rows, columns) one sheet's substream reaches or declares; embedded substreams skipped, as calamine does."""
    rows = columns = depth = 0
    started = False
    for record, body in _records(stream, offset):
        if depth:
            depth += {_BOF: 1, _EOF: -1}.get(record, 0)
        elif record == _BOF:
            depth, started = (1, started) if started else (0, True)
        elif record == _EOF:
            break
        elif record == _DIMENSIONS and len(body) in (10, 14):
            first, last, first_column, last_column = struct.unpack_from("<HHHH" if len(body) == 10 else "<IIHH", body)
            if last >= 1 and last_column >= 1:  # as calamine's parse_dimensions, u32 wrap included
                first_column = 0 if first_column > 0xFF or last_column < first_column else first_column
                rows = max(rows, first + ((last - first) & 0xFFFFFFFF))
                columns = max(columns, first_column + ((last_column - first_column) & 0xFFFFFFFF))
        elif record in _CELL_RECORDS and len(body) >= 4:
            row, column = struct.unpack_from("<HH", body)
            if record in _MULTI_CELL_RECORDS and len(body) >= 6:
                column = max(column, struct.unpack_from("<H", body, len(body) - 2)[0])
            rows, columns = max(rows, row + 1), max(columns, column + 1)
    return rows, columns


# .xlsx -----------------------------------------------------------------------------------------------

def check_zip_container(data: bytes, limits: Limits) -> dict[str, set]:
    """Check an .xlsx/.xlsm/.ods package; return unsaved formula cells per sheet name."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in package.infolist())
        if unpacked > limits.max_unpacked_bytes:
            raise Refused("unpacked-too-large", f"{unpacked / MB:.0f} MB", limit=f"{limits.max_unpacked_mb:g} MB")
        members = _members(package)
        if (parts := _sheet_parts(package, members)) is not None:
            return _check_xlsx(package, parts, limits)
        if "mimetype" in members and package.read(members["mimetype"][-1]).startswith(ODS_MIME):
            _check_ods(package, limits)
            return {}
    except (zipfile.BadZipFile, zlib.error, KeyError, ET.ParseError, EOFError, ValueError, NotImplementedError, OSError):
        pass
    raise Refused("not-a-spreadsheet")


# calamine's XML reader matches local names (any prefix), takes either quote, allows '<' and '>' inside
# attribute values and white space around '='. Patterns that must not look inside a value skip it whole.
_VALUE = rb"""(?:"[^"]*+"|'[^']*+')"""
_TAG_BODY = rb"(?:[^>\"']++|" + _VALUE + rb")*+"
_ELEMENT = rb"<(?:[\w.-]+:)?%s(?=[\s/>])(" + _TAG_BODY + rb")>"
_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_RELATIONSHIP = re.compile(_ELEMENT % rb"Relationship")
_SHEET_ENTRY = re.compile(_ELEMENT % rb"sheet")
_CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")
_CELL_ATTRIBUTES = re.compile(_ELEMENT % rb"c")
# A cell tag with an r= of its own (outside any value): an undercount only sends a sheet down the slow path.
_CELL_WITH_REF = re.compile(rb"<(?:[\w.-]+:)?c(?=[\s/>])(?:[^>\"'\s]++|\s(?!r\s*=)|" + _VALUE
                            + rb")*+\sr\s*=\s*[\"'][A-Za-z]*[0-9]*[\"']")
_REF = re.compile(rb"\sr\s*=\s*[\"']([A-Za-z]*)([0-9]*)[\"']")
# Any r= anywhere (an overcount only raises the bound): its row without leading zeros, its column letters.
# "r(?<=\sr)": an attribute named r exactly (not operator= or firstPageNumber=), led by a literal for speed.
_ANY_REF = rb"r(?<=\sr)\s*=\s*[\"']"
_REF_ROW = re.compile(_ANY_REF + rb"[A-Za-z]*0*([0-9]{1,12})[0-9]*[\"']")
_REF_COLUMN = re.compile(_ANY_REF + rb"([A-Za-z]+)[0-9]*[\"']")
# calamine moves to the next row at each row end; a self-closing row is one too (it expands empty elements).
_ROW_END = re.compile(rb"</(?:[\w.-]+:)?row\s*>|<(?:[\w.-]+:)?row(?=[\s/>])(?:[^>\"'/]++|/(?!>)|" + _VALUE + rb")*+/>")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_SAVED_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
_CHUNK = 4 * MB  # a worksheet's XML is scanned this much at a time


def _attributes(body: bytes) -> dict[bytes, bytes]:
    """An element's attributes by local name (r:id → id), values as written."""
    return {key.split(b":")[-1]: double or single for key, double, single in _ATTRIBUTE.findall(body)}


def _members(package: zipfile.ZipFile) -> dict[str, list[zipfile.ZipInfo]]:
    """The package's members by the name calamine finds them by (case-insensitive, '/'), duplicates kept."""
    members = {}
    for info in package.infolist():
        members.setdefault(info.filename.replace("\\", "/").lower(), []).append(info)
    return members


def _sheet_parts(package: zipfile.ZipFile, members: dict) -> dict[zipfile.ZipInfo, str | None] | None:
    """Each worksheet part calamine may read → its sheet name; None when this is not a workbook package.

    Resolved as calamine does (the package's officeDocument, then its relationships), plus any part
    under a worksheets folder, so that no sheet goes unchecked whatever the paths say."""
    def read(name: str) -> bytes:
        return package.read(members[name.lower()][-1])

    base = "xl/"  # calamine's default, kept when the package has no relationships of its own
    if "_rels/.rels" in members:
        document = next((attributes.get(b"Target", b"").decode() for body in _RELATIONSHIP.findall(read("_rels/.rels"))
                         if (attributes := _attributes(body)).get(b"Type", b"").endswith(b"/officeDocument")), "")
        base = document.lstrip("/")[:document.lstrip("/").rfind("/") + 1].lower()
    if f"{base}workbook.xml" not in members:
        return None
    targets = {}
    if f"{base}_rels/workbook.xml.rels" in members:
        for body in _RELATIONSHIP.findall(read(f"{base}_rels/workbook.xml.rels")):
            attributes = _attributes(body)
            targets[attributes.get(b"Id", b"")] = attributes.get(b"Target", b"").decode("utf-8", "replace")
    parts = {}
    for body in _SHEET_ENTRY.findall(read(f"{base}workbook.xml")):
        attributes = _attributes(body)
        target = targets.get(attributes.get(b"id", b""), "")
        for path in {target, html.unescape(target)} - {""}:
            for info in members.get((path[1:] if path.startswith("/") else base + path).lower(), []):
                parts[info] = html.unescape(attributes.get(b"name", b"").decode("utf-8", "replace"))
    for name, infos in members.items():
        if "worksheets/" in name and name.endswith(".xml"):
            for info in infos:
                parts.setdefault(info, None)
    return parts


def _chunks(package: zipfile.ZipFile, info: zipfile.ZipInfo):
    """A part's XML in pieces of about _CHUNK bytes, each cut after a row end (else before a tag)."""
    if info.file_size <= _CHUNK:  # the normal sheet (zipfile reads no more than the size declared)
        yield package.read(info)
        return
    pending = b""
    with package.open(info) as stream:
        while block := stream.read(_CHUNK):
            pending += block
            cut = pending.rfind(b"</row>")
            cut = cut + 6 if cut >= 0 else pending.rfind(b"<")
            if cut <= 0 and len(pending) > 4 * _CHUNK:  # no tag ends in 16 MB: not a real tag, cut anyway
                cut = len(pending)
            if cut > 0:
                yield pending[:cut]
                pending = pending[cut:]
    if pending:
        yield pending


def _check_xlsx(package: zipfile.ZipFile, parts: dict, limits: Limits) -> dict[str, set]:
    unsaved = {}
    for info, sheet in parts.items():
        if cells := _check_worksheet(package, info, sheet, limits):
            unsaved[sheet] = cells
    return unsaved


def _check_worksheet(package: zipfile.ZipFile, info, sheet: str | None, limits: Limits) -> set:
    """Refuse a worksheet beyond the limits; return its unsaved formula cells. A first, quick look settles
    the normal sheet (every cell with r=, none beyond the limits); the extent is bounded only for the others."""
    beyond = _beyond(limits.max_sheet_rows, limits.max_sheet_columns)
    far = unplaced = False
    cells = set()
    for chunk in _chunks(package, info):
        far = far or bool(beyond.search(chunk))
        if not _all_placed(chunk):
            unplaced = True
            break
        if b"<f" in chunk:
            cells |= _unsaved_formula_cells(chunk)
    if far or unplaced:
        extent = _Extent(unplaced, beyond, limits.max_sheet_rows)
        for chunk in _chunks(package, info):
            extent.add(chunk)
            if refused := _too_large(extent.bound, sheet, limits):  # the bound only grows: stop at once
                raise refused
    return cells


def _cell_count(chunk: bytes) -> int:
    if b":c" in chunk:  # prefixed tags
        return len(_CELL_TAG.findall(chunk))
    return sum(chunk.count(b"<c" + end) for end in (b" ", b">", b"/", b"\t", b"\n", b"\r"))


def _all_placed(chunk: bytes) -> bool:
    """Whether every cell tag has an r= of its own: first in the form every writer uses, at C speed."""
    placed = chunk.count(b'<c r="')
    if b":c" not in chunk and chunk.count(b"<c") == placed:  # every "<c" is a placed cell (no <col> here)
        return True
    cells = _cell_count(chunk)
    return placed == cells or len(_CELL_WITH_REF.findall(chunk)) == cells


def _position(letters: bytes, digits: bytes) -> tuple[int, int]:
    """(row, column), 1-based, of an r= value as calamine reads it (letters either case); FAR if too long."""
    column = 0 if len(letters) <= 4 else FAR
    for letter in letters.upper() if column < FAR else b"":
        column = column * 26 + letter - 64
    return (int(digits) if len(digits) <= 9 else FAR) if digits else 0, column


@functools.lru_cache
def _beyond(max_rows: int, max_columns: int) -> re.Pattern:
    """Any r= (anywhere: an overcount only costs the slow path) beyond max_rows or max_columns, at C speed."""
    def above(limit: str, places: str, any_: str, first: str) -> str:
        # Longer is further (leading zeros aside); at the same length, greater at the first place that differs.
        def either(characters: str) -> str:  # letters in either case, as calamine reads them
            return "".join(c + c.lower() if c.isalpha() else c for c in characters)
        alternatives = [f"{first}{any_}{{{len(limit)},}}"]
        for i, place in enumerate(limit):
            if greater := places[places.index(place) + 1:]:
                same = "".join(f"[{either(c)}]" for c in limit[:i])
                alternatives.append(f"{same}[{either(greater)}]{any_}{{{len(limit) - i - 1}}}")
        return "|".join(alternatives)
    rows = above(str(max_rows), string.digits, "[0-9]", "[1-9]")
    columns = above(column_letter(max_columns - 1), string.ascii_uppercase, "[A-Za-z]", "[A-Za-z]")
    return re.compile(_ANY_REF + f"""(?:[A-Za-z]*0*(?:{rows})|(?:{columns})[0-9]*)["']""".encode())


def _furthest_column(letters: list[bytes]) -> int:
    """The furthest of column letters, at C speed: longer is further, then alphabetical (AA after Z)."""
    if not letters:
        return 0
    if max(map(len, letters)) > 4:
        return FAR
    return _position(max(map(methodcaller("rjust", 4), map(bytes.upper, letters))).lstrip(), b"")[1]


@dataclass
class _Extent:
    """An upper bound of the grid calamine allocates for one worksheet, updated as its XML streams.

    calamine places a cell at its r= if it has one; else at the current row (set by a row's r=, plus one at
    each row end) and the column after the previous cell (reset at each row end). So with every cell
    referenced the extent is the furthest reference; otherwise rows <= the furthest r= + the row ends, and
    columns <= the furthest cell column + the most cells between two row ends. That is exact for cells
    without any r=; where rows carry r= and their cells do not, rows are counted about twice (such a sheet is
    refused from half the row limit). Cells outside any row, which SpreadsheetML does not allow, may sit
    one row further; the worker's limits cover that."""
    unplaced: bool          # some cell has no r=
    beyond: re.Pattern      # _beyond(the limits)
    max_rows: int
    rows: int = 0           # the furthest row of an r=: of cells only, unless unplaced
    columns: int = 0        # the furthest column of an r=
    ends: int = 0           # row ends
    widest: int = 0         # the most cells between two row ends
    run: int = 0            # cells since the last row end

    def add(self, chunk: bytes) -> None:
        if not self.unplaced and not self.beyond.search(chunk):
            return  # every cell placed, none beyond the limits here
        # Every r= in the text, rows' too (an overcount, at C speed); but a far empty <row r=> (a row height
        # set far down) does not place any cell: with every cell referenced, only cells' r= count then.
        rows = max(map(int, _REF_ROW.findall(chunk)), default=0)
        if rows > self.max_rows and not self.unplaced:
            rows = max((_position(letters, digits)[0] for attributes in _CELL_ATTRIBUTES.findall(chunk)
                        for letters, digits in _REF.findall(attributes)), default=0)
        self.rows, self.columns = max(self.rows, rows), max(self.columns, _furthest_column(_REF_COLUMN.findall(chunk)))
        if self.unplaced:
            # Cells per row: every cell tag holds "<c" or, prefixed, ":c" (an overcount, at C speed).
            counts = [piece.count(b"<c") + piece.count(b":c") for piece in _ROW_END.split(chunk)]
            counts[0] += self.run
            self.widest, self.run, self.ends = max(self.widest, *counts), counts[-1], self.ends + len(counts) - 1

    @property
    def bound(self) -> tuple[int, int]:
        return (self.rows + self.ends, self.columns + self.widest) if self.unplaced else (self.rows, self.columns)


def _unsaved_formula_cells(xml: bytes) -> set:
    """Formula cells with no saved value: never opened and saved in Excel or WPS (calamine reads them as '')."""
    cells = set()
    for attributes, body in _CELL.findall(xml):
        if body and b"<f" in body and not _SAVED_VALUE.search(body) and (ref := _REF.search(b" " + attributes)):
            row, column = _position(ref.group(1), ref.group(2))
            if row and column:
                cells.add((row - 1, column - 1))
    return cells


# .ods ------------------------------------------------------------------------------------------------
_ODS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE_VALUE_TYPE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"


def _check_ods(package: zipfile.ZipFile, limits: Limits) -> None:
    """Repeated rows and cells with content (a value, text or a formula) are expanded by calamine (empty
    repeats are not): count them, table by table (a table inside a cell is not part of the outer one)."""
    with package.open("content.xml") as content:
        tables = []  # per open table: [name, rows seen, rows, columns]
        for event, element in ET.iterparse(content, events=("start", "end")):
            if element.tag == _ODS + "table":
                if event == "start":
                    tables.append([element.get(_ODS + "name"), 0, 0, 0])
                elif tables:
                    name, _, rows, columns = tables.pop()
                    if refused := _too_large((rows, columns), name, limits):
                        raise refused
            elif event == "end" and element.tag == _ODS + "table-row" and tables:
                table = tables[-1]
                table[1] += int(element.get(_ODS + "number-rows-repeated", 1))
                cells = list(element)
                filled = [i for i, cell in enumerate(cells)
                          if cell.get(_OFFICE_VALUE_TYPE) or cell.get(_ODS + "formula") or len(cell)]
                if filled:
                    width = sum(int(cell.get(_ODS + "number-columns-repeated", 1)) for cell in cells[:filled[-1] + 1])
                    table[2], table[3] = table[1], max(table[3], width)
                element.clear()

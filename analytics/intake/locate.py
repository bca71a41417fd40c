"""Find a sheet's table by its headers and its header block (填报单位, 报表月份) above it.

Grid in, positions out: which kind of table, which column holds which field, which rows are data,
totals or the footer. Values are left as typed; normalize.py reads them.
"""
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from analytics.intake import vocab
from analytics.intake.normalize import header_key, is_blank, text, value_key
from analytics.intake.workbook import Sheet

_ALIASES = {kind: {header_key(alias): name for name, aliases in columns.items() for alias in aliases}
            for kind, columns in vocab.COLUMNS.items()}
_KIND_MARKERS = {kind: {header_key(m) for m in markers} for kind, markers in vocab.KIND_MARKERS.items()}
_ITEM_HEADERS = {header_key(a) for aliases in vocab.NINE_ITEMS.values() for a in aliases}
_GROUP_LABELS = {header_key(label) for label in vocab.GROUP_LABELS}
_TOTALS = set(vocab.TOTAL_WORDS)
_FOOTER = re.compile("^(?:" + "|".join(vocab.FOOTER_PREFIXES) + "):")
_NOTHING = {value_key(word) for word in vocab.NOTHING_TO_REPORT}
_BLOCK_LABEL = re.compile(
    "(" + "|".join(vocab.SECTION_LABELS + vocab.MONTH_LABELS + vocab.OTHER_BLOCK_LABELS) + r")(?:\([^)]*\))?(?:\s*:|\s+|$)")
# Fields whose content makes a row filled, per table kind (RETURN_FORMAT.md "How headers and rows are read").
_FILLING = {
    "tasks": ("task", "planned", "done"),
    "inspections": tuple(vocab.NINE_ITEMS),
    "events": ("date", "category", "description", "status", "handling"),
    "bonus": ("date", "category", "person", "note"),
}


@dataclass
class BlockValue:
    label: str        # "section" or "month"
    value: object     # as typed (text, or a date cell)
    row: int          # 1-based
    column: int       # 0-based


class TotalsRow(NamedTuple):
    """A 合计 / 小计 row of a table: never counted, compared with the rows above it."""
    row: int          # 1-based
    cells: list
    above: int        # how many filled rows the table had read before it
    subtotal: bool    # 小计 (sums the rows since the last total or subtotal)


@dataclass
class Table:
    sheet: str
    kind: str
    header_row: int                               # 1-based row of the (last) header row
    columns: dict[str, int]                       # field → 0-based column
    rows: list[tuple[int, list]] = field(default_factory=list)     # (1-based row, cells) of filled rows
    totals: list[TotalsRow] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [vocab.CONTRACT_NAMES_BY_TABLE[self.kind][name]
                for name in vocab.REQUIRED[self.kind] if name not in self.columns]


class FoundTable(NamedTuple):
    """A table of the batch, by its position in the loader's registry (the combined frames' table_id)."""
    file_id: int      # the file's position in the batch
    sheet: Sheet
    table: Table


def _kind_of(keys: list[str]) -> str | None:
    present = set(keys)
    if present & _KIND_MARKERS["tasks"]:
        return "tasks"
    if len(present & _ITEM_HEADERS) >= vocab.MIN_NINE_ITEMS:
        return "inspections"
    for kind in ("events", "bonus"):
        if present & _KIND_MARKERS[kind]:
            return kind
    return None


def _merged_top_left(sheet: Sheet, row: int, column: int):
    for (r0, c0), (r1, c1) in sheet.merges:
        if r0 < row <= r1 and c0 <= column <= c1:
            return sheet.rows[r0][c0]
    return None


def find_table(sheet: Sheet, search_rows: int) -> Table | None:
    """The first header row within `search_rows` rows, its columns, and the data rows below it."""
    for index, row in enumerate(sheet.rows[:search_rows]):
        keys = [header_key(cell) for cell in row]
        kind = _kind_of(keys)
        if kind:
            break
    else:
        return None
    aliases = _ALIASES[kind]
    above = sheet.rows[index - 1] if index else []
    grouped = index > 0 and any(header_key(cell) in _GROUP_LABELS for cell in above)
    columns = {}
    for column, key in enumerate(keys):
        if not key:  # a two-row header: the name sits in a merged cell above, or above a grouped row
            upper = _merged_top_left(sheet, index, column)
            if upper is None and grouped and column < len(above):
                upper = above[column]
            key = header_key(upper) if upper is not None else ""
        if key in aliases and aliases[key] not in columns:
            columns[aliases[key]] = column
    table = Table(sheet.name, kind, index + 1, columns)
    _read_rows(sheet.rows[index + 1:], index + 2, table)
    return table


def _spaces(value) -> bool:
    return value is None or (isinstance(value, str) and value.isspace())


def _read_rows(rows: list[list], first_row: int, table: Table) -> None:
    unit = table.columns.get("unit")
    filling = [table.columns[name] for name in _FILLING[table.kind] if name in table.columns]
    for number, cells in enumerate(rows, start=first_row):
        # Inline blank tests: this loop runs for every row of every return.
        first = next((c for i, c in enumerate(cells) if c != "" and i != unit and not _spaces(c)), "")
        first = value_key(first) if isinstance(first, str) else ""  # totals and footers are text
        if _FOOTER.match(first):
            break
        if first in _TOTALS:
            table.totals.append(TotalsRow(number, cells, len(table.rows), first in vocab.SUBTOTAL_WORDS))
            continue
        values = [cells[i] for i in filling if i < len(cells) and cells[i] != "" and not _spaces(cells[i])]
        if not values or (table.kind == "events" and all(value_key(v) in _NOTHING for v in values)):
            continue
        table.rows.append((number, cells))


def header_block(sheet: Sheet, above_row: int) -> list[BlockValue]:
    """填报单位 and 报表月份 values in the rows above a table: after the colon, or in the next non-empty cell."""
    found = []
    for r, row in enumerate(sheet.rows[:above_row]):
        for c, cell in enumerate(row):
            if not isinstance(cell, str) or not any(mark in cell for mark in vocab.BLOCK_LABEL_MARKS):
                continue
            cell_text = text(cell)
            matches = list(_BLOCK_LABEL.finditer(cell_text))
            for n, match in enumerate(matches):
                label = match.group(1)
                if label in vocab.OTHER_BLOCK_LABELS:
                    continue
                end = matches[n + 1].start() if n + 1 < len(matches) else len(cell_text)
                value = cell_text[match.end():end].strip()
                if not value and n + 1 == len(matches):
                    value = next((v for v in row[c + 1:] if not is_blank(v)), "")
                    if isinstance(value, str) and _BLOCK_LABEL.match(text(value)):
                        value = ""
                kind = "section" if label in vocab.SECTION_LABELS else "month"
                if not is_blank(value):
                    found.append(BlockValue(kind, value, r + 1, c))
    return found

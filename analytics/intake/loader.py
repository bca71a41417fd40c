"""Load a batch of monthly returns into tidy tables, or say exactly what to fix (RETURN_FORMAT.md).

Per file: open safely, find the tables, resolve section and month. Then, over the combined rows of
the whole batch at once: carry areas and units down, parse every value, check, and keep only the
records of files without errors (a file with any error imports nothing).
"""
import hashlib
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics.intake import vocab
from analytics.intake.checks import CHECKS
from analytics.intake.guards import Refused, column_letter
from analytics.intake.issues import FileReport
from analytics.intake.limits import DEFAULT_LIMITS, Limits
from analytics.intake.locate import FoundTable, Table, find_table, header_block
from analytics.intake.messages import VALUE_PARTS
from analytics.intake.normalize import display_text, is_blank, months_in_file_name, parse_month, text
from analytics.intake.reader import read_workbooks
from analytics.intake.roster import Roster
from analytics.intake.sources import Member, collect, from_bytes
from analytics.intake.workbook import Sheet
from analytics.periods import month_label
from analytics.records import COLUMNS, Records, empty, typed


@dataclass
class LoadResult(Records):
    """The batch's records (returns: section, month, source_file per imported return) and every file's report."""
    reports: list[FileReport] = field(default_factory=list)
    record_reports: dict = field(default_factory=dict)  # kind → the index in `reports` of each record's file
    digests: list[str] = field(default_factory=list)    # load_uploaded: each upload's sha256, the file's identity

    @property
    def rejected(self) -> list[FileReport]:
        return [r for r in self.reports if r.status == "rejected"]


@dataclass
class _FileRead:
    report: FileReport
    month: str | None = None
    section: str | None = None                    # from the header block or file name (layout A)
    tables: list[tuple[Sheet, Table]] = field(default_factory=list)


def load_returns(paths, roster: Roster, limits: Limits = DEFAULT_LIMITS) -> LoadResult:
    """Load returns from files, folders (recursively) and zips."""
    return load_members(collect(paths, limits), roster, limits)


def load_uploaded(files: list[tuple[str, bytes]], roster: Roster, limits: Limits = DEFAULT_LIMITS,
                  progress=None, only_section: str | None = None) -> LoadResult:
    """Load uploaded files given as (name, bytes); zips among them are opened. With `only_section` (a section
    account's upload), a file holding any other section's return is rejected whole."""
    members = []
    for upload, (name, data) in enumerate(files):
        for member in from_bytes(name, data, limits):
            member.upload = upload
            members.append(member)
    result = load_members(members, roster, limits, progress, only_section)
    result.digests = [hashlib.sha256(data).hexdigest() for _, data in files]
    return result


def load_members(members: list[Member], roster: Roster, limits: Limits = DEFAULT_LIMITS, progress=None,
                 only_section: str | None = None) -> LoadResult:
    """`progress(done, total)`, if given, is called after each file is read."""
    reads = []
    # The batch's workbooks go to the reading process at once; their sheets come back one by one (reader.py).
    with closing(read_workbooks([member.data for member in members if not member.refused], limits)) as outcomes:
        for member in members:
            reads.append(_read_member(member, member.refused or next(outcomes), roster, limits))
            if progress:
                progress(len(reads), len(members))
    registry = [FoundTable(file_id, sheet, table) for file_id, read in enumerate(reads) for sheet, table in read.tables]
    issues = []
    frames = {}
    for kind, check in CHECKS.items():
        raw = _raw_frame(kind, reads, registry)
        frames[kind] = check(raw, roster, registry, issues) if len(raw) else raw
    for file_id, issue in issues:
        reads[file_id].report.issues.append(issue)
    reports = [read.report for read in reads]
    for read in reads:  # in the order a clerk reads the workbook: sheet by sheet, row by row
        order = {sheet.name: n for n, (sheet, _) in enumerate(read.tables)}
        read.report.issues.sort(key=lambda i: (order.get(i.sheet, -1), i.row or 0, len(i.cell or ""), i.cell or ""))
    _sections_of_layout_b(reads, frames)
    if only_section is not None:
        _only_own_section(reports, only_section)
    _reject_copies(reports, [member.data for member in members])
    _reject_duplicates(reports, reads)
    clean = {file_id for file_id, report in enumerate(reports) if not report.errors}
    tidy = {kind: _tidy(kind, frames[kind], clean, reports, registry) for kind in COLUMNS}
    record_reports = {kind: frames[kind]["file_id"].to_numpy()[frames[kind]["file_id"].isin(clean).to_numpy()]
                      if len(frames[kind]) else np.zeros(0, dtype=np.int64) for kind in COLUMNS}
    returns = pd.DataFrame([(section, month, report.file) for report in reports if report.status == "imported"
                            for section in report.sections for month in report.months],
                           columns=["section", "month", "source_file"])
    return LoadResult(**tidy, returns=returns, reports=reports, record_reports=record_reports)


# Per file ---------------------------------------------------------------------------------------

def _read_member(member: Member, sheets: list[Sheet] | Refused, roster: Roster, limits: Limits) -> _FileRead:
    read = _FileRead(FileReport(member.name, upload=member.upload))
    report = read.report
    if isinstance(sheets, Refused):
        report.add(sheets.code, sheet=sheets.sheet, value=sheets.value, params=sheets.params)
        return read
    blocks = []
    for sheet in sheets:
        if sheet.hidden:
            if _has_content(sheet):
                report.add("hidden-sheet", sheet=sheet.name)
            continue
        table = find_table(sheet, limits.header_search_rows)
        if table is None:
            if _has_content(sheet):
                report.add("no-header", sheet=sheet.name, params={"limit": limits.header_search_rows})
            continue
        if table.missing:
            report.add("missing-columns", sheet=sheet.name, row=table.header_row, value=VALUE_PARTS["list"].join(table.missing))
        read.tables.append((sheet, table))
        blocks.extend((sheet.name, block) for block in header_block(sheet, table.header_row - 1))
    if not any(table.kind == "tasks" for _, table in read.tables):
        report.add("no-tasks-table", params={"limit": limits.header_search_rows})
    read.month = _resolve_month(member.stem, blocks, report)
    if read.month:
        report.months = [read.month]
    if any("unit" not in table.columns for _, table in read.tables):
        layout_b = any("unit" in table.columns for _, table in read.tables)
        read.section = _resolve_section(member.stem, blocks, roster, report, use_file_name=not layout_b)
        if read.section:
            report.sections = [read.section]
    return read


def _has_content(sheet: Sheet) -> bool:
    return any(not is_blank(cell) for row in sheet.rows for cell in row)


def _resolve(kind: str, workbook: dict, file_value, stem: str, report: FileReport, show) -> str | None:
    """One value from the workbook's sheets and the file name; any disagreement is an error naming both."""
    if len(workbook) > 1:
        report.add(f"{kind}-conflict", value=VALUE_PARTS["conflicts"].join(
            VALUE_PARTS["in-sheet"].format(sheet=sheet, value=show(v)) for v, sheet in workbook.items()))
        return None
    if workbook and file_value and file_value not in workbook:
        (value, sheet), = workbook.items()
        report.add(f"{kind}-conflict", value=VALUE_PARTS["conflicts"].join((
            VALUE_PARTS["in-sheet"].format(sheet=sheet, value=show(value)),
            VALUE_PARTS["in-file-name"].format(stem=stem, value=show(file_value)))))
        return None
    return next(iter(workbook), file_value)


def _resolve_month(stem: str, blocks, report: FileReport) -> str | None:
    workbook, unreadable = {}, False
    for sheet, block in blocks:
        if block.label == "month":
            month = parse_month(block.value)
            if month:
                workbook.setdefault(month, sheet)
            else:
                unreadable = True
                report.add("bad-month", sheet=sheet, row=block.row, column=vocab.MONTH_LABELS[0], value=text(block.value),
                           cell=f"{column_letter(block.column)}{block.row}")
    in_name = months_in_file_name(stem)
    month = _resolve("month", workbook, next(iter(in_name)) if len(in_name) == 1 else None, stem, report, month_label)
    if month is None and not workbook and not unreadable:
        report.add("no-month")
    return month


def _resolve_section(stem: str, blocks, roster: Roster, report: FileReport, use_file_name: bool) -> str | None:
    workbook, unknown = {}, set()
    for sheet, block in blocks:
        if block.label == "section":
            section = roster.match(block.value)
            if section:
                workbook.setdefault(section, sheet)
            elif text(block.value) not in unknown:
                unknown.add(text(block.value))
                report.add("unknown-section", sheet=sheet, row=block.row, column=vocab.SECTION_LABELS[0], value=text(block.value),
                           cell=f"{column_letter(block.column)}{block.row}")
    in_name = roster.sections_named_in(stem) if use_file_name else set()
    section = _resolve("section", workbook, next(iter(in_name)) if len(in_name) == 1 else None, stem, report, str)
    if section is None and not workbook and not unknown:
        report.add("no-section")
    return section


# Combined over the batch -------------------------------------------------------------------------

def _raw_frame(kind: str, reads: list[_FileRead], registry: list[FoundTable]) -> pd.DataFrame:
    """Every filled row of every table of `kind`, cells as typed, with where it came from (built by column)."""
    fields = list(vocab.COLUMNS[kind])
    columns = {name: [] for name in [*fields, "file_id", "table_id", "pos", "row", "month", "section", "has_unit",
                                     "unsaved"]}
    for table_id, (file_id, sheet, table) in enumerate(registry):
        if table.kind != kind:
            continue
        read, count = reads[file_id], len(table.rows)
        for name in fields:
            i = table.columns.get(name)
            columns[name].extend(_column(table.rows, i) if i is not None else [""] * count)
        rows = [row for row, _ in table.rows]
        columns["row"].extend(rows)
        columns["pos"].extend(range(count))
        for name, value in (("file_id", file_id), ("table_id", table_id), ("month", read.month),
                            ("section", read.section), ("has_unit", "unit" in table.columns)):
            columns[name].extend([value] * count)
        columns["unsaved"].extend([{name for name, i in table.columns.items() if (row - 1, i) in sheet.unsaved_formulas}
                                   for row in rows] if sheet.unsaved_formulas else [None] * count)
    typed = {"file_id": "int64", "table_id": "int64", "pos": "int64", "row": "int64", "has_unit": "bool"}
    # Cells stay objects, as typed (mixed text, numbers, dates), to be parsed per distinct value.
    return pd.DataFrame({name: _objects(values) if name not in typed else np.array(values, dtype=typed[name])
                         for name, values in columns.items()})


def _column(rows: list[tuple[int, list]], i: int) -> list:
    """Column `i` of a table's rows ("" past a short row's end), TRUE / FALSE cells as the text Excel shows:
    Python's True == 1 would otherwise make it one value with a number 1 of another file when values are parsed
    once per distinct value (the verdict would depend on the batch)."""
    values = [cells[i] if i < len(cells) else "" for _, cells in rows]
    if bool in set(map(type, values)):  # rare: only then a second pass, cell by cell
        values = [("TRUE" if value else "FALSE") if type(value) is bool else value for value in values]
    return values


def _objects(values: list) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _sections_of_layout_b(reads: list[_FileRead], frames: dict) -> None:
    for frame in frames.values():
        if not len(frame) or not frame["has_unit"].any():
            continue
        units = frame[frame["has_unit"] & frame["section"].notna()]
        for file_id, sections in units.groupby("file_id")["section"]:
            report = reads[file_id].report
            report.sections = sorted(set(report.sections) | set(sections))


def _only_own_section(reports: list[FileReport], own: str) -> None:
    """A section account's batch: a return of any other section is rejected, and with it every return that came in
    the same uploaded file (a zip), so no upload is kept that holds another section's return."""
    foreign = set()
    for report in reports:
        if others := [section for section in report.sections if section != own]:
            report.add("not-own-section", value=VALUE_PARTS["list"].join(others), params={"own": own})
            foreign.add(report.upload)
    for report in reports:
        if report.upload in foreign and report.upload is not None and not report.errors:
            report.add("not-own-upload", params={"own": own})


def _reject_copies(reports: list[FileReport], data: list[bytes | None]) -> None:
    """The same bytes twice in a batch (one file picked from two folders) are one return: the first copy is checked as
    any file, each later one refused naming it, so its rows count once and it never conflicts with itself."""
    first = {}
    for file_id, report in enumerate(reports):
        earlier = first.setdefault(data[file_id], file_id) if data[file_id] is not None else file_id
        if earlier != file_id and not report.errors:
            report.add("same-file", params={"other": reports[earlier].file})


def _reject_duplicates(reports: list[FileReport], reads: list[_FileRead]) -> None:
    """Two good files for one section and month: both are rejected, each naming the other."""
    claims = defaultdict(list)
    for file_id, report in enumerate(reports):
        if not report.errors:
            for section in report.sections:
                claims[(section, reads[file_id].month)].append(file_id)
    for (section, month), file_ids in claims.items():
        if len(file_ids) > 1:
            for file_id in file_ids:
                others = VALUE_PARTS["others"].join(reports[other].file for other in file_ids if other != file_id)
                reports[file_id].add("duplicate-return", value=f"{section} {month_label(month)}", params={"other": others})


_TEXT_COLUMNS = ("task", "note", "place", "inspector", "remark", "description", "handling", "person")


def _tidy(kind: str, frame: pd.DataFrame, clean: set, reports: list[FileReport], registry: list[FoundTable]) -> pd.DataFrame:
    """The records of files without errors, in the output columns, built once from arrays."""
    if not len(frame):
        return empty(kind)
    kept = np.flatnonzero(frame["file_id"].isin(clean).to_numpy())
    data = {name: frame[name].to_numpy()[kept] for name in COLUMNS[kind]}
    for name in _TEXT_COLUMNS:
        if name in data:
            cleaned = {value: display_text(value) for value in set(data[name])}
            data[name] = _objects([cleaned[value] for value in data[name]])
    data["source_file"] = _objects([reports[i].file for i in frame["file_id"].to_numpy()[kept]])
    data["source_sheet"] = _objects([registry[i].sheet.name for i in frame["table_id"].to_numpy()[kept]])
    data["source_row"] = frame["row"].to_numpy()[kept]
    return typed(pd.DataFrame(data))

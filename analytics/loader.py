"""Load a batch of monthly returns into tidy tables, or say exactly what to fix (RETURN_FORMAT.md).

Per file: open safely, find the tables, resolve section and month. Then, over the combined rows of
the whole batch at once: carry areas and units down, parse every value, check, and keep only the
records of files without errors (a file with any error imports nothing).
"""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics import vocab
from analytics.issues import FileReport, Issue
from analytics.locate import Table, find_table, header_block
from analytics.normalize import (column_letter, is_blank, month_label, months_in_file_name, parse_area, parse_bonus_category,
                                 parse_count, parse_date, parse_mark, parse_month, parse_status,
                                 parse_unique, parse_veto_category, parse_yes_no, text)
from analytics.roster import Roster
from analytics.settings import DEFAULT_LIMITS, Limits
from analytics.sources import Member, collect, from_bytes
from analytics.workbook import Refused, Sheet, read_sheets

SOURCE_COLUMNS = ["source_file", "source_sheet", "source_row"]
OUTPUT_COLUMNS = {
    "tasks": ["section", "month", "area", "task", "planned", "done", "deployed", "note"],
    "inspections": ["section", "month", "date", "place", *vocab.NINE_ITEMS, "inspector", "remark"],
    "events": ["section", "month", "date", "category", "description", "status", "handling"],
    "bonus": ["section", "month", "date", "category", "person", "note"],
}


@dataclass
class LoadResult:
    tasks: pd.DataFrame
    inspections: pd.DataFrame
    events: pd.DataFrame
    bonus: pd.DataFrame
    reports: list[FileReport]

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


def load_uploaded(files: list[tuple[str, bytes]], roster: Roster, limits: Limits = DEFAULT_LIMITS) -> LoadResult:
    """Load uploaded files given as (name, bytes); zips among them are opened."""
    return load_members([member for name, data in files for member in from_bytes(name, data, limits)], roster, limits)


def load_members(members: list[Member], roster: Roster, limits: Limits = DEFAULT_LIMITS) -> LoadResult:
    reads = [_read_member(member, roster, limits) for member in members]
    registry = [(file_id, sheet, table) for file_id, read in enumerate(reads) for sheet, table in read.tables]
    issues = []
    frames = {}
    for kind, check in _CHECKS.items():
        raw = _raw_frame(kind, reads, registry)
        frames[kind] = check(raw, roster, registry, issues) if len(raw) else raw
    for file_id, issue in issues:
        reads[file_id].report.issues.append(issue)
    reports = [read.report for read in reads]
    for read in reads:  # in the order a clerk reads the workbook: sheet by sheet, row by row
        order = {sheet.name: n for n, (sheet, _) in enumerate(read.tables)}
        read.report.issues.sort(key=lambda i: (order.get(i.sheet, -1), i.row or 0, len(i.cell or ""), i.cell or ""))
    _sections_of_layout_b(reads, frames)
    _reject_duplicates(reports, reads)
    clean = {file_id for file_id, report in enumerate(reports) if not report.errors}
    tidy = {kind: _tidy(kind, frames[kind], clean, reports, registry) for kind in OUTPUT_COLUMNS}
    return LoadResult(**tidy, reports=reports)


# Per file ---------------------------------------------------------------------------------------

def _read_member(member: Member, roster: Roster, limits: Limits) -> _FileRead:
    read = _FileRead(FileReport(member.name))
    report = read.report
    try:
        if member.refused:
            raise member.refused
        sheets = read_sheets(member.data, limits)
    except Refused as refused:
        report.add(refused.code, sheet=refused.sheet, value=refused.value, params=refused.params)
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
            report.add("missing-columns", sheet=sheet.name, row=table.header_row, value="、".join(table.missing))
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
        report.add(f"{kind}-conflict", value="，".join(f"工作表「{sheet}」为「{show(v)}」" for v, sheet in workbook.items()))
        return None
    if workbook and file_value and file_value not in workbook:
        (value, sheet), = workbook.items()
        report.add(f"{kind}-conflict", value=f"工作表「{sheet}」为「{show(value)}」，文件名「{stem}」为「{show(file_value)}」")
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
                report.add("bad-month", sheet=sheet, row=block.row, column="报表月份", value=text(block.value),
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
                report.add("unknown-section", sheet=sheet, row=block.row, column="填报单位", value=text(block.value),
                           cell=f"{column_letter(block.column)}{block.row}")
    in_name = roster.sections_named_in(stem) if use_file_name else set()
    section = _resolve("section", workbook, next(iter(in_name)) if len(in_name) == 1 else None, stem, report, str)
    if section is None and not workbook and not unknown:
        report.add("no-section")
    return section


# Combined over the batch -------------------------------------------------------------------------

def _raw_frame(kind: str, reads: list[_FileRead], registry) -> pd.DataFrame:
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
            columns[name].extend([cells[i] if i < len(cells) else "" for _, cells in table.rows]
                                 if i is not None else [""] * count)
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


def _objects(values: list) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _blank(values: pd.Series) -> pd.Series:
    return values.isin([v for v in values.unique() if is_blank(v)])


class _Issues:
    """Issues for the rows of a combined frame where a check failed, with file, sheet, row, column and cell."""

    def __init__(self, kind: str, frame: pd.DataFrame, registry, out: list):
        self.kind, self.frame, self.registry, self.out = kind, frame, registry, out

    def add(self, mask: pd.Series, code, name: str, values: pd.Series | None = None, **params) -> None:
        """`code` is one code, or a Series of codes (None where the row passed)."""
        if not mask.any():
            return
        rows = self.frame.loc[mask, ["file_id", "table_id", "row"]]
        codes = code[mask] if isinstance(code, pd.Series) else pd.Series(code, index=rows.index)
        shown = (values if values is not None else self.frame[name])[mask]
        for (file_id, table_id, row), issue_code, value in zip(rows.itertuples(index=False), codes, shown):
            _, sheet, table = self.registry[table_id]
            column = table.columns.get(name)
            if column is None:  # a missing column is reported once, at the header (missing-columns)
                continue
            self.out.append((file_id, Issue(
                issue_code, sheet=sheet.name, row=row, column=vocab.CONTRACT_NAMES_BY_TABLE[self.kind][name],
                cell=f"{column_letter(column)}{row}",
                value=value if isinstance(value, str) else text(value), params=params)))

    def parsed(self, name: str, parser, mask: pd.Series | None = None, *args, **params) -> pd.Series:
        """Parse one column once per distinct value; report the rows (within `mask`) that fail."""
        values, codes = parse_unique(self.frame[name], parser, *args)
        failed = codes.notna() if mask is None else codes.notna() & mask
        self.add(failed, codes, name, **params)
        return values


def _resolve_units(frame: pd.DataFrame, roster: Roster, issues: _Issues) -> None:
    """Layout B: the unit column alone decides the section; a blank unit takes the one above."""
    if not frame["has_unit"].any():
        frame["unit_key"] = ""
        return
    units = frame["unit"].where(~_blank(frame["unit"]) & frame["has_unit"])
    units = units.groupby(frame["table_id"]).ffill()
    matched = units.map({u: roster.match(u) for u in units.dropna().unique()})
    layout_b = frame["has_unit"]
    issues.add(layout_b & units.isna(), "missing-unit", "unit")
    issues.add(layout_b & units.notna() & matched.isna(), "unknown-unit", "unit", values=units)
    frame["section"] = frame["section"].where(~layout_b, matched)
    frame["unit_key"] = units.fillna("")


def _dates(frame: pd.DataFrame, issues: _Issues) -> pd.Series:
    keyed = pd.Series(list(zip(frame["date"], frame["month"])), index=frame.index)
    dates, codes = parse_unique(keyed, lambda pair: parse_date(*pair))
    issues.add(codes.notna(), codes, "date")
    outside = dates.notna() & frame["month"].notna()
    outside &= dates.map(lambda d: d.strftime("%Y-%m") if isinstance(d, dt.date) else None).ne(frame["month"])
    for month in frame.loc[outside, "month"].unique():
        rows = outside & frame["month"].eq(month)
        issues.add(rows, "date-outside-month", "date", values=dates.map(str), month=month_label(month))
    return dates


def _check_tasks(frame: pd.DataFrame, roster: Roster, registry, out: list) -> pd.DataFrame:
    issues = _Issues("tasks", frame, registry, out)
    _resolve_units(frame, roster, issues)
    has_task = ~_blank(frame["task"])
    issues.add(~has_task, "counts-without-task", "task")
    for name in ("planned", "done"):
        counts, codes = parse_unique(frame[name], parse_count)
        unsaved = frame["unsaved"].map(lambda cells: isinstance(cells, set) and name in cells)
        codes = codes.mask(codes.eq("empty-count") & unsaved, "unsaved-formula")
        issues.add(has_task & codes.notna(), codes, name)
        frame[name] = counts
    # RETURN_FORMAT.md: a blank 创建内容 takes the last non-blank one above it, within the same unit.
    areas = frame["area"].where(~_blank(frame["area"])).groupby([frame["table_id"], frame["unit_key"]]).ffill()
    issues.add(has_task & areas.isna(), "missing-area", "area")
    frame["area"] = areas.fillna("")
    frame["area"] = issues.parsed("area", parse_area, has_task & areas.notna(), choices="、".join(vocab.AREA_NAMES))
    frame["deployed"] = issues.parsed("deployed", parse_yes_no, has_task)
    _check_totals(frame, registry, out)
    return frame[has_task]


def _check_totals(frame: pd.DataFrame, registry, out: list) -> None:
    """A 合计 row is never counted; where its counts differ from the rows above, say so."""
    with_totals = {table_id for table_id, (_, _, table) in enumerate(registry) if table.totals}
    counts = defaultdict(list)  # table → (position, planned, done) of its task rows
    for table_id, pos, planned, done in zip(frame["table_id"], frame["pos"], frame["planned"], frame["done"]):
        if table_id in with_totals:
            counts[table_id].append((pos, planned if isinstance(planned, int) else 0, done if isinstance(done, int) else 0))
    for table_id in with_totals:
        file_id, sheet, table = registry[table_id]
        start = {False: 0, True: 0}
        for number, cells, above, subtotal in table.totals:
            span = [c for c in counts[table_id] if start[subtotal] <= c[0] < above]
            for index, name in ((1, "planned"), (2, "done")):
                column = table.columns.get(name)
                total, code = parse_count(cells[column]) if column is not None and column < len(cells) else (None, 1)
                expected = sum(c[index] for c in span)
                if code is None and total != expected:
                    out.append((file_id, Issue("total-mismatch", sheet=sheet.name, row=number,
                                               column=vocab.CONTRACT_NAMES[name], cell=f"{column_letter(column)}{number}",
                                               value=str(total), params={"expected": expected})))
            start[True] = above
            if not subtotal:
                start[False] = above


def _check_inspections(frame: pd.DataFrame, roster: Roster, registry, out: list) -> pd.DataFrame:
    issues = _Issues("inspections", frame, registry, out)
    _resolve_units(frame, roster, issues)
    for item in vocab.NINE_ITEMS:
        frame[item] = issues.parsed(item, parse_mark)
    frame["date"] = _dates(frame, issues)
    issues.add(_blank(frame["place"]), "empty-place", "place")
    return frame


def _check_events(frame: pd.DataFrame, roster: Roster, registry, out: list) -> pd.DataFrame:
    issues = _Issues("events", frame, registry, out)
    _resolve_units(frame, roster, issues)
    frame["category"] = issues.parsed("category", parse_veto_category, choices="、".join(vocab.VETO_CATEGORIES))
    frame["status"] = issues.parsed("status", parse_status)
    frame["date"] = _dates(frame, issues)
    return frame


def _check_bonus(frame: pd.DataFrame, roster: Roster, registry, out: list) -> pd.DataFrame:
    issues = _Issues("bonus", frame, registry, out)
    _resolve_units(frame, roster, issues)
    frame["category"] = issues.parsed("category", parse_bonus_category, choices="、".join(vocab.BONUS_CATEGORIES))
    frame["date"] = _dates(frame, issues)
    issues.add(_blank(frame["person"]), "empty-person", "person")
    return frame


_CHECKS = {"tasks": _check_tasks, "inspections": _check_inspections, "events": _check_events, "bonus": _check_bonus}


def _sections_of_layout_b(reads: list[_FileRead], frames: dict) -> None:
    for kind, frame in frames.items():
        if not len(frame):
            continue
        units = frame[frame["has_unit"] & frame["section"].notna()]
        for file_id, sections in units.groupby("file_id")["section"]:
            report = reads[file_id].report
            report.sections = sorted(set(report.sections) | set(sections))


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
                others = "」「".join(reports[other].file for other in file_ids if other != file_id)
                reports[file_id].add("duplicate-return", value=f"{section} {month_label(month)}", params={"other": others})


def _tidy(kind: str, frame: pd.DataFrame, clean: set, reports: list[FileReport], registry) -> pd.DataFrame:
    columns = OUTPUT_COLUMNS[kind] + SOURCE_COLUMNS
    if not len(frame):
        return pd.DataFrame(columns=columns)
    kept = frame[frame["file_id"].isin(clean)].copy()
    kept["source_file"] = kept["file_id"].map({i: reports[i].file for i in clean})
    kept["source_sheet"] = kept["table_id"].map({i: entry[1].name for i, entry in enumerate(registry)})
    kept["source_row"] = kept["row"]
    for name in ("task", "note", "place", "inspector", "remark", "description", "handling", "person"):
        if name in kept:
            kept[name] = kept[name].map({value: text(value) for value in kept[name].unique()})
    if kind == "tasks":
        kept = kept.astype({"planned": "int64", "done": "int64", "deployed": "bool"})
    if kind == "inspections":
        kept = kept.astype({item: "Int8" for item in vocab.NINE_ITEMS})
    return kept[columns].reset_index(drop=True)

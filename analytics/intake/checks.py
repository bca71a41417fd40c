"""Checks over the combined rows of a whole batch: carry areas and units down, parse every value once
per distinct value, and turn every failed check into an issue naming sheet, row, column and cell.

Each `check_*` takes the raw frame of one table kind (cells as typed) and returns it parsed; issues go
to `out` as (file_id, Issue).
"""
import datetime as dt
from collections import defaultdict
from typing import NamedTuple

import pandas as pd

from analytics.intake import vocab
from analytics.intake.guards import column_letter
from analytics.intake.issues import Issue
from analytics.intake.locate import FoundTable
from analytics.intake.messages import VALUE_PARTS
from analytics.intake.normalize import (
    display_text,
    has_control_characters,
    is_blank,
    parse_area,
    parse_bonus_category,
    parse_count,
    parse_date,
    parse_mark,
    parse_status,
    parse_unique,
    parse_veto_category,
    parse_yes_no,
    text,
)
from analytics.intake.roster import Roster
from analytics.periods import month_label


def _blank(values: pd.Series) -> pd.Series:
    return values.isin([v for v in values.unique() if is_blank(v)])


class _Issues:
    """Issues for the rows of a combined frame where a check failed, with file, sheet, row, column and cell."""

    def __init__(self, kind: str, frame: pd.DataFrame, registry: list[FoundTable], out: list):
        self.kind, self.frame, self.registry, self.out = kind, frame, registry, out

    def add(self, mask: pd.Series, code, name: str, values: pd.Series | None = None, **params) -> None:
        """`code` is one code, or a Series of codes (None where the row passed)."""
        if not mask.any():
            return
        rows = self.frame.loc[mask, ["file_id", "table_id", "row"]]
        codes = code[mask] if isinstance(code, pd.Series) else pd.Series(code, index=rows.index)
        shown = (values if values is not None else self.frame[name])[mask]
        for (file_id, table_id, row), issue_code, value in zip(rows.itertuples(index=False), codes, shown):
            found = self.registry[table_id]
            column = found.table.columns.get(name)
            if column is None:  # a missing column is reported once, at the header (missing-columns)
                continue
            self.out.append((file_id, Issue(
                issue_code, sheet=found.sheet.name, row=row, column=vocab.CONTRACT_NAMES_BY_TABLE[self.kind][name],
                cell=f"{column_letter(column)}{row}",
                value=value if isinstance(value, str) else text(value), params=params)))

    def parsed(self, name: str, parser, mask: pd.Series | None = None, *args, **params) -> pd.Series:
        """Parse one column once per distinct value; report the rows (within `mask`) that fail."""
        values, codes = parse_unique(self.frame[name], parser, *args)
        failed = codes.notna() if mask is None else codes.notna() & mask
        self.add(failed, codes, name, **params)
        return values


def _control_characters(frame: pd.DataFrame, issues: _Issues) -> None:
    """A warning for each cell as typed that holds a vertical tab or another control character XML cannot hold
    (the loader cleans every value: `text`, `display_text`)."""
    for name in vocab.COLUMNS[issues.kind]:
        flagged = {value for value in frame[name].unique() if has_control_characters(value)}
        if flagged:
            issues.add(frame[name].isin(flagged), "control-characters", name, values=frame[name].map(display_text))


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
    # A unit is the roster section it matched (办公室 and 县财政局办公室 are one unit); the typed text only
    # where it matched nothing, which is an error anyway.
    frame["unit_key"] = matched.fillna(units).fillna("")


def _dates(frame: pd.DataFrame, issues: _Issues) -> pd.Series:
    keyed = pd.Series(list(zip(frame["date"], frame["month"])), index=frame.index)
    dates, codes = parse_unique(keyed, lambda pair: parse_date(*pair))
    issues.add(codes.notna(), codes, "date")
    outside = dates.notna() & frame["month"].notna()
    # Each distinct date's month once (a batch's rows share few dates).
    month_of = {d: d.strftime("%Y-%m") for d in dates[outside].unique() if isinstance(d, dt.date)}
    outside &= dates.map(month_of).ne(frame["month"])
    for month in frame.loc[outside, "month"].unique():
        rows = outside & frame["month"].eq(month)
        issues.add(rows, "date-outside-month", "date", values=dates.map(str), month=month_label(month))
    return dates


def check_tasks(frame: pd.DataFrame, roster: Roster, registry: list[FoundTable], out: list) -> pd.DataFrame:
    issues = _Issues("tasks", frame, registry, out)
    _control_characters(frame, issues)
    _resolve_units(frame, roster, issues)
    has_task = ~_blank(frame["task"])
    issues.add(~has_task, "counts-without-task", "task")
    for name in ("planned", "done"):
        counts, codes = parse_unique(frame[name], parse_count)
        empty = codes.eq("empty-count")
        if empty.any():  # an empty count may be a formula never saved in Excel or WPS
            unsaved = frame["unsaved"].map(lambda cells, name=name: isinstance(cells, set) and name in cells)
            codes = codes.mask(empty & unsaved, "unsaved-formula")
        issues.add(has_task & codes.notna(), codes, name)
        frame[name] = counts
    # RETURN_FORMAT.md: a blank 创建内容 takes the last non-blank one above it, within the same unit.
    areas = frame["area"].where(~_blank(frame["area"])).groupby([frame["table_id"], frame["unit_key"]]).ffill()
    issues.add(has_task & areas.isna(), "missing-area", "area")
    frame["area"] = areas.fillna("")
    frame["area"] = issues.parsed("area", parse_area, has_task & areas.notna(), choices=VALUE_PARTS["list"].join(vocab.AREA_NAMES))
    frame["deployed"] = issues.parsed("deployed", parse_yes_no, has_task)
    _check_totals(frame, registry, out)
    return frame[has_task]


def _count(value) -> int | None:
    """A parsed count as an int, whatever the batch made of its column (object, int64, or float64 with NaN)."""
    return None if pd.isna(value) else int(value)


class _Counts(NamedTuple):
    pos: int                # the row's position among its table's filled rows
    planned: int | None     # None where unreadable
    done: int | None


def _check_totals(frame: pd.DataFrame, registry: list[FoundTable], out: list) -> None:
    """A 合计 row is never counted; where its counts differ from the rows above, say so. A count above
    that failed to parse is its own error: the sum is unknown, so that total is not compared."""
    with_totals = {table_id for table_id, found in enumerate(registry) if found.table.totals}
    counts = defaultdict(list)  # table → _Counts of its rows
    for table_id, pos, planned, done in zip(frame["table_id"], frame["pos"], frame["planned"], frame["done"]):
        if table_id in with_totals:
            counts[table_id].append(_Counts(pos, _count(planned), _count(done)))
    for table_id in with_totals:
        file_id, sheet, table = registry[table_id]
        start = {False: 0, True: 0}
        for number, cells, above, subtotal in table.totals:
            span = [c for c in counts[table_id] if start[subtotal] <= c.pos < above]
            for name in ("planned", "done"):
                column = table.columns.get(name)
                total, code = parse_count(cells[column]) if column is not None and column < len(cells) else (None, 1)
                above_counts = [getattr(c, name) for c in span]
                if None in above_counts:
                    continue
                expected = sum(above_counts)
                if code is None and total != expected:
                    out.append((file_id, Issue("total-mismatch", sheet=sheet.name, row=number,
                                               column=vocab.CONTRACT_NAMES[name], cell=f"{column_letter(column)}{number}",
                                               value=str(total), params={"expected": expected})))
            start[True] = above
            if not subtotal:
                start[False] = above


def check_inspections(frame: pd.DataFrame, roster: Roster, registry: list[FoundTable], out: list) -> pd.DataFrame:
    issues = _Issues("inspections", frame, registry, out)
    _control_characters(frame, issues)
    _resolve_units(frame, roster, issues)
    # The nine mark columns parsed as one: one pass over their distinct values.
    items = list(vocab.NINE_ITEMS)
    marks, codes = parse_unique(pd.Series(frame[items].to_numpy().ravel()), parse_mark)
    shape = (len(frame), len(items))
    marks = pd.DataFrame(marks.to_numpy().reshape(shape), index=frame.index, columns=items)
    codes = pd.DataFrame(codes.to_numpy().reshape(shape), index=frame.index, columns=items)
    for item in codes.columns[codes.notna().any()]:
        issues.add(codes[item].notna(), codes[item], item)
    frame[items] = marks
    frame["date"] = _dates(frame, issues)
    issues.add(_blank(frame["place"]), "empty-place", "place")
    return frame


def check_events(frame: pd.DataFrame, roster: Roster, registry: list[FoundTable], out: list) -> pd.DataFrame:
    issues = _Issues("events", frame, registry, out)
    _control_characters(frame, issues)
    _resolve_units(frame, roster, issues)
    frame["category"] = issues.parsed("category", parse_veto_category, choices=VALUE_PARTS["list"].join(vocab.VETO_CATEGORIES))
    frame["status"] = issues.parsed("status", parse_status)
    frame["date"] = _dates(frame, issues)
    return frame


def check_bonus(frame: pd.DataFrame, roster: Roster, registry: list[FoundTable], out: list) -> pd.DataFrame:
    issues = _Issues("bonus", frame, registry, out)
    _control_characters(frame, issues)
    _resolve_units(frame, roster, issues)
    frame["category"] = issues.parsed("category", parse_bonus_category, choices=VALUE_PARTS["list"].join(vocab.BONUS_CATEGORIES))
    frame["date"] = _dates(frame, issues)
    issues.add(_blank(frame["person"]), "empty-person", "person")
    return frame


CHECKS = {"tasks": check_tasks, "inspections": check_inspections, "events": check_events, "bonus": check_bonus}

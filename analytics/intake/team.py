"""Inspection-team sheets (检查组检查表, issue 14 "Build" 6): one hygiene table whose unit column names, row by
row, the section whose place was inspected. Read with the returns' own reader, table finder and checks; its
month is the header block's (报表月份 / 检查月份) or, failing that, the one month all its dates fall in. Any error
rejects the whole sheet: nothing of it is imported.
"""
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from analytics.intake import loader, vocab
from analytics.intake.checks import check_inspections
from analytics.intake.guards import column_letter
from analytics.intake.issues import FileReport, Issue
from analytics.intake.limits import DEFAULT_LIMITS, Limits
from analytics.intake.locate import FoundTable
from analytics.intake.messages import VALUE_PARTS
from analytics.intake.normalize import parse_date
from analytics.intake.reader import read_workbooks
from analytics.intake.roster import Roster
from analytics.intake.sources import from_bytes
from analytics.periods import month_label
from analytics.records import empty

# Codes of the returns' loader that do not hold for a team sheet: it has no tasks table, its month may come from its
# dates, and its sections come from its unit column alone (a table without one is team-no-unit).
_NOT_FOR_TEAM_SHEETS = {"no-tasks-table", "no-month", "no-section", "unknown-section", "section-conflict"}


@dataclass
class TeamCheck:
    """A checked sheet: its report (errors name sheet, row and column) and, when it has no error, its rows."""
    report: FileReport
    month: str | None
    inspections: pd.DataFrame      # records.COLUMNS["inspections"] + SOURCE_COLUMNS; empty when rejected

    @property
    def accepted(self) -> bool:
        return not self.report.errors


def check_team_sheet(name: str, data: bytes, roster: Roster, limits: Limits = DEFAULT_LIMITS) -> TeamCheck:
    members = from_bytes(name, data, limits)
    report = FileReport(name)
    if len(members) != 1:                                # a zip: one sheet per upload
        report.add("team-tables", value=str(len(members)))
        return TeamCheck(report, None, empty("inspections"))
    member, = members
    read = loader._read_member(member, member.refused or next(read_workbooks([member.data], limits)), roster, limits)
    report = read.report
    report.issues = [issue for issue in report.issues if issue.code not in _NOT_FOR_TEAM_SHEETS]
    if member.refused or report.errors:
        return TeamCheck(report, None, empty("inspections"))
    tables = [(sheet, table) for sheet, table in read.tables if table.kind == "inspections"]
    if len(tables) != 1 or len(read.tables) != 1:
        report.add("team-tables", value=str(len(read.tables)))
        return TeamCheck(report, None, empty("inspections"))
    (sheet, table), = tables
    if "unit" not in table.columns:
        report.add("team-no-unit", sheet=sheet.name, row=table.header_row)
        return TeamCheck(report, None, empty("inspections"))
    registry = [FoundTable(0, sheet, table)]
    if read.month is None and not any(issue.code == "bad-month" for issue in report.issues):
        read.month = _month_of_dates(loader._raw_frame("inspections", [read], registry)["date"], report)
    if read.month is None:
        report.issues = [issue for issue in report.issues if issue.code != "no-month"]
        if not report.errors:
            report.add("no-month")
        return TeamCheck(report, None, empty("inspections"))
    found = []
    frame = check_inspections(loader._raw_frame("inspections", [read], registry), roster, registry, found)
    report.issues.extend(_as_error(issue) for _, issue in found)
    _in_force(frame, roster, read.month, table.columns["unit"], sheet.name, report)
    report.months = [read.month]
    report.sections = sorted(set(frame["section"].dropna()))
    clean = set() if report.errors else {0}
    inspections = loader._tidy("inspections", frame, clean, [report], registry)
    return TeamCheck(report, read.month, inspections)


def _month_of_dates(dates: pd.Series, report: FileReport) -> str | None:
    """The one month all readable dates fall in; an error listing them where there are several."""
    months = sorted({day.strftime("%Y-%m") for day in (parse_date(value, None)[0] for value in dates.unique())
                     if isinstance(day, dt.date)})
    if len(months) > 1:
        report.add("team-months", value=VALUE_PARTS["list"].join(map(month_label, months)))
        return None
    return months[0] if months else None


def _as_error(issue: Issue) -> Issue:
    """A date outside the month is a warning in a return and an error here: the sheet is of one month."""
    if issue.code != "date-outside-month":
        return issue
    return Issue("team-date-outside", issue.sheet, issue.row, issue.column, issue.cell, issue.value, issue.params)


def _in_force(frame: pd.DataFrame, roster: Roster, month: str, column: int, sheet: str, report: FileReport) -> None:
    """Each matched section must be in the roster in `month` (its 设立月份 / 撤销月份)."""
    sections = roster.sections.set_index("section")
    for row, section in zip(frame["row"], frame["section"]):
        if section is None or pd.isna(section) or section not in sections.index:
            continue
        start, end = sections.at[section, "start_month"], sections.at[section, "end_month"]
        if (isinstance(start, str) and month < start) or (isinstance(end, str) and month > end):
            report.add("team-not-in-force", sheet=sheet, row=int(row), column=vocab.CONTRACT_NAMES["unit"],
                       cell=f"{column_letter(column)}{row}", value=section, params={"month": month_label(month)})

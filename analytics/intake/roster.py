"""The roster of sections (组织名册), checked on load, and matching of names typed on returns."""
import csv
import datetime as dt
import io
import re
from contextlib import closing
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from analytics.intake import vocab
from analytics.intake.guards import Refused
from analytics.intake.issues import Issue
from analytics.intake.limits import DEFAULT_LIMITS
from analytics.intake.messages import ROSTER_MESSAGES
from analytics.intake.normalize import has_control_characters, header_key, name_key, parse_month, text
from analytics.intake.reader import read_workbooks


class RosterError(Exception):
    """The roster cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Roster:
    sections: pd.DataFrame      # section, aliases (tuple), head, kind, start_month, end_month ("YYYY-MM" or None)
    lookup: dict                # name_key of a name or alias → section
    source: str = ""
    notes: tuple = ()           # what was read other than as typed (control characters), for the clerk to see

    def match(self, name) -> str | None:
        """The roster section a typed unit name means, or None."""
        return self.lookup.get(name_key(name))

    @cached_property
    def _names_pattern(self) -> re.Pattern:
        # Longest first: a name inside a longer one (预算 in 预算科) never matches on its own.
        return re.compile("|".join(re.escape(key) for key in sorted(self.lookup, key=len, reverse=True)))

    def in_force(self, today: dt.date | None = None) -> list[str]:
        """The sections not abolished before this month (a retired section takes no new account)."""
        month = (today or dt.date.today()).strftime("%Y-%m")
        return [name for name, end in zip(self.sections["section"], self.sections["end_month"]) if pd.isna(end) or end >= month]

    def of_section(self, section: str) -> "Roster":
        """The roster of `section` alone (a section account's view)."""
        return Roster(self.sections[self.sections["section"] == section].reset_index(drop=True),
                      {key: name for key, name in self.lookup.items() if name == section}, self.source)

    def sections_named_in(self, stem: str) -> set[str]:
        """Sections whose name or alias appears in a file's base name."""
        return {self.lookup[m.group()] for m in self._names_pattern.finditer(re.sub(r"\s+", "", text(stem)))}


def load_roster(path) -> Roster:
    """Read and check a roster file (.xlsx/.xls/.ods, or .csv in UTF-8 or GB18030)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RosterError(ROSTER_MESSAGES["unreadable"].format(path=path, reason=error.strerror or error)) from None
    return parse_roster(data, str(path))


def parse_roster(data: bytes, name: str) -> Roster:
    """Check a roster given as a file's bytes and name (an upload)."""
    rows = _csv_rows(data) if Path(name).suffix.lower() == ".csv" else _workbook_rows(data, Path(name))
    return build_roster(rows, name)


def _csv_rows(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return list(csv.reader(io.StringIO(data.decode(encoding))))
        except UnicodeDecodeError:
            continue
    raise RosterError(ROSTER_MESSAGES["not-decodable"])


def _workbook_rows(data: bytes, path: Path) -> list[list]:
    """The first sheet's rows, read as every upload is: guarded, in the reader's worker process."""
    with closing(read_workbooks([data], DEFAULT_LIMITS)) as outcomes:
        outcome = next(outcomes)
    if isinstance(outcome, Refused):
        reason = Issue(outcome.code, sheet=outcome.sheet, value=outcome.value, params=outcome.params).message
        raise RosterError(ROSTER_MESSAGES["not-a-spreadsheet"].format(name=path.name, reason=reason))
    if not outcome:
        raise RosterError(ROSTER_MESSAGES["no-sheets"].format(name=path.name))
    return outcome[0].rows


def build_roster(rows: list[list], source: str = "") -> Roster:
    """Check roster rows (header first, within the first Limits.header_search_rows rows) and build the name lookup."""
    where = ROSTER_MESSAGES["where-named"].format(name=Path(source).name) if source else ROSTER_MESSAGES["where"]
    search_rows = DEFAULT_LIMITS.header_search_rows
    aliases_of = {header_key(a): column for column, names in vocab.ROSTER_COLUMNS.items() for a in names}
    for header_index, row in enumerate(rows[:search_rows]):
        columns = {aliases_of[header_key(cell)]: i for i, cell in reversed(list(enumerate(row)))
                   if header_key(cell) in aliases_of}
        if "section" in columns:
            break
    else:
        raise RosterError(ROSTER_MESSAGES["no-header"].format(where=where, rows=search_rows))

    records, lookup, problems, notes = [], {}, [], []
    for index, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        cell = {column: text(row[i]) if i < len(row) else "" for column, i in columns.items()}
        notes += [ROSTER_MESSAGES["control-characters"].format(row=index, column=vocab.ROSTER_COLUMNS[column][0], value=cell[column])
                  for column, i in columns.items() if i < len(row) and has_control_characters(row[i], name=True)]
        if not any(cell.values()):
            continue
        if not cell["section"]:
            problems.append(ROSTER_MESSAGES["empty-section"].format(row=index))
            continue
        record = {"section": cell["section"], "head": cell.get("head", ""), "kind": cell.get("kind") or vocab.SECTION_KINDS[0],
                  "aliases": tuple(a.strip() for a in re.split(f"[{vocab.ALIAS_SEPARATORS}]", cell.get("aliases", ""))
                                   if a.strip())}
        if record["kind"] not in vocab.SECTION_KINDS:
            problems.append(ROSTER_MESSAGES["bad-kind"].format(row=index, value=record["kind"]))
        for column in ("start_month", "end_month"):
            raw = row[columns[column]] if column in columns and columns[column] < len(row) else ""
            record[column] = parse_month(raw) if text(raw) else None
            if text(raw) and record[column] is None:
                problems.append(ROSTER_MESSAGES["bad-month"].format(row=index, column=vocab.ROSTER_COLUMNS[column][0], value=text(raw)))
        for name in (record["section"], *record["aliases"]):
            key = name_key(name)
            if lookup.get(key, record["section"]) != record["section"]:
                problems.append(ROSTER_MESSAGES["name-taken"].format(row=index, name=name, section=lookup[key]))
            lookup[key] = record["section"]
        if any(r["section"] == record["section"] for r in records):
            problems.append(ROSTER_MESSAGES["duplicate-section"].format(row=index, section=record["section"]))
        records.append(record)
    if problems:
        raise RosterError(ROSTER_MESSAGES["problems"].format(where=where, problems=ROSTER_MESSAGES["separator"].join(problems[:20])))
    if not records:
        raise RosterError(ROSTER_MESSAGES["no-sections"].format(where=where))
    return Roster(pd.DataFrame.from_records(records), lookup, source, tuple(f"{where}{note}" for note in notes))


def with_retired(roster: Roster, retired: list[dict]) -> Roster:
    """The roster plus sections a later roster dropped but whose history still counts: each kept with its
    撤销月份 (`end_month`), its names matching only where the roster does not use them."""
    kept = [row for row in retired if row["section"] not in set(roster.sections["section"])]
    if not kept:
        return roster
    columns = list(roster.sections.columns)
    rows = pd.DataFrame([{**{c: None for c in columns}, **{k: v for k, v in row.items() if k in columns},
                          "aliases": tuple(row.get("aliases") or ())} for row in kept], columns=columns)
    lookup = dict(roster.lookup)
    for row in kept:
        for name in (row["section"], *(row.get("aliases") or ())):
            lookup.setdefault(name_key(name), row["section"])
    return Roster(pd.concat([roster.sections, rows], ignore_index=True), lookup, roster.source, roster.notes)

"""The dashboard's working data: the store, the roster and rules in force, and a year's records and figures.

A new database gets the bundled sample year on first start (analytics/sample.py).
"""
import datetime as dt
import json
from dataclasses import dataclass, field, replace
from functools import partial

import pandas as pd

from analytics import evidence_export, evidence_store, labels, labels_plan, ledger, plan_store, team_store
from analytics.config import SAMPLE_ROSTER, database_url
from analytics.intake.messages import ROSTER_MESSAGES
from analytics.intake.roster import Roster, RosterError, load_roster, parse_roster, with_retired
from analytics.intake.vocab import SECTION_KINDS
from analytics.periods import lead_in, months_between, previous_month
from analytics.plan import DEFAULT_PLAN, Plan, load_plan, parse_plan
from analytics.plan_calendar import plan_calendar
from analytics.records import Records
from analytics.rules import DEFAULT_RULES, Rules, parse_rules
from analytics.sample import bootstrap
from analytics.store import Store
from analytics.summary import Summary, annual_table, summarize


def open_store(url: str | None = None, sample: bool = True) -> Store:
    """The store at `url` (config.database_url() by default); a new one gets the sample data."""
    store = Store(url or database_url())
    if sample:
        bootstrap(store)
    return store


def roster_in_force(store: Store) -> Roster:
    """The roster file in force, with the sections earlier replacements retired (abolished, merged)."""
    row = store.file_setting("roster")
    if row is None:
        return load_roster(SAMPLE_ROSTER)
    return with_retired(parse_roster(row.data, row.name), _retired(row))


def _retired(row) -> list[dict]:
    return json.loads(row.extra or "{}").get("retired", []) if row is not None else []


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def dropped_sections(store: Store, new: Roster) -> pd.DataFrame:
    """Sections that hold returns or decisions but are not in `new` (nor kept as retired before): each needs a
    fate before `new` can apply. section, first_month, last_month, versions, decisions, suggested (the section
    of `new` whose name or alias matches it, else None)."""
    held = store.sections_with_data()
    carried = {row["section"] for row in _retired(store.file_setting("roster"))}
    gone = held[~held["section"].isin(set(new.sections["section"]) | carried)].reset_index(drop=True)
    return gone.assign(suggested=[new.match(name) for name in gone["section"]])


def replace_roster(store: Store, name: str, data: bytes, who: str, fates: dict | None = None) -> Roster:
    """Put a checked roster in force. `fates` says what became of each dropped section (dropped_sections):
    ("rename", new section): its history moves to the new name; ("merge", section, month) or ("abolish", month):
    it is kept as retired, its 撤销月份 the month before. Raises RosterError naming what is missing or wrong."""
    new, fates = parse_roster(data, name), fates or {}
    gone = dropped_sections(store, new)
    missing = [s for s in gone["section"] if s not in fates]
    if missing:
        raise RosterError(ROSTER_MESSAGES["dropped-without-fate"].format(sections=labels.NAME_SEPARATOR.join(missing)))
    previous = roster_in_force(store)
    old_rows = previous.sections.set_index("section")
    renamed, retired = {}, [r for r in _retired(store.file_setting("roster")) if r["section"] not in set(new.sections["section"])]
    for section, (fate, *args) in fates.items():
        if fate == "rename":
            if args[0] not in set(new.sections["section"]):
                raise RosterError(ROSTER_MESSAGES["renamed-to-unknown"].format(section=section, target=args[0]))
            renamed[section] = args[0]
            continue
        month = args[-1]
        row = old_rows.loc[section] if section in old_rows.index else pd.Series({"aliases": (), "kind": SECTION_KINDS[0]})
        retired.append({"section": section, "aliases": list(row.get("aliases") or ()), "head": _text(row.get("head")),
                        "kind": _text(row.get("kind")) or SECTION_KINDS[0], "start_month": _text(row.get("start_month")) or None,
                        "end_month": previous_month(month), "merged_into": args[0] if fate == "merge" else None})
    store.set_file_setting("roster", name, data, who, renamed=renamed, retired=retired,
                           until_now=(SAMPLE_ROSTER.name, SAMPLE_ROSTER.read_bytes()))
    return roster_in_force(store)


# The files checked before they are put in force, beside the roster: settings key → the bundled file, its check.
CHECKED_FILES = {"rules": (DEFAULT_RULES, parse_rules), "plan": (DEFAULT_PLAN, parse_plan)}


def _replace(key: str, store: Store, name: str, data: bytes, who: str):
    """Put a file in force after it passes its check (RulesError / PlanError say what to fix); the one before stays."""
    bundled, check = CHECKED_FILES[key]
    checked = check(data, name)
    store.set_file_setting(key, name, data, who, until_now=(bundled.name, bundled.read_bytes()))
    return checked


def _file(key: str, store: Store) -> tuple[str, bytes]:
    """The name and bytes of the file in force (the bundled one until one is put in force)."""
    stored, bundled = store.file_setting(key), CHECKED_FILES[key][0]
    return (stored.name, stored.data) if stored else (bundled.name, bundled.read_bytes())


replace_rules, rules_file = partial(_replace, "rules"), partial(_file, "rules")
replace_plan, plan_file = partial(_replace, "plan"), partial(_file, "plan")


def rules_in_force(store: Store) -> Rules:
    return parse_rules(*reversed(rules_file(store)))


def plan_in_force(store: Store) -> Plan:
    return parse_plan(*reversed(plan_file(store)))


def years(store: Store) -> list[int]:
    return sorted({int(month[:4]) for month in store.months()})


@dataclass(frozen=True)
class Year:
    """A year as the dashboard shows it: its current records (and the December before, for January's 环比),
    its figures, the roster and rules they were computed with, and the plan in force. Never changed once built."""
    year: int
    records: Records
    summary: Summary
    roster: Roster
    rules: Rules
    plan: Plan = field(default_factory=load_plan)   # the work plan the year is tracked against (plan_in_force)

    def annual(self, through: str) -> pd.DataFrame:
        """The annual table (summary.annual_table) from January to `through`."""
        return annual_table(self.summary.section_months, self.roster.sections, self.rules, self.summary.reasons,
                            through)

    def of_section(self, section: str) -> "Year":
        """The year as a section account sees it (issue 11): only `section`'s records, with its figures computed as
        if it were the whole bureau, so no other section's return, event, decision or figure is in it."""
        records, roster = self.records.of_section(section), self.roster.of_section(section)
        summary = summarize(records, roster.sections, self.rules, self.summary.months, lead_in=lead_in(self.year))
        return Year(self.year, records, summary, roster, self.rules, self.plan)


def choose_period(known: list[int], year: int | None, month: str | None, months_of) -> tuple[int | None, str | None]:
    """The year and month the pages show: those asked for (the sidebar's, an address's) where they hold data, else
    the latest year of `known` and the latest month of `months_of(year)` (its months with data); None where none."""
    year = year if year in known else (known[-1] if known else None)
    months = months_of(year) if year is not None else []
    return year, month if month in months else (months[-1] if months else None)


def year(store: Store, number: int, rules: Rules | None = None) -> Year:
    """The year `number` from `store`, scored with the roster in force and `rules` (by default the rules in force)."""
    roster, rules = roster_in_force(store), rules or rules_in_force(store)
    records = store.records(lead_in(number), f"{number}-12")  # the lead-in December gives January its 环比
    # Inspection-team sheets add inspections (so nine-no scores), never a return.
    records = team_store.with_team_inspections(records, store, lead_in(number), f"{number}-12")
    # A task the city deployed (recorded on /ledger) counts as 市文明办部署 whatever the return says, so its shortfall vetoes.
    records = replace(records, tasks=ledger.mark_deployed(records.tasks, plan_store.deployed_tasks_of(store)))
    months = sorted(m for m in records.returns["month"].unique() if m.startswith(str(number)))
    span = months_between(f"{number}-01", months[-1]) if months else []  # January to the latest month with a return
    summary = summarize(records, roster.sections, rules, span, lead_in=lead_in(number))
    return Year(number, records, summary, roster, rules, plan_in_force(store))


def evidence_archive(store: Store, shown: Year, made_by: str) -> tuple[str, bytes]:
    """The year's 创建台账 (evidence_export): its file name and bytes; what was done when is the calendar through the
    year's latest month with returns, that month's returns taken as in."""
    through = shown.summary.months[-1] if shown.summary.months else f"{shown.year}-12"
    calendar = plan_calendar(shown.plan, shown.records.tasks, shown.roster.sections, through, closed=True)
    listing = evidence_export.archive_listing(shown.plan, evidence_store.evidence_of(store, shown.year))
    data = evidence_export.evidence_archive(shown.plan, calendar, listing, evidence_store.evidence_files(store, listing["id"]),
                                            shown.year, through, made_by, dt.datetime.now())
    return labels_plan.EVIDENCE_ARCHIVE.format(year=shown.year), data


def status_grid(section_months: pd.DataFrame) -> pd.DataFrame:
    """Sections × months: 已报送 / 逾期 / 未报送, for the upload page; the sections in the roster's order (as
    section_months has them), blank where a section was not yet set up or already abolished."""
    states = labels.RETURN_STATES
    status = pd.Series(states["missing"], index=section_months.index)
    status[section_months["submitted"]] = states["submitted"]
    status[section_months["submitted"] & section_months["late"]] = states["late"]
    grid = section_months.assign(status=status).pivot(index="section", columns="month", values="status")
    grid = grid.reindex(section_months["section"].drop_duplicates()).fillna("")
    return grid.rename_axis(index=labels.heading("section"), columns=labels.heading("month"))


def status_marks(grid: pd.DataFrame) -> pd.DataFrame:
    """status_grid() as 1024 px holds it: a mark per cell (✓ 逾 ✗, labels.STATUS_KEY says which is which) under
    columns named 1月…12月 (the year is in the page's heading)."""
    marks = grid.map(lambda state: labels.STATUS_MARKS.get(state, ""))
    return marks.rename(columns=lambda month: labels.MONTH_HEADINGS.format(number=int(month[5:])))


def roster_table(roster: Roster) -> pd.DataFrame:
    """The roster as the settings page lists it: aliases joined, columns headed."""
    sections = roster.sections.assign(aliases=roster.sections["aliases"].map(labels.NAME_SEPARATOR.join))
    months = ["start_month", "end_month"]   # no month set: blank, never None
    sections[months] = sections[months].astype(object).where(sections[months].notna(), "")
    return sections.rename(columns=labels.COLUMN_NAMES)

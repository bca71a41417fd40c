"""The dashboard's working data: the store, the roster and rules in force, and a year's figures.

On first start with an empty database the bundled sample data is imported (and flagged as sample,
so the dashboard can say so and offer to clear it).
"""
import datetime as dt
import json

import pandas as pd

from analytics.config import SAMPLE_DATA, SAMPLE_RETURNS, SAMPLE_ROSTER, database_url
from analytics.intake.loader import load_uploaded
from analytics.intake.roster import Roster, RosterError, load_roster, parse_roster, with_retired
from analytics.periods import month_name, month_number, months_between
from analytics.rules import DEFAULT_RULES, Rules, load_rules, parse_rules
from analytics.store import Store
from analytics.summary import Summary, summarize

SAMPLE_WHO = "示例数据"
SAMPLE_LATE = {("综合科", "2024-06"), ("教科文科", "2024-10")}  # the sample's two late returns


def open_store(url: str | None = None, sample: bool = True) -> Store:
    """The store at `url` (config.database_url() by default); a new one gets the sample data."""
    store = Store(url or database_url())
    if sample and not store.flag("bootstrapped"):
        load_sample(store)
    return store


def load_sample(store: Store) -> dict:
    """Import the bundled year of returns, dated as if each arrived on the 3rd of the next month."""
    uploads = [(path.relative_to(SAMPLE_DATA).as_posix(), path.read_bytes())
               for path in sorted(SAMPLE_RETURNS.rglob("*")) if path.is_file()]
    result = load_uploaded(uploads, load_roster(SAMPLE_ROSTER))

    def arrived(section: str, month: str) -> dt.datetime:
        day = 9 if (section, month) in SAMPLE_LATE else 3
        return dt.datetime.fromisoformat(f"{month_name(month_number(month) + 1)}-{day:02d}T10:00:00")

    counts = store.import_batch(result, uploads, who=SAMPLE_WHO, at_by_month=arrived, sample=True)
    store.set_flag("sample", True)
    store.set_flag("bootstrapped", True)
    return counts


def roster_in_force(store: Store) -> Roster:
    """The roster file in force, with the sections earlier replacements retired (abolished, merged)."""
    row = store.file_setting_row("roster")
    if row is None:
        return load_roster(SAMPLE_ROSTER)
    return with_retired(parse_roster(row.data, row.name), _retired(row))


def _retired(row) -> list[dict]:
    return json.loads(row.extra or "{}").get("retired", []) if row is not None else []


FATES = {"rename": "更名为", "merge": "并入", "abolish": "撤销"}


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def dropped_sections(store: Store, new: Roster) -> pd.DataFrame:
    """Sections that hold returns or decisions but are not in `new` (nor kept as retired before): each needs a
    fate before `new` can apply. section, first_month, last_month, versions, decisions, suggested (the section
    of `new` whose name or alias matches it, else None)."""
    held = store.sections_with_data()
    carried = {row["section"] for row in _retired(store.file_setting_row("roster"))}
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
        raise RosterError("新名册中没有以下已有月报或认定记录的科室，请说明其去向（更名、并入或撤销）：" + "、".join(missing))
    previous = roster_in_force(store)
    old_rows = previous.sections.set_index("section")
    renamed, retired = {}, [r for r in _retired(store.file_setting_row("roster")) if r["section"] not in set(new.sections["section"])]
    for section, (fate, *args) in fates.items():
        if fate == "rename":
            if args[0] not in set(new.sections["section"]):
                raise RosterError(f"「{section}」更名后的科室「{args[0]}」不在新名册中")
            renamed[section] = args[0]
            continue
        month = args[-1]
        row = old_rows.loc[section] if section in old_rows.index else pd.Series({"aliases": (), "kind": "科室"})
        retired.append({"section": section, "aliases": list(row.get("aliases") or ()), "head": _text(row.get("head")),
                        "kind": _text(row.get("kind")) or "科室", "start_month": _text(row.get("start_month")) or None,
                        "end_month": month_name(month_number(month) - 1), "merged_into": args[0] if fate == "merge" else None})
    store.set_file_setting("roster", name, data, who, renamed=renamed, retired=retired,
                           until_now=(SAMPLE_ROSTER.name, SAMPLE_ROSTER.read_bytes()))
    return roster_in_force(store)


def replace_rules(store: Store, name: str, data: bytes, who: str) -> Rules:
    """Put a rules file in force after it passes the checks (RulesError says what to fix); the one before stays."""
    rules = parse_rules(data, name)
    store.set_file_setting("rules", name, data, who, until_now=(DEFAULT_RULES.name, DEFAULT_RULES.read_bytes()))
    return rules


def rules_in_force(store: Store) -> Rules:
    stored = store.file_setting("rules")
    return parse_rules(stored[1], stored[0]) if stored else load_rules()


def years(store: Store) -> list[int]:
    return sorted({int(month[:4]) for month in store.months()})


def year_tables(store: Store, year: int):
    """The year's current records, and last December's (for January's 环比)."""
    return store.records(month_name(month_number(f"{year}-01") - 1), f"{year}-12")


def year_summary(tables, year: int, roster: Roster, rules: Rules) -> Summary:
    """The year's figures from year_tables(), January to its latest month with a return."""
    months = sorted(m for m in tables.returns["month"].unique() if m.startswith(str(year)))
    if not months:
        return summarize(tables, roster.sections, rules, [])
    previous = month_name(month_number(f"{year}-01") - 1)
    if previous not in set(tables.returns["month"]):  # no December before: January's 环比 is undefined, not a drop from 0
        return summarize(tables, roster.sections, rules, months_between(f"{year}-01", months[-1]))
    span = months_between(previous, months[-1])
    summary = summarize(tables, roster.sections, rules, span)
    summary.months = span[1:]
    for name in ("section_months", "bureau_months", "areas", "item_fail_rates"):
        table = getattr(summary, name)
        kept = table[table["month"] != previous].reset_index(drop=True)
        kept.attrs = table.attrs
        setattr(summary, name, kept)
    return summary


def status_grid(section_months: pd.DataFrame) -> pd.DataFrame:
    """Sections × months: 已报送 / 逾期 / 未报送, for the upload page."""
    status = pd.Series("未报送", index=section_months.index)
    status[section_months["submitted"]] = "已报送"
    status[section_months["submitted"] & section_months["late"]] = "逾期"
    grid = section_months.assign(status=status).pivot(index="section", columns="month", values="status").fillna("")
    return grid.rename_axis(index="科室", columns="月份")

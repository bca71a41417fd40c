"""The dashboard's working data: the store, the roster and rules in force, and a year's figures.

On first start with an empty database the bundled sample data is imported (and flagged as sample,
so the dashboard can say so and offer to clear it).
"""
import datetime as dt

import pandas as pd

from analytics.loader import load_uploaded
from analytics.periods import month_name, month_number, months_between
from analytics.roster import Roster, load_roster, parse_roster
from analytics.rules import Rules, load_rules, parse_rules
from analytics.settings import SAMPLE_DATA, SAMPLE_RETURNS, SAMPLE_ROSTER, database_url
from analytics.store import Store
from analytics.summary import Summary, summarize

SAMPLE_WHO = "示例数据"
SAMPLE_LATE = {("综合科", "2024-06"), ("教科文科", "2024-10")}  # the sample's two late returns


def open_store(url: str | None = None, sample: bool = True) -> Store:
    """The store at `url` (settings.database_url() by default); a new one gets the sample data."""
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

    counts = store.import_batch(result, uploads, who=SAMPLE_WHO, at_by_month=arrived)
    store.set_flag("sample", True)
    store.set_flag("bootstrapped", True)
    return counts


def roster_in_force(store: Store) -> Roster:
    stored = store.file_setting("roster")
    return parse_roster(stored[1], stored[0]) if stored else load_roster(SAMPLE_ROSTER)


def rules_in_force(store: Store) -> Rules:
    stored = store.file_setting("rules")
    return parse_rules(stored[1], stored[0]) if stored else load_rules()


def years(store: Store) -> list[int]:
    return sorted({int(month[:4]) for month in store.months()})


def year_tables(store: Store, year: int):
    """The year's current records, and last December's (for January's 环比)."""
    return store.tables(month_name(month_number(f"{year}-01") - 1), f"{year}-12")


def year_summary(tables, year: int, roster: Roster, rules: Rules) -> Summary:
    """The year's figures from year_tables(), January to its latest month with a return."""
    months = sorted(m for m in tables.returns["month"].unique() if m.startswith(str(year)))
    if not months:
        return summarize(tables, roster.sections, rules, [])
    previous = month_name(month_number(f"{year}-01") - 1)
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

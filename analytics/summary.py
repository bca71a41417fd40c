"""Every figure for a range of months, from the loader's tidy records: the one place that joins them.

Serves the dashboard, `python -m analytics summarize` and the exports alike. Every table carries the
rules that produced it in `.attrs["rules"]`.
"""
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics import completion, hygiene, labels, scoring, veto
from analytics.periods import LATEST, due_date, months_between, year_so_far
from analytics.records import Records
from analytics.rules import Rules


@dataclass
class Summary:
    rules: Rules
    months: list[str]
    section_months: pd.DataFrame   # one row per roster section and month in range (see section_month_table)
    bureau_months: pd.DataFrame    # one row per month: returns expected and received, rates, scores, vetoes
    areas: pd.DataFrame            # month, area: planned, achieved, over, completion_rate
    item_fail_rates: pd.DataFrame  # month, item: fails, applicable, fail_rate
    annual: pd.DataFrame           # per section, through the last month: score, rank, 先进 and why not
    reasons: pd.DataFrame          # section, month, reason: every veto as it arose
    events: pd.DataFrame           # the reported events with staff decisions applied

    def outputs(self) -> dict:
        """The tables `summarize` writes out, by name."""
        return {"section_months": self.section_months, "bureau_months": self.bureau_months, "areas": self.areas,
                "item_fail_rates": self.item_fail_rates, "annual": self.annual}

    def through(self, month: str, sections: pd.DataFrame) -> "Summary":
        """The figures as they stood at the end of `month`: its months up to `month`, the annual table through it
        (a month's downloads never show a later month)."""
        def until(table: pd.DataFrame) -> pd.DataFrame:
            return table[table["month"] <= month].reset_index(drop=True)
        return Summary(self.rules, [m for m in self.months if m <= month], until(self.section_months),
                       until(self.bureau_months), until(self.areas), until(self.item_fail_rates),
                       annual_table(self.section_months, sections, self.rules, self.reasons, month), until(self.reasons),
                       self.events)


def month_range(returns: pd.DataFrame) -> list[str]:
    """From the earliest to the latest month of the imported returns."""
    return months_between(returns["month"].min(), returns["month"].max()) if len(returns) else []


def summarize(records: Records, sections: pd.DataFrame, rules: Rules, months: list[str] | None = None,
              lead_in: str | None = None) -> Summary:
    """All figures for `months` (by default every month of the returns) from `records` (a LoadResult or the
    store's). `lead_in`, the month before the first, gives that month its 环比 changes if it has returns (without
    any, the changes are undefined, not a drop from 0); it never appears in an output table."""
    months = month_range(records.returns) if months is None else months
    span = [lead_in, *months] if months and lead_in in set(records.returns["month"]) else months
    events = veto.apply_decisions(records.events, records.decisions)
    reasons = veto.veto_reasons(events, records.tasks, rules.deployed_shortfall)
    task_counts = completion.completion(records.tasks, ["section", "month"])
    section_months = section_month_table(records, task_counts, events, sections, rules, span, reasons)
    summary = Summary(
        rules, months, _within(section_months, months), _within(bureau_month_table(task_counts, section_months), months),
        completion.completion(_without(records.tasks, lead_in), ["month", "area"]).reset_index(),
        hygiene.item_fail_rates(_without(records.inspections, lead_in), ["month"]),
        annual_table(section_months, sections, rules, reasons, months[-1]) if months else pd.DataFrame(), reasons, events)
    for table in summary.outputs().values():
        table.attrs["rules"] = rules.label
    return summary


def _within(table: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """The rows of `months` (the lead-in month's rows served only for 环比)."""
    return table[table["month"].isin(months)].reset_index(drop=True)


def _without(frame: pd.DataFrame, month: str | None) -> pd.DataFrame:
    return frame[frame["month"] != month] if month else frame


def section_month_table(records: Records, task_counts: pd.DataFrame, events: pd.DataFrame, sections: pd.DataFrame,
                        rules: Rules, months: list[str], reasons: pd.DataFrame) -> pd.DataFrame:
    """From `task_counts` (completion per section and month) and the rest of `records`: section, month, submitted,
    planned, achieved, over, completion_rate, ytd_completion_rate, nine_no_score,
    scored_rows, bonus, score, rank (within the month), veto, veto_reasons (list), pending_vetoes, warnings (list),
    and 环比 changes."""
    grid = scoring.section_month_grid(sections, months)
    received = records.returns[["section", "month"]].drop_duplicates().assign(submitted=True).set_index(["section", "month"])
    parts = (received, task_counts,
             hygiene.section_month_scores(records.inspections), scoring.bonus_points(records.bonus, rules).to_frame(),
             veto.pending_counts(events).to_frame())
    # Each part is indexed by section and month, one row each: put on the grid's rows by its index (a left
    # merge per part cost most of summarize, bench_metrics).
    keys = pd.MultiIndex.from_frame(grid)
    table = pd.concat([grid, *(part.reindex(keys).reset_index(drop=True) for part in parts)], axis=1)
    table["submitted"] = table["submitted"].fillna(False).astype(bool)
    # One row per section-month with a current return (records.py).
    table["late"] = scoring.late(records.returns.set_index(["section", "month"]).reindex(keys).reset_index(), rules.due_day)
    table = table.astype({name: "Int64" for name in (*completion.COUNTS, "scored_rows")})
    table["bonus"] = table["bonus"].fillna(0.0)
    ytd = completion.year_to_date(table[["section", "month", *completion.COUNTS]].fillna(0), ["section"])
    table["ytd_completion_rate"] = ytd["completion_rate"].reindex(table.index).astype(float)
    table["score"] = scoring.monthly_scores(table, rules)
    table["rank"] = scoring.ranks(table["score"], within=table["month"])
    table["veto"] = _vetoed(table, reasons)
    table["veto_reasons"] = _lists(keys, pd.MultiIndex.from_frame(reasons[["section", "month"]]), reasons["reason"])
    table["pending_vetoes"] = table["pending_vetoes"].fillna(0).astype(int)
    table["warnings"] = _warnings(table)
    return scoring.month_over_month(table, ["section"], {"completion_rate": "rate", "nine_no_score": "points",
                                                          "score": "points"})


def _vetoed(table: pd.DataFrame, reasons: pd.DataFrame) -> np.ndarray:
    """Whether each section-month of `table` stands vetoed: on or after its year's first veto (DOMAIN.md)."""
    keys = pd.MultiIndex.from_arrays([table["section"], table["month"].str[:4]])
    standing = veto.first_veto_months(reasons).reindex(keys).astype(object).fillna(LATEST)
    return standing.to_numpy() <= table["month"].to_numpy(dtype=object)


def _lists(index: pd.Index, keys: pd.Index, values: pd.Series) -> list[list]:
    """Per entry of `index` (unique): the list of `values` whose key in `keys` is that entry, in order (the
    positions found by the index at once, not a dict of tuples of names: bench_metrics)."""
    lists = [[] for _ in range(len(index))]
    for position, value in zip(index.get_indexer(keys).tolist(), values.tolist()):
        if position >= 0:
            lists[position].append(value)
    return lists


def _warnings(table: pd.DataFrame) -> list:
    """DOMAIN.md: a return with no planned task, or no inspection, scores 0 for that part, with a warning."""
    no_plan = (table["submitted"] & ~table["planned"].fillna(0).gt(0)).to_numpy(dtype=bool)
    no_check = (table["submitted"] & ~table["scored_rows"].fillna(0).gt(0)).to_numpy(dtype=bool)
    either = ([], [labels.NO_PLAN_WARNING], [labels.NO_CHECK_WARNING], [labels.NO_PLAN_WARNING, labels.NO_CHECK_WARNING])
    return [list(either[case]) for case in (no_plan + 2 * no_check).tolist()]


def bureau_month_table(task_counts: pd.DataFrame, section_months: pd.DataFrame) -> pd.DataFrame:
    """From `task_counts` (completion per section and month: the counts add up to the bureau's) and section_months:
    month, expected, received, completion_rate (pooled), ytd_completion_rate, nine_no_score (mean of the
    sections'), mean_score, vetoed_sections, new_vetoes, pending_vetoes, and 环比 changes."""
    by_month = section_months.groupby("month", sort=True)
    table = pd.DataFrame({
        "expected": by_month.size(),
        "received": by_month["submitted"].sum(),
        "nine_no_score": hygiene.bureau_month_scores(section_months.set_index(["section", "month"])),
        "mean_score": by_month["score"].mean(),
        "vetoed_sections": by_month["veto"].sum(),
        "new_vetoes": section_months["veto_reasons"].map(bool).groupby(section_months["month"], sort=True).sum(),
        "pending_vetoes": by_month["pending_vetoes"].sum(),
    })
    counts = task_counts[completion.COUNTS].groupby(level="month", observed=True).sum()
    table = table.join(counts.assign(completion_rate=completion.rate(counts))).reset_index()
    ytd = completion.year_to_date(table[["month", *completion.COUNTS]].fillna(0), [])
    table["ytd_completion_rate"] = ytd["completion_rate"].reindex(table.index).astype(float)
    return scoring.month_over_month(table, [], {"completion_rate": "rate", "nine_no_score": "points",
                                                "received": "count", "vetoed_sections": "count"})


def annual_table(section_months: pd.DataFrame, sections: pd.DataFrame, rules: Rules, reasons: pd.DataFrame,
                 through: str) -> pd.DataFrame:
    """The year of `through`, January to `through`: annual_score, vetoed and why, rank, 先进集体 / 先进个人."""
    year_reasons = reasons[year_so_far(reasons["month"], through)]
    annual = scoring.annual_scores(section_months, through, rules.start_month).reset_index()
    annual["veto_reasons"] = _lists(pd.Index(annual["section"]), pd.Index(year_reasons["section"]), year_reasons["reason"])
    annual["vetoed"] = annual["veto_reasons"].map(bool)
    return scoring.honours(annual, sections, rules).assign(through=through)


def to_records(table: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts: NaN → None, numpy numbers → Python numbers."""
    clean = table.astype(object).where(table.notna(), None) if len(table) else table
    return [{key: (value.item() if isinstance(value, np.generic) else value) for key, value in row.items()}
            for row in clean.to_dict("records")]


def chase_list(section_months: pd.DataFrame, sections: pd.DataFrame, month: str, due_day: int,
               today=None) -> pd.DataFrame:
    """催报: the sections without a return for `month`, their heads, and whether the due day has passed."""
    due = due_date(month, due_day)
    missing = section_months[(section_months["month"] == month) & ~section_months["submitted"]]
    table = missing[["section"]].merge(sections[["section", "head", "kind"]], on="section", how="left")
    passed = (today or dt.date.today()) > due
    chase = table.assign(due=due.isoformat(), state=labels.DUE_STATES["passed" if passed else "ahead"])
    return labels.headed(chase, ["section", "kind", "head", "due", "state"])

"""The month's 量化考核 score, the annual score, the ranking and 先进集体 / 先进个人 (DOMAIN.md).

Score = completion_points × completion rate + hygiene_points × nine-no score ÷ 100 + bonus (capped);
a part with nothing to score scores 0; a month without a return scores 0.
"""
import numpy as np
import pandas as pd

from analytics import labels
from analytics.grouping import groups
from analytics.periods import EARLIEST, LATEST, due_date, month_numbers, year_so_far
from analytics.rules import Rules


def section_month_grid(sections: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """Every roster section for every month, without months outside its 设立月份 / 撤销月份."""
    if not months:
        return pd.DataFrame({"section": pd.Series(dtype=object), "month": pd.Series(dtype=object)})
    start = sections["start_month"].astype(object).fillna(EARLIEST).astype(str).to_numpy(dtype=object)[:, None]
    end = sections["end_month"].astype(object).fillna(LATEST).astype(str).to_numpy(dtype=object)[:, None]
    every = np.array(months, dtype=object)
    # Section by section, each its months in order (a matrix of sections by months, not a cross merge).
    section, month = np.nonzero((every >= start) & (every <= end))
    return pd.DataFrame({"section": sections["section"].iloc[section].reset_index(drop=True),
                         "month": pd.Series(months).iloc[month].reset_index(drop=True)})


def late(table: pd.DataFrame, due_day: int) -> np.ndarray:
    """逾期: imported after the due day of the next month (rules); False where the import time is unknown."""
    if "imported_at" not in table or table.empty:
        return np.zeros(len(table), dtype=bool)
    due = pd.to_datetime(table["month"].map({m: due_date(m, due_day) for m in table["month"].unique()})) + pd.Timedelta(days=1)
    return (pd.to_datetime(table["imported_at"]) >= due).fillna(False).to_numpy(dtype=bool)


def bonus_points(bonus: pd.DataFrame, rules: Rules) -> pd.Series:
    """Per section and month: the points its bonus rows earn by category (from the rules, not the
    section's claim); one person's same category counts once a year; capped each month."""
    ordered = bonus.sort_values(["month", "source_row"] if "source_row" in bonus else ["month"], kind="stable")
    year = ordered["month"].str[:4]
    named = ordered["person"].astype(str).str.strip().ne("")
    repeat = named & ordered.assign(year=year).duplicated(["section", "person", "category", "year"])
    points = ordered.loc[~repeat].assign(points=lambda b: b["category"].map(rules.bonus_points).astype(float))
    return points.groupby(["section", "month"], observed=True)["points"].sum().clip(upper=rules.bonus_cap).rename("bonus")


def monthly_scores(table: pd.DataFrame, rules: Rules) -> pd.Series:
    """The month's score from submitted, completion_rate, nine_no_score and bonus columns."""
    score = (rules.completion_points * table["completion_rate"].fillna(0)
             + rules.hygiene_points * table["nine_no_score"].fillna(0) / 100 + table["bonus"].fillna(0))
    return score.where(table["submitted"], 0.0)


def annual_scores(section_months: pd.DataFrame, through: str, start_month: str | None = None) -> pd.Series:
    """Per section: the mean monthly score from January to `through` of that year (months the section
    did not exist are not in the grid, so they are left out); with the rules' 考核起始月份 `start_month`, months
    before it are left out too, not counted as 0 (a section with no month from it has no annual score)."""
    in_year = section_months[year_so_far(section_months["month"], through)]
    counted = in_year["score"].where(in_year["month"] >= start_month) if start_month else in_year["score"]
    return counted.groupby(in_year["section"], observed=True, sort=False).mean().rename("annual_score")


def ranks(scores: pd.Series, within: pd.Series | None = None) -> pd.Series:
    """Rank by score rounded to two decimals; equal scores share a rank (1, 1, 3); undefined ranks last.
    With `within` (e.g. the month of each score), ranked inside each of its groups."""
    rounded = scores.round(2)
    ranked = rounded.groupby(within, sort=False) if within is not None else rounded
    return ranked.rank(method="min", ascending=False, na_option="bottom").astype(int)


def honours(annual: pd.DataFrame, sections: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """先进集体 and 先进个人 candidates, and the reason for every exclusion.

    In: annual with section, annual_score, vetoed, veto_reasons (list). Out: per section, ordered by score:
    rank, collective (bool), head, individual (bool), reason and individual_reason (empty for a candidate)."""
    table = annual.merge(sections[["section", "head"]], on="section", how="left")
    table = table.assign(rank=ranks(table["annual_score"])).sort_values(["rank", "section"], ignore_index=True)
    eligible = ~table["vetoed"] & (table["annual_score"].round(2) >= rules.floor)
    place = table["annual_score"].where(eligible).round(2).rank(method="min", ascending=False)
    within = eligible & (place <= rules.places)
    # At most `places`: a tie straddling the last place is left to the leading group, not decided here.
    overflow = within & (place == place[within].max()) if within.sum() > rules.places else within & False
    table["collective"] = within & ~overflow
    named = table["head"].fillna("").ne("")
    table["individual"] = table["collective"] & named
    table["reason"] = np.select(  # as booleans even with no section (an empty table's columns are objects)
        [np.asarray(c, dtype=bool) for c in (table["vetoed"], table["annual_score"].isna(),
                                             table["annual_score"].round(2) < rules.floor, overflow, ~table["collective"])],
        [table["veto_reasons"].map(lambda reasons: labels.VETOED_REASON.format(
            reasons=labels.LIST_SEPARATOR.join(reasons))),
         labels.NO_ANNUAL_SCORE,
         table["annual_score"].round(2).map(lambda score: labels.BELOW_FLOOR.format(score=score, floor=rules.floor)),
         labels.TIED_BEYOND_PLACES.format(places=rules.places),
         labels.BEYOND_PLACES.format(places=rules.places)],
        "")
    table["individual_reason"] = np.where(table["collective"] & ~named, labels.NO_HEAD, table["reason"])
    return table


def month_over_month(table: pd.DataFrame, by: list[str], columns: dict) -> pd.DataFrame:
    """环比: each column's change from the previous calendar month for the same `by` keys.

    `columns` maps a column to its unit: "rate" (change in 个百分点, ×100), "points" or "count".
    The change is NaN where either month is undefined or absent."""
    table = table.copy()
    number = month_numbers(table["month"])
    # Each row's previous month by index, not by a merge of the whole table (one row per key and month); the keys
    # and month as one integer, not a MultiIndex of names (bench_metrics).
    key = (groups(table, by).codes if by else 0) * (number.max(initial=0) + 2) + number
    previous = table[list(columns)].set_axis(pd.Index(key + 1)).reindex(pd.Index(key))
    for column, unit in columns.items():
        change = table[column] - previous[column].set_axis(table.index)
        table[f"{column}_change"] = (change * 100 if unit == "rate" else change).to_numpy()
    return table


def rules_table(rules: Rules) -> pd.DataFrame:
    """The rules in force as the annual page lists them: 规则, 取值 (bonus points one row per category)."""
    names, yes_no = labels.RULE_ROWS, {True: labels.YES, False: labels.NO}
    rows = [(names["completion_points"], f"{rules.completion_points:g}"), (names["hygiene_points"], f"{rules.hygiene_points:g}"),
            (names["bonus_cap"], f"{rules.bonus_cap:g}"), (names["places"], str(rules.places)),
            (names["floor"], f"{rules.floor:g}"), (names["due_day"], labels.DUE_DAY_VALUE.format(day=rules.due_day)),
            (names["deployed_shortfall"], yes_no[bool(rules.deployed_shortfall)]),
            *([(labels.RULE_START_MONTH, labels.RULE_START_MONTH_VALUE.format(month=rules.start_month))]
              if rules.start_month else []),
            *[(names["bonus"].format(category=category), labels.POINTS_VALUE.format(points=points))
              for category, points in rules.bonus_points.items()]]
    return pd.DataFrame(rows, columns=["rule", "value"]).rename(columns=labels.RULE_NAMES)

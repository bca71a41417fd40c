"""Task completion (DOMAIN.md "Completion rate"): pooled, capped per task, undefined when nothing was planned.

Over-delivery on one task never hides a shortfall on another: each task's done is capped at its
planned count before pooling; what lies above is reported separately as over-delivery (超额).
"""
from typing import NamedTuple

import numpy as np
import pandas as pd

from analytics import labels
from analytics.grouping import groups
from analytics.intake import vocab
from analytics.periods import month_numbers

COUNTS = ["planned", "achieved", "over"]


def with_capped_counts(tasks: pd.DataFrame) -> pd.DataFrame:
    """Tasks plus `achieved` = min(done, planned) and `over` = max(done − planned, 0).

    A task planned 0 adds nothing to the rate (its achieved is 0) but its done counts as over-delivery."""
    return tasks.assign(**_capped(tasks))


def _capped(tasks: pd.DataFrame) -> dict:
    planned, done = tasks["planned"].to_numpy(), tasks["done"].to_numpy()
    over = done - planned
    return {"achieved": np.minimum(done, planned), "over": np.maximum(over, 0, out=over)}


def completion(tasks: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """planned, achieved, over and completion_rate per group; the rate is NaN where nothing was planned.

    In: tasks with planned, done and the `by` columns. Out: one row per group, indexed by `by`, in order of
    first appearance (as groupby(sort=False))."""
    # Summed by bincount over the groups' codes: a pandas groupby per call was most of summarize (bench_metrics).
    grouped = groups(tasks, by)
    counts = {"planned": tasks["planned"].to_numpy(), **_capped(tasks)}
    sums = pd.DataFrame({name: grouped.sum(values) for name, values in counts.items()}, index=grouped.index)
    return sums.assign(completion_rate=rate(sums))


def rate(counts: pd.DataFrame) -> pd.Series:
    """achieved ÷ planned, pooled; NaN (shown "—") where planned is 0."""
    return counts["achieved"] / counts["planned"].where(counts["planned"] > 0)


def year_to_date(monthly: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Counts accumulated from January to each month, per `by` and year; the rate pools them.

    In: a completion() table with a `month` column (not in the index) and `by`. Out: same rows, cumulative."""
    number = month_numbers(monthly["month"])
    # Ordered and grouped by integers, not by names (bench_metrics): the `by` keys' codes and the year as one key.
    order = np.argsort(number, kind="stable")
    ordered, year = monthly.iloc[order], number[order] // 12
    key = (groups(ordered, by).codes if by else 0) * (year.max(initial=0) + 1) + year
    cumulative = ordered[COUNTS].groupby(key, sort=False).cumsum()
    return ordered[[*by, "month"]].join(cumulative).assign(completion_rate=lambda t: rate(t))


def return_status(section_months: pd.DataFrame, month: str) -> pd.Series:
    """Whether each section expected in `month` sent its return (DOMAIN.md: a missing one is listed as 未报送).

    In: the summary's section_months (section, month, submitted), which holds only the months inside each
    section's 设立月份 / 撤销月份. Out: bool per section, indexed by section, in the roster's order."""
    rows = section_months[section_months["month"] == month].drop_duplicates("section")
    return pd.Series(rows["submitted"].astype(bool).to_numpy(), index=pd.Index(rows["section"], name="section"),
                     name="submitted")


def section_area_rates(section_months: pd.DataFrame, tasks: pd.DataFrame, month: str,
                       areas=vocab.AREA_NAMES) -> pd.DataFrame:
    """Completion rate per section and area for `month`, a row for every section expected that month.

    In: the summary's section_months and tasks (section, month, area, planned, done). Out: index section (the
    roster's order, sections without a return included), columns `areas`; NaN where nothing was planned, and
    across the whole row of a section that did not report."""
    month_tasks = tasks[tasks["month"] == month]
    rates = (completion(month_tasks, ["section", "area"])["completion_rate"].unstack("area") if len(month_tasks)
             else pd.DataFrame())
    return rates.reindex(index=return_status(section_months, month).index, columns=list(areas)).astype(float)


def section_tasks(tasks: pd.DataFrame, section: str, month: str) -> pd.DataFrame:
    """One section's tasks for `month`, with their capped counts (with_capped_counts)."""
    return with_capped_counts(tasks[(tasks["month"] == month) & (tasks["section"] == section)])


class TaskNotes(NamedTuple):
    short: list[str]   # 未完成: "task（done/planned）"
    over: list[str]    # 超额完成: "task（+over）"


def task_notes(detail: pd.DataFrame) -> TaskNotes:
    """The tasks of a section_tasks() table left short and those over-delivered, as the page lists them."""
    short = detail[detail["done"] < detail["planned"]]
    return TaskNotes([labels.SHORT_TASK.format(task=t, done=d, planned=p)
                      for t, d, p in zip(short["task"], short["done"], short["planned"])],
                     [labels.OVER_TASK.format(task=t, over=o) for t, o in zip(detail["task"], detail["over"]) if o])

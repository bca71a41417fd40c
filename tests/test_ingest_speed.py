"""The faster code of issue 12 gives what the plain code it replaced gave (hypothesis, side by side).

Each reference below is the replaced code, kept here only as the statement of what must not change.
"""
import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import completion, labels, scoring, summary, veto
from analytics.intake import loader
from analytics.periods import LATEST

cells = st.one_of(st.booleans(), st.integers(-2, 2), st.floats(allow_nan=False), st.sampled_from(["", "是", "TRUE", " 1 "]),
                  st.none(), st.dates(dt.date(2023, 1, 1), dt.date(2025, 12, 31)))
grids = st.lists(st.tuples(st.integers(1, 500), st.lists(cells, max_size=6)), max_size=25)


def column_cell_by_cell(rows, i):
    """loader._raw_frame before issue 12: every cell through one function."""
    def cell(value):
        return ("TRUE" if value else "FALSE") if type(value) is bool else value
    return [cell(cells[i]) if i < len(cells) else "" for _, cells in rows]


@settings(max_examples=50, deadline=None)
@given(grids, st.integers(0, 6))
def test_a_column_is_read_as_cell_by_cell(rows, i):
    fast, plain = loader._column(rows, i), column_cell_by_cell(rows, i)
    assert [(type(v), v) for v in fast] == [(type(v), v) for v in plain]


months = [f"2024-{m:02d}" for m in range(1, 13)]
task_rows = st.lists(st.tuples(st.sampled_from("ABCDE"), st.sampled_from(months), st.sampled_from(["宣传", "志愿"]),
                               st.integers(0, 6), st.integers(0, 9)), min_size=1, max_size=60)


def tasks_frame(rows, categorical: bool) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["section", "month", "area", "planned", "done"])
    frame.index = frame.index * 3 + 7  # not a 0..n-1 index: the counts must stay aligned with their keys
    return frame.astype({"section": "category", "month": "category"}) if categorical else frame


def completion_with_every_column(tasks, by):
    """completion.completion before issue 12: the capped counts assigned to a copy of the whole frame."""
    sums = completion.with_capped_counts(tasks).groupby(by, observed=True, sort=False)[completion.COUNTS].sum()
    return sums.assign(completion_rate=completion.rate(sums))


@settings(max_examples=40, deadline=None)
@given(task_rows, st.sampled_from([["section", "month"], ["month", "area"], ["month"], ["section"]]), st.booleans())
def test_completion_groups_as_before(rows, by, categorical):
    tasks = tasks_frame(rows, categorical)
    pd.testing.assert_frame_equal(completion.completion(tasks, by), completion_with_every_column(tasks, by))


scores = st.lists(st.tuples(st.sampled_from(months[:4]), st.one_of(st.none(), st.floats(0, 110, allow_nan=False),
                                                                     st.sampled_from([80.004, 80.001, 79.995]))),
                  min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(scores)
def test_ranks_within_months_as_month_by_month(rows):
    table = pd.DataFrame(rows, columns=["month", "score"]).astype({"score": float})
    month_by_month = table.groupby("month", sort=False)["score"].transform(scoring.ranks)
    pd.testing.assert_series_equal(scoring.ranks(table["score"], within=table["month"]), month_by_month, check_names=False)


veto_rows = st.lists(st.tuples(st.sampled_from("ABC"), st.sampled_from(["2023-11", *months[:5]]),
                               st.sampled_from(["事件", "任务未完成"])), max_size=20)
grid_rows = st.lists(st.tuples(st.sampled_from("ABCD"), st.sampled_from(["2023-12", *months[:6]]), st.booleans(),
                               st.one_of(st.none(), st.integers(0, 3)), st.one_of(st.none(), st.integers(0, 2))),
                     min_size=1, max_size=30, unique_by=lambda row: row[:2])


def vetoed_by_multiindex(table, reasons):
    """summary.section_month_table before issue 12: the standing through a MultiIndex map."""
    standing = pd.MultiIndex.from_arrays([table["section"], table["month"].str[:4]]).map(veto.first_veto_months(reasons))
    return pd.Series(standing, index=table.index, dtype=object).fillna(LATEST).astype(str) <= table["month"]


def warnings_row_by_row(table):
    """summary._warnings before issue 12."""
    no_plan = table["submitted"] & ~table["planned"].fillna(0).gt(0)
    no_check = table["submitted"] & ~table["scored_rows"].fillna(0).gt(0)
    return [[text for flag, text in ((a, labels.NO_PLAN_WARNING), (b, labels.NO_CHECK_WARNING)) if flag]
            for a, b in zip(no_plan, no_check)]


@settings(max_examples=40, deadline=None)
@given(grid_rows, veto_rows)
def test_veto_standing_and_warnings_as_before(grid, vetoes):
    reasons = pd.DataFrame(vetoes, columns=["section", "month", "reason"])
    table = pd.DataFrame(grid, columns=["section", "month", "submitted", "planned", "scored_rows"]).astype(
        {"planned": "Int64", "scored_rows": "Int64"})
    vetoed = summary._vetoed(table, reasons)
    assert vetoed.dtype == bool and vetoed.tolist() == vetoed_by_multiindex(table, reasons).tolist()
    assert summary._warnings(table) == warnings_row_by_row(table)


def test_the_references_can_tell_a_difference():
    """The equivalences above notice a change: a bool left as bool, ranks over all months, a veto a year late."""
    rows = [(1, [True, 1]), (2, [1, 0])]
    assert [type(v) for v in column_cell_by_cell(rows, 0)] == [str, int]
    table = pd.DataFrame({"month": ["2024-01", "2024-01", "2024-02"], "score": [90.0, 80.0, 85.0]})
    assert scoring.ranks(table["score"], within=table["month"]).tolist() == [1, 2, 1] != scoring.ranks(table["score"]).tolist()
    reasons = pd.DataFrame({"section": ["A"], "month": ["2024-02"], "reason": ["事件"]})
    grid = pd.DataFrame({"section": ["A"] * 3, "month": ["2024-01", "2024-02", "2025-01"]})
    assert vetoed_by_multiindex(grid, reasons).tolist() == [False, True, False]

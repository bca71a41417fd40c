"""summarize made fast (issue 12, "summarize") gives exactly what the plain code it replaced gave.

Each reference below is the replaced code, kept here only as the statement of what must not change: hypothesis
compares each new function with it on generated frames, and the whole Summary is compared with the Summary
computed with every reference put back in place (the sample database and bench_metrics' generated bureau).
bench_metrics.py --before DIR compares the Summary with the base tree's too.
"""
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import completion, hygiene, scoring, summary, workspace
from analytics.grouping import groups
from analytics.intake import vocab
from analytics.periods import EARLIEST, LATEST, month_number, month_numbers
from analytics.rules import load_rules
from benchmarks.bench_metrics import synthetic

months = ["2023-11", "2023-12", *(f"2024-{m:02d}" for m in range(1, 8))]
keys = {"section": st.sampled_from(["A", "B", "科室", None]), "month": st.sampled_from(months),
        "area": st.sampled_from(["宣传", "志愿", None])}
key_rows = st.lists(st.fixed_dictionaries({**keys, "planned": st.integers(0, 6), "done": st.integers(0, 9)}),
                    max_size=50)
orders = st.sampled_from([["section", "month"], ["month", "area"], ["month"], ["area", "section", "month"]])


def frame_of(rows, categorical: bool) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["section", "month", "area", "planned", "done"]).astype(
        {"planned": "int64", "done": "int64"})
    frame.index = frame.index * 3 + 7  # not 0..n-1: the codes must stay aligned with their rows
    return frame.astype({"section": "category", "month": "category", "area": "category"}) if categorical else frame


@settings(max_examples=60, deadline=None)
@given(key_rows, orders, st.booleans())
def test_groups_are_the_groupby_groups_in_the_same_order(rows, by, categorical):
    frame = frame_of(rows, categorical)
    grouped, plain = groups(frame, by), frame.groupby(by, observed=True, sort=False)
    sums = plain[["planned", "done"]].sum()
    pd.testing.assert_index_equal(grouped.index, sums.index, exact=True)
    assert grouped.sum(frame["planned"].to_numpy()).tolist() == sums["planned"].tolist()
    assert grouped.count(frame["done"].to_numpy() > 3).tolist() == plain["done"].agg(lambda d: (d > 3).sum()).tolist()
    scores = frame["done"].to_numpy() / frame["planned"].where(frame["planned"] > 0).to_numpy()
    plain_mean = pd.Series(scores, index=frame.index).groupby([frame[c] for c in by], observed=True, sort=False).mean()
    np.testing.assert_array_equal(grouped.mean(scores), plain_mean.to_numpy())


def completion_by_groupby(tasks, by):
    """completion.completion before issue 12's "summarize" part: a pandas groupby of the counts."""
    counts = pd.DataFrame({"planned": tasks["planned"].to_numpy(), **completion._capped(tasks)}, index=tasks.index)
    sums = counts.groupby([tasks[c] for c in by], observed=True, sort=False).sum()
    return sums.assign(completion_rate=completion.rate(sums))


@settings(max_examples=60, deadline=None)
@given(key_rows, orders, st.booleans())
def test_completion_with_missing_keys_as_by_groupby(rows, by, categorical):
    tasks = frame_of(rows, categorical)
    pd.testing.assert_frame_equal(completion.completion(tasks, by), completion_by_groupby(tasks, by), check_exact=True)


mark = st.sampled_from([1, 0, None])
inspection_rows = st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(months),
                                     st.lists(mark, min_size=9, max_size=9)), max_size=40)


def inspections_of(rows, categorical: bool) -> pd.DataFrame:
    frame = pd.DataFrame([(s, m) for s, m, _ in rows], columns=["section", "month"])
    for i, item in enumerate(hygiene.ITEMS):
        frame[item] = pd.array([marks[i] for _, _, marks in rows], dtype="Int8")
    frame.index = frame.index * 2 + 5
    return frame.astype({"section": "category", "month": "category"}) if categorical else frame


def scores_by_groupby(inspections):
    """hygiene.section_month_scores before: nansum of the marks, a groupby mean and count."""
    marks = hygiene._marks(inspections)
    applicable, passed = (~np.isnan(marks)).sum(axis=1), np.nansum(marks, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rows = pd.Series(np.where(applicable > 0, 100 * passed / applicable, np.nan), index=inspections.index)
    grouped = inspections[["section", "month"]].assign(nine_no_score=rows).groupby(
        ["section", "month"], observed=True, sort=False)["nine_no_score"]
    return pd.DataFrame({"nine_no_score": grouped.mean(), "scored_rows": grouped.count()})


def fail_rates_by_groupby(inspections, by):
    """hygiene.item_fail_rates before: two groupbys of the nine columns, stacked."""
    marks = hygiene._marks(inspections)
    keys = inspections[by].reset_index(drop=True)
    fails = pd.DataFrame(marks == 0, columns=hygiene.ITEMS).groupby([keys[c] for c in by], observed=True, sort=False).sum()
    applicable = pd.DataFrame(~np.isnan(marks), columns=hygiene.ITEMS).groupby(
        [keys[c] for c in by], observed=True, sort=False).sum()
    long = pd.DataFrame({"fails": fails.stack(), "applicable": applicable.stack()})
    long.index = long.index.set_names([*by, "item"])
    long = long.reset_index()
    long["item"] = long["item"].map({item: names[0] for item, names in vocab.NINE_ITEMS.items()})
    return long.assign(fail_rate=long["fails"] / long["applicable"].where(long["applicable"] > 0))


@settings(max_examples=60, deadline=None)
@given(inspection_rows.filter(len), st.booleans(), st.sampled_from([["month"], ["section", "month"]]))
def test_nine_no_figures_as_by_groupby(rows, categorical, by):
    inspections = inspections_of(rows, categorical)
    pd.testing.assert_frame_equal(hygiene.section_month_scores(inspections), scores_by_groupby(inspections),
                                  check_exact=True)
    pd.testing.assert_frame_equal(hygiene.item_fail_rates(inspections, by), fail_rates_by_groupby(inspections, by),
                                  check_exact=True)


def grid_by_cross_merge(sections, months):
    """scoring.section_month_grid before: a cross merge of the roster and the months, filtered."""
    grid = sections[["section", "start_month", "end_month"]].merge(pd.DataFrame({"month": months}), how="cross")
    start = grid["start_month"].astype(object).fillna(EARLIEST).astype(str)
    end = grid["end_month"].astype(object).fillna(LATEST).astype(str)
    return grid.loc[(grid["month"] >= start) & (grid["month"] <= end), ["section", "month"]].reset_index(drop=True)


open_month = st.one_of(st.none(), st.sampled_from(months))
roster_rows = st.lists(st.tuples(open_month, open_month), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(roster_rows, st.lists(st.sampled_from(months), min_size=1, max_size=9, unique=True).map(sorted))
def test_the_grid_as_by_cross_merge(spans, span):
    sections = pd.DataFrame({"section": [f"科室{i}" for i in range(len(spans))],
                             "start_month": [s for s, _ in spans], "end_month": [e for _, e in spans]})
    pd.testing.assert_frame_equal(scoring.section_month_grid(sections, span), grid_by_cross_merge(sections, span),
                                  check_exact=True)


def month_over_month_by_multiindex(table, by, columns):
    """scoring.month_over_month before: the previous month through a MultiIndex of names."""
    table = table.copy()
    number = table["month"].map({m: month_number(m) for m in table["month"].unique()})
    previous = table[list(columns)].set_axis(pd.MultiIndex.from_arrays([*(table[c] for c in by), number + 1]))
    previous = previous.reindex(pd.MultiIndex.from_arrays([*(table[c] for c in by), number]))
    for column, unit in columns.items():
        change = table[column] - previous[column].set_axis(table.index)
        table[f"{column}_change"] = (change * 100 if unit == "rate" else change).to_numpy()
    return table


def year_to_date_by_names(monthly, by):
    """completion.year_to_date before: sorted by the month's name, grouped by the year's."""
    ordered = monthly.sort_values("month")
    year = ordered["month"].str[:4]
    cumulative = ordered.groupby([*(ordered[c] for c in by), year], observed=True, sort=False)[completion.COUNTS].cumsum()
    return ordered[[*by, "month"]].join(cumulative).assign(completion_rate=lambda t: completion.rate(t))


monthly_rows = st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(months), st.integers(0, 9),
                                  st.integers(0, 9), st.integers(0, 3)), min_size=1, max_size=30,
                        unique_by=lambda r: r[:2])


@settings(max_examples=60, deadline=None)
@given(monthly_rows, st.booleans())
def test_changes_and_year_to_date_as_by_names(rows, per_section):
    table = pd.DataFrame(rows, columns=["section", "month", "planned", "achieved", "over"]).astype(
        {"section": str, "month": str, "planned": "int64", "achieved": "int64", "over": "int64"})
    table = table.sample(frac=1, random_state=len(rows))  # in no order
    if not per_section:
        table = table.drop_duplicates("month")
    by = ["section"] if per_section else []
    columns = {"planned": "count", "achieved": "rate"}
    pd.testing.assert_frame_equal(scoring.month_over_month(table, by, columns),
                                  month_over_month_by_multiindex(table, by, columns), check_exact=True)
    pd.testing.assert_frame_equal(completion.year_to_date(table, by).sort_index(),
                                  year_to_date_by_names(table, by).sort_index(), check_exact=True)
    assert month_numbers(table["month"]).tolist() == [month_number(m) for m in table["month"]]


def lists_by_dict(index, keys, values):
    """summary's lists of veto reasons before: a dict of lists by key, looked up row by row."""
    listed = defaultdict(list)
    for key, value in zip(keys, values):
        listed[key].append(value)
    return [listed.get(key, []) for key in index]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABCD"), st.sampled_from(months[:3]), st.text(max_size=3)), max_size=20))
def test_reasons_listed_per_row_as_by_dict(rows):
    index = pd.MultiIndex.from_product([["A", "B", "C"], months[:3]])  # no D: its reasons are not listed
    keys = pd.MultiIndex.from_tuples([row[:2] for row in rows]) if rows else pd.MultiIndex.from_arrays([[], []])
    values = pd.Series([row[2] for row in rows], dtype=object)
    assert summary._lists(index, keys, values) == lists_by_dict(index, list(keys), values)


REFERENCES = [(completion, "completion", completion_by_groupby), (hygiene, "section_month_scores", scores_by_groupby),
              (hygiene, "item_fail_rates", fail_rates_by_groupby), (scoring, "section_month_grid", grid_by_cross_merge),
              (scoring, "month_over_month", month_over_month_by_multiindex),
              (completion, "year_to_date", year_to_date_by_names)]


def tables(result: summary.Summary) -> dict:
    return {**result.outputs(), "reasons": result.reasons, "events": result.events}


def assert_same_summaries(compute, monkeypatch):
    """`compute()`'s Summaries equal, table by table and exactly, those computed with the references in place."""
    fast = compute()
    with monkeypatch.context() as patched:
        for module, name, reference in REFERENCES:
            patched.setattr(module, name, reference)
        patched.setattr(summary, "_lists", lambda index, keys, values: lists_by_dict(index, list(keys), values))
        plain = compute()
    assert fast.keys() == plain.keys()
    for name in fast:
        for table in tables(fast[name]):
            pd.testing.assert_frame_equal(tables(fast[name])[table], tables(plain[name])[table], check_exact=True)


def test_the_bench_bureau_summarized_as_with_the_references(monkeypatch):
    records, roster = synthetic(40, 30)
    rules = load_rules()
    assert_same_summaries(lambda: {"all": summary.summarize(records, roster, rules),
                                   "lead-in": summary.summarize(records, roster, rules, ["2015-02", "2015-03"], "2015-01"),
                                   "vetoed sections": summary.summarize(records, roster.iloc[::3], rules)}, monkeypatch)


def test_the_sample_database_summarized_as_with_the_references(sample_url, monkeypatch):
    store = workspace.open_store(sample_url)

    def every_year_and_section():
        years = {number: workspace.year(store, number) for number in workspace.years(store)}
        return {**{str(n): y.summary for n, y in years.items()},
                **{f"{n} {s}": y.of_section(s).summary for n, y in years.items() for s in y.roster.sections["section"]}}
    assert_same_summaries(every_year_and_section, monkeypatch)


@pytest.mark.parametrize("broken", ["ulp", "order"])
def test_the_comparisons_can_tell_a_difference(broken):
    """A mean summed plainly (not as pandas sums) and groups in sorted order are both caught."""
    frame = frame_of([{"section": s, "month": "2024-01", "area": "宣传", "planned": p, "done": 1}
                      for s, p in (("B", 3), ("A", 7), ("B", 3), ("B", 3))], categorical=False)
    if broken == "ulp":
        values = np.array([0.1] * 10)
        codes = np.zeros(len(values), dtype=int)
        assert np.bincount(codes, weights=values)[0] / len(values) != pd.Series(values).groupby(codes).mean()[0]
        assert groups(pd.DataFrame({"k": codes}), ["k"]).mean(values)[0] == pd.Series(values).groupby(codes).mean()[0]
    else:
        sorted_sums = frame.groupby(["section"], observed=True, sort=True)[["planned"]].sum()
        with pytest.raises(AssertionError):
            pd.testing.assert_index_equal(groups(frame, ["section"]).index, sorted_sums.index)
        pd.testing.assert_index_equal(groups(frame, ["section"]).index,
                                      frame.groupby(["section"], observed=True, sort=False)[["planned"]].sum().index)


def test_a_veto_reason_changed_is_a_different_summary(monkeypatch):
    """assert_same_summaries notices one changed word."""
    records, roster = synthetic(10, 3)
    rules = load_rules()

    def compute():
        return {"all": summary.summarize(records, roster, rules)}
    monkeypatch.setattr(summary, "_lists", lambda index, keys, values: lists_by_dict(
        index, list(keys), values.str.replace("任务", "x")))
    with pytest.raises(AssertionError):
        assert_same_summaries(compute, monkeypatch)

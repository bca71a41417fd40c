"""Properties that must hold for any returns (hypothesis)."""
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import completion, hygiene
from tests import tables as t

task_rows = st.lists(st.tuples(st.sampled_from("ABCD"), st.integers(0, 20), st.integers(0, 30)), min_size=1, max_size=40)
marks = st.text(alphabet="√×—", min_size=9, max_size=9)
inspection_rows = st.lists(st.tuples(st.sampled_from("ABC"), marks), min_size=1, max_size=30)


def section_rates(rows) -> dict:
    frame = t.tasks(*[(section, "2024-03", planned, done) for section, planned, done in rows])
    return completion.completion(frame, ["section"])["completion_rate"].to_dict()


def same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(
        (math.isnan(a[k]) and math.isnan(b[k])) or math.isclose(a[k], b[k]) for k in a)


@given(task_rows)
def test_rates_stay_between_0_and_1(rows):
    assert all(0 <= r <= 1 for r in section_rates(rows).values() if not math.isnan(r))


@given(task_rows, st.randoms())
def test_row_order_never_changes_a_figure(rows, random):
    shuffled = rows[:]
    random.shuffle(shuffled)
    assert same(section_rates(rows), section_rates(shuffled))


@given(inspection_rows, st.randoms())
def test_row_order_never_changes_a_nine_no_score(rows, random):
    def scores(rs):
        frame = t.inspections(*[(s, "2024-03", f"室{n}", m) for n, (s, m) in enumerate(rs)])
        return hygiene.section_month_scores(frame)["nine_no_score"].to_dict()
    shuffled = rows[:]
    random.shuffle(shuffled)
    assert same(scores(rows), scores(shuffled))


@given(task_rows, st.sampled_from("ABCD"), st.integers(1, 20), st.integers(0, 10))
def test_adding_a_task_done_in_full_never_lowers_a_rate(rows, section, planned, extra):
    before = section_rates(rows).get(section, math.nan)
    after = section_rates([*rows, (section, planned, planned + extra)])[section]
    assert math.isnan(before) or after >= before - 1e-12


@given(task_rows)
@settings(max_examples=200)
def test_the_bureau_rate_lies_between_the_lowest_and_highest_section_rates(rows):
    defined = [r for r in section_rates(rows).values() if not math.isnan(r)]
    frame = t.tasks(*[(section, "2024-03", planned, done) for section, planned, done in rows])
    bureau = completion.completion(frame, ["month"])["completion_rate"].iloc[0]
    if defined:
        assert min(defined) - 1e-12 <= bureau <= max(defined) + 1e-12
    else:
        assert math.isnan(bureau)


@given(inspection_rows)
def test_nine_no_scores_stay_between_0_and_100(rows):
    frame = t.inspections(*[(s, "2024-03", f"室{n}", m) for n, (s, m) in enumerate(rows)])
    scores = hygiene.row_scores(frame)
    assert all(0 <= s <= 100 for s in scores if not math.isnan(s))
    assert all(math.isnan(s) == (m == "—" * 9) for s, (_, m) in zip(scores, rows))

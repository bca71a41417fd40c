"""Worked examples, written out by hand from DOMAIN.md, for every figure a leader acts on."""
import datetime as dt
import math

import pytest

from analytics import completion, hygiene, scoring, veto
from analytics.rules import load_rules
from analytics.summary import summarize
from tests import tables as t

RULES = load_rules()


def row(summary, section, month):
    table = summary.section_months
    (found,) = table[(table["section"] == section) & (table["month"] == month)].to_dict("records")
    return found


# Completion ------------------------------------------------------------------------------------

def test_pooled_not_averaged():
    # A: 1 of 1 and 0 of 9. Averaging the two rates would give 50%; pooling gives 1/10.
    rates = completion.completion(t.tasks(("A", "2024-03", 1, 1), ("A", "2024-03", 9, 0)), ["section"])
    assert rates.loc["A", "completion_rate"] == pytest.approx(0.1)


def test_over_delivery_is_capped_and_reported_apart():
    # 5 done of 2 planned cannot hide 0 done of 2: 2/4, with 3 over.
    rates = completion.completion(t.tasks(("A", "2024-03", 2, 5), ("A", "2024-03", 2, 0)), ["section"])
    assert rates.loc["A"].to_dict() == {"planned": 4, "achieved": 2, "over": 3, "completion_rate": 0.5}


def test_nothing_planned_is_undefined_not_zero_or_full():
    rates = completion.completion(t.tasks(("A", "2024-03", 0, 2), ("B", "2024-03", 0, 0)), ["section"])
    assert math.isnan(rates.loc["A", "completion_rate"]) and math.isnan(rates.loc["B", "completion_rate"])
    assert rates.loc["A", "over"] == 2


def test_bureau_and_year_to_date_pool_the_counts():
    tasks = t.tasks(("A", "2024-01", 1, 1), ("B", "2024-01", 3, 0), ("A", "2024-02", 4, 4), ("A", "2025-01", 2, 1))
    bureau = completion.completion(tasks, ["month"])
    assert bureau.loc["2024-01", "completion_rate"] == pytest.approx(1 / 4)  # not (100% + 0%) / 2
    monthly = completion.completion(tasks, ["section", "month"]).reset_index()
    ytd = completion.year_to_date(monthly, ["section"]).set_index(["section", "month"])["completion_rate"]
    assert ytd[("A", "2024-02")] == pytest.approx(5 / 5) and ytd[("A", "2025-01")] == pytest.approx(1 / 2)


def test_the_contract_example():
    # RETURN_FORMAT.md's example: completion 6/7. Its nine-no rows are not given there; these three (8/9, 9/9, and
    # 7/8 with one item not applicable) give nine-no 92.1296296296, so score 60 × 6/7 + 30 × 0.921296 = 79.0674603175.
    batch = t.batch(
        [("预算科", "2024-03", 4, 4), ("预算科", "2024-03", 3, 2)],
        [("预算科", "2024-03", "302室", "√√√√√√√√×"), ("预算科", "2024-03", "卫生间", "√√√√√√√√√"),
         ("预算科", "2024-03", "档案室", "√√√√√—√√×")])
    found = row(summarize(batch, t.sections("预算科"), RULES), "预算科", "2024-03")
    assert found["completion_rate"] == pytest.approx(6 / 7)
    assert found["nine_no_score"] == pytest.approx((800 / 9 + 100 + 700 / 8) / 3) == pytest.approx(92.12962963)
    assert found["score"] == pytest.approx(60 * 6 / 7 + 30 * found["nine_no_score"] / 100) == pytest.approx(79.06746032)


# Nine-no --------------------------------------------------------------------------------------

def test_nine_no_row_and_section_scores():
    inspections = t.inspections(("A", "2024-03", "室1", "√√√√√√√√×"), ("A", "2024-03", "室2", "√√√√√—√√√"),
                                ("A", "2024-03", "室3", "—————————"))
    assert hygiene.row_scores(inspections).round(4).tolist()[:2] == [88.8889, 100.0]
    assert math.isnan(hygiene.row_scores(inspections).iloc[2])  # no applicable item: not scored
    scores = hygiene.section_month_scores(inspections)
    assert scores.loc[("A", "2024-03")].tolist() == pytest.approx([(800 / 9 + 100) / 2, 2])


def test_bureau_nine_no_weighs_each_section_the_same():
    # A inspected ten places all clean; B one place at 8/9. Bureau = (100 + 88.89) / 2, not pooled rows.
    rows = [("A", "2024-03", f"室{n}", "√" * 9) for n in range(10)] + [("B", "2024-03", "室", "√√√√√√√√×")]
    bureau = hygiene.bureau_month_scores(hygiene.section_month_scores(t.inspections(*rows)))
    assert bureau["2024-03"] == pytest.approx((100 + 800 / 9) / 2)


def test_item_and_place_fail_rates():
    inspections = t.inspections(("A", "2024-03", "室1", "×√√√√—√√√"), ("A", "2024-03", "室2", "√√√√√—√√√"),
                                ("A", "2024-03", "卫生间", "××√√√×√√√"))
    items = hygiene.item_fail_rates(inspections, ["month"]).set_index("item")
    assert items.loc["无烟头", "fail_rate"] == pytest.approx(2 / 3)
    assert items.loc["厕所无臭味", ["fails", "applicable"]].tolist() == [1, 1]
    places = hygiene.place_fail_rates(inspections, ["section"]).set_index("place")
    assert places.loc["卫生间", "fail_rate"] == pytest.approx(3 / 9) and places.loc["室2", "fails"] == 0


# Veto -------------------------------------------------------------------------------------------

MARCH12 = dt.date(2024, 3, 12)


def test_pending_then_confirmed_is_pending_in_march_and_a_veto_from_april_counted_once():
    events = [("A", "2024-03", MARCH12, "其他", "pending"), ("A", "2024-04", MARCH12, "其他", "confirmed"),
              ("A", "2024-05", MARCH12, "其他", "confirmed")]
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    batch = t.batch([("A", m, 1, 1) for m in months], event_rows=events)
    summary = summarize(batch, t.sections("A"), RULES)
    got = {m: (row(summary, "A", m)["veto"], row(summary, "A", m)["veto_reasons"],
               row(summary, "A", m)["pending_vetoes"]) for m in ("2024-02", "2024-03", "2024-04", "2024-05", "2024-12")}
    assert got == {"2024-02": (False, [], 0), "2024-03": (False, [], 1), "2024-04": (True, ["其他"], 0),
                   "2024-05": (True, [], 0), "2024-12": (True, [], 0)}


def test_a_veto_stands_for_the_rest_of_its_year_only():
    events = [("A", "2024-11", dt.date(2024, 11, 2), "安全责任事故", "confirmed")]
    batch = t.batch([("A", m, 1, 1) for m in ("2024-10", "2024-11", "2024-12", "2025-01")], event_rows=events)
    summary = summarize(batch, t.sections("A"), RULES)
    assert [row(summary, "A", m)["veto"] for m in ("2024-10", "2024-11", "2024-12", "2025-01")] == [
        False, True, True, False]


def test_a_later_return_cannot_undo_a_confirmation():
    events = [("A", "2024-03", MARCH12, "其他", "confirmed"), ("A", "2024-04", MARCH12, "其他", "dismissed")]
    summary = summarize(t.batch([("A", "2024-03", 1, 1), ("A", "2024-04", 1, 1)], event_rows=events),
                        t.sections("A"), RULES)
    assert [row(summary, "A", m)["veto"] for m in ("2024-03", "2024-04")] == [True, True]


def test_dismissed_and_pending_events_are_shown_but_no_veto():
    events = [("A", "2024-03", MARCH12, "其他", "dismissed"), ("B", "2024-03", MARCH12, "违法违纪案件", "pending")]
    batch = t.batch([("A", "2024-03", 1, 1), ("B", "2024-03", 1, 1)], event_rows=events)
    summary = summarize(batch, t.sections("A", "B"), RULES)
    assert (row(summary, "A", "2024-03")["veto"], row(summary, "A", "2024-03")["pending_vetoes"]) == (False, 0)
    assert (row(summary, "B", "2024-03")["veto"], row(summary, "B", "2024-03")["pending_vetoes"]) == (False, 1)
    listed = veto.event_list(t.events(*events)).set_index("section")["latest_status"].to_dict()
    assert listed == {"A": "dismissed", "B": "pending"}


def test_deployed_task_left_short_vetoes_naming_the_task_unless_the_rules_say_not():
    tasks = [("A", "2024-09", 1, 0, "文明城市创建", "义务洁城日", True), ("A", "2024-09", 2, 1, "文化活动", "文体活动", False)]
    reasons = veto.veto_reasons(t.events(), t.tasks(*tasks), deployed_shortfall=True)
    assert reasons.values.tolist() == [["A", "2024-09", "未完成市文明办部署任务：义务洁城日"]]
    assert veto.veto_reasons(t.events(), t.tasks(*tasks), deployed_shortfall=False).empty


# Scores -----------------------------------------------------------------------------------------

def test_missing_return_scores_zero_and_counts_in_the_annual_mean():
    batch = t.batch([("A", "2024-01", 1, 1), ("A", "2024-03", 1, 1), ("B", "2024-01", 1, 1),
                     ("B", "2024-02", 1, 1), ("B", "2024-03", 1, 1)],
                    [(s, m, "室", "√" * 9) for s, m in (("A", "2024-01"), ("A", "2024-03"), ("B", "2024-01"),
                                                       ("B", "2024-02"), ("B", "2024-03"))])
    summary = summarize(batch, t.sections("A", "B"), RULES)
    assert summary.section_months.set_index(["section", "month"])["rank"].to_dict() == {
        ("A", "2024-01"): 1, ("A", "2024-02"): 2, ("A", "2024-03"): 1, ("B", "2024-01"): 1, ("B", "2024-02"): 1,
        ("B", "2024-03"): 1}
    missing = row(summary, "A", "2024-02")
    assert (missing["submitted"], missing["score"], missing["warnings"]) == (False, 0.0, [])
    assert math.isnan(missing["completion_rate"])
    annual = summary.annual.set_index("section")["annual_score"]
    assert annual.to_dict() == pytest.approx({"A": 90 * 2 / 3, "B": 90.0})


def test_no_planned_task_or_no_inspection_scores_zero_for_that_part_with_a_warning():
    batch = t.batch([("A", "2024-03", 0, 0)], returned=[("A", "2024-03")])
    found = row(summarize(batch, t.sections("A"), RULES), "A", "2024-03")
    assert found["score"] == 0 and found["submitted"]
    assert found["warnings"] == ["本月无计划任务，任务完成部分计 0 分", "本月无九无卫生检查记录，卫生部分计 0 分"]


def test_bonus_by_category_once_a_year_per_person_capped_monthly():
    rows = [("A", "2024-03", "注册会计师", "张三"), ("A", "2024-03", "职称考试", "张三"), ("A", "2024-05", "注册会计师", "张三"),
            *[("B", "2024-03", "信息宣传", f"人{n}") for n in range(12)], ("A", "2025-01", "注册会计师", "张三")]
    points = scoring.bonus_points(t.bonus(*rows), RULES)
    assert points.to_dict() == {("A", "2024-03"): 5.0, ("B", "2024-03"): 10.0, ("A", "2025-01"): 3.0}


def test_months_outside_a_sections_existence_are_left_out():
    sections = t.sections("A", "新科", "旧科", months={"新科": ("2024年3月", ""), "旧科": ("", "2024-02")})
    grid = scoring.section_month_grid(sections, ["2024-01", "2024-02", "2024-03"])
    assert grid.groupby("section")["month"].agg(list).to_dict() == {
        "A": ["2024-01", "2024-02", "2024-03"], "新科": ["2024-03"], "旧科": ["2024-01", "2024-02"]}


def test_ranks_share_on_two_decimals_and_undefined_ranks_last():
    import pandas as pd

    scores = pd.Series({"A": 90.001, "B": 89.999, "C": 85.0, "D": float("nan")})
    assert scoring.ranks(scores).to_dict() == {"A": 1, "B": 1, "C": 3, "D": 4}


def test_honours_exclude_vetoed_below_floor_and_beyond_places_with_reasons():
    import pandas as pd

    annual = pd.DataFrame({"section": ["A", "B", "C", "D", "E"], "annual_score": [95.0, 93.0, 91.0, 90.0, 79.99],
                           "veto_reasons": [[], ["其他"], [], [], []]}).assign(vetoed=lambda a: a["veto_reasons"].map(bool))
    rules = load_rules()
    object.__setattr__(rules, "places", 2)
    table = scoring.honours(annual, t.sections("A", "B", "C", "D", "E", heads={"C": ""}), rules).set_index("section")
    assert table["collective"].to_dict() == {"A": True, "B": False, "C": True, "D": False, "E": False}
    assert table["individual"].to_dict() == {"A": True, "B": False, "C": False, "D": False, "E": False}
    assert table["reason"].to_dict() == {"A": "", "B": "一票否决：其他", "C": "", "D": "超出名额（2个）",
                                         "E": "年度得分 79.99 低于分数线 80"}
    assert table.loc["C", "individual_reason"] == "名册中未填写负责人"
    assert table.loc["B", "individual_reason"] == "一票否决：其他"


def test_a_tie_on_the_last_place_is_left_to_the_leading_group():
    import pandas as pd

    annual = pd.DataFrame({"section": ["A", "B", "C", "D"], "annual_score": [95.0, 90.0, 90.0, 85.0],
                           "veto_reasons": [[]] * 4, "vetoed": [False] * 4})
    rules = load_rules()
    object.__setattr__(rules, "places", 2)
    table = scoring.honours(annual, t.sections("A", "B", "C", "D"), rules).set_index("section")
    assert table["collective"].to_dict() == {"A": True, "B": False, "C": False, "D": False}
    assert table.loc["B", "reason"].startswith("与其他科室同分并列")


def test_month_over_month_in_points_and_undefined_where_either_month_is():
    batch = t.batch([("A", "2024-01", 4, 2), ("A", "2024-02", 4, 3), ("A", "2024-04", 4, 4), ("A", "2024-05", 0, 0)])
    summary = summarize(batch, t.sections("A"), RULES)
    changes = summary.section_months.set_index("month")["completion_rate_change"]
    assert changes["2024-02"] == pytest.approx(25.0)  # 个百分点
    assert all(math.isnan(changes[m]) for m in ("2024-01", "2024-03", "2024-04", "2024-05"))
    bureau = summary.bureau_months.set_index("month")
    assert bureau.loc["2024-03", "received_change"] == -1 and bureau.loc["2024-04", "received_change"] == 1


def test_every_table_names_its_rules():
    summary = summarize(t.batch([("A", "2024-03", 1, 1)]), t.sections("A"), RULES)
    assert {name: table.attrs["rules"] for name, table in summary.outputs().items()} == dict.fromkeys(
        summary.outputs(), RULES.label)
    assert RULES.label.startswith("default_rules.toml（") and len(RULES.digest) == 8

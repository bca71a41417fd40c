"""All metrics over a large bureau: 500 sections x 120 months (issue 3).

Synthetic tidy tables in the loader's columns (about 1.5 million task rows, 300,000 inspections), with
categorical section and month keys as a store would hand them over. Times each metric and the whole
summary, and prints rows/s. Target (issue 12): summarize under 0.5 s on a 2-core machine. The CPU time is
printed beside the wall time: on a shared machine it is the figure to compare between runs.

    python benchmarks/bench_metrics.py [--sections 500] [--months 120]
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics import completion, hygiene, scoring, veto  # noqa: E402
from analytics.intake import vocab
from analytics.periods import month_name, month_number  # noqa: E402
from analytics.records import Records
from analytics.rules import load_rules  # noqa: E402
from analytics.summary import summarize  # noqa: E402


def synthetic(sections: int, months: int, tasks_per_month: int = 25, inspections_per_month: int = 5, seed: int = 1):
    rng = np.random.default_rng(seed)
    names = [f"科室{n:03d}" for n in range(sections)]
    month_names = [month_name(month_number("2015-01") + m) for m in range(months)]
    section_cat = pd.CategoricalDtype(names)
    month_cat = pd.CategoricalDtype(month_names, ordered=True)

    def keys(per):
        n = sections * months * per
        return (pd.Categorical.from_codes(np.repeat(np.arange(sections), months * per), dtype=section_cat),
                pd.Categorical.from_codes(np.tile(np.repeat(np.arange(months), per), sections), dtype=month_cat), n)

    section, month, n = keys(tasks_per_month)
    planned = rng.integers(0, 5, n)
    tasks = pd.DataFrame({"section": section, "month": month,
                          "area": pd.Categorical.from_codes(rng.integers(0, 7, n), categories=list(vocab.AREA_NAMES)),
                          "task": pd.Categorical.from_codes(rng.integers(0, 18, n), categories=[f"任务{i}" for i in range(18)]),
                          "planned": planned, "done": np.maximum(planned + rng.integers(-2, 2, n), 0),
                          "deployed": rng.random(n) < 0.05})
    section, month, n = keys(inspections_per_month)
    marks = rng.choice(np.array([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, np.nan]), size=(n, 9))
    inspections = pd.DataFrame({"section": section, "month": month,
                                "place": pd.Categorical.from_codes(rng.integers(0, 6, n), categories=list("ABCDEF"))})
    for i, item in enumerate(vocab.NINE_ITEMS):
        inspections[item] = pd.arrays.IntegerArray(
            np.nan_to_num(marks[:, i]).astype(np.int8), np.isnan(marks[:, i]))
    chosen = rng.choice(sections * months, size=sections // 5, replace=False)
    events = pd.DataFrame({"section": pd.Categorical([names[c // months] for c in chosen], dtype=section_cat),
                           "month": pd.Categorical([month_names[c % months] for c in chosen], dtype=month_cat),
                           "date": [None] * len(chosen), "category": "其他", "description": "",
                           "status": rng.choice(["confirmed", "pending", "dismissed"], len(chosen)), "handling": ""})
    bonus = pd.DataFrame({"section": events["section"], "month": events["month"], "date": None,
                          "category": rng.choice(list(vocab.BONUS_CATEGORIES), len(chosen)),
                          "person": [f"人{i}" for i in range(len(chosen))], "note": ""})
    returns = pd.DataFrame({"section": pd.Categorical.from_codes(np.repeat(np.arange(sections), months), dtype=section_cat),
                            "month": pd.Categorical.from_codes(np.tile(np.arange(months), sections), dtype=month_cat)})
    roster = pd.DataFrame({"section": names, "head": [f"负责人{n}" for n in range(sections)], "kind": "科室",
                           "aliases": [()] * sections, "start_month": None, "end_month": None})
    return Records(tasks, inspections, events, bonus, returns), roster


TARGET_SECONDS = 0.5


def timed(label: str, rows: int, run, results: list) -> None:
    best, cpu = min(_once(run) for _ in range(3))
    results.append(best)
    print(f"{label:38s} {best * 1000:8.1f} ms {rows / best / 1e6:8.2f} M rows/s {cpu * 1000:8.1f} ms CPU")


def _once(run) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=500)
    parser.add_argument("--months", type=int, default=120)
    args = parser.parse_args()
    tables, roster = synthetic(args.sections, args.months)
    rules = load_rules()
    tasks, inspections = len(tables.tasks), len(tables.inspections)
    print(f"{args.sections} sections x {args.months} months: {tasks:,} task rows, {inspections:,} inspection rows")
    parts = []
    timed("completion per section-month", tasks, lambda: completion.completion(tables.tasks, ["section", "month"]), parts)
    timed("completion per area and month", tasks, lambda: completion.completion(tables.tasks, ["month", "area"]), parts)
    timed("completion per bureau-month", tasks, lambda: completion.completion(tables.tasks, ["month"]), parts)
    timed("nine-no per section-month", inspections, lambda: hygiene.section_month_scores(tables.inspections), parts)
    timed("nine-no item fail rates per month", inspections,
          lambda: hygiene.item_fail_rates(tables.inspections, ["month"]), parts)
    timed("veto reasons (events, shortfalls)", tasks, lambda: veto.veto_reasons(tables.events, tables.tasks, True), parts)
    timed("bonus points", len(tables.bonus), lambda: scoring.bonus_points(tables.bonus, rules), parts)
    print(f"{'sum of the parts':38s} {sum(parts) * 1000:8.1f} ms")
    whole = []
    timed("summarize: every table, joined", tasks + inspections, lambda: summarize(tables, roster, rules), whole)
    print(f"target: under {TARGET_SECONDS * 1000:.0f} ms -> {'met' if whole[0] < TARGET_SECONDS else 'NOT met'}")


if __name__ == "__main__":
    main()

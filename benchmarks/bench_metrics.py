"""All metrics over a large bureau: 500 sections x 120 months (issue 3), and summarize before and after (issue 12).

Synthetic tidy tables in the loader's columns (about 1.5 million task rows, 300,000 inspections), with
categorical section and month keys as a store would hand them over. Times each metric, then the whole summary.
Target (issue 12): summarize under 0.5 s on a 2-core machine. The CPU time is printed beside the wall time: on a
shared machine it is the figure to compare between runs.

With `--before DIR` (another checkout, e.g. `git archive f5cc9bb | tar -x -C DIR`), summarize runs in a fresh
interpreter from each tree on the same data, alternately, `--repeats` times each: the medians side by side, and
whether every table of the Summary is equal (exactly) between the trees, for the synthetic data and for each year
of the sample database (and each section's own view of it).

    python benchmarks/bench_metrics.py [--sections 500] [--months 120] [--repeats 7] [--before DIR]
"""
import argparse
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics import completion, hygiene, scoring, veto  # noqa: E402
from analytics.intake import vocab  # noqa: E402
from analytics.periods import month_name, month_number  # noqa: E402
from analytics.records import Records  # noqa: E402
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


# Run in the tree measured: summarize the pickled records `repeats` times (after one warm-up), and the sample
# database's years; pickle the times and every table.
IN_TREE = """
import pickle, sys, time
from analytics import workspace
from analytics.records import Records  # noqa: E402
from analytics.rules import load_rules
from analytics.summary import summarize
data, sample, repeats, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
with open(data, "rb") as file:
    frames, roster = pickle.load(file)
records, rules = Records(**frames), load_rules()
summarize(records, roster, rules)
times = []
for _ in range(repeats):
    start, cpu = time.perf_counter(), time.process_time()
    summary = summarize(records, roster, rules)
    times.append((time.perf_counter() - start, time.process_time() - cpu))
tables = {"synthetic": summary}
store = workspace.open_store(f"sqlite:///{sample}") if sample else None
for number in workspace.years(store) if store else []:
    year = workspace.year(store, number)
    tables[str(number)] = year.summary
    for section in year.roster.sections["section"]:
        tables[f"{number} {section}"] = year.of_section(section).summary
tables = {name: {**s.outputs(), "reasons": s.reasons, "events": s.events} for name, s in tables.items()}
with open(out, "wb") as file:
    pickle.dump((times, tables), file)
"""


def in_tree(tree: Path, data: Path, sample: Path, repeats: int, out: Path) -> tuple[list, dict]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run([sys.executable, "-c", IN_TREE, str(data), str(sample), str(repeats), str(out)], cwd=tree, env=env,
                   check=True)
    with open(out, "rb") as file:
        return pickle.load(file)


def differences(before: dict, after: dict) -> list[str]:
    """The names of the summaries and tables that are not exactly equal between the trees."""
    import pandas as pd
    unequal = [name for name in before.keys() ^ after.keys()]
    for name in before.keys() & after.keys():
        for table in before[name]:
            try:
                pd.testing.assert_frame_equal(before[name][table], after[name][table], check_exact=True)
            except AssertionError:
                unequal.append(f"{name}: {table}")
    return unequal


def side_by_side(tables: Records, roster: pd.DataFrame, before: Path, repeats: int) -> None:
    from analytics import workspace
    with tempfile.TemporaryDirectory() as folder:
        data, sample = Path(folder) / "records.pickle", Path(folder) / "sample.sqlite"
        with open(data, "wb") as file:
            pickle.dump(({name: getattr(tables, name) for name in ("tasks", "inspections", "events", "bonus",
                                                                     "returns")}, roster), file)
        workspace.open_store(f"sqlite:///{sample}").engine.dispose()
        runs, summaries = {"before": [], "after": []}, {}
        for repeat in range(repeats):  # alternately, so both trees see the same load; the sample's years once
            for name, tree in (("before", before), ("after", ROOT)):
                times, tables_of = in_tree(tree, data, sample if repeat == 0 else "", 1, Path(folder) / "out.pickle")
                runs[name] += times
                summaries.setdefault(name, tables_of)
    wall = {name: statistics.median(t for t, _ in runs[name]) for name in runs}
    cpu = {name: statistics.median(c for _, c in runs[name]) for name in runs}
    print(f"summarize, median of {repeats} runs per tree (load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}):")
    print(f"{'':10s} {'wall ms':>9s} {'CPU ms':>9s}")
    for name in runs:
        print(f"{name:10s} {wall[name] * 1000:9.1f} {cpu[name] * 1000:9.1f}")
    print(f"{'ratio':10s} {wall['before'] / wall['after']:8.2f}x {cpu['before'] / cpu['after']:8.2f}x")
    unequal = differences(summaries["before"], summaries["after"])
    print(f"summaries compared: {len(summaries['after'])} (synthetic, sample years, their sections) -> "
          + ("all tables exactly equal" if not unequal else f"DIFFERENT: {unequal}"))
    met = wall["after"] < TARGET_SECONDS
    print(f"target: under {TARGET_SECONDS * 1000:.0f} ms wall -> {'PASS' if met else 'FAIL'} "
          f"(CPU {cpu['after'] * 1000:.0f} ms {'<' if cpu['after'] < TARGET_SECONDS else '>='} target)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=500)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--before", type=Path, help="another checkout: summarize from both trees, side by side")
    args = parser.parse_args()
    tables, roster = synthetic(args.sections, args.months)
    rules = load_rules()
    tasks, inspections = len(tables.tasks), len(tables.inspections)
    print(f"{args.sections} sections x {args.months} months: {tasks:,} task rows, {inspections:,} inspection rows")
    if args.before:
        side_by_side(tables, roster, args.before, args.repeats)
        return
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

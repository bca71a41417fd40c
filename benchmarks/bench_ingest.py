"""The marginal cost per return of ingest against the naive reader, side by side in one run (issue 12).

Writes N returns (N = 50 and 500, xlsx in the sample data's varied layouts) into a folder and times
  (a) the whole `python -m analytics validate FOLDER --roster ...` process,
  (b) load_returns in-process (in a fresh interpreter, so each tree imports its own code), and
  (c) the naive baseline: pandas.read_excel(engine="openpyxl") of every sheet, nothing else.
The slope is (t[500] - t[50]) / 450 per return: start-up and imports cancel out. The figure is the naive
slope over ours; the target is >= 10x. The same is printed in CPU time (the validate process with its reading
worker, from getrusage): on a shared, busy machine wall times swing, CPU times much less. With `--before DIR`
(another checkout, e.g. `git archive main | tar -x -C DIR`) (a) and (b) are also run from that tree in the same
run, for a before/after table.

    python benchmarks/bench_ingest.py [--sizes 50 500] [--repeats 3] [--before DIR]
"""
import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_loader import best_of, write_returns  # noqa: E402

ROSTER = ROOT / "sample_data" / "roster.xlsx"
TARGET = 10
# Run in the tree measured: the best of `repeats` load_returns over the folder, in seconds.
IN_PROCESS = """
import sys, time
from analytics import load_returns, load_roster
roster, folder, repeats = load_roster(sys.argv[1]), sys.argv[2], int(sys.argv[3])
load_returns([folder], roster)
times = []
for _ in range(repeats):
    start = time.perf_counter()
    load_returns([folder], roster)
    times.append(time.perf_counter() - start)
print(min(times))
"""


def _run(tree: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([sys.executable, *args], cwd=tree, env=env, capture_output=True, text=True)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def validate_seconds(tree: Path, folder: Path, repeats: int) -> tuple[float, float]:
    """The best wall time and the best CPU time of the whole validate process, its reading worker included
    (exit 0 or 1: files may be rejected)."""
    cpu = []
    def once():
        start = _children_cpu()
        done = _run(tree, "-m", "analytics", "validate", str(folder), "--roster", str(ROSTER))
        cpu.append(_children_cpu() - start)
        if done.returncode not in (0, 1):
            raise RuntimeError(done.stderr)
    return best_of(repeats, once), min(cpu)


def in_process_seconds(tree: Path, folder: Path, repeats: int) -> float:
    done = _run(tree, "-c", IN_PROCESS, str(ROSTER), str(folder), str(repeats))
    if done.returncode:
        raise RuntimeError(done.stderr)
    return float(done.stdout.split()[-1])


def naive_seconds(folder: Path, repeats: int) -> tuple[float, float]:
    paths = sorted(folder.glob("*.xlsx"))
    cpu = []
    def once():
        start = time.process_time()
        [pd.read_excel(p, sheet_name=None, header=None, engine="openpyxl") for p in paths]
        cpu.append(time.process_time() - start)
    return best_of(repeats, once), min(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs=2, default=[50, 500], metavar=("SMALL", "LARGE"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another checkout to measure side by side")
    args = parser.parse_args()
    small, large = args.sizes
    trees = {"ours": ROOT} | ({"before": args.before.resolve()} if args.before else {})
    times = {}  # (row label, N) → seconds
    with tempfile.TemporaryDirectory() as tmp:
        for size in (small, large):
            folder = Path(tmp) / str(size)
            folder.mkdir()
            write_returns(folder, size)
            # Interleaved, so that a busy spell on the machine falls on every row alike.
            for name, tree in trees.items():
                wall, cpu = validate_seconds(tree, folder, args.repeats)
                times[f"validate process ({name})", size], times[f"validate CPU ({name})", size] = wall, cpu
                times[f"load_returns ({name})", size] = in_process_seconds(tree, folder, args.repeats)
            wall, cpu = naive_seconds(folder, max(1, args.repeats - 1))
            times["naive pandas+openpyxl", size], times["naive CPU", size] = wall, cpu
    slope = {label: (times[label, large] - times[label, small]) / (large - small) for label, _ in times}
    print(f"{'':28s} {'t' + str(small) + ' s':>8} {'t' + str(large) + ' s':>8} {'ms/return':>10} {'naive/ours':>11}")
    for label in slope:
        ratio = slope["naive CPU" if "CPU" in label else "naive pandas+openpyxl"] / slope[label]
        verdict = "" if label.startswith("naive") else f"  {'PASS' if ratio >= TARGET else 'FAIL'} (target >= {TARGET}x)"
        print(f"{label:28s} {times[label, small]:8.3f} {times[label, large]:8.3f} {slope[label] * 1000:10.3f} "
              f"{ratio:10.1f}x{verdict}")


if __name__ == "__main__":
    main()

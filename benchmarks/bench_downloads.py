"""The month's download set (issue 12): today's way (the code at --base, default main) against this checkout's,
side by side in one run, on the sample database. Per step of `month_downloads` (figures, workbook, pictures,
bulletin, html), the page's click (its browser started when the page opened) and `python -m analytics report`
as a process. Runs alternate (base, new, base, new, ...) so a
busy machine slows both alike; the median of --repeat runs is shown, with the ratio and the 5 s target. The CPU
seconds of each process and its children (the browser too) show the work done, which a shared machine does not
inflate the way it does the waiting.

    python benchmarks/bench_downloads.py [--base main] [--repeat 3] [--month 2024-12]
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
TARGET = 5.0
# Timed in a child process with the checkout's own code: `progress` marks where each step begins. Either API:
# month_downloads(year, month) here, month_downloads(summary.through(...), inspections, month) before. "started":
# the page's click, whose browser started when the page opened (where the checkout can).
STEPS_SCRIPT = """
import inspect, json, sys, time
from analytics import workspace
from analytics.downloads import month_downloads
month, started = sys.argv[1], sys.argv[2] == "started"
year = workspace.year(workspace.open_store(sample=False), int(month[:4]))
if "year" in inspect.signature(month_downloads).parameters:
    arguments, options = (year, month), {}
    if started:
        from analytics.export_images import PictureSession
        options["pictures"] = PictureSession()
        options["pictures"].render({})  # waits for the browser
else:
    arguments, options = (year.summary.through(month, year.roster.sections), year.records.inspections, month), {}
marks, start = [], time.perf_counter()
made = month_downloads(*arguments, progress=lambda n, total, label: marks.append((label, time.perf_counter())), **options)
end = time.perf_counter()
steps = {"figures": marks[0][1] - start}
steps.update({label: (marks[n + 1][1] if n + 1 < len(marks) else end) - at for n, (label, at) in enumerate(marks)})
print(json.dumps({"steps": steps, "total": end - start, "files": sorted(made.files), "missing": made.pictures_missing}))
"""


def sample_database() -> Path:
    """The bundled sample imported once into benchmarks/out/ (about 15 s)."""
    path = OUT / "downloads_sample.sqlite"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        subprocess.run([sys.executable, "-c", "from analytics import workspace; workspace.open_store().engine.dispose()"],
                       cwd=ROOT, env=_env(ROOT, path), check=True)
    return path


def _env(tree: Path, database: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(tree), "WENMING_DB_URL": f"sqlite:///{database}"}


def checkout(base: str, into: Path) -> Path:
    """The files of commit `base` in `into` (git archive: no work tree of the repository is touched)."""
    archive = subprocess.run(["git", "archive", base], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def timed_steps(tree: Path, database: Path, month: str, started: bool = False) -> dict:
    done = subprocess.run([sys.executable, "-c", STEPS_SCRIPT, month, "started" if started else "cold"], cwd=tree,
                          env=_env(tree, database),
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)
    return json.loads(done.stdout.splitlines()[-1])


def timed_report(tree: Path, database: Path, month: str, out: Path) -> tuple[float, float]:
    """Seconds and CPU seconds of `python -m analytics report` from the database."""
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run([sys.executable, "-m", "analytics", "report", "--month", month, "--out", str(out)],
                          cwd=tree, env=_env(tree, database), capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)
    return time.perf_counter() - start, _cpu() - cpu


def _cpu() -> float:
    """CPU seconds of the finished child processes so far, with their own children."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="main", help="the commit whose code is today's way")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--month", default="2024-12")
    args = parser.parse_args()
    database = sample_database()
    with tempfile.TemporaryDirectory() as temp:
        temp = Path(temp).resolve()
        (temp / "base").mkdir()
        trees = {"today": checkout(args.base, temp / "base"), "new": ROOT}
        runs = {name: [] for name in trees}
        for n in range(args.repeat):
            for name, tree in trees.items():
                copy = temp / f"{name}.sqlite"
                shutil.copy(database, copy)
                made = timed_steps(tree, copy, args.month)
                made["click"] = timed_steps(tree, copy, args.month, started=True)["total"]
                made["report"], made["report_cpu"] = timed_report(tree, copy, args.month, temp / f"out_{name}_{n}")
                runs[name].append(made)
                print(f"run {n + 1} {name:5}: month_downloads {made['total']:5.2f} s, page click {made['click']:5.2f} s, "
                      f"report {made['report']:5.2f} s"
                      f" ({made['report_cpu']:5.2f} CPU s), {len(made['files'])} files {made['missing']}", flush=True)
    table(runs)


def table(runs: dict) -> None:
    """Median seconds per step, the ratio new / today and, for the whole set, the target."""
    rows = {name: [{**made["steps"], "month_downloads": made["total"], "page click": made["click"],
                    "report (process)": made["report"],
                    "report CPU s": made["report_cpu"]} for made in made_runs] for name, made_runs in runs.items()}
    print(f"\nload average {' '.join(f'{load:.2f}' for load in os.getloadavg())} (1, 5, 15 min) on {os.cpu_count()} cores")
    print(f"{'step':16} {'today s':>8} {'new s':>8} {'new/today':>10}")
    for row in rows["today"][0]:
        today, new = (statistics.median(made.get(row, 0.0) for made in rows[name]) for name in ("today", "new"))
        whole = row in ("month_downloads", "page click", "report (process)")
        verdict = f"   target < {TARGET:.0f} s: {'PASS' if new < TARGET else 'FAIL'}" if whole else ""
        print(f"{row:16} {today:8.2f} {new:8.2f} {new / today if today else 0:10.2f}{verdict}")


if __name__ == "__main__":
    main()

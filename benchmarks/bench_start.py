"""Start-up against Streamlit's own floor (issue 12): process start → first chart drawn in headless Chromium.

Each app is started the same way (`python -m streamlit run FILE --server.port N --server.headless true`, from the
project's folder, so the same .streamlit/config.toml) and opened in the system Chromium with Playwright; the clock
runs from the process start to the plotly chart (`.main-svg`) visible in the main area. Measured, interleaved round
by round: the bare one-chart app (benchmarks/bare_app.py); the dashboard (server.py) with its database present;
its very first start (an empty database folder: the sample import included); a reload of an open page (to the chart
again); a rerun after the sidebar's 月份 changes (to the page showing the new month); with --large, a start on a copy
of bench_dashboard.py's 500-section, 10-year store. Medians, their ratios to the bare app, the targets, PASS / FAIL.
Every database is in a temporary folder (WENMING_DB_URL), never data/.

    python benchmarks/bench_start.py [--rounds 3] [--large benchmarks/out/store_500x10.sqlite]
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics import workspace  # noqa: E402
from analytics.config import DATABASE_URL_VARIABLE  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHART = '[data-testid="stMain"] .main-svg'
# case → (what it is compared with, the most it may take: a ratio, or seconds when there is nothing to compare)
TARGETS = {"bare start": (None, None), "bare reload": (None, None),
           "start, database present": ("bare start", 1.1), "first start (sample import)": ("bare start", 1.4),
           "reload": ("bare reload", 1.5), "rerun after 月份 change": (None, 0.3)}
LARGE = "start, 500 x 10 store"   # with --large: bench_dashboard.py's store
LARGE_TARGET = ("bare start", 2.0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Served:
    """`streamlit run script` from the project's folder on a free port, with WENMING_DB_URL set to `database`."""

    def __init__(self, script: str, database: Path):
        self.port = free_port()
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(self.port), "--server.headless", "true"],
            cwd=ROOT, env={**os.environ, DATABASE_URL_VARIABLE: f"sqlite:///{database}"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def open(self, page) -> float:
        """Seconds from the process start to the first chart drawn."""
        while not listening(self.port):
            if self.process.poll() is not None:
                raise RuntimeError("streamlit exited")
            time.sleep(0.02)
        page.goto(f"http://127.0.0.1:{self.port}/")
        page.locator(CHART).first.wait_for(state="visible", timeout=180_000)
        return time.perf_counter() - self.started

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def reload(page) -> float:
    started = time.perf_counter()
    page.reload()
    page.locator(CHART).first.wait_for(state="visible", timeout=60_000)
    return time.perf_counter() - started


def rerun(page) -> float:
    """Pick another month in the sidebar; seconds until the page shows it (the caption names the month)."""
    sidebar = page.get_by_test_id("stSidebar")
    picker = sidebar.get_by_test_id("stSelectbox").filter(has_text="月份")
    picker.click()
    options = page.get_by_role("option")
    options.first.wait_for()
    chosen = options.nth(0)
    month = chosen.inner_text().strip()
    started = time.perf_counter()
    chosen.click()
    page.get_by_test_id("stCaptionContainer").filter(has_text=f"{month} ·").wait_for(timeout=60_000)
    page.get_by_test_id("stStatusWidget").filter(has_text="Running").wait_for(state="detached", timeout=60_000)
    return time.perf_counter() - started


def one_round(browser, folder: Path, sample: Path, large: Path | None, times: dict) -> None:
    def fresh_page():
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        return context, context.new_page()

    for case in ("bare", "present", "first") + (("large",) if large else ()):
        database = folder / f"{case}-{time.monotonic_ns()}" / "dashboard.sqlite"
        database.parent.mkdir()
        if case in ("present", "large"):
            shutil.copy(sample if case == "present" else large, database)
        served = Served("benchmarks/bare_app.py" if case == "bare" else "server.py", database)
        context, page = fresh_page()
        try:
            if case == "bare":
                times["bare start"].append(served.open(page))
                times["bare reload"].append(reload(page))
            elif case == "present":
                times["start, database present"].append(served.open(page))
                times["reload"].append(reload(page))
                times["rerun after 月份 change"].append(rerun(page))
            elif case == "first":
                times["first start (sample import)"].append(served.open(page))
            else:
                times[LARGE].append(served.open(page))
        finally:
            context.close()
            served.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--large", type=Path, help="an SQLite store to start on too (bench_dashboard.py builds one)")
    args = parser.parse_args()
    targets = {**TARGETS, LARGE: LARGE_TARGET} if args.large else TARGETS
    times = {case: [] for case in targets}
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        folder = Path(folder)
        sample = folder / "sample.sqlite"
        workspace.open_store(f"sqlite:///{sample}").engine.dispose()  # the WAL folded in: the file alone is complete
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        for number in range(args.rounds):
            one_round(browser, folder, sample, args.large, times)
            print(f"round {number + 1}: " + ", ".join(f"{case} {values[-1]:.2f} s" for case, values in times.items()))
        browser.close()
    medians = {case: statistics.median(values) for case, values in times.items()}
    print(f"\n{'case':32} {'median':>8} {'ratio':>7} {'target':>8}  verdict")
    for case, (baseline, limit) in targets.items():
        ratio = medians[case] / medians[baseline] if baseline else None
        shown = f"{ratio:6.2f}x" if ratio else " " * 7
        if limit is None:
            target, verdict = "", ""
        elif baseline:
            target, verdict = f"<= {limit}x", "PASS" if ratio <= limit else "FAIL"
        else:
            target, verdict = f"< {limit} s", "PASS" if medians[case] < limit else "FAIL"
        print(f"{case:32} {medians[case]:7.2f}s {shown} {target:>8}  {verdict}")


if __name__ == "__main__":
    main()

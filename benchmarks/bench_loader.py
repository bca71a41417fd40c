"""Loader speed against a naive baseline, side by side in one run (issue 2).

Writes N returns (N = 20, 100, 500) in the sample data's varied layouts, then loads them
  - with the project's loader (reading, finding tables, normalising, validating), and
  - with the baseline: pandas.read_excel(engine="openpyxl") of every sheet, nothing else,
and prints returns/s and the ratio. Target: >= 10x the baseline and >= 300 returns/s.

    python benchmarks/bench_loader.py [--sizes 20 100 500]
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics import load_returns, load_roster  # noqa: E402
from sample_data.make_samples import ROSTER, content, habits  # noqa: E402
from tests.returns import return_sheets, write_workbook  # noqa: E402


def write_returns(folder: Path, count: int) -> list[Path]:
    """`count` returns: every section, month after month (xlsx only, so the baseline reads them all)."""
    paths = []
    for n in range(count):
        index = n % len(ROSTER)
        section, month = ROSTER[index][0], n // len(ROSTER) % 12 + 1
        _, style = habits(section, index, month)
        year = 2024 + n // (12 * len(ROSTER))
        sheets = return_sheets(content(section, month, year), **style)
        paths.append(write_workbook(folder / f"{section}_{year}年{month}月_{n}.xlsx", sheets))
    return paths


def best_of(repeats: int, run) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 100, 500])
    args = parser.parse_args()
    roster = load_roster(ROOT / "sample_data" / "roster.xlsx")
    print(f"{'N':>5} {'loader s':>9} {'loader ret/s':>13} {'baseline s':>11} {'baseline ret/s':>15} {'ratio':>7}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            paths = write_returns(Path(tmp), size)
            result = load_returns(paths, roster)  # warm-up, and a check that the work is real
            rejected = len(result.rejected)
            ours = best_of(3, lambda paths=paths: load_returns(paths, roster))
            baseline = best_of(1, lambda paths=paths: [pd.read_excel(p, sheet_name=None, header=None, engine="openpyxl")
                                           for p in paths])
        print(f"{size:>5} {ours:>9.3f} {size / ours:>13.0f} {baseline:>11.3f} {size / baseline:>15.0f} "
              f"{baseline / ours:>6.1f}x   ({len(result.tasks)} task rows, {rejected} rejected)")


if __name__ == "__main__":
    main()

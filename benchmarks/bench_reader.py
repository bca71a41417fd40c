"""The reading process's overhead per batch (issue 9), side by side in one run.

Writes N returns (N = 1, 20, 200) in the sample data's varied layouts, then reads every sheet of them
  - in this process: workbook.read_sheets file by file (what the loader did before), and
  - through the worker: reader.read_workbooks (the batch in one message, the sheets back one by one),
and prints ms per batch both ways, the overhead per batch and per file, and the ratio. The worker is
started before the timing (once per server process); its start-up is printed on its own.

    python benchmarks/bench_reader.py [--sizes 1 20 200]
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics.intake import reader  # noqa: E402
from analytics.intake.limits import DEFAULT_LIMITS  # noqa: E402
from analytics.intake.workbook import read_sheets  # noqa: E402
from benchmarks.bench_loader import best_of, write_returns  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 20, 200])
    args = parser.parse_args()
    start = time.perf_counter()
    list(reader.read_workbooks([b""], DEFAULT_LIMITS))
    print(f"worker start-up (once per process): {(time.perf_counter() - start) * 1000:.0f} ms")
    print(f"{'N':>5} {'in-process ms':>14} {'worker ms':>10} {'overhead ms':>12} {'per file ms':>12} {'ratio':>7}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            blobs = [path.read_bytes() for path in write_returns(Path(tmp), size)]
        inside = [read_sheets(data, DEFAULT_LIMITS) for data in blobs]
        through = list(reader.read_workbooks(blobs, DEFAULT_LIMITS))
        assert [[s.rows for s in sheets] for sheets in inside] == [[s.rows for s in sheets] for sheets in through]
        repeats = 20 if size < 100 else 5
        ours = best_of(repeats, lambda blobs=blobs: [read_sheets(data, DEFAULT_LIMITS) for data in blobs])
        worker = best_of(repeats, lambda blobs=blobs: list(reader.read_workbooks(blobs, DEFAULT_LIMITS)))
        print(f"{size:>5} {ours * 1000:>14.1f} {worker * 1000:>10.1f} {(worker - ours) * 1000:>12.1f} "
              f"{(worker - ours) * 1000 / size:>12.2f} {worker / ours:>6.2f}x")


if __name__ == "__main__":
    main()

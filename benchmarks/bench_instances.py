"""Several instances on one database (issue 13): operations/s and p95 latency per backend, side by side in one run.

N worker processes (tests/instances.py: each its own Store, as an instance behind the proxy) import, re-submit,
withdraw, restore, decide and read a year for a fixed time against an SQLite file and against a throwaway
PostgreSQL 15 (tests/postgres.py; WENMING_TEST_POSTGRES uses a running one). Timed is the store's call only, not
making or checking the workbook before it. Throughput is every worker's store calls over the run's seconds.

    python benchmarks/bench_instances.py [--workers 4] [--seconds 10]
"""
import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import instances  # noqa: E402
from tests.postgres import Server  # noqa: E402
from tests.test_sequences import roster_csv  # noqa: E402


def measure(url: str, workers: int, seconds: float, shared: dict) -> pd.DataFrame:
    """operation → calls, calls/s, median and p95 milliseconds (and "all" for every call)."""
    instances.prepare(url, ("名册.csv", roster_csv(False)))
    reports = instances.run(url, workers, shared, seconds=seconds)
    errors = [error for report in reports for error in report["errors"]]
    assert not errors, errors[0]
    timings = pd.DataFrame([timing for report in reports for timing in report["timings"]], columns=["operation", "s"])
    timings = pd.concat([timings, timings.assign(operation="all")])
    table = timings.groupby("operation")["s"].agg(calls="count", median_ms=lambda s: s.median() * 1000,
                                                  p95_ms=lambda s: s.quantile(0.95) * 1000)
    return table.assign(per_s=table["calls"] / seconds)[["calls", "per_s", "median_ms", "p95_ms"]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    shared = instances.pool(variants=2)
    server = Server()
    try:
        with tempfile.TemporaryDirectory() as folder:
            results = {"sqlite": measure(f"sqlite:///{Path(folder) / 'bench.sqlite'}", args.workers, args.seconds, shared),
                       "postgresql": measure(server.url(server.create()), args.workers, args.seconds, shared)}
    finally:
        server.stop()
    side_by_side = pd.concat(results, axis=1).round(1)
    print(f"{args.workers} workers, {args.seconds:g} s each backend (store calls; ms = milliseconds)")
    print(side_by_side.to_string())
    every = {name: table.loc["all"] for name, table in results.items()}
    print(f"PostgreSQL / SQLite: {every['postgresql']['per_s'] / every['sqlite']['per_s']:.2f}x the operations/s, "
          f"{every['postgresql']['p95_ms'] / every['sqlite']['p95_ms']:.2f}x the p95 latency")


if __name__ == "__main__":
    main()

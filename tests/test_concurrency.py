"""Two colleagues import a few hundred returns at the same moment while a page reads: both batches land whole.

The finding this guards: the second of two simultaneous uploads met `database is locked` after about 5 s, showed
a raw SQLAlchemy traceback and lost its whole batch; a page read during an import hit the same lock; nothing in
the schema stopped two current versions of one section-month. Real processes (`python -m analytics import`, as
two clerks' sessions would be) on one SQLite file, and a reader thread in this process as a page would read. While
both start, the test itself holds the write lock (as a third writer would) until both have checked their batch and
wait to store it: on every run both meet a held database, and the two then queue behind each other.
"""
import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

import pytest
import sqlalchemy as sa

from analytics import labels, workspace
from analytics.config import SAMPLE_ROSTER
from analytics.intake.roster import load_roster
from analytics.schema import files, versions
from analytics.store import Store
from tests.conftest import ROOT
from tests.returns import default_content, write_return

SECTIONS = list(load_roster(SAMPLE_ROSTER).sections["section"])     # the bundled roster's 21 sections
MONTHS = {year: [f"{year}-{m:02d}" for m in range(1, 13)] for year in (2023, 2025)}
TIMEOUT = 120                                                        # one import takes about 8 s alone


def _write_corpus(folder: Path, year: int, resubmitted: bool = False) -> Path:
    """Every roster section × every month of `year`, one .xlsx each, named as clerks name them."""
    folder.mkdir()
    for month in MONTHS[year]:
        for section in SECTIONS:
            content = default_content(section, month)
            if resubmitted:  # a corrected return for the same section-month: other bytes, other records
                content.tasks[2].done = 1
            write_return(folder / f"{section}_{year}年{int(month[5:])}月.xlsx", content)
    return folder


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpora")
    return {"2023": _write_corpus(root / "2023", 2023), "2025": _write_corpus(root / "2025", 2025),
            "2023-corrected": _write_corpus(root / "2023-corrected", 2023, resubmitted=True)}


@pytest.fixture
def url(tmp_path):
    """A new database, its schema created before anyone imports (two first starts at once are another race)."""
    url = f"sqlite:///{tmp_path / 'wenming.sqlite'}"
    store = workspace.open_store(url, sample=False)
    store.set_flag("bootstrapped", True)
    store.engine.dispose()
    return url


class PageReader(threading.Thread):
    """Reads as the pages do, again and again until told to stop: the current records of both years and a
    year's figures with the roster and rules in force. Records every exception and every count of returns."""

    def __init__(self, store: Store):
        super().__init__(daemon=True)
        self.store, self.stop, self.errors, self.seen, self.held = store, threading.Event(), [], [], 0

    def run(self):
        while not self.stop.is_set():
            try:
                returns = self.store.records("2023-01", "2025-12").returns
                self.seen.append(len(returns))
                year = (2023, 2025)[len(self.seen) % 2]
                workspace.year(self.store, year)
            except Exception:  # any failure of a page read is the finding
                self.errors.append(traceback.format_exc())
            self.stop.wait(0.2)  # a colleague clicking, not a loop taking a core from the two imports


def import_at_once(url: str, logs: Path, batches: dict) -> tuple[list, PageReader]:
    """Start one `python -m analytics import DIR --who WHO` per batch {who: folder} at the same moment, with a page
    reading throughout, while this test holds the write lock; let go once every process waits to store its batch.
    Returns each process's (returncode, stdout, stderr) and the reader, whose `held` counts its reads before then.
    (No --roster: that is a write of its own, before the batch is read; the bundled roster is in force anyway.)"""
    env = {**os.environ, "WENMING_DB_URL": url, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
    reader = PageReader(Store(url))  # opened before, as a running dashboard holds its store open
    # Output to files, not pipes: a full pipe would stall one process and the two would no longer overlap.
    outputs = [(logs / f"{n}.out", logs / f"{n}.err") for n in range(len(batches))]
    processes = []
    writer = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        for (who, folder), (out, err) in zip(batches.items(), outputs):
            with out.open("w") as stdout, err.open("w") as stderr:
                processes.append(subprocess.Popen([sys.executable, "-m", "analytics", "import", str(folder), "--who", who],
                                                  cwd=ROOT, env=env, stdout=stdout, stderr=stderr))
        reader.start()
        wait_for_the_lock(processes, outputs, {len(list(folder.iterdir())) for folder in batches.values()})
        reader.held = len(reader.seen)
        writer.rollback()
        for process in processes:
            process.wait(TIMEOUT)
    finally:
        writer.close()
        for process in processes:
            if process.poll() is None:
                process.kill()
        reader.stop.set()
        if reader.is_alive():
            reader.join(TIMEOUT)
        reader.store.engine.dispose()
    return [(process.returncode, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"))
            for process, (out, err) in zip(processes, outputs)], reader


def wait_for_the_lock(processes: list, outputs: list, sizes: set[int]) -> None:
    """Until every process has printed its batch's counts (checked; next it stores the batch) and then slept for half
    a second on end: the only sleep after the counts is SQLite's busy handler waiting for the lock this test holds."""
    counts = [labels.CLI_FILE_COUNTS.format(files=n, passed=n, rejected=0) for n in sizes]
    deadline, asleep = time.monotonic() + TIMEOUT, 0
    while asleep < 5:
        for process, (_, err) in zip(processes, outputs):
            assert process.poll() is None, err.read_text(encoding="utf-8")
        assert time.monotonic() < deadline, "the imports never reached their write"
        checked = all(any(line in out.read_text(encoding="utf-8") for line in counts) for out, _ in outputs)
        asleep = asleep + 1 if checked and all(_state(process.pid) == "S" for process in processes) else 0
        time.sleep(0.1)


def _state(pid: int) -> str:
    """A process's scheduler state from /proc (R running, S sleeping)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def assert_clean(done: list, reader: PageReader) -> None:
    for returncode, out, err in done:
        assert returncode == 0, err or out[-2000:]
        assert "Traceback" not in err and "locked" not in err and "无法运行" not in err, err
    assert reader.errors == []
    assert reader.seen, "the page never read while the imports ran"


def assert_waited(reader: PageReader) -> None:
    """Both batches were checked and waiting while the lock was held, and neither was stored before it was let go:
    they met a held database and then one another."""
    assert reader.held and not any(reader.seen[:reader.held]), reader.seen


def stored(url: str) -> dict:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = {
            "journal_mode": conn.exec_driver_sql("PRAGMA journal_mode").scalar(),
            "files": conn.execute(sa.select(files.c.sha256, files.c.status)).all(),
            "versions": conn.execute(sa.select(versions.c.section, versions.c.month, versions.c.state,
                                               versions.c.imported_by)).all(),
            "two_current": conn.execute(sa.select(versions.c.section, versions.c.month).where(versions.c.state == "current")
                                        .group_by(versions.c.section, versions.c.month)
                                        .having(sa.func.count() > 1)).all(),
        }
    engine.dispose()
    return rows


def digests(*folders: Path) -> list[str]:
    return sorted(hashlib.sha256(path.read_bytes()).hexdigest() for folder in folders for path in folder.iterdir())


def section_months(*years: int) -> list[tuple[str, str]]:
    return sorted((section, month) for year in years for month in MONTHS[year] for section in SECTIONS)


def test_two_batches_of_different_years_both_land_whole(url, corpora, tmp_path):
    done, reader = import_at_once(url, tmp_path, {"甲": corpora["2023"], "乙": corpora["2025"]})
    assert_clean(done, reader)
    db = stored(url)
    assert db["journal_mode"] == "wal"  # without it a page waits for the whole import (rollback journal)
    assert sorted(row.sha256 for row in db["files"]) == digests(corpora["2023"], corpora["2025"])
    assert {row.status for row in db["files"]} == {"imported"}
    assert db["two_current"] == []
    current = [row for row in db["versions"] if row.state == "current"]
    assert sorted((row.section, row.month) for row in current) == section_months(2023, 2025)
    assert len(current) == 504  # the bundled roster's 21 sections × 12 months × 2 years
    assert len(db["versions"]) == len(current)
    # One transaction per batch: a page sees none, one or both whole batches, never part of one, never fewer later.
    batch = len(SECTIONS) * 12
    assert set(reader.seen) <= {0, batch, 2 * batch} and reader.seen == sorted(reader.seen), reader.seen
    assert_waited(reader)


def test_the_same_batch_twice_at_once_is_stored_once(url, corpora, tmp_path):
    done, reader = import_at_once(url, tmp_path, {"甲": corpora["2023"], "乙": corpora["2023"]})
    assert_clean(done, reader)
    batch = len(SECTIONS) * 12
    # The loser waits for the winner's transaction, then finds every file stored and skips it.
    loser, winner = sorted((out for _, out, _ in done), key=lambda out: out.splitlines()[-1])
    assert loser.splitlines()[-1].startswith("已导入 0 个科室月份（0 个上传文件")
    assert loser.splitlines()[-1].endswith(f"跳过已导入过的 {batch} 个上传文件")
    assert winner.splitlines()[-1].startswith(f"已导入 {batch} 个科室月份（{batch} 个上传文件")
    # Its look-up before the import found none of them yet: both were about to store the same files at once.
    assert "已导入过，跳过：" not in loser
    assert_waited(reader)
    db = stored(url)
    assert sorted(row.sha256 for row in db["files"]) == digests(corpora["2023"])
    assert db["two_current"] == []
    assert sorted((row.section, row.month) for row in db["versions"]) == section_months(2023)
    assert {row.state for row in db["versions"]} == {"current"}
    assert set(reader.seen) <= {0, batch} and reader.seen == sorted(reader.seen), reader.seen


def test_corrected_returns_for_the_same_months_at_once_supersede_whole(url, corpora, tmp_path):
    done, reader = import_at_once(url, tmp_path, {"甲": corpora["2023"], "乙": corpora["2023-corrected"]})
    assert_clean(done, reader)
    db = stored(url)
    assert sorted(row.sha256 for row in db["files"]) == digests(corpora["2023"], corpora["2023-corrected"])
    assert db["two_current"] == []
    current = [row for row in db["versions"] if row.state == "current"]
    assert sorted((row.section, row.month) for row in current) == section_months(2023)
    assert sorted((row.section, row.month) for row in db["versions"] if row.state == "superseded") == section_months(2023)
    # The batches ran one after the other: the later one is current everywhere, not a mix of the two.
    assert len({row.imported_by for row in current}) == 1
    batch = len(SECTIONS) * 12
    assert set(reader.seen) <= {0, batch}, reader.seen
    assert_waited(reader)

"""Dashboard instances at work on one database at once (issue 13 item 3), for tests/test_instances.py and
benchmarks/bench_instances.py: worker processes (multiprocessing, spawn), each with a Store of its own (its own
engine and connections, as another instance behind the proxy has), doing what staff do for a bounded time, and
reporting what they did so that the caller can check the database against it.

Every return is a real workbook (tests/returns.py) for one of SECTIONS × MONTHS, each reporting the one pending
EVENT of its section; staff decide on DECIDED's. A worker's own uploads are new bytes each time (a correction, named
after the worker and its step); POOL returns are shared by all workers, so two may upload the same file at once.
"""
import datetime as dt
import multiprocessing
import random
import tempfile
import time
import traceback
from pathlib import Path

from analytics import load_uploaded, workspace
from analytics.store import StaleChoice, Store
from tests.returns import Event, default_content, write_return

SECTIONS, MONTHS = ("办公室", "预算科", "国库科"), ("2024-01", "2024-02")
EVENT_DATE, EVENT_CATEGORY = dt.date(2024, 1, 10), "其他"   # reported in both months: one event per section
OPERATIONS = {"import": 2, "resubmit": 2, "withdraw": 1, "restore": 1, "decide": 3, "read": 1}  # how often each
DECIDED = "预算科"   # the section whose event staff decide on: every two decisions at once are on one event


def a_return(folder: Path, section: str, month: str, tag: str, done: int = 1) -> bytes:
    """A real return of `section` for `month`, its bytes its own by `tag` (a task's note); `done` the count of one task."""
    content = default_content(section, month)
    content.tasks[0].note, content.tasks[2].done = tag, done
    content.events = [Event(EVENT_DATE, EVENT_CATEGORY, "办公区吸烟", "待核实")]
    return write_return(folder / f"{tag}.xlsx", content).read_bytes()


def pool(variants: int = 2) -> dict:
    """name → (section, month, bytes): `variants` returns per section-month, shared by every worker."""
    with tempfile.TemporaryDirectory() as folder:
        return {f"pool-{section}-{month}-{n}.xlsx": (section, month, a_return(Path(folder), section, month, f"pool-{n}", n))
                for section in SECTIONS for month in MONTHS for n in range(variants)}


def prepare(url: str, roster: tuple[str, bytes]) -> None:
    """A new store at `url` with `roster` (name, bytes) in force, no sample, every worker's section on it."""
    store = Store(url)
    store.set_flag("bootstrapped", True)
    store.set_file_setting("roster", *roster, who="文明办")
    store.engine.dispose()


class Worker:
    """One instance's staff: `plan()` picks an operation at random and gets it ready up to the store's call (reads the
    page it acts on, makes and checks the upload); `act()` makes that call, timed, and records it."""

    def __init__(self, url: str, number: int, shared: dict, folder: Path):
        self.store, self.number, self.shared, self.folder = Store(url), number, shared, folder
        self.roster = workspace.roster_in_force(self.store)
        self.random = random.Random(number)
        self.steps = 0
        self.sent = {}          # name → (section, month, bytes) of every upload the store kept or skipped
        self.decided = []       # (why, seen, ids of the newer decisions it was told of)
        self.bumps = 0          # writes that changed something (each one store version more)
        self.timings = []       # (operation, seconds of the store's call)
        self.errors = []
        self.call = None

    def _upload(self, name: str, section: str, month: str, data: bytes):
        uploads = [(name, data)]
        result = load_uploaded(uploads, self.roster)
        assert not result.rejected, [report.errors for report in result.reports]

        def call():
            self.bumps += bool(self.store.import_batch(result, uploads, who=f"w{self.number}")["files"])
            self.sent[name] = (section, month, data)
        return call

    def _decide(self, why: str):
        made = self.store.decisions()
        seen = int(made["id"].max()) if len(made) else 0   # the newest decision on the page as it was drawn
        action = self.random.choice(["confirm", "dismiss"])

        def call():
            newer = self.store.decide(action, DECIDED, "2024-01", EVENT_DATE, EVENT_CATEGORY, f"w{self.number}", why, seen=seen)
            self.decided.append((why, seen, sorted(int(row["id"]) for row in newer)))
            self.bumps += 1
        return call

    def _read(self) -> None:
        returns = workspace.year(self.store, 2024).records.returns
        assert not returns.duplicated(["section", "month"]).any(), returns

    def _written(self, call):
        def written():
            try:
                call()
            except StaleChoice:   # a colleague changed it since it was seen: refused, saying so, as on the page
                return
            self.bumps += 1
        return written

    def plan(self) -> None:
        operation = self.random.choices(list(OPERATIONS), weights=list(OPERATIONS.values()))[0]
        tag, who = f"w{self.number}-{self.steps}", f"w{self.number}"
        self.steps, self.call = self.steps + 1, None
        versions = self.store.versions_of() if operation in ("resubmit", "withdraw", "restore") else None
        current = versions.query("state == 'current'") if versions is not None else []
        row = current.iloc[self.random.randrange(len(current))] if len(current) else None
        earlier = versions.query("state != 'current'") if versions is not None else []
        if operation == "resubmit" and row is not None:
            data = a_return(self.folder, row["section"], row["month"], tag, self.random.randrange(2))
            self.call = operation, self._upload(f"{tag}.xlsx", row["section"], row["month"], data)
        elif operation in ("import", "resubmit"):   # a shared return (re-submitting where nothing is current yet)
            name = self.random.choice(sorted(self.shared))
            self.call = "import", self._upload(name, *self.shared[name])
        elif operation == "withdraw" and row is not None:
            self.call = operation, self._written(lambda: self.store.withdraw(row["section"], row["month"], who, why=tag,
                                                                             seen=int(row["id"])))
        elif operation == "restore" and len(earlier):
            chosen = earlier.iloc[self.random.randrange(len(earlier))]
            seen = current[(current["section"] == chosen["section"]) & (current["month"] == chosen["month"])]["id"]
            self.call = operation, self._written(lambda: self.store.restore(int(chosen["id"]), who,
                                                                            seen=int(seen.iloc[0]) if len(seen) else None))
        elif operation == "decide":
            self.call = operation, self._decide(tag)
        elif operation == "read":
            self.call = operation, self._read

    def act(self) -> None:
        if self.call is not None:
            operation, call = self.call
            start = time.perf_counter()
            call()
            self.timings.append((operation, time.perf_counter() - start))

    def report(self) -> dict:
        self.store.engine.dispose()
        return {"number": self.number, "steps": self.steps, "sent": self.sent, "decided": self.decided,
                "bumps": self.bumps, "timings": self.timings, "errors": self.errors}


def _safely(worker: Worker, step) -> None:
    try:
        step()
    except Exception:  # whatever reached the worker is what a page would have shown
        worker.errors.append(traceback.format_exc())


def work(url: str, number: int, shared: dict, seconds: float, rounds: int | None, start, results) -> None:
    """A worker process, started with the others (`start`, a barrier): it plans and acts until `seconds` have passed;
    or, given `rounds`, it plans each step and then acts at the same moment as every other worker (most contention)."""
    with tempfile.TemporaryDirectory() as folder:
        worker = Worker(url, number, shared, Path(folder))
        start.wait()
        deadline = time.monotonic() + seconds
        while (worker.steps < rounds) if rounds else (time.monotonic() < deadline):
            _safely(worker, worker.plan)
            if rounds:
                start.wait()
            _safely(worker, worker.act)
        results.put((number, worker.report()))


def import_together(url: str, number: int, uploads: list, start, results) -> None:
    """A process importing each of `uploads` (name, bytes), checked beforehand, the moment every process is ready
    to import its own (`start`): (number, [import_batch's counts, or the traceback of its error]) as `results`."""
    store = Store(url)
    roster, outcomes = workspace.roster_in_force(store), []
    for name, data in uploads:
        result = load_uploaded([(name, data)], roster)
        start.wait()
        try:
            outcomes.append(store.import_batch(result, [(name, data)], who=f"p{number}"))
        except Exception:
            outcomes.append(traceback.format_exc())
    store.engine.dispose()
    results.put((number, outcomes))


def together(target, url: str, arguments: list) -> list:
    """One spawned process per item of `arguments`, each running target(url, number, item, ..., start, results);
    what each put in `results`, in process order."""
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(len(arguments)), context.Queue()
    processes = [context.Process(target=target, args=(url, number, *item, start, results))
                 for number, item in enumerate(arguments)]
    for process in processes:
        process.start()
    reports = dict(results.get(timeout=600) for _ in processes)   # before join: a full queue would hold a process up
    for process in processes:
        process.join(60)
        assert process.exitcode == 0, process.exitcode
    return [reports[number] for number in range(len(processes))]


def run(url: str, workers: int, shared: dict, seconds: float = 0, rounds: int | None = None) -> list[dict]:
    """`workers` processes at once against `url` for `seconds` or in `rounds` (work): their reports (Worker.report)."""
    return together(work, url, [(shared, seconds, rounds)] * workers)

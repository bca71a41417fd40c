"""Several instances, one truth (issue 13 item 3), on SQLite and on PostgreSQL: processes and threads, each with a
Store of its own on one database, as dashboard instances behind the bureau's proxy have.

Imports of one section-month at the same moment leave one current version and every file; two staff deciding on one
event at once are both recorded, with one outcome; a page's cache follows the database, not the process; reads never
wait for a writer; sign-ins at once keep the lockout; and N worker processes importing, re-submitting, withdrawing,
restoring, deciding and reading for a few seconds leave a store for which the invariants of the stateful test
(tests/test_sequences.py) hold, and more that only concurrency can break."""
import hashlib
import random
import threading
import types

import pandas as pd
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from analytics import account_store, charts, load_uploaded, workspace
from analytics.accounts import AccountError, Refusal
from analytics.schema import decisions, files, history, now, versions
from analytics.store import StaleChoice, Store
from tests import instances
from tests.conftest import ROOT
from tests.returns import default_content, write_return
from tests.test_sequences import StoreMachine, roster_csv

ROSTER = ("名册.csv", roster_csv(False))


@pytest.fixture
def url(empty_url) -> str:
    """An empty database on each backend with the test roster in force (tests/instances.py's sections on it)."""
    instances.prepare(empty_url, ROSTER)
    return empty_url


def import_return(store: Store, name: str, data: bytes) -> dict:
    return store.import_batch(load_uploaded([(name, data)], workspace.roster_in_force(store)), [(name, data)], who="王磊")


def table(url: str, query) -> pd.DataFrame:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    engine.dispose()
    return frame


def at_once(calls: list) -> list:
    """Run each call in a thread of its own, released together; their results (or exceptions)."""
    start, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(n, call):
        start.wait()
        try:
            results[n] = call()
        except Exception as error:
            results[n] = error
    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_processes_importing_one_section_month_at_once_leave_one_current_version(url):
    """The issue's probe: two processes import returns of the same section-month at the same moment, round after
    round; in even rounds the very same file, in odd rounds two different corrections."""
    shared = instances.pool(variants=2)
    keys = [(section, month) for section in instances.SECTIONS for month in instances.MONTHS]
    name = {key: [f"pool-{key[0]}-{key[1]}-{n}.xlsx" for n in (0, 1)] for key in keys}
    first = [(name[key][0], shared[name[key][0]][2]) for key in keys]
    second = [(name[key][round % 2], shared[name[key][round % 2]][2]) for round, key in enumerate(keys)]
    outcomes = instances.together(instances.import_together, url, [(first,), (second,)])
    for round, pair in enumerate(zip(*outcomes)):
        assert all(isinstance(counts, dict) for counts in pair), pair        # no error reached either process
        stored = sorted(counts["files"] for counts in pair)
        assert stored == ([0, 1] if round % 2 == 0 else [1, 1]), (round, pair)  # the same file twice is stored once
    current = table(url, sa.select(versions.c.section, versions.c.month).where(versions.c.state == "current"))
    assert sorted(current.itertuples(index=False, name=None)) == sorted(keys)  # exactly one each
    kept = table(url, sa.select(files.c.sha256, files.c.data))
    sent = {data for uploads in (first, second) for _, data in uploads}
    assert sorted(kept["sha256"]) == sorted(hashlib.sha256(data).hexdigest() for data in sent)
    assert all(bytes(data) in sent for data in kept["data"])
    assert len(table(url, sa.select(versions.c.id))) == len(sent)          # each file its one version


def test_two_staff_deciding_on_one_event_at_once_are_both_recorded_with_one_outcome(url, tmp_path):
    store = Store(url)
    import_return(store, "预算科.xlsx", instances.a_return(tmp_path, "预算科", "2024-01", "event"))
    desks = [Store(url), Store(url)]                     # two instances' stores
    for round in range(4):
        made = store.decisions()
        seen = int(made["id"].max()) if len(made) else 0  # both pages drawn before either decided
        actions = ("confirm", "dismiss") if round % 2 == 0 else ("dismiss", "confirm")
        results = at_once([lambda desk=desk, action=action, why=f"{round}-{action}", seen=seen: desk.decide(
            action, "预算科", "2024-01", instances.EVENT_DATE, instances.EVENT_CATEGORY, f"{action}-staff", why, seen=seen)
            for desk, action in zip(desks, actions)])
        assert all(isinstance(result, list) for result in results), results  # no error shown to either
        told = dict(zip(actions, results))
        after = store.decisions()
        ours = after[after["id"] > seen].set_index("why")
        assert sorted(ours.index) == sorted(f"{round}-{action}" for action in actions)  # both recorded
        earlier, later = ours.sort_values("id")["action"]
        assert [row["id"] for row in told[later]] == [int(ours.loc[f"{round}-{earlier}", "id"])]  # names the other
        assert told[earlier] == []
        logged = table(url, sa.select(history.c.action).where(history.c.action.like("decision-%")))
        assert len(logged) == 2 * (round + 1)
        months = workspace.year(store, 2024).summary.section_months.set_index(["section", "month"])
        assert bool(months.loc[("预算科", "2024-01"), "veto"]) == (later == "confirm")  # the later decision stands
    for desk in (store, *desks):
        desk.engine.dispose()


def test_a_page_shows_an_import_made_by_another_instance_on_its_next_rerun(sample_url, tmp_path):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    figures = {metric.label: metric.value for metric in at.metric}
    other = Store(sample_url)                            # another instance: its own store, engine and connections
    content = default_content("预算科", "2024-12")
    for task in content.tasks:
        task.done = 0
    import_return(other, "预算科_2024年12月.xlsx", write_return(tmp_path / "预算科.xlsx", content).read_bytes())
    expected = workspace.year(other, 2024).summary.bureau_months.set_index("month").loc["2024-12", "completion_rate"]
    other.engine.dispose()
    at.run()
    assert not at.exception
    assert figures["全局任务完成率"] != charts.percent(expected)
    assert {metric.label: metric.value for metric in at.metric}["全局任务完成率"] == charts.percent(expected)


def test_reads_do_not_wait_for_a_writer_and_see_only_what_it_committed(url, tmp_path):
    writer, reader = Store(url), Store(url)
    import_return(writer, "预算科.xlsx", instances.a_return(tmp_path, "预算科", "2024-01", "read"))
    writer.decide("confirm", "预算科", "2024-01", instances.EVENT_DATE, instances.EVENT_CATEGORY, "王磊", "核实")
    before, seen = reader.version(), {}
    with writer._writer.begin() as conn:                 # a writer in the middle of its transaction
        conn.execute(decisions.insert().values(action="dismiss", section="预算科", month="2024-01", who="王磊", at=now(),
                                               date=instances.EVENT_DATE, category=instances.EVENT_CATEGORY, why="未提交"))
        writer._bump(conn)
        read = threading.Thread(target=lambda: seen.update(
            version=reader.version(), year=workspace.year(reader, 2024), decisions=reader.decisions()))
        read.start()
        read.join(120)                                   # a reader that waited for the writer would still be waiting
        assert not read.is_alive(), "a read waited for the writer"
    assert seen["version"] == before                     # what was committed, not what is in flight
    assert list(seen["decisions"]["why"]) == ["核实"]
    assert seen["year"].summary.section_months.set_index(["section", "month"]).loc[("预算科", "2024-01"), "veto"]
    assert list(reader.decisions()["why"]) == ["核实", "未提交"] and reader.version() == before + 1
    for store in (writer, reader):
        store.engine.dispose()


def test_sign_ins_and_new_accounts_at_once_keep_the_lockout_and_one_name(url):
    stores = [Store(url) for _ in range(8)]
    account_store.add_account(stores[0], "wang", "password1", "office", "admin")
    now = pd.Timestamp("2024-05-06 09:00").to_pydatetime()
    refused = at_once([lambda store=store: account_store.sign_in(store, "wang", "wrong-password", now) for store in stores])
    assert all(isinstance(refusal, Refusal) for refusal in refused), refused
    assert sorted(refusal.code for refusal in refused) == ["locked"] * 3 + ["wrong"] * 5  # none slipped past the lockout
    added = at_once([lambda store=store, name=name: account_store.add_account(store, name, "password1", "leader", "admin")
                     for store, name in zip(stores, ["GuoKu", "guoku"])])
    assert sorted(type(result).__name__ for result in added) == ["Account", "AccountError"], added
    assert [error.code for error in added if isinstance(error, AccountError)] == ["duplicate"]
    for store in stores:
        store.engine.dispose()


def test_a_genuine_conflict_outlives_the_retries_and_is_named(url, tmp_path):
    """A rename that would give one section-month two current versions is refused by the database on every attempt:
    the retry of a unique violation gives up and the page's message names it, never 数据库正忙."""
    store = Store(url)
    for section in ("预算科", "国库科"):
        import_return(store, f"{section}.xlsx", instances.a_return(tmp_path, section, "2024-01", section))
    with pytest.raises(StaleChoice, match="两份当前月报"):
        store.set_file_setting("roster", "名册.csv", roster_csv(False), "文明办", renamed={"国库科": "预算科"})
    store.engine.dispose()


# N instances at work for a bounded time, then the invariants -----------------------------------------------------

WORKERS, ROUNDS = 3, 25   # each round every worker acts at the same moment: a few seconds in all


def test_instances_at_work_leave_one_truth(url):
    store = Store(url)
    version = store.version()
    reports = instances.run(url, WORKERS, instances.pool(variants=2), rounds=ROUNDS)
    assert [error for report in reports for error in report["errors"]] == []
    assert {operation for report in reports for operation, _ in report["timings"]} == set(instances.OPERATIONS)
    sent = {name: upload for report in reports for name, upload in report["sent"].items()}
    log = table(url, sa.select(history).order_by(history.c.id))
    made = store.decisions().set_index("why")
    state = types.SimpleNamespace(
        store=store, renamed=False, batching=random.Random(0), deployed={}, sheets={},   # none made by the workers
        now=lambda section: section,
        original={version.id: sent[version.file] for version in store.versions_of().itertuples()},
        person_versions=set(log[log["action"] == "import"]["version_id"].astype(int)),
        standing={int(made.loc[why, "id"]) for report in reports for why, _, _ in report["decided"]})
    for check in (StoreMachine.every_version_holds_its_own_file, StoreMachine.at_most_one_current_version,
                  StoreMachine.nothing_a_person_did_vanished, StoreMachine.figures_equal_a_fresh_stores_with_the_files_in_force):
        check(state)
    # Exactly one current version where the last import, restore or withdrawal (in the order the store wrote them)
    # left one, none where it was a withdrawal.
    last = log[log["action"].isin(["import", "restore", "withdraw"])].groupby(["section", "month"])["action"].last()
    current = store.versions_of().query("state == 'current'").groupby(["section", "month"]).size()
    assert current.reindex(last.index, fill_value=0).to_dict() == (last != "withdraw").astype(int).to_dict()
    # Every file uploaded is kept, with its bytes, once; every decision is recorded once and in the history.
    kept = table(url, sa.select(files.c.sha256, files.c.data))
    assert sorted(kept["sha256"]) == sorted({hashlib.sha256(data).hexdigest() for _, _, data in sent.values()})
    assert {bytes(data) for data in kept["data"]} == {data for _, _, data in sent.values()}
    whys = [why for report in reports for why, _, _ in report["decided"]]
    assert sorted(made.index) == sorted(whys)
    logged = log[log["action"].str.startswith("decision-")]["detail"]
    assert sorted(logged) == sorted(f"{instances.EVENT_CATEGORY}：{why}" for why in whys)
    # Each decision was told of exactly the colleagues' decisions on its event made since its page was drawn.
    for report in reports:
        for why, seen, told in report["decided"]:
            own = made.loc[why]
            same = made[(made["section"] == own["section"]) & (made["id"] > seen) & (made["id"] < own["id"])]
            assert told == sorted(same["id"].astype(int)), (why, seen, told)
    # One store version more for every write that changed something: no bump lost between instances.
    assert store.version() - version == sum(report["bumps"] for report in reports)
    store.engine.dispose()

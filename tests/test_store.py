"""The store: nothing lost, nothing half-imported, the same file twice changes nothing."""
import datetime as dt
import hashlib

import pytest

from analytics import load_uploaded
from analytics.store import Store
from analytics.workspace import open_store, roster_in_force, rules_in_force, year
from tests.returns import Event, default_content, write_return


@pytest.fixture
def store(empty_url):
    return Store(empty_url)


def upload(store, roster, *paths, who="王磊"):
    uploads = [(p.name, p.read_bytes()) for p in paths]
    return store.import_batch(load_uploaded(uploads, roster), uploads, who=who)


def current(store, section="预算科", month="2024-03"):
    return store.versions_of(section, month).query("state == 'current'")


def test_import_keeps_the_file_and_the_records(store, roster, tmp_path):
    path = write_return(tmp_path / "预算科_2024年3月.xlsx")
    assert upload(store, roster, path) == {"files": 1, "versions": 1, "skipped": 0}
    tables = store.records("2024-01", "2024-12")
    assert len(tables.tasks) == 6 and len(tables.inspections) == 3
    assert tables.returns[["section", "month", "source_file", "imported_by"]].values.tolist() == [
        ["预算科", "2024-03", "预算科_2024年3月.xlsx", "王磊"]]
    assert store.version() == 1


def test_the_same_file_twice_changes_nothing(store, roster, tmp_path):
    path = write_return(tmp_path / "预算科_2024年3月.xlsx")
    upload(store, roster, path)
    before = (store.counts(), store.version())
    assert upload(store, roster, path) == {"files": 0, "versions": 0, "skipped": 1}
    assert (store.counts(), store.version()) == before
    assert list(store.known_files([hashlib.sha256(path.read_bytes()).hexdigest()]).values())[0][0] == "预算科_2024年3月.xlsx"


def test_resubmission_supersedes_restore_and_withdraw(store, roster, tmp_path):
    first = write_return(tmp_path / "预算科_2024年3月.xlsx")
    upload(store, roster, first)
    content = default_content()
    content.tasks = content.tasks[:2]
    second = write_return(tmp_path / "预算科_2024年3月_更正.xlsx", content)
    upload(store, roster, second)
    history = store.versions_of("预算科", "2024-03")
    assert history[["file", "state"]].values.tolist() == [["预算科_2024年3月_更正.xlsx", "current"],
                                                          ["预算科_2024年3月.xlsx", "superseded"]]
    assert len(store.records("2024-03", "2024-03").tasks) == 2
    store.restore(int(history.iloc[1]["id"]), who="王磊")
    assert current(store)["file"].tolist() == ["预算科_2024年3月.xlsx"]
    assert len(store.records("2024-03", "2024-03").tasks) == 6
    store.withdraw("预算科", "2024-03", who="王磊", why="误传")
    assert current(store).empty and len(store.records("2024-03", "2024-03").returns) == 0
    assert set(store.versions_of("预算科", "2024-03")["state"]) == {"superseded", "withdrawn"}
    assert store.log()["action"].tolist()[:2] == ["withdraw", "restore"]


def test_a_failure_half_way_leaves_the_store_as_it_was(store, roster, tmp_path, monkeypatch):
    upload(store, roster, write_return(tmp_path / "国库科_2024年3月.xlsx", default_content("国库科")))
    before = (store.counts(), store.version())
    calls = []

    def crash(*args):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(*args)

    original = store._add_version
    monkeypatch.setattr(store, "_add_version", crash)
    paths = [write_return(tmp_path / "预算科_2024年3月.xlsx"),
             write_return(tmp_path / "办公室_2024年3月.xlsx", default_content("办公室"))]
    with pytest.raises(RuntimeError):
        upload(store, roster, *paths)
    assert (store.counts(), store.version()) == before


def test_rejected_files_are_kept_but_import_nothing(store, roster, tmp_path):
    bad = write_return(tmp_path / "预算科_2024年3月.xlsx", cells={("任务完成情况", 7, "完成数"): -2})
    assert upload(store, roster, bad) == {"files": 1, "versions": 0, "skipped": 0}
    assert store.counts()["files"] == 1 and store.counts()["tasks"] == 0


def test_first_start_loads_the_sample_once_and_it_can_be_cleared(empty_url):
    url = empty_url
    store = open_store(url)
    assert store.flag("sample") and store.counts()["versions"] == 239
    assert store.clear_sample(who="文明办") == {"versions": 239, "decisions": 0}
    assert not store.flag("sample") and store.versions_of().empty and store.months() == []
    assert open_store(url).months() == []  # not loaded again
    store.restore_sample(who="文明办")
    assert store.flag("sample") and len(store.versions_of().query("state == 'current'")) == 239


def test_staff_decisions_outrank_returns_and_can_be_undone(store, roster, tmp_path):
    content = default_content("国库科")
    content.events = [Event(dt.date(2024, 3, 12), "其他", "待查", "待核实")]
    upload(store, roster, write_return(tmp_path / "国库科_2024年3月.xlsx", content))

    def vetoed():
        table = year(store, 2024).summary.section_months
        return table.set_index(["section", "month"]).loc[("国库科", "2024-03"), ["veto", "pending_vetoes"]].tolist()

    assert vetoed() == [False, 1]
    store.decide("confirm", "国库科", "2024-03", dt.date(2024, 3, 12), "其他", who="李娜", why="经纪检组核实属实")
    assert vetoed() == [True, 0]
    decision_id = int(store.decisions()["id"].iloc[0])
    store.undo_decision(decision_id, who="李娜")
    assert vetoed() == [False, 1]
    store.decide("record", "国库科", "2024-03", dt.date(2024, 3, 20), "不文明行为被曝光", who="李娜", why="媒体曝光",
                 description="办公区吸烟被曝光")
    assert vetoed() == [True, 1]
    assert store.decisions()[["action", "who", "why"]].values.tolist()[-1] == ["record", "李娜", "媒体曝光"]


def test_a_new_roster_and_rules_are_kept(store, tmp_path):
    store.set_file_setting("rules", "新规则.toml", b"not toml", who="王磊")
    with pytest.raises(Exception, match="格式有误"):
        rules_in_force(store)
    store.set_file_setting("roster", "名册.csv", "科室\n预算科\n".encode(), who="王磊")
    assert list(roster_in_force(store).sections["section"]) == ["预算科"]


def test_a_database_of_the_earlier_release_is_brought_up_to_date(tmp_path, roster):
    """The earlier release had no sample flag on files, kept the roster in `settings` and had no unique index."""
    import sqlalchemy as sa
    from alembic import command

    from analytics import migrate
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    store = Store(url)
    uploads = [("预算科_2024年3月.xlsx", write_return(tmp_path / "预算科_2024年3月.xlsx").read_bytes())]
    store.import_batch(load_uploaded(uploads, roster), uploads, who="示例数据")
    with store.engine.begin() as conn:
        command.downgrade(migrate.config(conn), "0002")   # the release had none of the later migrations' tables
        conn.exec_driver_sql("DROP INDEX versions_one_current")
        conn.exec_driver_sql("ALTER TABLE files DROP COLUMN sample")
        conn.exec_driver_sql("DROP TABLE setting_files")
        conn.exec_driver_sql("DROP TABLE alembic_version")  # it came before migrations too
        conn.execute(sa.text("INSERT INTO settings (key, name, data) VALUES ('roster', '名册.csv', :data)"),
                     {"data": "科室\n预算科\n".encode()})
    store.engine.dispose()
    upgraded = Store(url)
    assert upgraded.sample_footprint()["versions"] == 1  # the sample's files are known as the sample's
    assert (upgraded.file_setting("roster").name, upgraded.file_setting("roster").data) == ("名册.csv", "科室\n预算科\n".encode())
    assert len(upgraded.versions_of()) == 1 and upgraded.records("2024-03", "2024-03").tasks.shape[0] == 6

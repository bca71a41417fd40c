"""Schema migrations (issue 13 "Build" 1): the Alembic history builds exactly schema.metadata on both backends, up and
down; a database of an earlier release (tests/data/release10.sql.gz, made by that release's own code:
tests/data/make_release10.py) is upgraded on open without losing a byte; a database newer than the code is refused."""
import gzip
import hashlib
import html
import os
import sqlite3
import subprocess
import sys

import pytest
import sqlalchemy as sa
from alembic import command
from pytest_alembic.tests import (  # noqa: F401  (collected here, on our fixtures: pytest.ini)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from streamlit.testing.v1 import AppTest

from analytics import account_store, migrate, workspace
from analytics.config import DATABASE_URL_VARIABLE
from analytics.intake.messages import STORE_MESSAGES
from analytics.schema import HEAD, DatabaseTooNew, revision
from analytics.store import Store
from tests.conftest import ROOT

RELEASE = ROOT / "tests" / "data" / "release10.sql.gz"
CHAIN = [script.revision for script in reversed(list(migrate.scripts().walk_revisions()))]   # 0001 first
RELEASE_TABLES = ["files", "versions", "history", "decisions", "settings", "setting_files", "tasks", "inspections",
                  "events", "bonus"]


@pytest.fixture
def alembic_config():
    return migrate.config()


@pytest.fixture
def alembic_engine(empty_url):
    engine = sa.create_engine(empty_url)
    yield engine
    engine.dispose()


def test_head_is_the_scripts_head():
    assert migrate.scripts().get_current_head() == HEAD
    assert set(migrate.scripts().get_heads()) == {HEAD}


# A database of the release that closed issue 10 ------------------------------------------------------------------

@pytest.fixture
def release(tmp_path):
    """The release's database as it made it: a SQLite file loaded from its dump."""
    path = tmp_path / "release10.sqlite"
    with sqlite3.connect(path) as connection:
        connection.executescript(gzip.decompress(RELEASE.read_bytes()).decode("utf-8"))
    connection.close()
    return path


def contents(engine: sa.Engine, tables=RELEASE_TABLES) -> dict[str, list[tuple]]:
    """Every row of `tables`, in the release's columns, ordered by all of them."""
    with engine.connect() as conn:
        found = {}
        for name in tables:
            table = sa.Table(name, sa.MetaData(), autoload_with=conn)
            columns = [column for column in table.c if column.name != "sample"]
            found[name] = [tuple(row) for row in conn.execute(sa.select(*columns).order_by(*columns)).all()]
        return found


def copy_rows(source: sa.Engine, target_url: str) -> None:
    """The release's rows into a database of migration 0001 (its schema) on another backend."""
    target = sa.create_engine(target_url)
    with source.connect() as read, target.begin() as write:
        for name in RELEASE_TABLES:
            table = sa.Table(name, sa.MetaData(), autoload_with=write)
            rows = [dict(row) for row in read.execute(sa.text(f"SELECT * FROM {name}")).mappings()]
            if rows:
                write.execute(table.insert(), [{**row, **({"sample": bool(row["sample"])} if "sample" in row else {})}
                                               for row in rows])
            if "id" in table.c:  # the next id after the copied ones, as the release's own inserts would have left it
                write.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                      f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"))
    target.dispose()


def test_a_release_database_is_upgraded_on_open_and_keeps_every_byte(release, empty_url, backend):
    before = contents(sa.create_engine(f"sqlite:///{release}"))
    assert len(before["files"]) == 35 and len(before["decisions"]) == 2 and before["setting_files"]
    if backend == "sqlite":
        url = f"sqlite:///{release}"
    else:  # the same rows in a PostgreSQL database of 0001's schema, upgraded from there
        url = empty_url
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            command.upgrade(migrate.config(conn), "0001")
        engine.dispose()
        copy_rows(sa.create_engine(f"sqlite:///{release}"), url)
    store = Store(url)
    assert store.migrated.applied == (CHAIN if backend == "sqlite" else CHAIN[1:])
    assert store.migrated.adopted == (backend == "sqlite")
    with store.engine.connect() as conn:
        assert revision(conn) == HEAD
    assert contents(store.engine) == before
    with store.engine.connect() as conn:
        for sha256, data in conn.execute(sa.text("SELECT sha256, data FROM files")).all():
            assert hashlib.sha256(data).hexdigest() == sha256
    assert store.flag("bootstrapped") and store.flag("sample")
    assert store.file_setting("roster").who == "文明办 王主任"
    account_store.add_account(store, "wang", "password", "office", "admin")
    assert account_store.any_accounts(store)
    assert Store(url).migrated is None


def test_the_upgraded_release_serves_its_year(release):
    store = Store(f"sqlite:///{release}")
    year = workspace.year(store, 2024)
    assert year.summary.months == ["2024-01", "2024-02"]
    assert len(store.decisions()) == 2


def test_an_even_older_database_gets_what_the_releases_before_added(release):
    """A release before files.sample, setting_files and the one-current index: 0001 adds them, rows kept."""
    with sqlite3.connect(release) as connection:
        roster = connection.execute("SELECT name, data, at, who FROM setting_files").fetchone()
        connection.executescript("DROP INDEX versions_one_current; DROP TABLE setting_files; "
                                 "ALTER TABLE files DROP COLUMN sample;")
        connection.execute("INSERT INTO settings (key, name, data, updated_at, updated_by) VALUES ('roster', ?, ?, ?, ?)",
                           roster)
    connection.close()
    url = f"sqlite:///{release}"
    before = contents(sa.create_engine(url), [name for name in RELEASE_TABLES if name != "setting_files"])
    store = Store(url)
    assert store.migrated.adopted and store.migrated.applied == CHAIN
    assert contents(store.engine, list(before)) == before
    moved = store.file_setting("roster")
    assert (moved.name, moved.data, moved.who) == (roster[0], roster[1], roster[3])
    with store.engine.connect() as conn:
        marked = conn.execute(sa.text("SELECT uploaded_by, sample FROM files")).all()
        assert "versions_one_current" in {index["name"] for index in sa.inspect(conn).get_indexes("versions")}
    assert all(bool(sample) == (who == STORE_MESSAGES["legacy-sample-who"]) for who, sample in marked)
    assert any(sample for _who, sample in marked) and not all(sample for _who, sample in marked)


def test_a_database_with_accounts_before_migrations_is_stamped(empty_url):
    store = Store(empty_url)
    account_store.add_account(store, "wang", "password", "office", "admin")
    with store.engine.begin() as conn:  # as those releases left it: 0002's tables, none of a later migration's
        command.downgrade(migrate.config(conn), "0002")
        conn.execute(sa.text("DROP TABLE alembic_version"))
    store.engine.dispose()
    reopened = Store(empty_url)
    assert reopened.migrated.adopted and reopened.migrated.before == "0002" \
        and reopened.migrated.applied == CHAIN[CHAIN.index("0002") + 1:]
    with reopened.engine.connect() as conn:
        assert revision(conn) == HEAD
    assert account_store.find_account(reopened, "wang")


# Opening: once, cheaply; a newer database refused -------------------------------------------------------------------

def test_a_second_open_migrates_nothing_and_imports_no_alembic(empty_url):
    assert Store(empty_url).migrated.applied == CHAIN
    assert Store(empty_url).migrated is None
    done = subprocess.run([sys.executable, "-c", "import sys; from analytics.store import Store; "
                           f"print(Store({empty_url!r}).migrated, 'alembic' in sys.modules)"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["None", "False"], done.stderr


@pytest.fixture
def too_new(empty_url):
    """A database stamped by a release newer than this code."""
    store = Store(empty_url)
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    store.engine.dispose()
    return empty_url


def test_a_newer_database_is_refused_and_left_alone(too_new):
    with pytest.raises(DatabaseTooNew) as refused:
        Store(too_new)
    assert str(refused.value) == STORE_MESSAGES["too-new"].format(revision="9999") and "9999" in str(refused.value)
    engine = sa.create_engine(too_new)
    with engine.connect() as conn:
        assert revision(conn) == "9999"
    engine.dispose()


def cli(url: str, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, DATABASE_URL_VARIABLE: url})


def test_the_cli_refuses_a_newer_database(too_new, tmp_path):
    for argv in (["db", "upgrade"], ["summarize", "--json", str(tmp_path / "out.json")]):
        done = cli(too_new, *argv)
        assert done.returncode == 2 and STORE_MESSAGES["too-new"].format(revision="9999") in done.stderr, done.stderr
        assert "Traceback" not in done.stderr


def test_the_dashboard_refuses_a_newer_database(too_new, monkeypatch):
    monkeypatch.setenv(DATABASE_URL_VARIABLE, too_new)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert [error.value for error in at.error] == [STORE_MESSAGES["too-new"].format(revision="9999")]


def test_db_upgrade_says_what_it_did(release):
    url = f"sqlite:///{release}"
    done = cli(url, "db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "数据库来自启用结构版本之前的发行版：按结构 0001 接管，原有数据一律保留。",
        "已执行 0001：月报、版本、认定、设置等数据表（账号功能之前的版本）",
        "已执行 0002：账号、登录记录和会话",
        "已执行 0003：检查组检查表及其检查记录",
        "已执行 0004：六个一的确认和市文明办部署任务台账",
        "已执行 0005：创建台账的佐证材料",
        f"数据库 {url} 已升级到结构 0005。"]
    again = cli(url, "db", "upgrade")
    assert again.returncode == 0 and again.stdout.strip() == f"数据库 {url} 已是最新结构（0005），无需升级。"


def test_the_sign_in_form_says_so_on_a_newer_database(too_new, monkeypatch):
    """POST /signin (server.py) opens the store: on a newer release's database it answers with the message, not a 500."""
    from starlette.applications import Starlette
    from starlette.routing import Route
    from starlette.testclient import TestClient

    import server
    monkeypatch.setenv(DATABASE_URL_VARIABLE, too_new)
    client = TestClient(Starlette(routes=[Route("/signin", server.signin, methods=["GET", "POST"])]))
    answer = client.post("/signin", data={"username": "wang", "password": "password"})
    assert answer.status_code == 503 and html.escape(STORE_MESSAGES["too-new"].format(revision="9999")) in answer.text

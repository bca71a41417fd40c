"""Backups (issue 13 "Build" 4, analytics/backup.py) on both backends: a store with every kind of row (returns,
a withdrawal, decisions, accounts, sign-ins, roster, rules and template files, a cleared sample) backed up and
restored into an empty database of either backend comes back row by row, bytes included; a backup taken while
another instance imports holds the store as it stood; a restore refuses a non-empty database, a file that is not a
backup and a backup of a newer schema, writing nothing; `db backup` / `db restore` do the same from the command
line; 设置 shows the last backup and lets an office user download one, which restores."""
import datetime as dt
import os
import re
import sqlite3
import subprocess
import sys

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from analytics import account_store, evidence_store, plan_store, team_store, workspace
from analytics.backup import INFO, BackupRefused, backup, last_backup, restore
from analytics.config import DATABASE_URL_VARIABLE, SAMPLE_ROSTER
from analytics.intake.loader import load_uploaded
from analytics.markdown import plain
from analytics.rules import DEFAULT_RULES
from analytics.schema import metadata
from analytics.sessions import Sessions
from analytics.store import Store
from tests.conftest import BACKENDS, ROOT, sign_in_apptest
from tests.returns import default_content, write_return
from tests.test_team_sheets import import_a_team_sheet
from tests.test_templates_plan import downloads  # noqa: F401 (a fixture: each download's name → bytes)

WHO = "测试员"


def filled(url: str, tmp_path) -> Store:
    """The sample store at `url` with a row in every table: a return of its own, a withdrawal, a decision, an
    office and a section account with a sign-in and a session, a roster, rules and template file in force, the
    sample cleared."""
    store = Store(url)
    path = write_return(tmp_path / "预算科_2024年12月_更正.xlsx", default_content("预算科", "2024-12"))
    uploads = [(path.name, path.read_bytes())]
    store.import_batch(load_uploaded(uploads, workspace.roster_in_force(store)), uploads, WHO)
    store.withdraw("国库科", "2024-11", WHO, "报错了月份")
    store.decide("confirm", "国库科", "2024-05", dt.date(2024, 5, 8), "违法违纪案件", WHO, "纪检组通报")
    account_store.add_account(store, "wenmingban", "office password", "office", WHO)
    account_store.add_account(store, "ys", "section password", "section", WHO, ["预算科"], "预算科")
    account_store.sign_in(store, "wenmingban", "office password", dt.datetime.now())
    Sessions(store).start("wenmingban")
    workspace.replace_roster(store, "名册.xlsx", SAMPLE_ROSTER.read_bytes(), WHO)
    workspace.replace_rules(store, "规则.toml", DEFAULT_RULES.read_bytes() + "# 本局\n".encode(), WHO)
    store.set_file_setting("template", "模板设置.toml", b"tasks = []\n", WHO)
    team_store.withdraw_team_sheet(store, import_a_team_sheet(store, WHO), WHO)  # issue 14: an inspection-team sheet
    plan_store.undo_six_ones(store, plan_store.confirm_six_ones(store, 2024, "一堂", "established", "台账齐全", WHO), WHO)
    plan_store.remove_deployed_task(store, plan_store.add_deployed_task(store, "创城知识答题", "文明城市创建", "2024-05",
                                                                         ["预算科"], "市文明办通知", WHO), WHO)
    [photo] = evidence_store.add_evidence(store, evidence_store.Target(2024, item="道德讲堂"),  # evidence, its bytes
                                          [("讲堂.png", (ROOT / "assets" / "favicon.png").read_bytes())], "道德讲堂", WHO)
    evidence_store.remove_evidence(store, photo, WHO)
    store.clear_sample(WHO)
    return store


def contents(url: str) -> dict[str, list[dict]]:
    """Every row of every table of the schema, as the store's types read it (bytes as bytes), in a fixed order."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        held = {table.name: sorted((dict(row._mapping) for row in conn.execute(sa.select(table))), key=repr)
                for table in metadata.sorted_tables}
    engine.dispose()
    return held


def as_backed_up(held: dict) -> dict:
    """`held` without what a restore adds: its line in the history and the version (one up, checked apart)."""
    return {**held, "history": [row for row in held["history"] if row["action"] != "restore-backup"],
            "settings": [row for row in held["settings"] if row["key"] != "version"]}


@pytest.mark.parametrize("target", BACKENDS)
def test_a_backup_restores_into_an_empty_database_row_by_row(new_database, sample_url, target, tmp_path):
    """sqlite → sqlite, sqlite → postgresql, postgresql → sqlite, postgresql → postgresql."""
    store = filled(sample_url, tmp_path)
    before, version = contents(sample_url), store.version()
    assert all(before.values()), [name for name, rows in before.items() if not rows]  # every table has rows
    assert any(row["data"] for row in before["files"])
    out = tmp_path / "备份 2024.sqlite"
    info = backup(store, out, WHO, "cli")
    assert (info["source"], info["taken_by"]) == (store.engine.dialect.name, WHO)
    assert store.version() == version  # a backup changes no figure
    assert (last_backup(store).who, last_backup(store).detail) == (WHO, f"命令行备份到 {out}")
    target_url = new_database(on=target)
    into = Store(target_url)
    restored = restore(into, out, "恢复员")
    assert sum(restored["restored"].values()) == sum(map(len, before.values()))
    after = contents(target_url)
    assert as_backed_up(after) == as_backed_up(before)
    assert len(after["history"]) == len(before["history"]) + 1  # the restore, recorded
    assert into.version() == version + 1  # caches keyed on the version follow
    # New rows get new ids (PostgreSQL's sequences moved past the restored ones), and the figures are the source's.
    into.decide("dismiss", "预算科", "2024-06", None, "其他", WHO, "复核")
    assert workspace.year(into, 2024).summary.section_months.equals(workspace.year(store, 2024).summary.section_months)


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_backup_holds_the_store_as_it_stood_while_another_instance_imports(sample_url, tmp_path):
    """PostgreSQL's tables are read one after another: an import another instance commits between reading the files
    and the versions is in neither (one REPEATABLE READ transaction), where it would otherwise bring a version
    without its file. (SQLite's online backup copies the file in one step: one read transaction by construction.)"""
    store, other = Store(sample_url), Store(sample_url)
    before = contents(sample_url)
    path = write_return(tmp_path / "预算科_2024年12月_更正.xlsx", default_content("预算科", "2024-12"))
    uploads = [(path.name, path.read_bytes())]
    result = load_uploaded(uploads, workspace.roster_in_force(store))

    def import_meanwhile(conn, cursor, statement, *args):
        if re.match(r"SELECT .*\sFROM versions\b", statement, re.S) and not imported:
            imported.append(other.import_batch(result, uploads, WHO))
    imported = []
    sa.event.listen(store.engine, "before_cursor_execute", import_meanwhile)
    backup(store, tmp_path / "备份.sqlite", WHO, "cli")
    sa.event.remove(store.engine, "before_cursor_execute", import_meanwhile)
    assert imported == [{"files": 1, "versions": 1, "skipped": 0}]  # the import did happen during the backup
    assert contents(f"sqlite:///{tmp_path / '备份.sqlite'}") == before


@pytest.fixture(scope="module")
def a_backup(sample_database, tmp_path_factory):
    """A backup of the sample (SQLite), taken from a copy so the sample stays as it is."""
    folder = tmp_path_factory.mktemp("backup")
    copy = folder / "copy.sqlite"
    copy.write_bytes(sample_database.read_bytes())
    backup(Store(f"sqlite:///{copy}"), folder / "备份.sqlite", WHO, "cli")
    return folder / "备份.sqlite"


def changed(source, tmp_path, name: str, *statements: str):
    """A copy of the backup `source` with SQL `statements` run on it."""
    path = tmp_path / name
    path.write_bytes(source.read_bytes())
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()
    return path


def test_a_database_that_holds_data_is_refused(sample_url, a_backup):
    before = contents(sample_url)
    with pytest.raises(BackupRefused, match=r"^目标数据库中已有数据（\d+ 行），未恢复任何内容：备份只能恢复到新建的空数据库"):
        restore(Store(sample_url), a_backup, WHO)
    assert contents(sample_url) == before


def test_what_is_not_a_backup_is_refused(empty_url, a_backup, sample_database, tmp_path):
    cut = tmp_path / "cut.sqlite"
    cut.write_bytes(a_backup.read_bytes()[:len(a_backup.read_bytes()) // 2])
    others = [write_return(tmp_path / "预算科_2024年3月.xlsx"), sample_database, cut,
              changed(a_backup, tmp_path, "other.sqlite", f"UPDATE {INFO} SET value = 'other 1' WHERE key = 'format'")]
    store = Store(empty_url)
    for path in others:
        with pytest.raises(BackupRefused, match=f"^「{re.escape(path.name)}」不是本看板的备份文件，未恢复任何内容"):
            restore(store, path, WHO)
    assert not any(contents(empty_url).values())


@pytest.mark.parametrize("change", [
    pytest.param(f"UPDATE {INFO} SET value = 'f00d0099' WHERE key = 'revision'", id="revision"),
    pytest.param("ALTER TABLE files ADD COLUMN checksum TEXT", id="column"),
    pytest.param("CREATE TABLE reviews (id INTEGER PRIMARY KEY)", id="table"),
])
def test_a_backup_of_a_newer_schema_is_refused(empty_url, a_backup, tmp_path, change):
    newer = changed(a_backup, tmp_path, "newer.sqlite", change)
    with pytest.raises(BackupRefused, match="^「newer.sqlite」是较新版本看板的备份（数据库结构版本 .*），本版本无法恢复，未恢复任何内容"):
        restore(Store(empty_url), newer, WHO)
    assert not any(contents(empty_url).values())


def cli(url: str, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", "db", *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, DATABASE_URL_VARIABLE: url})


def test_the_command_line_backs_up_and_restores(new_database, sample_url, tmp_path):
    out = tmp_path / "备份.sqlite"
    done = cli(sample_url, "backup", str(out))
    assert done.returncode == 0 and done.stdout.startswith(f"已备份到 {out}（") and not done.stderr, done.stderr
    again = cli(sample_url, "backup", str(out))
    assert (again.returncode, again.stderr) == (2, f"无法运行：「{out}」已存在，未覆盖：请换一个文件名。\n")
    target = new_database()
    done = cli(target, "restore", str(out))
    assert done.returncode == 0 and done.stdout.startswith(f"已从 {out} 恢复（") and not done.stderr, done.stderr
    assert Store(target).counts() == Store(sample_url).counts()
    again = cli(target, "restore", str(out))
    assert again.returncode == 2 and again.stderr.startswith("无法运行：目标数据库中已有数据")
    assert again.stderr.count("\n") == 1 and "Traceback" not in again.stderr


def settings_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/settings.py").run()
    assert not at.exception, at.exception
    return at


def backup_buttons(at) -> list[str]:
    return [button.label for button in at.download_button if button.label.startswith("下载备份")]


def captions(at) -> list[str]:
    return [caption.value for caption in at.caption]


def test_an_office_user_downloads_a_backup_that_restores(request, new_database, sample_url, tmp_path, monkeypatch):
    made = request.getfixturevalue("downloads")
    store = Store(sample_url)
    account_store.add_account(store, "wenmingban", "office password", "office", WHO)
    sign_in_apptest(monkeypatch, store, "wenmingban")
    at = settings_page()
    assert "备份" in [s.value for s in at.subheader] and "尚未备份过。" in captions(at) and not backup_buttons(at)
    version = store.version()
    next(button for button in at.button if button.label == "生成备份文件").click().run()
    assert not at.exception, at.exception
    [(name, data)] = [(name, data) for name, data in made.items() if str(name).startswith("文明创建看板备份")]
    assert re.fullmatch(r"文明创建看板备份_\d{4}-\d{2}-\d{2}_\d{4}\.sqlite", name)
    assert backup_buttons(at) == [plain(f"下载备份：{name}")]  # shown as typed, never as Markdown
    at_minute = f"{last_backup(store).at:%Y-%m-%d %H:%M}"
    assert name == f"文明创建看板备份_{last_backup(store).at:%Y-%m-%d_%H%M}.sqlite"  # the name and the record: one time
    assert plain(f"上次备份：{at_minute}，wenmingban，设置页下载 {name}。") in captions(at)
    assert store.version() == version  # recording the backup changes no figure
    (tmp_path / name).write_bytes(data)
    target = new_database()
    restore(Store(target), tmp_path / name, WHO)
    assert Store(target).counts() == store.counts()


def test_a_section_account_sees_no_backup(sample_url, monkeypatch):
    """(A leader does not open 设置 at all: test_roles.py.)"""
    store = Store(sample_url)
    account_store.add_account(store, "wenmingban", "office password", "office", WHO)
    account_store.add_account(store, "ys", "section password", "section", WHO, ["预算科"], "预算科")
    sign_in_apptest(monkeypatch, store, "ys")
    at = settings_page()
    assert "备份" not in [s.value for s in at.subheader] and "生成备份文件" not in [b.label for b in at.button]
    assert not any(caption.startswith(("上次备份", "尚未备份")) for caption in captions(at))

"""Accounts (issue 11): password hashes and their minimum length, the lockout's timing, who may do what, the store's
accounts (added, disabled, enabled again, listed for 设置 → 账号) and the `user` commands; with an account the
dashboard asks to sign in."""
import datetime as dt
import os
import subprocess
import sys

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic import command
from argon2 import PasswordHasher

from analytics import account_store, labels, migrate
from analytics.accounts import (
    ACTIONS,
    LOCKOUT_LOOKBACK,
    ROLES,
    Account,
    AccountError,
    Refusal,
    hash_password,
    locked_until,
    may,
    may_import,
    may_see_section,
    minutes_left,
    needs_rehash,
    verify_password,
)
from analytics.config import DATABASE_URL_VARIABLE
from analytics.intake.vocab import ACTION_NAMES
from analytics.schema import HEAD, accounts, history, metadata, revision, sessions, sign_in_attempts
from analytics.store import Store
from tests.conftest import ROOT

T0 = dt.datetime(2024, 3, 4, 9, 0, 0)
SECTIONS = ["办公室", "预算科", "国库科"]


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


@pytest.fixture
def store(empty_url):
    return Store(empty_url)


# Passwords -------------------------------------------------------------------------------------------

def test_the_stored_hash_is_argon2id_never_the_password():
    stored = hash_password("correct horse 马")
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert stored != hash_password("correct horse 马")          # salted: the same password, another hash
    assert verify_password(stored, "correct horse 马")
    assert not verify_password(stored, "correct horse")
    assert not verify_password("not a hash", "correct horse 马")
    assert not needs_rehash(stored)


def test_an_empty_password_is_refused():
    with pytest.raises(AccountError) as refused:
        hash_password("")
    assert str(refused.value) == "密码不能为空"


def test_a_hash_with_older_parameters_is_rehashed_at_sign_in(store):
    """Also a password from before PASSWORD_MIN: it still signs in (and is rehashed) until it is changed."""
    account_store.add_account(store, "wang", "password", "office", "admin")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("pw")
    assert needs_rehash(weak)
    with store.engine.begin() as conn:
        conn.execute(accounts.update().values(password_hash=weak))
    assert isinstance(account_store.sign_in(store, "wang", "pw", T0), Account)
    stored = _hash_of(store, "wang")
    assert stored != weak and not needs_rehash(stored) and verify_password(stored, "pw")


# Lockout timing -----------------------------------------------------------------------------------

# failures (minutes after T0), now (minutes), the lock's end (minutes) or None.
LOCKOUT_TABLE = [
    pytest.param([0, 1, 2, 3], 3.5, None, id="4 failures: still open"),
    pytest.param([0, 1, 2, 3, 4], 4, 19, id="the 5th failure locks for 15 minutes from it"),
    pytest.param([0, 1, 2, 3, 4], 18.9, 19, id="locked until 15 minutes after the 5th"),
    pytest.param([0, 1, 2, 3, 4], 19, None, id="open again 15 minutes after the 5th"),
    pytest.param([0, 4, 8, 12, 14.9], 15, 29.9, id="5 within 15 minutes lock"),
    pytest.param([0, 4, 8, 12, 15], 15, None, id="5 spread over 15 minutes do not"),
    pytest.param([0, 20, 21, 22, 23], 23, None, id="old failures age out of the window"),
    pytest.param([0, 20, 21, 22, 23, 24], 24, 39, id="any 5 within the window lock"),
    pytest.param([0, 1, 2, 3, 30], 3, None, id="a failure after now does not count"),
]


@pytest.mark.parametrize("failures, now, until", LOCKOUT_TABLE)
def test_lockout_timing(failures, now, until):
    assert locked_until([at(m) for m in failures], at(now)) == (at(until) if until is not None else None)


def test_the_lookback_covers_every_failure_that_can_still_lock():
    """The store reads failures within LOCKOUT_LOOKBACK of now: the oldest of 5 that lock just under 30 minutes
    ago must be among them."""
    failures = [at(0), at(14.9), at(14.9), at(14.9), at(14.9)]
    now = at(29.8)
    assert locked_until(failures, now) is not None and now - failures[0] < LOCKOUT_LOOKBACK


@pytest.mark.parametrize("seconds, minutes", [(10, 1), (60, 1), (61, 2), (14 * 60 + 30, 15), (15 * 60, 15)])
def test_minutes_left_round_up(seconds, minutes):
    assert minutes_left(T0 + dt.timedelta(seconds=seconds), T0) == minutes


# Roles ----------------------------------------------------------------------------------------------

# Issue 11's role table, written out again: every (role, action) not listed here is refused.
ALLOWED = {
    "office": {"view_published", "view_figures", "download", "upload_any", "decide", "withdraw", "roster", "rules",
               "templates", "accounts", "clear_sample", "audit", "plan_confirm",   # issue 14: 六个一, deployed tasks, evidence
               "evidence_any"},
    "leader": {"view_published", "view_figures", "download"},
    "section": {"view_published", "view_own", "upload_own", "template_own", "evidence_own"},
}


@pytest.mark.parametrize("role, action", [(role, action) for role in ROLES for action in ACTIONS])
def test_role_action_table(role, action):
    assert may(role, action) is (action in ALLOWED[role])


def test_the_roles_and_their_names():
    assert ROLES == ("office", "leader", "section") and set(labels.ROLE_NAMES) == set(ROLES)
    assert labels.ROLE_NAMES == {"office": "文明办", "leader": "领导", "section": "科室填报员"}
    assert set().union(*ALLOWED.values()) <= set(ACTIONS)
    assert not any(may("guest", action) for action in ACTIONS)


@pytest.mark.parametrize("account, section, imports, sees", [
    pytest.param(Account("ys", "ys", "section", "预算科"), "预算科", True, True, id="section: its own"),
    pytest.param(Account("ys", "ys", "section", "预算科"), "国库科", False, False, id="section: another"),
    pytest.param(Account("ys", "ys", "section", None), "预算科", False, False, id="section without a section"),
    pytest.param(Account("wang", "wang", "office"), "国库科", True, True, id="office: any"),
    pytest.param(Account("li", "li", "leader"), "国库科", False, True, id="leader: sees, never imports"),
])
def test_section_scoped_rules(account, section, imports, sees):
    assert may_import(account, section) is imports
    assert may_see_section(account, section) is sees


# The store ------------------------------------------------------------------------------------------

def _hash_of(store, username):
    with store.engine.connect() as conn:
        return conn.execute(sa.select(accounts.c.password_hash).where(accounts.c.username == username)).scalar_one()


def _history(store):
    with store.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.select(history.c.who, history.c.action, history.c.section,
                                                             history.c.detail).order_by(history.c.id))]


def _attempts(store):
    with store.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.select(sign_in_attempts.c.username, sign_in_attempts.c.succeeded,
                                                             sign_in_attempts.c.reason).order_by(sign_in_attempts.c.id))]


def test_add_list_disable_and_password_round_trip(store):
    assert not account_store.any_accounts(store)
    wang = account_store.add_account(store, " wang ", "password 1", "office", "admin", display_name="王主任")
    assert wang == Account("wang", "王主任", "office", None)
    ys = account_store.add_account(store, "ys", "password 2", "section", "wang", SECTIONS, section="预算科")
    assert account_store.any_accounts(store)
    listed = account_store.list_accounts(store)
    assert listed[["username", "display_name", "role", "section"]].fillna("").values.tolist() == [
        ["wang", "王主任", "office", ""], ["ys", "ys", "section", "预算科"]]
    assert not any("hash" in column for column in listed.columns)
    assert "password 1" not in repr(_history(store)) and "$argon2" not in repr(_history(store))

    account_store.set_password(store, "ys", "new password", "wang")
    assert isinstance(account_store.sign_in(store, "ys", "password 2", T0), Refusal)
    assert account_store.sign_in(store, "ys", "new password", at(1)) == ys
    account_store.disable_account(store, "ys", "wang")
    assert account_store.sign_in(store, "ys", "new password", at(2)) == Refusal("disabled")
    assert account_store.sign_in(store, "ys", "wrong", at(3)) == Refusal("wrong")   # disabled said only to the owner
    assert account_store.find_account(store, "ys") is None and account_store.find_account(store, "wang") == wang

    listed = account_store.list_accounts(store).set_index("username")
    assert pd.notna(listed.loc["ys", "disabled_at"]) and pd.isna(listed.loc["wang", "disabled_at"])
    assert listed.loc["ys", "last_sign_in_at"] == at(1)
    assert _history(store) == [
        ("admin", "account-add", None, "wang（文明办）"),
        ("wang", "account-add", "预算科", "ys（科室填报员·预算科）"),
        ("wang", "account-password", "预算科", "ys（科室填报员·预算科）"),
        ("ys", "sign-in-failed", "预算科", "密码错误"),
        ("ys", "sign-in", "预算科", None),
        ("wang", "account-disable", "预算科", "ys（科室填报员·预算科）"),
        ("ys", "sign-in-failed", "预算科", "账号已停用"),
        ("ys", "sign-in-failed", "预算科", "密码错误"),
    ]
    assert _attempts(store) == [("ys", False, "wrong-password"), ("ys", True, None), ("ys", False, "disabled"),
                                ("ys", False, "wrong-password")]
    assert {action for _, action, _, _ in _history(store)} <= set(ACTION_NAMES)


@pytest.mark.parametrize("username, role, section, code", [
    pytest.param("wang", "office", None, "duplicate", id="a taken name"),
    pytest.param("old", "office", None, "duplicate", id="a disabled account's name"),
    pytest.param("Wang", "leader", None, "duplicate", id="a taken name in other letter case"),
    pytest.param("x", "boss", None, "unknown-role", id="an unknown role"),
    pytest.param("x", "section", None, "section-needed", id="a section account without a section"),
    pytest.param("x", "section", "人事科", "unknown-section", id="a section not in the roster in force"),
    pytest.param("x", "leader", "预算科", "section-not-allowed", id="a section for a leader"),
    pytest.param("  ", "office", None, "empty-username", id="an empty name"),
    pytest.param("a b", "office", None, "bad-username", id="a name with a space"),
])
def test_add_account_refuses(store, username, role, section, code):
    account_store.add_account(store, "wang", "password", "office", "admin")
    account_store.add_account(store, "old", "password", "leader", "admin")
    account_store.disable_account(store, "old", "admin")
    before = (account_store.list_accounts(store).to_dict("records"), _history(store), store.version())
    with pytest.raises(AccountError) as refused:
        account_store.add_account(store, username, "password", role, "admin", SECTIONS, section=section)
    assert refused.value.code == code and "{" not in str(refused.value)
    assert (account_store.list_accounts(store).to_dict("records"), _history(store), store.version()) == before


def test_disabling_keeps_the_row_and_its_history(store, roster, tmp_path):
    from tests.test_store import upload, write_return
    account_store.add_account(store, "ys", "password", "section", "admin", SECTIONS, section="预算科")
    upload(store, roster, write_return(tmp_path / "预算科_2024年3月.xlsx"), who="ys")
    account_store.disable_account(store, "ys", "admin")
    assert account_store.list_accounts(store)["username"].tolist() == ["ys"]
    assert store.versions_of("预算科", "2024-03")["imported_by"].tolist() == ["ys"]
    with pytest.raises(AccountError, match="已于"):
        account_store.disable_account(store, "ys", "admin")
    with pytest.raises(AccountError, match="没有用户名为「nobody」的账号"):
        account_store.set_password(store, "nobody", "password", "admin")


def _tries(store, attempts):
    """(minutes, username, password) → what each sign-in returned: the account's username or the refusal."""
    out = []
    for minutes, username, password in attempts:
        result = account_store.sign_in(store, username, password, at(minutes))
        out.append(result.username if isinstance(result, Account) else (result.code, result.minutes))
    return out


def test_five_wrong_passwords_lock_the_name_even_against_the_right_one(store):
    account_store.add_account(store, "wang", "password", "office", "admin")
    results = _tries(store, [(m, "wang", "bad") for m in range(5)] + [(5, "wang", "password"), (18.5, "wang", "password"),
                                                                        (19, "wang", "password")])
    assert results == [("wrong", None)] * 5 + [("locked", 14), ("locked", 1), "wang"]
    assert Refusal("locked", 14).message == "该用户名登录失败次数过多，已暂停登录，请 14 分钟后再试"
    assert [reason for _, _, reason in _attempts(store)][5:] == ["locked", "locked", None]


def test_retrying_while_locked_does_not_prolong_the_lock(store):
    account_store.add_account(store, "wang", "password", "office", "admin")
    results = _tries(store, [(m, "wang", "bad") for m in range(5)] + [(m, "wang", "bad") for m in (10, 15, 18)]
                     + [(19, "wang", "password")])
    assert results[-1] == "wang"


def test_a_success_does_not_reset_the_failures(store):
    account_store.add_account(store, "wang", "password", "office", "admin")
    results = _tries(store, [(m, "wang", "bad") for m in range(4)] + [(4, "wang", "password"), (5, "wang", "bad"),
                                                                        (6, "wang", "password")])
    assert results[4] == "wang" and results[5] == ("wrong", None) and results[6] == ("locked", 14)


def test_an_unknown_name_is_refused_as_a_wrong_password_and_locks_too(store):
    account_store.add_account(store, "wang", "password", "office", "admin")
    assert _tries(store, [(0, "nobody", "password"), (0, "wang", "bad")]) == [("wrong", None), ("wrong", None)]
    assert _tries(store, [(m, "nobody", "password") for m in range(1, 5)])[-1] == ("wrong", None)
    assert _tries(store, [(5, "nobody", "password"), (5, "wang", "password")]) == [("locked", 14), "wang"]  # one name at a time
    assert _attempts(store)[0] == ("nobody", False, "unknown-name")


def test_a_sign_in_does_not_bump_the_store_version(store):
    """Page caches are keyed on the version; a sign-in changes no figure."""
    account_store.add_account(store, "wang", "password", "office", "admin")
    before = store.version()
    _tries(store, [(0, "wang", "password"), (1, "wang", "bad")])
    assert store.version() == before


# An older database ---------------------------------------------------------------------------------

def test_an_older_database_gets_the_account_tables_on_open(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    store = Store(url)
    store.set_flag("bootstrapped", True)
    with store.engine.begin() as conn:  # as the release before accounts left it (before migrations too)
        command.downgrade(migrate.config(conn), "0002")   # none of the later migrations' tables either
        for table in (sessions, sign_in_attempts, accounts):
            table.drop(conn)
        conn.execute(sa.text("DROP TABLE alembic_version"))
    with store.engine.connect() as conn:
        assert revision(conn) is None
    reopened = Store(url)
    with reopened.engine.connect() as conn:
        assert set(metadata.tables) <= set(sa.inspect(conn).get_table_names()) and revision(conn) == HEAD
    assert reopened.flag("bootstrapped") and not account_store.any_accounts(reopened)
    account_store.add_account(reopened, "wang", "password", "office", "admin")
    assert isinstance(account_store.sign_in(reopened, "wang", "password", T0), Account)


# The `user` commands ---------------------------------------------------------------------------------

def _cli(url, *argv, stdin=""):
    env = {**os.environ, DATABASE_URL_VARIABLE: url}
    return subprocess.run([sys.executable, "-m", "analytics", "user", *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=env, input=stdin)


def test_user_commands(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    done = _cli(url, "add", "wang", "--role", "office", "--name", "王主任", stdin="s3cret pass\n")
    assert done.returncode == 0 and "已新建账号 wang（文明办）" in done.stdout, done.stderr
    done = _cli(url, "add", "ys", "--role", "section", "--section", "预算股", stdin="password 2\n")   # an alias in the roster
    assert done.returncode == 0 and "ys（科室填报员·预算科）" in done.stdout, done.stderr
    store = Store(url)
    stored = _hash_of(store, "wang")
    assert stored.startswith("$argon2id$") and "s3cret" not in stored and verify_password(stored, "s3cret pass")

    for argv, stdin, reason in [
        (("add", "li", "--role", "leader"), "\n", "密码不能为空"),
        (("add", "li", "--role", "leader"), "", "密码不能为空"),
        (("add", "li", "--role", "leader"), "seven77\n", "密码至少 8 个字符"),
        (("add", "wang", "--role", "leader"), "password\n", "已存在"),
        (("add", "li", "--role", "section", "--section", "不存在科"), "password\n", "不在现行组织名册中"),
        (("add", "li", "--role", "boss"), "password\n", "角色「boss」无法识别"),
        (("disable", "nobody"), "", "没有用户名为「nobody」的账号"),
        (("frobnicate",), "", "参数错误"),
    ]:
        done = _cli(url, *argv, stdin=stdin)
        assert done.returncode == 2, (argv, done.stdout, done.stderr)
        assert done.stderr.count("\n") == 1 and reason in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert account_store.list_accounts(store)["username"].tolist() == ["wang", "ys"]

    assert _cli(url, "password", "ys", stdin="fresh password\n").returncode == 0
    assert account_store.sign_in(store, "ys", "password 2", T0) == Refusal("wrong")
    assert account_store.sign_in(store, "ys", "fresh password", at(1)).section == "预算科"
    assert _cli(url, "disable", "ys").returncode == 0
    listed = _cli(url, "list")
    assert listed.returncode == 0 and "$argon2" not in listed.stdout
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("wang  王主任  文明办  启用") and "最近登录 从未" in lines[0]
    assert lines[1].startswith("ys  ys  科室填报员·预算科  已停用") and "最近登录 2024-03-04 09:01" in lines[1]
    done = _cli(url, "enable", "ys")
    assert done.returncode == 0 and "已重新启用账号 ys" in done.stdout, done.stderr
    assert account_store.sign_in(store, "ys", "fresh password", at(2)).section == "预算科"   # its password as before
    assert _cli(url, "enable", "ys").returncode == 2                                          # already enabled
    whos = {who for who, action, _, _ in _history(store) if action.startswith("account-")}
    assert len(whos) == 1 and whos.pop().startswith("命令行（")


def test_with_an_account_the_dashboard_asks_for_sign_in_and_shows_nothing(sample_url):
    """Issue 11 item 4: the first account ends desk mode; without a session no page title, name or figure."""
    from streamlit.testing.v1 import AppTest
    account_store.add_account(Store(sample_url), "wang", "password", "office", "admin")
    at_ = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at_.exception, at_.exception
    assert not at_.title and not at_.metric and not at_.dataframe
    assert [m.value for m in at_.markdown] == ['请先登录。 <a href="/signin?next=/" target="_self">登录</a>']


# Enabling again, the password's minimum length, the table of 设置 → 账号 -------------------------------

@pytest.mark.parametrize("password, refused", [
    pytest.param("1234567", True, id="7 characters"),
    pytest.param("12345678", False, id="8 characters"),
    pytest.param("文明单位创建工作", False, id="8 Chinese characters"),
    pytest.param("文明单位创建工", True, id="7 Chinese characters"),
])
def test_a_new_password_has_at_least_8_characters(password, refused):
    if not refused:
        assert verify_password(hash_password(password), password)
        return
    with pytest.raises(AccountError) as error:
        hash_password(password)
    assert error.value.code == "short-password" and str(error.value) == "密码至少 8 个字符"


def test_a_short_password_changes_nothing(store):
    account_store.add_account(store, "wang", "password", "office", "admin")
    before = (account_store.list_accounts(store).to_dict("records"), _history(store), _hash_of(store, "wang"))
    for change in (lambda: account_store.add_account(store, "li", "short", "leader", "wang"),
                   lambda: account_store.set_password(store, "wang", "short", "wang")):
        with pytest.raises(AccountError, match="密码至少 8 个字符"):
            change()
    assert (account_store.list_accounts(store).to_dict("records"), _history(store), _hash_of(store, "wang")) == before


def test_enable_is_the_way_back_from_disable(store):
    account_store.add_account(store, "wang", "password", "office", "admin")
    ys = account_store.add_account(store, "ys", "ys password", "section", "wang", SECTIONS, section="预算科")
    account_store.disable_account(store, "ys", "wang")
    assert account_store.sign_in(store, "ys", "ys password", T0) == Refusal("disabled")
    version = store.version()
    account_store.enable_account(store, " ys ", "wang")
    assert store.version() > version and account_store.find_account(store, "ys") == ys
    assert account_store.sign_in(store, "ys", "ys password", at(1)) == ys      # with the password it had
    assert pd.isna(account_store.list_accounts(store).set_index("username").loc["ys", "disabled_at"])
    assert ("wang", "account-enable", "预算科", "ys（科室填报员·预算科）") in _history(store)
    assert ACTION_NAMES["account-enable"] == "启用账号"


@pytest.mark.parametrize("username, who, code, text", [
    pytest.param("wang", "admin", "not-disabled", "账号「wang」未停用，无需启用", id="an active account"),
    pytest.param("nobody", "admin", "no-account", "没有用户名为「nobody」的账号", id="an unknown name"),
])
def test_enable_refuses(store, username, who, code, text):
    account_store.add_account(store, "wang", "password", "office", "admin")
    before = (account_store.list_accounts(store).to_dict("records"), _history(store), store.version())
    with pytest.raises(AccountError) as refused:
        account_store.enable_account(store, username, who)
    assert refused.value.code == code and str(refused.value) == text
    assert (account_store.list_accounts(store).to_dict("records"), _history(store), store.version()) == before


def test_no_one_disables_the_account_they_act_with(store):
    account_store.add_account(store, "wang", "password", "office", "admin")
    with pytest.raises(AccountError) as refused:
        account_store.disable_account(store, "wang", "wang")
    assert refused.value.code == "own-account" and "wang" in str(refused.value)
    assert account_store.find_account(store, "wang") is not None
    account_store.disable_account(store, "wang", "admin")                   # someone else may
    assert account_store.find_account(store, "wang") is None


def test_the_account_table_is_in_chinese_without_none_or_nat(store):
    assert list(account_store.account_table(store).columns) == ["用户名", "显示名", "角色", "科室", "状态", "新建于", "最近登录"]
    account_store.add_account(store, "wang", "password", "office", "admin", display_name="王主任")
    account_store.add_account(store, "ys", "ys password", "section", "wang", SECTIONS, section="预算科")
    account_store.sign_in(store, "ys", "ys password", at(1))
    account_store.disable_account(store, "wang", "ys")
    table = account_store.account_table(store)
    created = account_store.list_accounts(store)["created_at"].map(lambda t: f"{t:%Y-%m-%d %H:%M}").tolist()
    assert table.values.tolist() == [
        ["wang", "王主任", "文明办", "", "已停用", created[0], "从未"],
        ["ys", "ys", "科室填报员", "预算科", "启用", created[1], "2024-03-04 09:01"],
    ]
    assert not table.isna().any().any() and "$argon2" not in table.to_string()

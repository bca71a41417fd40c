"""设置 → 账号 (issue 11 "Build" 5, pages/_accounts.py) through app.py (Streamlit AppTest) on a copy of the sample
database: an office user creates, refuses, disables (after a confirmation), enables and gives a new password, and
every form says what it did or why it did nothing; no password or hash is ever on the page.

With an account the gate asks to sign in. AppTest cannot send a cookie (its st.context has no client), so `signed_in`
hands the session cookie to Streamlit's own lookup of the client (`streamlit.runtime.context._get_client_context`),
the one place st.context.cookies reads, and the dashboard's code runs unchanged."""
import datetime as dt

import pytest
from streamlit.proto.TextInput_pb2 import TextInput
from streamlit.testing.v1 import AppTest

from analytics import account_store
from analytics.accounts import Account, Refusal
from analytics.store import Store
from tests.conftest import ROOT, sign_in_apptest

ADMIN, ADMIN_PASSWORD = "admin", "admin password"
PASSWORDS = (ADMIN_PASSWORD, "wang password", "ys password", "ys new password", "mismatch 1", "mismatch 2")


@pytest.fixture
def store(sample_url) -> Store:
    return Store(sample_url)


@pytest.fixture
def signed_in(store, monkeypatch) -> Store:
    """An office account, ADMIN, and this test's browser signed in as it (a session cookie the gate accepts)."""
    account_store.add_account(store, ADMIN, ADMIN_PASSWORD, "office", "test")
    sign_in_apptest(monkeypatch, store, ADMIN)
    return store


def settings() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/settings.py").run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["设置"] and "账号" in [s.value for s in at.subheader]
    return at


def text(at) -> str:
    """Everything the page shows as text: widgets' labels and values (a password field's value only as dots, and
    AppTest keeps what was typed, where a browser empties a submitted form), the tables' cells."""
    shown = [e.value for kind in ("markdown", "caption", "info", "success", "error", "warning") for e in getattr(at, kind)]
    typed = [w for w in at.text_input if w.proto.type != TextInput.PASSWORD]
    shown += [f"{w.label} {w.value}" for w in [*typed, *at.selectbox, *at.checkbox]]
    shown += [w.label for w in at.button] + [frame.value.to_string() for frame in at.dataframe]
    return "\n".join(map(str, shown))


def accounts_table(at):
    return next(frame.value for frame in at.dataframe if "用户名" in frame.value.columns)


def messages(at) -> list[str]:
    return [e.value for e in [*at.success, *at.error]]


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def create(at, username, password, again=None, role="office", section=None, name="") -> AppTest:
    at.text_input(key="account_new_username").input(username)
    at.text_input(key="account_new_name").input(name)
    at.selectbox(key="account_new_role").set_value(role)
    at.selectbox(key="account_new_section").set_value(section)
    at.text_input(key="account_new_password").input(password)
    at.text_input(key="account_new_again").input(password if again is None else again)
    button(at, "新建账号").click().run()
    assert not at.exception, at.exception
    return at


def choose(at, username) -> AppTest:
    at.selectbox(key="account_chosen").set_value(username).run()
    assert not at.exception, at.exception
    return at


def new_password(at, username, password, again=None) -> AppTest:
    at.text_input(key=f"account_password_new_{username}").input(password)
    at.text_input(key=f"account_password_again_{username}").input(password if again is None else again)
    button(at, "重设密码").click().run()
    assert not at.exception, at.exception
    return at


def account_actions(store) -> list[tuple[str, str]]:
    """(who, action) of every account change, oldest first."""
    log = store.log(limit=None).iloc[::-1]
    return [(who, action) for who, action in log[["who", "action"]].values if action.startswith("account-")]


def usernames(store) -> list[str]:
    return account_store.list_accounts(store)["username"].tolist()


def test_creating_accounts_and_the_refusals(signed_in):
    store = signed_in
    at = settings()
    hidden = {w.key for w in at.text_input if w.proto.type == TextInput.PASSWORD}
    assert hidden == {"account_new_password", "account_new_again", f"account_password_new_{ADMIN}",
                      f"account_password_again_{ADMIN}"}
    assert accounts_table(at)["用户名"].tolist() == [ADMIN]

    create(at, "wang", "wang password", name="王主任")
    assert messages(at) == ["已新建账号 wang（文明办）。"]
    assert accounts_table(at).values.tolist()[1][:5] == ["wang", "王主任", "文明办", "", "启用"]
    create(at, "ys", "ys password", role="section", section="预算科")
    assert messages(at) == ["已新建账号 ys（科室填报员·预算科）。"]
    assert account_store.sign_in(store, "ys", "ys password", dt.datetime.now()) == Account("ys", "ys", "section", "预算科")
    table = accounts_table(at)
    assert table.values.tolist()[2][:6] == ["ys", "ys", "科室填报员", "预算科", "启用", table.iloc[2]["新建于"]]
    assert not table.isna().any().any() and "None" not in table.to_string() and "NaT" not in table.to_string()

    for attempt, said in [
        (dict(username="li", password="mismatch 1", again="mismatch 2", role="leader"), "两次输入的密码不一致，未新建账号。"),
        (dict(username="wang", password="mismatch 1", role="leader"), "未新建账号：用户名「wang」已存在（停用的账号也占用其用户名）"),
        (dict(username="li", password="mismatch 1", role="section"), "未新建账号：科室填报员账号须选择科室"),
        (dict(username="li", password="short", role="leader"), "未新建账号：密码至少 8 个字符"),
        (dict(username="", password="mismatch 1"), "未新建账号：用户名不能为空"),
    ]:
        create(at, **attempt)
        assert messages(at) == [said], attempt
    assert usernames(store) == [ADMIN, "wang", "ys"]

    create(at, "li", "mismatch 1", role="leader", section="国库科")  # a section only binds a 科室填报员
    assert messages(at) == ["已新建账号 li（领导）。"]
    assert account_actions(store) == [("test", "account-add")] + [(ADMIN, "account-add")] * 3
    assert not any(password in text(at) for password in PASSWORDS) and "$argon2" not in text(at)


def test_disabling_needs_a_confirmation_and_enabling_brings_it_back(signed_in):
    store = signed_in
    account_store.add_account(store, "ys", "ys password", "section", "test", ["预算科"], section="预算科")
    at = choose(settings(), "ys")
    assert button(at, "停用").disabled          # nothing goes without the confirmation (AppTest cannot click it)

    at.checkbox(key="account_disable_sure_ys").check().run()
    assert not button(at, "停用").disabled
    button(at, "停用").click().run()
    assert messages(at) == ["已停用账号 ys（科室填报员·预算科），其已登录的浏览器均已退出。"]
    assert account_store.find_account(store, "ys") is None
    assert accounts_table(at).set_index("用户名").loc["ys", "状态"] == "已停用"
    assert account_store.sign_in(store, "ys", "ys password", dt.datetime.now()) == Refusal("disabled")

    button(at, "启用").click().run()
    assert messages(at) == ["已启用账号 ys（科室填报员·预算科）。"]
    assert accounts_table(at).set_index("用户名").loc["ys", "状态"] == "启用"
    assert isinstance(account_store.sign_in(store, "ys", "ys password", dt.datetime.now()), Account)
    assert account_actions(store)[-2:] == [(ADMIN, "account-disable"), (ADMIN, "account-enable")]

    choose(at, ADMIN)                          # one's own account: no 停用 (account_store refuses it too)
    assert "停用" not in [b.label for b in at.button] and "这是您正在使用的账号，不能在这里停用。" in text(at)


def test_resetting_a_password(signed_in):
    store = signed_in
    account_store.add_account(store, "ys", "ys password", "section", "test", ["预算科"], section="预算科")
    at = choose(settings(), "ys")
    new_password(at, "ys", "mismatch 1", "mismatch 2")
    assert messages(at) == ["两次输入的新密码不一致，密码未更改。"]
    new_password(at, "ys", "short")
    assert messages(at) == ["密码未更改：密码至少 8 个字符"]
    assert isinstance(account_store.sign_in(store, "ys", "ys password", dt.datetime.now()), Account)

    new_password(at, "ys", "ys new password")
    assert messages(at) == ["已重设账号 ys（科室填报员·预算科）的密码，其已登录的浏览器均已退出。"]
    assert isinstance(account_store.sign_in(store, "ys", "ys new password", dt.datetime.now()), Account)
    assert account_store.sign_in(store, "ys", "ys password", dt.datetime.now()) == Refusal("wrong")
    assert account_actions(store)[-1] == (ADMIN, "account-password")
    assert not any(password in text(at) for password in PASSWORDS) and "$argon2" not in text(at)


def test_typed_names_are_shown_as_typed(signed_in):
    at = create(settings(), "**x**", "wang password", name="[点我](http://example.com)")
    assert messages(at) == [r"已新建账号 \*\*x\*\*（文明办）。"]   # escaped Markdown: shown as typed, not bold
    assert accounts_table(at).values.tolist()[1][:2] == ["**x**", "[点我](http://example.com)"]


def test_in_desk_mode_the_first_account_made_here_ends_desk_mode(store):
    at = settings()
    assert "还没有账号" in text(at) and not [frame for frame in at.dataframe if "用户名" in frame.value.columns]
    assert at.selectbox(key="account_new_role").options == ["文明办"]  # the first can make the others; a leader could not
    create(at, "wang", "wang password", name="王主任")
    assert usernames(store) == ["wang"] and account_actions(store) == [("文明办", "account-add")]  # desk mode's 经办人
    assert [m.value for m in at.markdown] == ['请先登录。 <a href="/signin?next=/" target="_self">登录</a>']

"""Issue 11 item 6: unified sign-in through Streamlit's st.login. The mapping of a provider's identity to an account
here (accounts.identity_username, account_store.oidc_sign_in), the gate with a signed-in identity (AppTest), and the
whole flow in a real browser: `streamlit run server.py` with a secrets.toml in tmp_path, against oidc-provider-mock
served on 127.0.0.1 from this process, driven in the system Chromium."""
import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import threading

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect, sync_playwright

from analytics import account_store
from analytics.accounts import Account, Refusal, identity_username, login_id
from analytics.config import DATABASE_URL_VARIABLE
from analytics.schema import history
from analytics.sessions import IDLE
from analytics.store import Store
from tests.conftest import PAGE_TITLES, ROOT
from tests.test_browser import CHROMIUM, LOCAL, free_port, wait_until_listening
from tests.test_signin import FIGURE, SECTION, add_user, shown

# Authlib 1.9 warns about what oidc-provider-mock 0.3.4 still uses (authlib.jose, httpx, get_jwt_config).
pytestmark = [pytest.mark.filterwarnings("ignore::authlib.deprecate.AuthlibDeprecationWarning"),
              pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")]
T0 = dt.datetime(2024, 6, 3, 9, 0)
REFUSED = "该统一身份认证账号在本看板没有账号，请联系文明办"
CLAIMS = {"iss": "http://127.0.0.1:9", "sub": "u-wang", "iat": 1717400000, "nonce": "n1",
          "preferred_username": "wenmingban", "name": "王文明", "email": "wang@bureau.example"}


@pytest.fixture
def store(empty_url) -> Store:
    store = Store(empty_url)
    account_store.add_account(store, "wenmingban", "password 1", "office", "admin", display_name="王文明")
    account_store.add_account(store, "old", "password 2", "office", "admin")
    account_store.disable_account(store, "old", "admin")
    return store


def sign_ins(store: Store) -> list[tuple]:
    with store.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(
            sa.select(history.c.who, history.c.action, history.c.detail)
            .where(history.c.action.in_(("sign-in", "sign-in-failed"))).order_by(history.c.id))]


@pytest.mark.parametrize("claims, names, expected", [
    pytest.param(CLAIMS, ("preferred_username", "email", "sub"), "wenmingban", id="first-claim"),
    pytest.param({**CLAIMS, "preferred_username": "  "}, ("preferred_username", "email"), "wang@bureau.example",
                 id="blank-falls-back"),
    pytest.param({"sub": "u-1"}, ("preferred_username", "email", "sub"), "u-1", id="only-sub"),
    pytest.param(CLAIMS, ("employee_id",), None, id="configured-claim-missing"),
    pytest.param({"preferred_username": ["a"], "email": " x@y "}, ("preferred_username", "email"), "x@y",
                 id="not-text-skipped"),
])
def test_the_first_claim_holding_text_names_the_account(claims, names, expected):
    assert identity_username(claims, names) == expected


def test_a_login_is_its_issuer_subject_time_and_nonce():
    assert login_id(CLAIMS) == login_id({**CLAIMS, "name": "another name"})
    assert login_id(CLAIMS) != login_id({**CLAIMS, "nonce": "n2"}) != login_id({**CLAIMS, "sub": "u-li"})


def test_a_known_identity_signs_in_once_per_login(store):
    wang = Account("wenmingban", "王文明", "office")
    assert [account_store.oidc_sign_in(store, "wenmingban", "login 1", T0 + dt.timedelta(minutes=m))
            for m in (0, 1, 30)] == [wang] * 3
    assert sign_ins(store) == [("wenmingban", "sign-in", "统一身份认证")]       # three page runs, one sign-in
    assert account_store.oidc_sign_in(store, "wenmingban", "login 2", T0) == wang  # a new login is recorded anew
    assert len(sign_ins(store)) == 2
    listed = account_store.list_accounts(store).set_index("username")
    assert listed.loc["wenmingban", "last_sign_in_at"] == T0


def test_an_unknown_disabled_or_nameless_identity_is_refused_once_per_login(store):
    for name, login in (("stranger", "a"), ("old", "b"), (None, "c"), ("wenmingban" + "x" * 80, "d")):
        for _ in range(2):
            assert account_store.oidc_sign_in(store, name, login, T0) == Refusal("oidc-unknown")
    assert sign_ins(store) == [("stranger", "sign-in-failed", "统一身份认证：无此用户名"),
                               ("old", "sign-in-failed", "统一身份认证：账号已停用"),
                               (None, "sign-in-failed", "统一身份认证：身份信息中没有用户名"),
                               ("wenmingban" + "x" * 54, "sign-in-failed", "统一身份认证：无此用户名")]
    assert Refusal("oidc-unknown").message == REFUSED
    with store.engine.connect() as conn:   # a refused login is never an open session
        assert conn.exec_driver_sql("SELECT count(*) FROM sessions WHERE ended_at IS NULL").scalar() == 0


def test_eight_idle_hours_disabling_or_signing_out_end_an_oidc_login(store):
    at = T0
    for _ in range(10):   # used every 59 minutes: still in
        at += dt.timedelta(minutes=59)
        assert isinstance(account_store.oidc_sign_in(store, "wenmingban", "login 1", at), Account)
    assert account_store.oidc_sign_in(store, "wenmingban", "login 1", at + IDLE + dt.timedelta(seconds=1)) \
        == Refusal("oidc-ended")
    assert account_store.oidc_sign_in(store, "wenmingban", "login 1", at) == Refusal("oidc-ended")  # never comes back

    assert isinstance(account_store.oidc_sign_in(store, "wenmingban", "login 2", T0), Account)
    account_store.oidc_sign_out(store, "login 2", T0)
    assert account_store.oidc_sign_in(store, "wenmingban", "login 2", T0) == Refusal("oidc-ended")

    assert isinstance(account_store.oidc_sign_in(store, "wenmingban", "login 3", T0), Account)
    account_store.disable_account(store, "wenmingban", "admin")
    assert account_store.oidc_sign_in(store, "wenmingban", "login 3", T0) == Refusal("oidc-unknown")
    assert [action for _, action, _ in sign_ins(store)] == ["sign-in"] * 3


# The gate, in AppTest (st.user seeded as Streamlit fills it after a login) -----------------------------------

AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "s" * 32, "client_id": "dashboard",
        "client_secret": "secret", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def gate(sample_url: str, user: dict, secrets: dict):
    from streamlit.testing.v1 import AppTest
    account_store.add_account(Store(sample_url), "wenmingban", "password 1", "office", "admin", display_name="王文明")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets, at.user = secrets, user
    return at.run()


def test_a_mapped_identity_opens_the_dashboard_as_its_account(sample_url):
    at = gate(sample_url, {"is_logged_in": True, **CLAIMS}, {"auth": AUTH})
    assert not at.exception, at.exception
    assert "已登录：王文明" in shown(at) and at.metric
    assert [b.label for b in at.sidebar.button] == ["退出登录"] and not at.text_input


def test_an_identity_without_an_account_sees_nothing(sample_url):
    at = gate(sample_url, {"is_logged_in": True, **CLAIMS, "preferred_username": "stranger"}, {"auth": AUTH})
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [REFUSED] and [b.label for b in at.button] == ["退出"]
    assert not at.metric and SECTION not in shown(at) and "已登录" not in shown(at)


@pytest.mark.parametrize("claims, signed_in", [
    pytest.param({"preferred_username": "stranger", "employee_id": "wenmingban"}, True, id="the-configured-claim"),
    pytest.param({"preferred_username": "wenmingban"}, False, id="no-other-claim-then"),
])
def test_the_claim_is_configurable(sample_url, claims, signed_in):
    user = {"is_logged_in": True, **CLAIMS, **claims}
    at = gate(sample_url, user, {"auth": AUTH, "wenming": {"username_claim": ["employee_id"]}})
    assert not at.exception, at.exception
    assert ("已登录：王文明" in shown(at), bool(at.metric), [e.value for e in at.error]) \
        == ((True, True, []) if signed_in else (False, False, [REFUSED]))


def test_without_a_provider_configured_st_user_is_not_asked(sample_url):
    at = gate(sample_url, {"is_logged_in": True, **CLAIMS}, {"auth": {**AUTH, "client_id": ""}})
    assert not at.exception and not at.metric and not at.button and not at.error
    assert "请先登录" in shown(at)


# The browser, against oidc-provider-mock ---------------------------------------------------------------------

@pytest.fixture
def provider():
    """oidc-provider-mock on 127.0.0.1 and a free port, in a thread of this process: any client id and secret, and
    two predefined identities (its authorize page shows one button per `sub`)."""
    import oidc_provider_mock
    import werkzeug.serving
    users = [oidc_provider_mock.User(sub="u-wang", claims={"preferred_username": "wenmingban", "name": "王文明"}),
             oidc_provider_mock.User(sub="u-stranger", claims={"preferred_username": "stranger", "name": "外人"})]
    server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(user_claims=users), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def oidc_server(sample_database, tmp_path, provider):
    """`streamlit run server.py` with [auth] in a secrets.toml of tmp_path (--secrets.files), on 127.0.0.1."""
    database = tmp_path / "dashboard.sqlite"
    shutil.copy(sample_database, database)
    port = free_port()
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[auth]\nredirect_uri = "http://127.0.0.1:{port}/oauth2callback"\ncookie_secret = "{"c" * 32}"\n'
                       f'client_id = "wenming-dashboard"\nclient_secret = "not-checked-by-the-mock"\n'
                       f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n\n'
                       f'[wenming]\nusername_claim = "preferred_username"\n', encoding="utf-8")
    env = {**os.environ, DATABASE_URL_VARIABLE: f"sqlite:///{database}"}
    log = open(tmp_path / "streamlit.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
                                "--server.address", "127.0.0.1", "--server.headless", "true",
                                "--secrets.files", str(secrets)],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_listening(port, process)
        yield f"http://127.0.0.1:{port}", env, database
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        print((tmp_path / "streamlit.log").read_text())


def history_of(database) -> list[tuple]:
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT who, action, detail FROM history WHERE action LIKE 'sign-in%' ORDER BY id").fetchall()


def signed_out_screen(page) -> None:
    expect(page.get_by_role("button", name="使用统一身份认证登录")).to_be_visible(timeout=90_000)
    expect(page.get_by_role("link", name="登录", exact=True)).to_be_visible()
    assert page.locator(FIGURE).count() == 0 and SECTION not in page.locator("body").inner_text()


def at_the_provider(page, provider: str, sub: str) -> None:
    """The mock's authorize page: sign in as the predefined identity `sub`."""
    page.wait_for_url(f"{provider}/oauth2/authorize**")
    page.get_by_role("button", name=sub, exact=True).click()


def end_the_provider_session(page, provider: str) -> None:
    """st.logout() goes on to the provider's end_session_endpoint; the mock asks to confirm, then comes back."""
    page.wait_for_url(f"{provider}/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()


def test_oidc_sign_in_in_the_browser(oidc_server, provider, tmp_path):
    server, env, database = oidc_server
    shots = tmp_path / "screenshots"
    shots.mkdir()
    outside = []
    expect.set_options(timeout=60_000)
    add_user(env, "wenmingban", "a password too", "王文明")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        # No network here: anything not on 127.0.0.1 is refused at once. The mock's own pages link a stylesheet
        # from outside; only what the dashboard's pages ask for is checked.
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(LOCAL) else route.abort())
        page.on("request", lambda request: None if request.url.startswith(LOCAL)
                or request.frame.url.startswith(provider) else outside.append(request.url))

        # Signed out: the password link and the provider's button, nothing else.
        page.goto(server)
        signed_out_screen(page)
        page.screenshot(path=shots / "1-signed-out.png", full_page=True)

        # An identity mapped to an account: the dashboard, its name in the sidebar.
        page.get_by_role("button", name="使用统一身份认证登录").click()
        at_the_provider(page, provider, "u-wang")
        expect(page.get_by_role("heading", name=PAGE_TITLES["pages/overview.py"], exact=True)).to_be_visible(
            timeout=90_000)
        expect(page.locator(FIGURE).first).to_be_visible()
        expect(page.get_by_text("已登录：王文明")).to_be_visible()
        expect(page.get_by_label("经办人", exact=True)).to_have_count(0)
        page.screenshot(path=shots / "2-signed-in.png", full_page=True)
        page.reload()   # a new Streamlit session on the same login: still in, and still one sign-in in history
        expect(page.get_by_text("已登录：王文明")).to_be_visible(timeout=90_000)
        page.goto(f"{server}/tasks")
        expect(page.get_by_role("heading", name=PAGE_TITLES["pages/tasks.py"], exact=True)).to_be_visible(
            timeout=90_000)
        assert history_of(database) == [("wenmingban", "sign-in", "统一身份认证")]

        # 退出登录: Streamlit's cookie goes, the provider's session ends, the dashboard asks to sign in again.
        page.get_by_role("button", name="退出登录").click()
        end_the_provider_session(page, provider)
        signed_out_screen(page)
        assert not {"_streamlit_user", "_streamlit_user_tokens"} & {c["name"] for c in context.cookies()}

        # An identity with no account: the refusal, no figure, no roster name, and 退出.
        page.get_by_role("button", name="使用统一身份认证登录").click()
        at_the_provider(page, provider, "u-stranger")
        expect(page.get_by_text(REFUSED)).to_be_visible(timeout=90_000)
        page.wait_for_timeout(1500)   # let a page that would draw more finish drawing it
        body = page.locator("body").inner_text()
        assert page.locator(FIGURE).count() == 0 and SECTION not in body and "已登录" not in body, body
        assert page.get_by_test_id("stSidebarNav").count() == 0
        page.screenshot(path=shots / "3-refused.png", full_page=True)
        page.reload()
        expect(page.get_by_text(REFUSED)).to_be_visible(timeout=90_000)
        assert history_of(database)[1:] == [("stranger", "sign-in-failed", "统一身份认证：无此用户名")]
        page.get_by_role("button", name="退出", exact=True).click()
        end_the_provider_session(page, provider)
        signed_out_screen(page)

        # The /signin page offers the provider too: its link goes straight to the provider.
        page.goto(f"{server}/signin")
        page.screenshot(path=shots / "4-signin-page.png", full_page=True)
        page.get_by_role("link", name="使用统一身份认证登录").click()
        at_the_provider(page, provider, "u-wang")
        expect(page.get_by_text("已登录：王文明")).to_be_visible(timeout=90_000)
        page.screenshot(path=shots / "5-from-signin-page.png", full_page=True)
        browser.close()
    assert len(history_of(database)) == 3
    assert outside == []

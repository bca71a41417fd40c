"""Issue 11 items 2 and 4: sessions (signed cookie, 8 hours of inactivity, sign-out) and the sign-in gate in a real
browser (`streamlit run server.py`, system Chromium): desk mode, only the sign-in link when signed out, the generic
refusal, a session kept across a reload, 退出登录, the lock after failed passwords."""
import datetime as dt
import os
import shutil
import subprocess
import sys

import pytest
from playwright.sync_api import expect, sync_playwright

from analytics import account_store
from analytics.config import DATABASE_URL_VARIABLE
from analytics.sessions import COOKIE, IDLE, TOUCH_EVERY, Sessions, sign, unsign
from analytics.store import Store
from tests.conftest import PAGE_TITLES, ROOT
from tests.test_browser import CHROMIUM, LOCAL, free_port, wait_until_listening

T0 = dt.datetime(2024, 6, 3, 9, 0)


@pytest.fixture
def book(empty_url) -> Sessions:
    return Sessions(Store(empty_url))


def test_a_cookie_is_the_id_and_its_signature():
    value = sign(b"k" * 32, "abc")
    assert unsign(b"k" * 32, value) == "abc"
    assert unsign(b"other-secret", value) is None
    tampered = [value[:-1] + ("0" if value[-1] != "0" else "1"), "abd" + value[3:], value.split(".")[0], "", None, ".", "a."]
    assert [unsign(b"k" * 32, v) for v in tampered] == [None] * len(tampered)


def test_a_session_opens_and_the_store_keeps_only_its_hash(book):
    cookie = book.start("alice", at=T0)
    assert book.current(cookie, at=T0) == "alice"
    session_id = cookie.rpartition(".")[0]
    with book.store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT token_hash FROM sessions").scalars().all()
    assert len(stored) == 1 and session_id not in stored[0]


def test_a_tampered_or_forged_cookie_opens_nothing(book):
    cookie = book.start("alice", at=T0)
    session_id, _, signature = cookie.rpartition(".")
    assert book.current(session_id + "." + signature[::-1], at=T0) is None
    assert book.current(sign(b"guessed secret", session_id), at=T0) is None
    assert book.current(sign(book.secret, "an-id-never-issued"), at=T0) is None  # signed, but no such session


def test_the_secret_is_made_once_and_kept_in_the_store(empty_url):
    url = empty_url
    first = Sessions(Store(url))
    cookie = first.start("alice", at=T0)
    again = Sessions(Store(url))  # a restart: same secret, so the cookie still opens the session
    assert again.secret == first.secret and len(first.secret) == 32
    assert again.current(cookie, at=T0) == "alice"


def test_eight_hours_of_inactivity_end_a_session_activity_keeps_it(book):
    cookie = book.start("alice", at=T0)
    at = T0
    for _ in range(12):  # a page run every 59 minutes for 12 hours: always within 8 hours of the last one
        at += dt.timedelta(minutes=59)
        assert book.current(cookie, at=at) == "alice"
    at += IDLE
    assert book.current(cookie, at=at) == "alice"                                  # exactly 8 hours idle: still in
    assert book.current(cookie, at=at + IDLE + dt.timedelta(seconds=1)) is None    # a second more: over
    assert book.current(cookie, at=at) is None                                     # and it never comes back


def test_a_page_run_refreshes_last_seen_at_most_once_a_minute(book):
    cookie = book.start("alice", at=T0)
    seen = lambda: book.store.engine.connect().exec_driver_sql("SELECT last_seen_at FROM sessions").scalar()
    book.current(cookie, at=T0 + TOUCH_EVERY / 2)
    assert str(seen()).startswith("2024-06-03 09:00:00")                     # no write for a run half a minute later
    book.current(cookie, at=T0 + TOUCH_EVERY)
    assert str(seen()).startswith("2024-06-03 09:01:00")


def test_sign_out_ends_the_session_in_the_store(book):
    cookie, other = book.start("alice", at=T0), book.start("alice", at=T0)
    assert book.end(cookie, at=T0) == "alice"
    assert book.current(cookie, at=T0) is None       # the same cookie, kept by someone, opens nothing
    assert book.end(cookie, at=T0) is None
    assert book.current(other, at=T0) == "alice"     # another browser's session stays


def test_a_new_password_or_disabling_ends_the_accounts_open_sessions(book):
    account_store.add_account(book.store, "alice", "old pass", "office", "admin")
    account_store.add_account(book.store, "bob", "his pass", "office", "admin")
    alice, bob = book.start("alice"), book.start("bob")
    account_store.set_password(book.store, "alice", "new pass", "admin")
    assert book.current(alice) is None and book.current(bob) == "bob"   # only the changed account is signed out
    again = book.start("alice")
    account_store.disable_account(book.store, "alice", "admin")
    assert book.current(again) is None and book.current(bob) == "bob"


@pytest.fixture
def on_the_network():
    from streamlit import config
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    yield
    config.set_option("server.address", before)


def shown(at) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "title", "header", "caption", "metric", "info", "warning")
                    for e in getattr(at, kind)) + " ".join(str(e.label) for e in [*at.selectbox, *at.text_input])


def test_on_the_network_with_no_account_only_how_to_make_the_first(sample_url, on_the_network):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    assert "python -m analytics user add" in shown(at)
    assert SECTION not in shown(at) and not at.metric and not at.selectbox and not at.text_input and "单机模式" not in shown(at)


def test_desk_mode_says_so_and_keeps_the_who_field(sample_url):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    assert "单机模式" in shown(at) and [t.label for t in at.text_input] == ["经办人"] and at.metric


# The browser ---------------------------------------------------------------------------------------------

ADDRESSES = ["", "tasks", "hygiene", "veto", "annual", "reports", "upload", "settings", "audit"]
TITLE = {address: PAGE_TITLES[f"pages/{address or 'overview'}.py"] for address in ADDRESSES}
FIGURE = ".js-plotly-plot, [data-testid='stMetric'], [data-testid='stDataFrame'], [data-testid='stTable']"
SECTION = "预算科"  # a roster name the sample shows on most pages


def serve(sample_database, tmp_path, address: str):
    """`streamlit run server.py` bound to `address` on a free port, on a copy of the sample database: yields the
    address to reach it at (always 127.0.0.1) and the environment for the CLI; its output is shown afterwards."""
    database = tmp_path / "dashboard.sqlite"
    shutil.copy(sample_database, database)
    env = {**os.environ, DATABASE_URL_VARIABLE: f"sqlite:///{database}"}
    port, log = free_port(), open(tmp_path / "streamlit.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
                                "--server.address", address, "--server.headless", "true"],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_listening(port, process)
        yield f"http://127.0.0.1:{port}", env
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        print((tmp_path / "streamlit.log").read_text())


@pytest.fixture
def signin_server(sample_database, tmp_path):
    yield from serve(sample_database, tmp_path, "127.0.0.1")


def add_user(env: dict, username: str, password: str, name: str) -> None:
    done = subprocess.run([sys.executable, "-m", "analytics", "user", "add", username, "--role", "office", "--name", name],
                          cwd=ROOT, env=env, input=password + "\n", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def sign_in(page, server: str, username: str, password: str) -> None:
    page.goto(f"{server}/signin")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def only_the_sign_in_link(page) -> None:
    expect(page.get_by_role("link", name="登录", exact=True)).to_be_visible(timeout=90_000)
    page.wait_for_timeout(1500)  # let a page that would draw more finish drawing it
    assert page.locator(FIGURE).count() == 0
    body = page.locator("body").inner_text()
    assert SECTION not in body and "年度" not in body and "经办人" not in body, body
    assert page.get_by_test_id("stSidebarNav").count() == 0


def test_sign_in_in_the_browser(signin_server, tmp_path):
    server, env = signin_server
    shots = tmp_path / "screenshots"
    shots.mkdir()
    outside = []
    expect.set_options(timeout=60_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.on("request", lambda request: None if request.url.startswith(LOCAL) else outside.append(request.url))

        # No account, on 127.0.0.1: desk mode, the dashboard as before.
        page.goto(server)
        expect(page.get_by_role("heading", name=TITLE[""], exact=True)).to_be_visible(timeout=90_000)
        expect(page.get_by_text("单机模式", exact=False)).to_be_visible()
        expect(page.locator(FIGURE).first).to_be_visible()
        expect(page.get_by_label("经办人", exact=True)).to_be_visible()
        page.screenshot(path=shots / "1-desk-mode.png", full_page=True)

        # One account: every address shows only the sign-in link.
        add_user(env, "wenmingban", "correct horse 1", "王文明")
        add_user(env, "leader", "another pass 2", "李领导")
        for address in ADDRESSES:
            page.goto(f"{server}/{address}")
            only_the_sign_in_link(page)
        page.screenshot(path=shots / "2-signed-out.png", full_page=True)

        page.get_by_role("link", name="登录", exact=True).click()
        expect(page.get_by_label("用户名")).to_be_visible()
        page.screenshot(path=shots / "3-sign-in-form.png", full_page=True)

        # Wrong password and unknown name: the same words, nothing about which was wrong.
        sign_in(page, server, "wenmingban", "wrong")
        expect(page.get_by_role("alert")).to_have_text("用户名或密码错误")
        page.screenshot(path=shots / "4-wrong-password.png", full_page=True)
        sign_in(page, server, "nobody", "wrong")
        expect(page.get_by_role("alert")).to_have_text("用户名或密码错误")

        # The right password: the figures, the name in the sidebar, no 经办人 field.
        sign_in(page, server, "wenmingban", "correct horse 1")
        expect(page.get_by_role("heading", name=TITLE[""], exact=True)).to_be_visible(timeout=90_000)
        expect(page.locator(FIGURE).first).to_be_visible()
        expect(page.get_by_text("已登录：王文明")).to_be_visible()
        expect(page.get_by_label("经办人", exact=True)).to_have_count(0)
        cookie = next(c for c in context.cookies() if c["name"] == COOKIE)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        assert COOKIE not in page.evaluate("document.cookie")  # JavaScript cannot read it
        page.screenshot(path=shots / "5-signed-in.png", full_page=True)

        # A reload and another address keep the session.
        page.reload()
        expect(page.get_by_role("heading", name=TITLE[""], exact=True)).to_be_visible(timeout=90_000)
        expect(page.get_by_text("已登录：王文明")).to_be_visible()
        page.goto(f"{server}/tasks")
        expect(page.get_by_role("heading", name=TITLE["tasks"], exact=True)).to_be_visible(timeout=90_000)
        expect(page.locator(FIGURE).first).to_be_visible()
        page.screenshot(path=shots / "6-after-reload-tasks.png", full_page=True)

        # 退出登录 ends it, in the store: the old cookie put back opens nothing.
        page.get_by_role("link", name="退出登录").click()
        expect(page.get_by_role("alert")).to_have_text("已退出登录。")
        assert COOKIE not in {c["name"] for c in context.cookies()}
        page.goto(server)
        only_the_sign_in_link(page)
        context.add_cookies([cookie])
        page.goto(f"{server}/tasks")
        only_the_sign_in_link(page)

        # Six wrong passwords lock the name, and say so; then even the right one is refused.
        messages = []
        for _ in range(6):
            sign_in(page, server, "leader", "guess")
            messages.append(page.get_by_role("alert").inner_text())
        assert messages[:5] == ["用户名或密码错误"] * 5
        assert "15 分钟后再试" in messages[5] and "已暂停登录" in messages[5], messages[5]
        sign_in(page, server, "leader", "another pass 2")
        expect(page.get_by_role("alert")).to_contain_text("分钟后再试")
        page.screenshot(path=shots / "7-locked.png", full_page=True)
        browser.close()
    assert outside == []

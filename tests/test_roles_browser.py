"""Issue 11 "Tests", browser: the dashboard served on the network (`streamlit run server.py` bound to 0.0.0.0, reached
only at 127.0.0.1), in the system Chromium, once with no account and then with one account per role."""
import io
import subprocess
import sys

import openpyxl
import pytest
from playwright.sync_api import expect, sync_playwright

from sample_data.make_samples import content
from tests.conftest import PAGE_TITLES, ROOT
from tests.returns import return_sheets, write_workbook
from tests.test_browser import CHROMIUM, LOCAL
from tests.test_roles import OTHER, OWN, SEEN
from tests.test_signin import FIGURE, only_the_sign_in_link, serve, sign_in

ADDRESSES = ["", "tasks", "hygiene", "veto", "annual", "plan", "section", "reports", "upload", "settings", "audit", "ledger", "evidence"]
TITLE = {address: PAGE_TITLES[f"pages/{address or 'overview'}.py"] for address in ADDRESSES}
ACCOUNTS = {"wmb": ("office", None), "ld": ("leader", None), "gkk": ("section", OWN)}  # username → role, section
PASSWORD = "password-{username}"
# Names only another section's data would show: a section's name, and the other sections with reported events.
OTHERS = (OTHER, "资产管理科", "金融科")


@pytest.fixture
def network_server(sample_database, tmp_path):
    """The dashboard bound to 0.0.0.0, reached at 127.0.0.1, on a copy of the sample database, with no account yet."""
    yield from serve(sample_database, tmp_path, "0.0.0.0")


def add_accounts(env: dict) -> None:
    for username, (role, section) in ACCOUNTS.items():
        done = subprocess.run([sys.executable, "-m", "analytics", "user", "add", username, "--role", role,
                               *(["--section", section] if section else [])], cwd=ROOT, env=env,
                              input=PASSWORD.format(username=username) + "\n", capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr


def open_page(page, server: str, address: str) -> str:
    """Open `address` and wait for its page (or, for an address the role may not open, the main page); the text."""
    page.goto(f"{server}/{address}")
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible(timeout=90_000)
    expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=90_000)
    page.wait_for_timeout(1500)  # let a page that would draw more finish drawing it
    return page.locator("[data-testid='stMain']").inner_text()


def refused(page, server: str, address: str) -> None:
    """A page the role may not open, by its address: only the refusal under the page's title, no data."""
    text = open_page(page, server, address)
    assert heading(page) == TITLE[address] and "本账号无权打开" in text, (address, text)
    main = page.get_by_test_id("stMain")
    assert page.locator(FIGURE).count() == 0 and len(text) < 80 and not main.get_by_role("button").count(), text


def navigation(page) -> set[str]:
    """The page titles in the sidebar (each link's last line: the first is its icon's name)."""
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link").first).to_be_visible(timeout=90_000)
    return {link.inner_text().split("\n")[-1].strip() for link in page.get_by_test_id("stSidebarNav").get_by_role("link").all()}


def heading(page) -> str:
    return page.get_by_role("heading", level=1).first.inner_text().strip()


def test_each_role_in_the_browser_on_the_network(network_server, tmp_path):
    server, env = network_server
    shots = tmp_path / "screenshots"
    shots.mkdir()
    outside = []
    foreign = write_workbook(tmp_path / f"{OTHER}_2025年1月.xlsx", return_sheets(content(OTHER, 1, year=2025)))
    own = write_workbook(tmp_path / f"{OWN}_2025年1月.xlsx", return_sheets(content(OWN, 1, year=2025)))
    expect.set_options(timeout=60_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.on("request", lambda request: None if request.url.startswith(LOCAL) else outside.append(request.url))

        # On the network with no account: every address shows how to make the first one, no name, no figure.
        for address in ADDRESSES:
            page.goto(f"{server}/{address}")
            expect(page.get_by_text("python -m analytics user add", exact=False)).to_be_visible(timeout=90_000)
            page.wait_for_timeout(1000)
            body = page.locator("body").inner_text()
            assert page.locator(FIGURE).count() == 0 and OWN not in body and OTHER not in body, (address, body)
            assert page.get_by_test_id("stSidebarNav").count() == 0
        page.screenshot(path=shots / "1-no-account.png", full_page=True)

        add_accounts(env)
        for address in ADDRESSES:  # signed out, every address shows only the sign-in link
            page.goto(f"{server}/{address}")
            only_the_sign_in_link(page)

        # A section account: its own section only, its own upload only, no decision, no setting but its template.
        # Signing in from a page's 登录 link comes back to that page.
        page.goto(f"{server}/upload")
        page.get_by_role("link", name="登录", exact=True).click()
        page.get_by_label("用户名").fill("gkk")
        page.get_by_label("密码").fill(PASSWORD.format(username="gkk"))
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_text("已登录：gkk")).to_be_visible(timeout=90_000)
        expect(page.get_by_role("heading", name=TITLE["upload"], exact=True)).to_be_visible()
        assert page.url == f"{server}/upload"
        assert navigation(page) == {TITLE[a] for a in ADDRESSES if (a or "overview") in SEEN["section"]}
        for address, drawn in (("tasks", ".js-plotly-plot"), ("hygiene", ".js-plotly-plot"), ("veto", ".js-plotly-plot"),
                               ("upload", "[data-testid='stTable']")):
            open_page(page, server, address)
            expect(page.locator(drawn).first).to_be_visible()
            page.wait_for_timeout(1500)
            text = page.locator("[data-testid='stMain']").inner_text()
            assert heading(page) == TITLE[address] and (OWN in text or address == "veto"), address  # veto: tables only
            assert not [name for name in OTHERS if name in text], (address, text)
            page.screenshot(path=shots / f"2-section-{address}.png", full_page=True)
        assert page.get_by_role("button", name="撤回").count() == 0 and page.get_by_role("button", name="恢复为当前").count() == 0
        text = open_page(page, server, "veto")
        assert page.get_by_role("button", name="保存认定").count() == 0 and "补录" not in text
        text = open_page(page, server, "settings")
        assert heading(page) == TITLE["settings"] and f"下载 {OWN}" in text
        assert not [part for part in ("组织名册", "计分规则", "示例数据", "账号", "全部") if part in text], text
        for address in ("reports", "audit"):
            refused(page, server, address)
        page.screenshot(path=shots / "3-section-reports-by-address.png", full_page=True)

        open_page(page, server, "upload")
        page.locator('input[type="file"]').first.set_input_files(foreign)
        expect(page.get_by_text(f"本账号只能上传「{OWN}」的月报", exact=False).last).to_be_visible()
        expect(page.get_by_text("没有通过校验的月报，未导入")).to_be_visible()  # and no import button
        expect(page.get_by_role("button", name="确认导入通过的 0 份月报")).to_have_count(0)
        page.screenshot(path=shots / "4-section-refused.png", full_page=True)
        page.locator('input[type="file"]').first.set_input_files(own)
        page.get_by_role("button", name="确认导入通过的 1 份月报").click()
        expect(page.get_by_text("已导入 1 个科室月份")).to_be_visible()
        page.get_by_role("link", name="退出登录").click()
        expect(page.get_by_role("alert")).to_have_text("已退出登录。")

        # A leader: every figure and download, no upload, no decision, no setting.
        sign_in(page, server, "ld", PASSWORD.format(username="ld"))
        expect(page.get_by_text("已登录：ld")).to_be_visible(timeout=90_000)
        assert navigation(page) == {TITLE[a] for a in ADDRESSES if (a or "overview") in SEEN["leader"]}
        text = open_page(page, server, "tasks")
        assert OTHER in text and page.locator(FIGURE).count()
        open_page(page, server, "reports")
        expect(page.get_by_role("button", name="生成", exact=False)).to_be_visible()
        text = open_page(page, server, "upload")
        assert page.locator('input[type="file"]').count() == 0 and page.get_by_role("button", name="撤回").count() == 0
        assert OTHER in text  # the status grid of every section
        open_page(page, server, "veto")
        assert page.get_by_role("button", name="保存认定").count() == 0 and page.get_by_role("button", name="撤销").count() == 0
        for address in ("settings", "audit"):
            refused(page, server, address)
        page.screenshot(path=shots / "5-leader-settings-by-address.png", full_page=True)
        page.get_by_role("link", name="退出登录").click()
        expect(page.get_by_role("alert")).to_have_text("已退出登录。")

        # The office: the section account's import in 操作记录, under its username; a reload keeps the session.
        sign_in(page, server, "wmb", PASSWORD.format(username="wmb"))
        expect(page.get_by_text("已登录：wmb")).to_be_visible(timeout=90_000)
        assert navigation(page) == {TITLE[a] for a in ADDRESSES}
        open_page(page, server, "audit")
        assert heading(page) == TITLE["audit"]
        expect(page.get_by_text("共 ", exact=False).first).to_be_visible()
        page.wait_for_timeout(1500)  # the page has finished drawing: the button is the one that stays
        with page.expect_download(timeout=120_000) as download:
            page.get_by_role("button", name="下载操作记录", exact=False).click()
        sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
        rows = [[str(cell or "") for cell in row] for row in sheet.iter_rows(values_only=True)]
        assert any("gkk" in row and OWN in row and "2025-01" in row for row in rows), rows[:5]
        page.screenshot(path=shots / "6-office-audit.png", full_page=True)
        page.reload()
        expect(page.get_by_text("已登录：wmb")).to_be_visible(timeout=90_000)
        page.get_by_role("link", name="退出登录").click()
        expect(page.get_by_role("alert")).to_have_text("已退出登录。")
        page.goto(f"{server}/audit")
        only_the_sign_in_link(page)

        # Six wrong passwords lock the name, even against the right one.
        for _ in range(6):
            sign_in(page, server, "ld", "a wrong guess")
        expect(page.get_by_role("alert")).to_contain_text("已暂停登录")
        sign_in(page, server, "ld", PASSWORD.format(username="ld"))
        expect(page.get_by_role("alert")).to_contain_text("分钟后再试")
        browser.close()
    assert outside == []

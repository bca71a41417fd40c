"""The dashboard in a real browser: `streamlit run` on 127.0.0.1, driven by Playwright with the system Chromium.

Every page opens from its own address, a return is uploaded and shows in the status grid, screenshots are
saved, and the browser never asks for anything outside 127.0.0.1.
"""
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
from playwright.sync_api import expect, sync_playwright

from analytics import labels, workspace
from analytics.config import DATABASE_URL_VARIABLE
from sample_data.make_samples import content
from tests.conftest import PAGE_TITLES, ROOT
from tests.returns import return_sheets, write_workbook

CHROMIUM = "/usr/bin/chromium"  # Debian's package `chromium`; never a downloaded browser
# A bookmarked page first, right after the server starts (when Streamlit still treats pages/ the legacy way).
PAGES = {address: PAGE_TITLES[f"pages/{address or 'overview'}.py"]  # address → title
         for address in ("hygiene", "", "tasks", "veto", "annual", "plan", "reports", "upload", "settings",
                         "audit", "ledger", "evidence")}
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_listening(port: int, process: subprocess.Popen, seconds: float = 90) -> None:
    """The server takes a few seconds to start (longer on a busy machine): wait for its port, not a fixed time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "streamlit exited; its output follows"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"streamlit did not listen on {port} within {seconds} s")


@pytest.fixture
def server(tmp_path):
    """`streamlit run app.py` on a copy of the sample database; its output is shown if the test fails."""
    database = tmp_path / "dashboard.sqlite"
    workspace.open_store(f"sqlite:///{database}")
    port, log = free_port(), open(tmp_path / "streamlit.log", "w")
    env = {**os.environ, DATABASE_URL_VARIABLE: f"sqlite:///{database}"}
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                                "--server.address", "127.0.0.1", "--server.headless", "true"],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_listening(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        print((tmp_path / "streamlit.log").read_text())


def test_pages_by_address_upload_and_no_request_leaves_the_machine(server, tmp_path):
    assert shutil.which(CHROMIUM), "install the Debian package chromium (.ci/run does)"
    shots = tmp_path / "screenshots"
    shots.mkdir()
    outside = []
    late_return = write_workbook(tmp_path / "金融科_2024年5月.xlsx", return_sheets(content("金融科", 5)))
    expect.set_options(timeout=60_000)  # a busy 2-core machine: wait on what shows, never on fixed sleeps
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.on("request", lambda request: None if request.url.startswith(LOCAL) else outside.append(request.url))
        for address, title in PAGES.items():
            page.goto(f"{server}/{address}")
            expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(timeout=90_000)
            page.wait_for_timeout(1500)
            expect(page.get_by_text("Page not found")).to_have_count(0)
            expect(page.get_by_test_id("stSidebarNav")).to_contain_text("年度考评")  # inside app.py's frame
            expect(page.get_by_text("年度", exact=True)).to_be_visible()            # with the shared period
            page.screenshot(path=shots / f"{address or 'overview'}.png", full_page=True)

        page.goto(f"{server}/upload")
        expect(page.get_by_role("heading", name=PAGES["upload"], exact=True)).to_be_visible(timeout=60_000)
        row = page.get_by_test_id("stTable").locator("tr", has_text="金融科")  # the status grid, not the report
        marks = {state: labels.STATUS_MARKS[labels.RETURN_STATES[state]] for state in ("missing", "late")}
        expect(row).to_contain_text(marks["missing"])
        page.locator('input[type="file"]').first.set_input_files(late_return)
        page.get_by_role("button", name="确认导入通过的 1 份月报").click(timeout=60_000)
        expect(page.get_by_text("已导入 1 个科室月份")).to_be_visible(timeout=60_000)
        expect(row).to_have_count(1)  # the page drawn again after the import: the earlier grid is gone
        expect(row).not_to_contain_text(marks["missing"])
        expect(row).to_contain_text(marks["late"])  # imported long after the due day of June 2024
        page.screenshot(path=shots / "after-upload.png", full_page=True)
        browser.close()
    assert outside == []
    assert len(list(shots.glob("*.png"))) == len(PAGES) + 1


def test_typed_links_and_images_stay_text_in_the_browser(server, tmp_path):
    """Issue "Hostile input": a section renamed to a Markdown link, and a decision whose 经办人 and 依据 are a link and
    an image: every page shows them as typed; no link or image to outside is made, and nothing is fetched."""
    import datetime as dt

    from analytics.config import SAMPLE_DATA
    link, image = "[点我](http://evil.example/x)", "![](http://evil.example/i.png)"
    store = workspace.open_store(f"sqlite:///{tmp_path / 'dashboard.sqlite'}")
    roster = (SAMPLE_DATA / "roster.csv").read_bytes().decode("gb18030").replace("金融科", link).encode()
    workspace.replace_roster(store, "名册.csv", roster, "文明办", {"金融科": ("rename", link)})
    store.decide("record", link, "2024-12", dt.date(2024, 12, 3), "其他", who=link, why=f"{image} http://evil.example/y")
    outside, made = [], {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.on("request", lambda request: None if request.url.startswith(LOCAL) else outside.append(request.url))
        for address in ("veto", "upload", "tasks", "annual"):
            page.goto(f"{server}/{address}")
            expect(page.get_by_role("heading", name=PAGES[address], exact=True)).to_be_visible(timeout=90_000)
            page.wait_for_timeout(2000)
            # A section's own link to 科室详情 carries its name in the address: on this server, not a link out.
            made[address] = page.eval_on_selector_all(
                'a[href*="evil"], img[src*="evil"]', "els => els.filter(e => !(e.href || e.src).startsWith("
                "location.origin + '/section?')).length")
            page.screenshot(path=tmp_path / f"hostile-{address}.png", full_page=True)
        expect(page.get_by_text("点我").first).to_be_attached()  # the name is there, as text
        browser.close()
    assert made == {"veto": 0, "upload": 0, "tasks": 0, "annual": 0} and outside == []

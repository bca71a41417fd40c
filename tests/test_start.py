"""Issue 12, the very first start: while the sample data is imported the dashboard says so in Chinese (never
Streamlit's own `Running _store(...)`), and its sidebar never lists the bare page file names of Streamlit's legacy
pages/ mode. In the system Chromium against `streamlit run server.py`, as a new user would see it."""
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import sync_playwright
from streamlit.testing.v1 import AppTest

from analytics import labels, workspace
from analytics.config import DATABASE_URL_VARIABLE
from tests.conftest import PAGES, ROOT
from tests.test_browser import CHROMIUM, free_port, wait_until_listening

CHART = '[data-testid="stMain"] .main-svg'
LEGACY_NAMES = {page.removeprefix("pages/").removesuffix(".py") for page in PAGES}   # what the legacy mode lists
STREAMLIT_SPINNER = re.compile(r"Running `?\w+\(")


@pytest.fixture
def first_start(tmp_path):
    """`streamlit run server.py` on a database that has its tables but no data yet, while another writer holds it:
    the sample import waits (as it would behind an import from the command line), so the page can be watched during
    it. Yields the address and a function that lets the import go on."""
    database = tmp_path / "dashboard.sqlite"
    workspace.open_store(f"sqlite:///{database}", sample=False).engine.dispose()
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    port, log = free_port(), open(tmp_path / "streamlit.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
                                "--server.headless", "true"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                               env={**os.environ, DATABASE_URL_VARIABLE: f"sqlite:///{database}"})
    try:
        wait_until_listening(port, process)
        yield f"http://127.0.0.1:{port}", writer.rollback
    finally:
        writer.close()
        process.terminate()
        process.wait(timeout=30)
        log.close()
        print((tmp_path / "streamlit.log").read_text())


def test_first_start_says_it_imports_the_sample_in_chinese(first_start):
    address, let_go = first_start
    seen = []   # (the sidebar's links, the page's text), as often as they can be read until the first chart is drawn
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(address)

        def look() -> None:
            links = page.get_by_test_id("stSidebarNavLink").all_inner_texts()  # the dashboard's: an icon's name, a title
            seen.append((links, page.locator("body").inner_text()))

        def look_until(shown) -> None:
            deadline = time.monotonic() + 180   # a busy 2-core machine
            while not shown() and time.monotonic() < deadline:
                look()
                page.wait_for_timeout(100)
            look()
            assert shown(), seen[-1]

        look_until(lambda: page.get_by_test_id("stSpinner").filter(has_text="正在导入示例数据").count())
        let_go()
        look_until(page.locator(CHART).first.is_visible)
        spinners = page.get_by_test_id("stSpinner").all_inner_texts()
        browser.close()
    assert not [text for text in spinners if "Running" in text]
    assert not [main for _, main in seen if STREAMLIT_SPINNER.search(main)]
    assert not [links for links, _ in seen if any(set(link.split()) <= LEGACY_NAMES for link in links)]
    assert any("年度考评" in link for link in seen[-1][0])   # the dashboard's own navigation
    assert "当前显示的是内置示例数据" in seen[-1][1]


def test_first_start_without_a_server_imports_the_sample(empty_url, monkeypatch):
    """`streamlit run app.py` (and AppTest) on a database with nothing in it: the sample is imported and the
    overview drawn from it in the first run."""
    monkeypatch.setenv(DATABASE_URL_VARIABLE, empty_url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["总览"] and "示例数据" in at.sidebar.warning[0].value
    assert at.get("plotly_chart")


def test_overview_figures_are_made_once_and_follow_the_store(sample_url):
    """总览's charts and 催报 list are made once per store version (pages/_shared.made_once): a rerun draws the same, a
    withdrawn return shows at once, in the ranking (未报送) and in the 催报 list."""
    def ranking_and_chase(at):
        spec = json.loads(at.get("plotly_chart")[1].proto.spec)
        missing = {name for trace in spec["data"] if trace["name"] == labels.RETURN_STATES["missing"] for name in trace["y"]}
        links = at.dataframe[0].value[labels.heading("section")] if at.dataframe else []
        return missing, {parse_qs(urlsplit(link).query)["section"][0] for link in links}

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    month = at.session_state["month"]
    before = ranking_and_chase(at)
    assert ranking_and_chase(at.run()) == before
    store = workspace.open_store(sample_url, sample=False)
    section = next(name for name in workspace.year(store, int(month[:4])).summary.section_months.query(
        "month == @month and submitted")["section"] if name not in before[0])
    store.withdraw(section, month, "测试", "重报")
    after = ranking_and_chase(at.run())
    assert after == (before[0] | {section}, before[1] | {section})

"""Issue 12, part "polish": no raw values or English words, the upload preview, no import button for what was imported,
the history month following the sidebar, and every form saying what it did or why it did nothing."""
import dataclasses

import pandas as pd
import pytest
from playwright.sync_api import expect, sync_playwright
from streamlit.testing.v1 import AppTest

from analytics import charts, labels, workspace
from analytics.config import SAMPLE_ROSTER
from pages._shared import plain
from tests import test_browser, test_pages
from tests.conftest import ROOT
from tests.returns import default_content, write_return
from tests.test_browser import CHROMIUM
from tests.test_pages import XLSX

empty_url, server = test_pages.empty_url, test_browser.server  # their fixtures: an empty store, a running dashboard


def run(page: str, month: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if month:
        at.session_state["month"] = month
    at.run().switch_page(page).run()
    assert not at.exception, at.exception
    return at


def returns(tmp_path) -> list:
    """Two March returns: 预算科's in full, 国库科's without an inspection (a warning, no nine-no score)."""
    full = write_return(tmp_path / "预算科_2024年3月.xlsx", default_content("预算科"))
    unchecked = write_return(tmp_path / "国库科_2024年3月.xlsx", dataclasses.replace(default_content("国库科"), inspections=[]))
    return [(path.name, path.read_bytes(), XLSX) for path in (full, unchecked)]


def upload(at: AppTest, files: list) -> AppTest:
    at.file_uploader[0].set_value(files).run()
    assert not at.exception, at.exception
    return at


def import_button(at: AppTest):
    return next((b for b in at.button if b.label.startswith("确认导入")), None)


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def shows_no_raw_values(at: AppTest) -> None:
    """Every table blank for a missing value (never None) and none without rows (the grid's `empty`)."""
    for frame in at.dataframe:
        assert len(frame.value), f"an empty table: {list(frame.value.columns)}"
        if frame.value.isna().any().any():
            assert frame.proto.HasField("placeholder") and frame.proto.placeholder == "", list(frame.value.columns)


def test_table_blanks_missing_values_and_says_when_there_are_none():
    def script():
        import pandas as pd

        from pages._shared import table
        table(pd.DataFrame({"行": pd.array([3, None], dtype="Int64")}))
        table(pd.DataFrame(columns=["行"]))

    at = AppTest.from_function(script).run()
    assert len(at.dataframe) == 1 and at.dataframe[0].proto.HasField("placeholder")
    assert at.dataframe[0].proto.placeholder == ""
    assert [c.value for c in at.caption] == [labels.NO_ROWS]


def test_the_upload_page_shows_no_raw_values(empty_url, tmp_path):
    bad = default_content("预算科")
    bad.tasks[0] = dataclasses.replace(bad.tasks[0], done=-2)  # an error in a row, next to whole-file problems
    path = write_return(tmp_path / "预算科_2024年3月.xlsx", bad)
    at = upload(run("pages/upload.py"), [(path.name, path.read_bytes(), XLSX), ("说明.xlsx", b"not a workbook", XLSX)])
    issues = frame_with(at, "行")
    assert issues["行"].isna().any() and issues["行"].notna().any()  # a table that would show None without table()
    shows_no_raw_values(at)
    assert import_button(at) is None and labels.NOTHING_TO_IMPORT["none-accepted"] in [w.value for w in at.warning]


@pytest.mark.parametrize("page", ["pages/settings.py", "pages/audit.py"])
def test_settings_and_the_log_show_no_raw_values(sample_url, page):
    shows_no_raw_values(run(page))


def test_the_preview_shows_what_the_store_has_after_the_import(empty_url, tmp_path):
    at = upload(run("pages/upload.py"), returns(tmp_path))
    shown = frame_with(at, labels.PREVIEW_NAMES["tasks"]).rename(columns={v: k for k, v in labels.PREVIEW_NAMES.items()})
    assert import_button(at).label == labels.IMPORT_BUTTON.format(count=2)
    import_button(at).click().run()
    assert not at.exception and "已导入 2 个科室月份" in at.success[0].value
    store = workspace.open_store(empty_url)
    figures = workspace.year(store, 2024).summary.section_months.set_index(["section", "month"])
    records = store.records("2024-03", "2024-03")
    for row in shown.itertuples():
        stored = figures.loc[(row.section, row.month)]
        assert row.completion_rate == charts.percent(stored["completion_rate"])  # as every page shows it: 90.9%
        assert row.nine_no_score == charts.score(stored["nine_no_score"])
        assert row.warnings == labels.LIST_SEPARATOR.join(stored["warnings"])
        for kind in ("tasks", "inspections", "events"):
            assert getattr(row, kind) == (records.of(kind)["section"] == row.section).sum()
    assert shown.set_index("section")["inspections"].to_dict() == {"预算科": 3, "国库科": 0}
    assert shown.set_index("section")["warnings"]["国库科"] == labels.NO_CHECK_WARNING


def test_no_import_button_for_a_batch_already_imported(empty_url, tmp_path):
    files = returns(tmp_path)
    at = upload(run("pages/upload.py"), files[:1])
    import_button(at).click().run()
    upload(at, files[:1])  # the same file again, in the emptied uploader
    assert import_button(at) is None
    assert labels.NOTHING_TO_IMPORT["all-known"] in [w.value for w in at.warning]
    assert f"**{labels.PREVIEW_TITLE_KNOWN}**" in [m.value for m in at.markdown]  # not "将导入的内容"
    assert frame_with(at, labels.PREVIEW_NAMES["imported"])[labels.PREVIEW_NAMES["imported"]].tolist() == [labels.YES]
    upload(at, files)  # with a new one: the button counts only that
    assert import_button(at).label == labels.IMPORT_BUTTON.format(count=1)


def test_the_history_month_follows_the_sidebar(sample_url):
    at = run("pages/upload.py", month="2024-12")
    assert at.selectbox(key="history_month").value == "2024-12"
    at.selectbox(key="history_month").set_value("2024-05").run()  # picked on the page: kept while the sidebar stays
    assert at.selectbox(key="history_month").value == "2024-05"
    at.session_state["month"] = "2024-11"  # the sidebar's month changes
    at.run()
    assert at.selectbox(key="history_month").value == "2024-11"


def test_withdraw_and_restore_say_what_they_did(sample_url):
    at = run("pages/upload.py", month="2024-12")
    at.selectbox(key="history_section").set_value("预算科").run()
    next(b for b in at.button if b.label == "撤回").click().run()
    assert [s.value for s in at.success] == [plain(labels.WITHDRAWN.format(section="预算科", month="2024-12"))]
    next(b for b in at.button if b.label == "恢复为当前").click().run()
    version = workspace.open_store(sample_url).versions_of("预算科", "2024-12").iloc[0]
    assert version.state == "current"
    assert [s.value for s in at.success] == [plain(labels.RESTORED.format(
        section="预算科", month="2024-12", at=version.imported_at, file=version.file))]


def test_the_same_rules_or_roster_again_says_nothing_changed(sample_url):
    at = run("pages/settings.py")
    rules_name, rules_bytes = workspace.rules_file(workspace.open_store(sample_url))
    at.file_uploader(key="rules_upload").set_value([(rules_name, rules_bytes, "text/plain")]).run()
    next(b for b in at.button if b.label == "校验并替换规则").click().run()
    assert [w.value for w in at.main.warning] == [plain(labels.SAME_CHECKED_FILE.format(name=rules_name, label="规则"))]
    assert workspace.open_store(sample_url).file_setting("rules") is None  # nothing was put in force
    at.file_uploader(key="roster_upload").set_value([("名册.xlsx", SAMPLE_ROSTER.read_bytes(), XLSX)]).run()
    assert plain(labels.SAME_ROSTER.format(name="名册.xlsx")) in [w.value for w in at.warning]
    assert not [b for b in at.button if b.label == "确认替换名册"]


def test_decisions_say_what_was_saved_or_why_not(sample_url):
    at = run("pages/veto.py", month="2024-12")
    save = next(b for b in at.button if b.label == "保存认定")
    save.click().run()
    assert [e.value for e in at.error] == ["请先选择要认定的事项。"]
    at.selectbox(key="decide_event").select_index(0).run()
    event = at.selectbox(key="decide_event").value
    section, _, category = event.split("｜")
    at.radio(key="decide_action").set_value("dismiss")
    at.text_input(key="decide_why").input("复核不属实")
    next(b for b in at.button if b.label == "保存认定").click().run()
    assert plain(labels.DECISION_SAVED.format(section=section, category=category,
                                              action=labels.DECISION_CHOICES["dismiss"])) in [s.value for s in at.success]
    newest = int(workspace.open_store(sample_url).decisions()["id"].max())
    next(b for b in at.button if b.key == f"undo_{newest}").click().run()
    assert [s.value for s in at.success] == [plain(labels.DECISION_UNDONE_SAY.format(id=newest))]


def test_the_action_filter_has_no_select_all(sample_url):
    at = run("pages/audit.py")
    assert at.multiselect(key="audit_actions").proto.select_all == 0  # the default (1000) draws "Select all"


def test_the_uploader_speaks_chinese_in_the_browser(server, tmp_path):
    store = workspace.open_store(f"sqlite:///{tmp_path / 'dashboard.sqlite'}")  # the served database
    store.withdraw("预算科", "2024-12", "文明办", "误导入，撤回")  # three actions to filter by: "Select all" would show
    store.restore(int(store.versions_of("预算科", "2024-12").iloc[0].id), "文明办")
    expect.set_options(timeout=60_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(f"{server}/upload")
        uploaders = page.get_by_test_id("stFileUploader")   # the returns' and the inspection-team sheets'
        expect(uploaders.nth(1)).to_be_visible(timeout=90_000)
        page.wait_for_timeout(1500)
        shown = [uploader.inner_text() for uploader in uploaders.all()]  # what is drawn: ::after words are not text
        words = [uploader.evaluate("""e => [...e.querySelectorAll('*')].map(x => getComputedStyle(x, '::after').content)
                                            .filter(c => c !== 'none').join(' ')""") for uploader in uploaders.all()]
        uploaders.first.screenshot(path=tmp_path / "uploader.png")
        page.goto(f"{server}/audit")
        actions = page.get_by_test_id("stMultiSelect")
        expect(actions).to_be_visible(timeout=90_000)
        actions.click()
        options = page.get_by_role("option")
        expect(options.first).to_be_visible()
        listed = options.all_inner_texts()
        page.screenshot(path=tmp_path / "audit-actions.png")
        browser.close()
    assert len(shown) == 2
    for english in ("Upload", "Browse", "Drag", "per file", "Limit"):
        assert not any(english in text for text in shown), shown
    assert all(labels.UPLOADER_WORDS["button"] in said and "每个文件不超过 50 MB" in said for said in words)
    assert len(listed) == 3 and not any("Select" in option for option in listed)
    print(tmp_path / "uploader.png", tmp_path / "audit-actions.png")


def test_the_status_grid_lists_the_sections_in_the_roster_order(sample_database):
    """数据上传's 报送情况 in the roster's order, as the heatmaps (not by the names' code points); blank outside a
    section's 设立 / 撤销 months."""
    year = workspace.year(workspace.open_store(f"sqlite:///{sample_database}", sample=False), 2024)
    grid = workspace.status_grid(year.summary.section_months)
    roster = list(year.roster.sections["section"])
    assert list(grid.index) == roster and roster != sorted(roster)
    assert grid.loc["绩效评价科", "2024-06"] == "" and grid.loc["绩效评价科", "2024-07"] != ""

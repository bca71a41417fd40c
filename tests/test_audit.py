"""Issue 11 "Build" 3: the 操作记录 page at /audit. Every action of the store's history, filtered by person, section,
section-month's month and action, newest first, shown without raw values and downloaded as .xlsx. The store is a
copy of the sample database with real actions done on it (a withdrawal, decisions, an account, a failed sign-in)."""
import datetime as dt
import io
import re
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from analytics import account_store, audit, workspace
from analytics.schema import now
from tests.conftest import ROOT

HEADINGS = ["时间", "经办人/账号", "操作", "科室", "月份", "说明"]
EVENT = (dt.date(2024, 3, 12), "其他")


def act(store, with_account: bool) -> None:
    """What people did after the sample came in, in this order."""
    store.withdraw("预算科", "2024-12", "张三", "误导入，撤回")
    store.decide("confirm", "国库科", "2024-03", *EVENT, who="李四", why="经核实属实")
    store.decide("dismiss", "预算科", "2024-05", dt.date(2024, 5, 2), "其他", who="张三", why="不属实")
    if with_account:  # an account ends desk mode: only the store-level tests have one
        account_store.add_account(store, "wang", "right password", "office", who="张三")
    account_store.sign_in(store, "wang" if with_account else "ghost", "wrong password", now())


@pytest.fixture
def store(sample_url):
    store = workspace.open_store(sample_url)
    act(store, with_account=True)
    return store


@pytest.fixture
def log(store) -> pd.DataFrame:
    return store.log(limit=None)


def test_the_store_gives_every_row_when_asked(store, log):
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT count(*) FROM history").scalar()
    assert rows > 200 and len(log) == rows and log["id"].is_unique
    assert len(store.log()) == 200 and store.log()["id"].tolist() == log["id"].head(200).tolist()  # the default stays


def test_the_options_are_what_the_log_holds(log):
    options = audit.filter_options(log)
    assert options.people == sorted(["示例数据", "张三", "李四", "wang"])
    assert options.actions == ["import", "withdraw", "decision-confirm", "decision-dismiss", "account-add",
                               "sign-in-failed"]  # in ACTION_NAMES' order
    assert options.months == [f"2024-{m:02d}" for m in range(12, 0, -1)]  # newest first, never a blank
    assert "预算科" in options.sections and "国库科" in options.sections and None not in options.sections
    assert set(options.sections) == set(log["section"].dropna())


def test_filter_by_person_newest_first(log):
    rows = audit.filter_log(log, who="张三")
    assert rows["action"].tolist() == ["account-add", "decision-dismiss", "withdraw"]
    assert (rows["who"] == "张三").all()


def test_filter_by_action_finds_the_failed_sign_in(log):
    rows = audit.filter_log(log, actions=["sign-in-failed"])
    assert rows[["who", "action", "detail"]].values.tolist() == [["wang", "sign-in-failed", "密码错误"]]
    assert rows["section"].isna().all()  # an office account has no section
    both = audit.filter_log(log, actions=["decision-confirm", "decision-dismiss"])
    assert both["who"].tolist() == ["张三", "李四"]


def test_the_month_is_the_section_months_not_the_date(log):
    rows = audit.filter_log(log, month="2024-03")
    imports = log[(log["action"] == "import") & (log["month"] == "2024-03")]
    assert len(imports) > 0 and len(rows) == len(imports) + 1  # the returns of March and the decision on March
    assert (rows["month"] == "2024-03").all()
    assert not rows["at"].dt.strftime("%Y-%m").eq("2024-03").any()  # none of them was done in March 2024
    assert audit.filter_log(log, month="2024-03", actions=["decision-confirm"])["who"].tolist() == ["李四"]


def test_filters_combine(log):
    assert len(audit.filter_log(log, who="李四", section="国库科", month="2024-03", actions=["decision-confirm"])) == 1
    assert audit.filter_log(log, who="李四", section="预算科").empty
    assert audit.filter_log(log, who="没有这个人").empty
    everything = audit.filter_log(log)
    assert len(everything) == len(log)
    assert everything["action"].iloc[0] == "sign-in-failed"                      # the last action first
    assert everything["at"].is_monotonic_decreasing


def test_the_table_is_headed_in_chinese_with_no_raw_values(log):
    table = audit.log_table(audit.filter_log(log))
    assert table.columns.tolist() == HEADINGS
    cells = table.to_numpy().ravel().tolist()
    assert all(isinstance(cell, str) for cell in cells)
    assert not {"None", "nan", "NaN", "NaT", "<NA>"} & set(cells)
    assert table["时间"].str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d").all()
    first = table.iloc[0].tolist()
    assert first[:5] == [first[0], "wang", "登录失败", "", ""] and first[5] == "密码错误"
    added = table[table["操作"] == "新建账号"].iloc[0]
    assert (added["经办人/账号"], added["科室"], added["说明"]) == ("张三", "", "wang（文明办）")
    assert set(table["操作"]) == {"导入", "撤回", "认定属实", "认定不属实", "新建账号", "登录失败"}


def test_details_in_words(store):
    decision = int(store.decisions()["id"].max())
    store.undo_decision(decision, "张三")
    store.clear_sample("张三")
    store.restore_sample("李四")
    table = audit.log_table(audit.filter_log(store.log(limit=None), actions=["clear-sample", "restore-sample",
                                                                            "decision-undo"]))
    cleared = re.fullmatch(r"移走示例数据的 (\d+) 份月报、(\d+) 条认定", table.loc[table["操作"] == "清除示例数据", "说明"].item())
    assert cleared and int(cleared[1]) > 200
    assert table.loc[table["操作"] == "恢复示例数据", "说明"].item() == "撤销此前最近一次清除"
    assert table.loc[table["操作"] == "撤销认定", "说明"].item() == f"第 {decision} 号认定"


def test_the_file_name_names_the_date_and_the_filters():
    today = dt.date(2025, 1, 6)
    assert audit.file_name(today) == "操作记录_2025-01-06.xlsx"
    assert audit.file_name(today, "张三", "预算科", "2024-03", ["withdraw", "sign-in"]) == \
        "操作记录_2025-01-06_张三_预算科_2024-03_撤回_登录.xlsx"
    assert audit.file_name(today, "a/b:c") == "操作记录_2025-01-06_a_b_c.xlsx"
    long = audit.file_name(today, "长" * 200)
    assert long.startswith("操作记录_2025-01-06_长") and long.endswith(".xlsx") and len(long.encode()) < 140


# The page ------------------------------------------------------------------------------------------------------


@pytest.fixture
def desk_url(sample_url):
    """The sample with the same actions and no account (desk mode: AppTest sends no session cookie)."""
    act(workspace.open_store(sample_url), with_account=False)
    return sample_url


@pytest.fixture
def downloads(monkeypatch) -> list:
    """Every download button's (file name, bytes), as a browser would get them on a click."""
    made, deferred = [], MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made.append((file_name, data_callable))
        return deferred(self, data_callable, mimetype, coordinates, file_name, **kwargs)
    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return made


def audit_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/audit.py").run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["操作记录"] and not at.error
    return at


def shown_rows(at) -> list[list[str]]:
    """The page's rows, a section's link (to 科室详情) read back as its name."""
    def name(cell):
        return parse_qs(urlsplit(cell).query)["section"][0] if str(cell).startswith("/section?") else cell
    return [[name(cell) for cell in row] for row in at.dataframe[0].value.to_numpy().tolist()]


def xlsx_rows(data: bytes) -> list[list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "操作记录"
    return [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_the_page_filters_by_person_and_action_and_downloads_what_it_shows(desk_url, downloads):
    log = workspace.open_store(desk_url).log(limit=None)
    at = audit_page()
    assert [s.label for s in at.selectbox if s.key and s.key.startswith("audit")] == ["经办人/账号", "科室", "月份"]
    assert f"共 {len(log)} 条" in [c.value for c in at.caption]
    assert at.dataframe[0].value.columns.tolist() == HEADINGS and len(at.dataframe[0].value) == len(log)

    at.selectbox(key="audit_who").set_value("张三").run()
    expected = audit.log_table(audit.filter_log(log, who="张三")).to_numpy().tolist()
    assert [row[1:3] for row in shown_rows(at)] == [["张三", "认定不属实"], ["张三", "撤回"]]
    assert shown_rows(at) == expected and "共 2 条" in [c.value for c in at.caption]
    name, data = downloads[-1]
    assert at.download_button[0].label == "下载操作记录（.xlsx）"
    assert name == f"操作记录_{dt.date.today():%Y-%m-%d}_张三.xlsx"
    assert xlsx_rows(data()) == [HEADINGS, *expected]

    at.selectbox(key="audit_who").set_value(None).run()
    at.multiselect(key="audit_actions").set_value(["sign-in-failed", "withdraw"]).run()
    assert [row[1:5] for row in shown_rows(at)] == [["ghost", "登录失败", "", ""], ["张三", "撤回", "预算科", "2024-12"]]
    assert xlsx_rows(downloads[-1][1]())[1:] == shown_rows(at)
    assert downloads[-1][0].endswith("_撤回_登录失败.xlsx") or downloads[-1][0].endswith("_登录失败_撤回.xlsx")

    at.selectbox(key="audit_who").set_value("李四").run()  # 李四 withdrew nothing and never signed in
    assert not at.dataframe and not at.download_button and "共 0 条" in [c.value for c in at.caption]
    assert "没有符合筛选条件的操作记录" in at.info[0].value


def test_the_page_filters_by_section_month(desk_url):
    at = audit_page()
    at.selectbox(key="audit_month").set_value("2024-03").run()
    at.selectbox(key="audit_section").set_value("国库科").run()
    rows = shown_rows(at)
    assert [row[2] for row in rows] == ["认定属实", "导入"] and {row[3] for row in rows} == {"国库科"}
    assert {row[4] for row in rows} == {"2024-03"}


def test_an_empty_store_says_there_is_no_record(empty_url, monkeypatch):
    from analytics.config import DATABASE_URL_VARIABLE
    url = empty_url
    workspace.open_store(url, sample=False).set_flag("bootstrapped", True)
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    at = audit_page()
    assert "暂无操作记录" in at.info[0].value and not at.dataframe and not at.download_button


def test_settings_points_to_the_page_instead_of_listing_the_log(desk_url):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/settings.py").run()
    assert not at.exception, at.exception
    assert not [e for e in at.expander if "操作记录" in e.label]
    assert any("「操作记录」页" in c.value for c in at.caption)

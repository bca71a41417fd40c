"""Issue "Trust": each finding driven as the user did it, on real files, the store and the running pages (AppTest)."""
import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics import load_uploaded, workspace
from analytics.intake.roster import RosterError, build_roster
from analytics.store import StaleChoice, Store
from tests.conftest import ROOT, ROSTER_ROWS
from tests.returns import Event, default_content, write_return

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOUNDARY = "本页出错"


@pytest.fixture
def store(empty_url):
    return Store(empty_url)


def page(path: str, month: str = "2024-12") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["month"] = month
    at.run()
    if path != "pages/overview.py":
        at.switch_page(path).run()
    assert_fine(at)
    return at


def assert_fine(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not [e.value for e in at.error if BOUNDARY in e.value]


def import_files(store, roster, *paths, names=None, who="王磊"):
    uploads = [(name or p.name, p.read_bytes()) for p, name in zip(paths, names or [None] * len(paths))]
    return store.import_batch(load_uploaded(uploads, roster), uploads, who=who)


# 1. 一票否决 breaks for good -----------------------------------------------------------------------

def test_veto_page_after_confirm_undo_and_another_decision(sample_url):
    at = page("pages/veto.py")
    at.selectbox(key="decide_event").select_index(0).run()
    at.radio(key="decide_action").set_value("confirm").run()
    assert at.selectbox(key="decide_month").value == at.selectbox(key="decide_month").options[0]  # the month picker
    at.text_input(key="decide_why").input("经纪检组核实属实").run()
    at.button[0].click().run()
    assert_fine(at)
    assert at.success[-1].value.startswith("已保存") and at.text_input(key="decide_why").value == ""
    assert at.selectbox(key="decide_event").value is None
    undo = next(b for b in at.button if b.key and b.key.startswith("undo_"))
    undo.click().run()
    assert_fine(at)
    at.selectbox(key="decide_event").select_index(1).run()
    at.radio(key="decide_action").set_value("dismiss").run()
    at.text_input(key="decide_why").input("经核实不属实").run()
    at.button[0].click().run()
    again = page("pages/veto.py")  # every later load, for every user
    keys = [b.key for b in again.button if b.key and b.key[:5] in ("undo_", "redo_")]
    assert keys == [keys[0].replace("undo_", "redo_"), keys[1]] and keys[1].startswith("undo_")
    next(b for b in again.button if b.key == keys[1]).click().run()  # the newest can still be undone
    assert_fine(again)
    assert again.success[-1].value == f"已撤销第 {keys[1].removeprefix('undo_')} 号认定。"


def test_saving_without_an_event_or_a_reason_says_so(sample_url):
    at = page("pages/veto.py")
    at.button[0].click().run()
    assert at.error[0].value == "请先选择要认定的事项。"
    at.selectbox(key="decide_event").select_index(0).run()
    at.button[0].click().run()
    assert at.error[0].value == "请填写认定依据。"
    assert len(workspace.open_store(sample_url).decisions()) == 0


def test_a_confirmation_counts_from_the_month_chosen(sample_url):
    at = page("pages/veto.py")
    options = at.selectbox(key="decide_event").options
    at.selectbox(key="decide_event").select_index(next(i for i, o in enumerate(options) if o.startswith("资产管理科"))).run()
    at.selectbox(key="decide_month").set_value("2024-12")
    at.text_input(key="decide_why").input("核实属实").run()
    at.button[0].click().run()
    store = workspace.open_store(sample_url)
    table = workspace.year(store, 2024).summary.section_months.set_index(["section", "month"])
    assert table.loc[("资产管理科", "2024-11"), "veto"] == False  # noqa: E712 (numpy bool)
    assert table.loc[("资产管理科", "2024-12"), "veto_reasons"] == ["安全责任事故"]


# 8. A colleague's decision silently discards yours --------------------------------------------------

def decide_on(at: AppTest, key: str, action: str, why: str, click: bool = True) -> None:
    at.selectbox(key="decide_event").set_value(key).run()
    at.radio(key="decide_action").set_value(action).run()
    at.text_input(key="decide_why").input(why).run()
    if click:
        at.button[0].click().run()


def test_a_decision_on_a_stale_page_is_recorded_and_names_the_newer_one(sample_url):
    mine, theirs = page("pages/veto.py"), page("pages/veto.py")
    chosen = mine.selectbox(key="decide_event").select_index(0).run().selectbox(key="decide_event").value
    other = theirs.selectbox(key="decide_event").select_index(1).run().selectbox(key="decide_event").value
    decide_on(theirs, other, "dismiss", "另一事项不属实")
    mine.run()  # my page reruns after a colleague's change: my choice stays
    assert mine.selectbox(key="decide_event").value == chosen
    decide_on(mine, chosen, "confirm", "属实", click=False)
    decide_on(theirs, chosen, "dismiss", "不属实")  # meanwhile, on the same event
    mine.button[0].click().run()  # from a page drawn before their decision
    assert_fine(mine)
    said = next(w.value for w in mine.warning if w.value.startswith("已保存"))
    assert "文明办 已于" in said and "认定不属实（依据：不属实）" in said
    decided = workspace.open_store(sample_url).decisions()
    assert decided[["action", "why"]].values.tolist() == [["dismiss", "另一事项不属实"], ["dismiss", "不属实"],
                                                          ["confirm", "属实"]]


# 2. 清除示例数据 deletes real work ---------------------------------------------------------------------

def test_clearing_the_sample_keeps_real_work_and_can_be_undone(sample_url, tmp_path):
    store = workspace.open_store(sample_url)
    roster = workspace.roster_in_force(store)
    real = write_return(tmp_path / "预算科_2025年1月.xlsx", default_content("预算科", "2025-01"))
    import_files(store, roster, real)
    store.decide("confirm", "国库科", "2024-03", dt.date(2024, 3, 12), "公务接待/会议/差旅费违规", "李娜", "样例")
    store.decide("record", "预算科", "2025-01", dt.date(2025, 1, 8), "其他", "李娜", "补录")
    at = page("pages/settings.py")
    clear = next(b for b in at.button if b.label == "清除示例数据")
    assert clear.disabled  # nothing goes without a confirmation
    assert "您导入的 1 份当前月报" in at.markdown[-1].value or any("您导入的 1 份当前月报" in m.value for m in at.markdown)
    at.checkbox(key="clear_sample_sure").check().run()
    next(b for b in at.button if b.label == "清除示例数据").click().run()
    assert_fine(at)
    assert store.months() == ["2025-01"]
    assert store.decisions().set_index("why")["undone_at"].isna().to_dict() == {"样例": False, "补录": True}
    next(b for b in at.button if b.label == "恢复示例数据").click().run()
    assert len(store.months()) == 13 and store.decisions()["undone_at"].isna().all()


# 3. Same file name, wrong file ---------------------------------------------------------------------

def test_two_uploads_of_one_name_each_keep_their_own_bytes(store, roster, tmp_path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first = write_return(tmp_path / "a" / "x.xlsx", default_content("预算科"))
    second = write_return(tmp_path / "b" / "x.xlsx", default_content("国库科"))
    import_files(store, roster, first, second, names=["月报.xlsx", "月报.xlsx"])
    versions = store.versions_of().set_index("section")["id"]
    assert store.file_of(int(versions["预算科"]))[1] == first.read_bytes()
    assert store.file_of(int(versions["国库科"]))[1] == second.read_bytes()
    tasks = store.records("2024-03", "2024-03").tasks
    assert tasks.groupby("section").size().to_dict() == {"国库科": 6, "预算科": 6}


def test_two_same_named_uploads_through_the_page(sample_url, tmp_path):
    at = page("pages/upload.py")
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first = write_return(tmp_path / "a" / "x.xlsx", default_content("预算科", "2025-01"))
    second = write_return(tmp_path / "b" / "x.xlsx", default_content("国库科", "2025-01"))
    at.file_uploader[0].set_value([("月报.xlsx", first.read_bytes(), XLSX), ("月报.xlsx", second.read_bytes(), XLSX)]).run()
    next(b for b in at.button if b.label.startswith("确认导入")).click().run()
    assert_fine(at)
    store = workspace.open_store(sample_url)
    for section, path in (("预算科", first), ("国库科", second)):
        version = store.versions_of(section, "2025-01")
        assert version["state"].tolist() == ["current"]
        assert store.file_of(int(version["id"].iloc[0]))[1] == path.read_bytes()


# 9. At most one current version, and a write that cannot get the database --------------------------

def test_two_current_versions_are_refused_by_the_database(store, roster, tmp_path):
    import sqlalchemy as sa

    from analytics.schema import versions
    import_files(store, roster, write_return(tmp_path / "预算科_2024年3月.xlsx"))
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
        conn.execute(versions.insert().values(section="预算科", month="2024-03", file_id=1, source="x",
                                              imported_at=dt.datetime.now(), state="current"))


def test_a_locked_database_keeps_the_checked_batch_for_a_retry(sample_url, tmp_path, monkeypatch):
    from analytics import store as store_module
    at = page("pages/upload.py")
    path = write_return(tmp_path / "预算科_2025年1月.xlsx", default_content("预算科", "2025-01"))
    at.file_uploader[0].set_value([(path.name, path.read_bytes(), XLSX)]).run()
    monkeypatch.setattr(store_module, "BUSY_SECONDS", 0)
    blocker = Store(sample_url)
    with blocker._writer.begin():  # another writer holds the database
        monkeypatch.setattr(store_module.time, "sleep", lambda seconds: None)
        next(b for b in at.button if b.label.startswith("确认导入")).click().run()
    assert_fine(at)
    assert "数据库正忙" in at.error[0].value
    next(b for b in at.button if b.label.startswith("确认导入")).click().run()  # the same batch, again
    assert "已导入 1 个科室月份" in at.success[0].value


def test_an_error_in_a_page_is_shown_in_chinese_not_as_a_traceback(sample_url, monkeypatch):
    monkeypatch.setattr(workspace, "status_grid", lambda *args: 1 / 0)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run().switch_page("pages/upload.py").run()
    assert not at.exception and BOUNDARY in at.error[0].value


# 10. Renaming a section orphans its year ------------------------------------------------------------

def renamed_roster(tmp_path, alias: str = "") -> Path:
    rows = [row if row[0] != "预算科" else ["预算管理科", alias, *row[2:]] for row in ROSTER_ROWS]
    path = tmp_path / "新名册.csv"
    path.write_text("\n".join(",".join(row) for row in rows), encoding="utf-8")
    return path


def test_a_roster_that_renames_a_section_asks_and_its_history_follows(store, roster, tmp_path):
    store.set_file_setting("roster", "roster.csv", "\n".join(",".join(r) for r in ROSTER_ROWS).encode(), who="王磊")
    path = write_return(tmp_path / "预算科_2024年3月.xlsx")
    import_files(store, roster, path)
    new = renamed_roster(tmp_path)
    with pytest.raises(RosterError, match="预算科"):
        workspace.replace_roster(store, new.name, new.read_bytes(), "王磊")
    assert workspace.roster_in_force(store).match("预算科") == "预算科"  # nothing applied
    workspace.replace_roster(store, new.name, new.read_bytes(), "王磊", {"预算科": ("rename", "预算管理科")})
    summary = workspace.year(store, 2024).summary
    row = summary.section_months.set_index(["section", "month"]).loc[("预算管理科", "2024-03")]
    assert bool(row["submitted"]) and row["score"] > 0
    assert store.versions_of("预算管理科")["state"].tolist() == ["current"]
    assert len(store.file_settings("roster")) == 2  # the earlier roster is kept, and can come back
    first = store.file_setting_by_id(int(store.file_settings("roster")["id"].iloc[-1]))
    workspace.replace_roster(store, first.name, first.data, "王磊", {"预算管理科": ("rename", "预算科")})
    assert store.versions_of("预算科")["state"].tolist() == ["current"]


def test_an_abolished_section_keeps_its_months(store, roster, tmp_path):
    import_files(store, roster, write_return(tmp_path / "综合科_2024年3月.xlsx", default_content("综合科")),
                 write_return(tmp_path / "预算科_2024年5月.xlsx", default_content("预算科", "2024-05")))
    rows = [row for row in ROSTER_ROWS if row[0] != "综合科"]
    data = "\n".join(",".join(r) for r in rows).encode()
    gone = workspace.dropped_sections(store, build_roster(rows, "x.csv"))
    assert gone[["section", "first_month", "last_month", "suggested"]].values.tolist() == [["综合科", "2024-03", "2024-03", None]]
    workspace.replace_roster(store, "新名册.csv", data, "王磊", {"综合科": ("abolish", "2024-04")})
    sections = workspace.roster_in_force(store).sections.set_index("section")
    assert sections.loc["综合科", "end_month"] == "2024-03"
    table = workspace.year(store, 2024).summary.section_months
    assert table[table["section"] == "综合科"][["month", "submitted"]].values.tolist() == [
        ["2024-01", False], ["2024-02", False], ["2024-03", True]]  # not expected from April on
    # Replacing the roster again does not ask about it a second time.
    assert workspace.dropped_sections(store, build_roster(rows, "x.csv")).empty


def test_the_settings_page_asks_what_became_of_a_dropped_section(sample_url, tmp_path):
    at = page("pages/settings.py")
    rows = [["科室", "别名", "负责人", "类别"], ["办公室", "", "陈建国", "科室"]]
    path = tmp_path / "小名册.csv"
    path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    at.file_uploader(key="roster_upload").set_value([(path.name, path.read_bytes(), "text/csv")]).run()
    assert_fine(at)
    assert len([w for w in at.warning if "新名册中没有这个科室" in w.value]) == 20
    next(b for b in at.button if b.label == "确认替换名册").click().run()
    assert_fine(at)
    assert [w.value for w in at.warning if "新名册中没有这个科室" in w.value] and "请说明其去向" in at.error[0].value
    assert len(workspace.roster_in_force(workspace.open_store(sample_url)).sections) == 21  # nothing chosen, nothing applied
    for radio in at.radio:
        radio.set_value("abolish")
    at.run()
    next(b for b in at.button if b.label == "确认替换名册").click().run()  # each abolished after its last month
    assert_fine(at)
    store = workspace.open_store(sample_url)
    assert len(workspace.roster_in_force(store).sections) == 21
    assert store.file_settings("roster")["name"].tolist() == ["小名册.csv", "roster.xlsx"]  # the bundled one, restorable


def test_staff_decisions_undo_and_redo_are_all_kept(store, roster, tmp_path):
    content = default_content("国库科")
    content.events = [Event(dt.date(2024, 3, 12), "其他", "待查", "待核实")]
    import_files(store, roster, write_return(tmp_path / "国库科_2024年3月.xlsx", content))
    store.decide("confirm", "国库科", "2024-03", dt.date(2024, 3, 12), "其他", who="李娜", why="属实")
    store.undo_decision(1, who="王磊")
    store.redo_decision(1, who="王磊")
    with pytest.raises(StaleChoice):
        store.redo_decision(1, who="王磊")  # twice: nothing more to take back
    decided = store.decisions()
    assert decided[["action", "who"]].values.tolist() == [["confirm", "李娜"]] and decided["undone_at"].isna().all()
    assert [a for a in store.log()["action"]][:3] == ["decision-redo", "decision-undo", "decision-confirm"]


def test_a_correction_after_the_due_day_does_not_make_a_return_late(store, roster, tmp_path):
    first = write_return(tmp_path / "预算科_2024年3月.xlsx")
    uploads = [(first.name, first.read_bytes())]
    store.import_batch(load_uploaded(uploads, roster), uploads, who="王磊", at=dt.datetime(2024, 4, 3, 9))
    content = default_content()
    content.tasks = content.tasks[:2]
    import_files(store, roster, write_return(tmp_path / "预算科_2024年3月_更正.xlsx", content))
    table = workspace.year(store, 2024).summary.section_months.set_index(["section", "month"])
    assert not table.loc[("预算科", "2024-03"), "late"] and table.loc[("预算科", "2024-03"), "planned"] == 3

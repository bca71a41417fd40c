"""Two colleagues on one store (issue 13's second fresh-eyes pass): a withdrawal, restore or undo clicked on a page drawn
before a colleague changed the same thing is refused with a message saying who changed what and when; nothing is
written, and the page then shows the colleague's change. Each page is a real AppTest session on the same database."""
import datetime as dt

from analytics import workspace
from analytics.intake.messages import STORE_MESSAGES
from pages._shared import plain
from tests.test_polish import run

MONTH = "2024-12"


def history_page(section: str = "预算科"):
    at = run("pages/upload.py", month=MONTH)
    at.selectbox(key="history_section").set_value(section).run()
    return at


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def refusal_opening() -> str:
    return STORE_MESSAGES["changed-since"].split("{who}", 1)[0].format(section="预算科", month=MONTH)


def test_a_withdrawal_from_an_older_page_is_refused(sample_url):
    mine, theirs = history_page(), history_page()
    button(theirs, "撤回").click().run()
    logged = len(workspace.open_store(sample_url).log(None))
    button(mine, "撤回").click().run()
    [refused] = [error.value for error in mine.error]
    assert refused.startswith(plain(refusal_opening())) and "撤回" in refused, refused
    assert not mine.success
    store = workspace.open_store(sample_url)
    assert len(store.log(None)) == logged
    assert (store.versions_of("预算科", MONTH)["state"] == "withdrawn").sum() == 1
    assert button(mine, "恢复为当前")   # the page now shows the colleague's withdrawal


def test_a_restore_from_an_older_page_does_not_undo_a_colleagues(sample_url, tmp_path):
    store = workspace.open_store(sample_url)
    store.withdraw("预算科", MONTH, "王磊", "误传")
    [withdrawn] = store.versions_of("预算科", MONTH)["id"]
    mine, theirs = history_page(), history_page()
    button(theirs, "恢复为当前").click().run()
    assert [s.value for s in theirs.success]
    button(mine, "恢复为当前").click().run()
    assert [error.value for error in mine.error][0].startswith(plain(refusal_opening()))
    versions = workspace.open_store(sample_url).versions_of("预算科", MONTH)
    assert list(versions["state"]) == ["current"] and int(versions["id"].iloc[0]) == withdrawn


def test_an_undo_from_an_older_page_says_it_was_already_undone(sample_url):
    workspace.open_store(sample_url).decide("confirm", "资产管理科", "2024-11", dt.date(2024, 11, 7), "安全责任事故",
                                            "王磊", "经核实属实")
    mine, theirs = run("pages/veto.py", month=MONTH), run("pages/veto.py", month=MONTH)
    button(theirs, "撤销").click().run()
    button(mine, "撤销").click().run()
    assert plain(STORE_MESSAGES["already-undone"]) in [error.value for error in mine.error]

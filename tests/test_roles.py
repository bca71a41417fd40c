"""Issue 11 "Roles": which pages each role sees, a section account's own-section view of the year, and the refusal
of a return for another section, with real files and the sample year."""
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from analytics import account_store, workspace
from analytics.accounts import PAGE_ACTIONS, ROLES, Account, may_open, own_section
from analytics.intake.loader import load_uploaded
from analytics.store import Store
from sample_data.make_samples import content
from tests.conftest import PAGES, ROOT, sign_in_apptest
from tests.returns import layout_b_sheets, return_sheets, write_gbk_zip, write_workbook

# Written out again from the issue's role table: the pages each role sees in the navigation.
SEEN = {
    "office": {"overview", "tasks", "hygiene", "veto", "annual", "plan", "section", "reports", "upload", "settings", "audit",
               "ledger", "evidence"},
    "leader": {"overview", "tasks", "hygiene", "veto", "annual", "plan", "section", "reports", "upload", "ledger", "evidence"},
    "section": {"overview", "tasks", "hygiene", "veto", "annual", "plan", "section", "upload", "settings", "ledger", "evidence"},
}
OWN, OTHER = "国库科", "预算科"


@pytest.mark.parametrize("role", ROLES)
def test_the_pages_each_role_sees(role):
    assert {page for page in PAGE_ACTIONS if may_open(role, page)} == SEEN[role]
    assert not may_open("guest", "overview") and not may_open(role, "no-such-page")


def test_every_page_has_its_roles():
    assert {path.removeprefix("pages/").removesuffix(".py") for path in PAGES} <= set(PAGE_ACTIONS)


@pytest.mark.parametrize("account, section", [
    (None, None),                                               # desk mode: the whole bureau
    (Account("wmb", "文明办", "office"), None),
    (Account("ld", "领导", "leader"), None),
    (Account("gkk", "国库科", "section", OWN), OWN),
    (Account("nobody", "?", "section", None), ""),              # fails closed: no section is ""
    (Account("guest", "?", "guest", OWN), OWN),                 # an unknown role opens no page at all
])
def test_own_section(account, section):
    assert own_section(account) == section


@pytest.fixture(scope="module")
def sample_year(sample_database, tmp_path_factory) -> workspace.Year:
    """The sample year with a decision on the own section's event and one on another section's."""
    database = tmp_path_factory.mktemp("roles") / "dashboard.sqlite"
    shutil.copy(sample_database, database)
    store = Store(f"sqlite:///{database}")
    events = workspace.year(store, 2024).summary.events
    for action, section in (("confirm", OWN), ("dismiss", "资产管理科")):
        event = events[events["section"] == section].iloc[0]
        store.decide(action, section, event["month"], event["date"] or None, event["category"], "wmb", "核实")
    return workspace.year(store, 2024)


def test_a_section_accounts_year_holds_only_its_own_section(sample_year):
    own = sample_year.of_section(OWN)
    frames = {**{kind: own.records.of(kind) for kind in ("tasks", "inspections", "events", "bonus", "returns",
                                                           "decisions")},
              "section_months": own.summary.section_months, "events_decided": own.summary.events,
              "reasons": own.summary.reasons, "annual": own.summary.annual, "roster": own.roster.sections}
    for name, frame in frames.items():
        assert set(frame["section"]) <= {OWN}, name
    assert len(own.records.events) and len(own.records.decisions) and len(own.summary.reasons)  # it has its own
    assert own.roster.match(OTHER) is None and own.roster.match(OWN) == OWN


def test_a_section_accounts_figures_are_its_figures_in_the_whole_bureau(sample_year):
    """The section's own view gives the same figures as its rows in the bureau's (only its rank among one differs)."""
    own = sample_year.of_section(OWN).summary.section_months.drop(columns="rank").reset_index(drop=True)
    bureau = sample_year.summary.section_months
    expected = bureau[bureau["section"] == OWN].drop(columns="rank").reset_index(drop=True)
    assert own.equals(expected)
    assert own["month"].tolist() == sample_year.summary.months


def test_a_section_account_cannot_upload_another_sections_return(tmp_path, sample_year):
    own = write_workbook(tmp_path / f"{OWN}_2024年5月.xlsx", return_sheets(content(OWN, 5)))
    other = write_workbook(tmp_path / f"{OTHER}_2024年5月.xlsx", return_sheets(content(OTHER, 5)))
    both = write_workbook(tmp_path / "财政局_2024年5月.xlsx", layout_b_sheets([content(OWN, 5), content(OTHER, 5)]))
    uploads = [(path.name, path.read_bytes()) for path in (own, other, both)]
    result = load_uploaded(uploads, sample_year.roster, only_section=OWN)
    assert [report.status for report in result.reports] == ["imported", "rejected", "rejected"]
    refusal = [issue.message for issue in result.reports[1].errors]
    assert refusal == [f"本账号只能上传「{OWN}」的月报，该文件含「{OTHER}」的月报：整个文件未导入，请交由该科室上传或联系文明办"]
    assert [issue.code for issue in result.reports[2].errors] == ["not-own-section"]  # the whole file, own rows too
    for kind in ("tasks", "inspections", "returns"):
        assert set(result.of(kind)["section"]) == {OWN}, kind
    assert result.of("returns")["source_file"].tolist() == [own.name]
    # Without the restriction (an office account) the other section's return is read as usual.
    assert [r.status for r in load_uploaded(uploads[1:2], sample_year.roster).reports] == ["imported"]


def test_a_zip_with_another_sections_return_is_refused_whole(tmp_path, sample_year):
    own, other = (write_workbook(tmp_path / f"{s}_2024年5月.xlsx", return_sheets(content(s, 5))) for s in (OWN, OTHER))
    batch = write_gbk_zip(tmp_path / "五月月报.zip", {own.name: own.read_bytes(), other.name: other.read_bytes()})
    result = load_uploaded([(batch.name, batch.read_bytes())], sample_year.roster, only_section=OWN)
    assert {r.file.split("/")[-1]: [i.code for i in r.errors] for r in result.reports} == {
        own.name: ["not-own-upload"], other.name: ["not-own-section"]}
    assert result.of("returns").empty and result.of("tasks").empty


def test_the_original_of_a_return_from_a_zip_is_that_return_alone(tmp_path, sample_url):
    """下载原件 of one section's return that came in a zip with others gives its own workbook, not the zip."""
    own, other = (write_workbook(tmp_path / f"{s}_2025年1月.xlsx", return_sheets(content(s, 1, year=2025)))
                  for s in (OWN, OTHER))
    batch = write_gbk_zip(tmp_path / "一月月报.zip", {own.name: own.read_bytes(), other.name: other.read_bytes()})
    store, uploads = Store(sample_url), [(batch.name, batch.read_bytes())]
    store.import_batch(load_uploaded(uploads, workspace.roster_in_force(store)), uploads, who="wmb")
    for path in (own, other):
        version = store.versions_of(path.name.split("_")[0], "2025-01").iloc[0]
        assert store.return_of(int(version["id"])) == (f"{batch.name}/{path.name}", path.read_bytes())
    assert store.file_of(int(version["id"]))[1] == batch.read_bytes()  # the upload itself is kept whole


# Every page through app.py (AppTest), signed in per role --------------------------------------------------------

PUBLISHED = {"pages/overview.py", "pages/annual.py"}  # the bureau's published figures: every section named there
CHANGING = ("撤回", "恢复为当前", "保存认定", "补录", "撤销", "恢复", "确认替换名册", "校验并替换规则", "清除示例数据", "新建账号")


def everything_shown(at) -> str:
    """All a page shows: its text, widget labels and options, tables' and frames' cells, the charts' data."""
    shown = [e.value for kind in ("title", "subheader", "markdown", "caption", "info", "success", "error", "warning")
             for e in getattr(at, kind)]
    shown += [f"{w.label} {w.options}" for w in at.selectbox] + [w.label for w in [*at.button, *at.text_input]]
    shown += [frame.value.to_string() for frame in [*at.dataframe, *at.table]]
    shown += [chart.proto.spec for chart in at.get("plotly_chart")]
    return "\n".join(map(str, shown))


@pytest.fixture
def roles_store(sample_url, monkeypatch):
    store = Store(sample_url)
    for username, role, section in (("wmb", "office", None), ("ld", "leader", None), ("gkk", "section", OWN)):
        account_store.add_account(store, username, "a password", role, "test", store_sections(store), section)
    return store


def store_sections(store) -> list[str]:
    return list(workspace.roster_in_force(store).sections["section"])


@pytest.mark.parametrize("username, role", [("gkk", "section"), ("ld", "leader"), ("wmb", "office")])
def test_every_page_as_each_role(roles_store, monkeypatch, username, role):
    sign_in_apptest(monkeypatch, roles_store, username)
    # Names only another section's data would show ("办公室" is also a room's name in inspections: left out).
    others = [name for name in store_sections(roles_store) if name not in (OWN, "办公室")]
    for page in PAGES:
        if not may_open(role, page.removeprefix("pages/").removesuffix(".py")):
            continue  # only its address remains, answering with a refusal (test_roles_browser.py opens it)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        if page != "pages/overview.py":
            at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        shown = everything_shown(at)
        assert "本账号无权打开" not in shown and "本页出错" not in shown, (page, shown[:300])
        if role == "section" and page not in PUBLISHED:
            assert not [other for other in others if other in shown], (page, [o for o in others if o in shown])
        if role == "leader":
            assert not at.get("file_uploader") and not [b.label for b in at.button if b.label in CHANGING], page
        if role != "section" and page in ("pages/tasks.py", "pages/upload.py"):
            assert OTHER in shown, page  # every section's figures and status

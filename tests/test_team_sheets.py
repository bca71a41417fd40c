"""Inspection-team sheets (检查组检查表, issue 14 "Build" 6): real workbooks written with openpyxl, checked with the
returns' reader; their rows change sections' nine-no scores and never a submission; rejected whole with every
problem named; skipped when imported twice; withdrawn and restored; on 数据上传 and the command line."""
import datetime as dt
import io
import os
import subprocess
import sys

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from analytics import team_store, workspace
from analytics.config import DATABASE_URL_VARIABLE, SAMPLE_ROSTER
from analytics.intake.issues import issues_frame
from analytics.intake.loader import load_uploaded
from analytics.intake.roster import RosterError, load_roster, parse_roster
from analytics.intake.team import check_team_sheet
from analytics.store import Store
from tests.conftest import ROOT
from tests.returns import default_content, write_return

ITEMS = ["无烟头", "无纸屑", "无痰迹", "无杂物", "无乱写乱画", "厕所无臭味", "无蚊蝇", "无污水", "无脏物"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MARCH = [["预算科", dt.date(2024, 12, 3), "301室", *["×"] * 9, "检查组", ""],
         ["国库股", "2024-12-03", "302室", *["√"] * 4, *["×"] * 4, "—", "检查组", ""],   # an alias
         ["", "12月10日", "303室", *["√"] * 9, "检查组", ""]]                               # takes the unit above


def team_sheet(rows, header=("检查月份：2024年12月",), unit="被检查单位") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "检查记录"
    sheet.append(["市财政局检查组九无卫生检查表"])
    sheet.append(list(header))
    sheet.append([unit, "检查日期", "检查区域", *ITEMS, "检查人", "备注"])
    for row in rows:
        sheet.append(row)
    sheet.append(["检查人：王五"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_a_team_sheet(store: Store, who: str = "文明办", data: bytes | None = None) -> int | None:
    data = data or team_sheet(MARCH)
    check = check_team_sheet("检查组_2024年12月.xlsx", data, workspace.roster_in_force(store))
    assert check.accepted, check.report.issues
    return team_store.import_team_sheet(store, check, "检查组_2024年12月.xlsx", data, who)


def figures(store: Store):
    table = workspace.year(store, 2024).summary.section_months.set_index(["section", "month"])
    return table.loc[[("预算科", "2024-12"), ("国库科", "2024-12"), ("综合科", "2024-12")]]


def test_a_team_sheet_changes_two_sections_scores_but_neither_submission(sample_url):
    store = Store(sample_url)
    before, grid = figures(store), workspace.status_grid(workspace.year(store, 2024).summary.section_months)
    returns, versions = len(workspace.year(store, 2024).records.returns), len(store.versions_of())
    sheet_id = import_a_team_sheet(store)
    after = figures(store)
    # 预算科: its rows plus one row scoring 0; 国库科: plus 4 of 8 and 9 of 9; 综合科 is not on the sheet.
    for section in ("预算科", "国库科"):
        assert after.loc[(section, "2024-12"), "nine_no_score"] < before.loc[(section, "2024-12"), "nine_no_score"]
        assert after.loc[(section, "2024-12"), "score"] != before.loc[(section, "2024-12"), "score"]
    assert after.loc[("国库科", "2024-12"), "scored_rows"] == before.loc[("国库科", "2024-12"), "scored_rows"] + 2
    assert after.loc[("综合科", "2024-12")].equals(before.loc[("综合科", "2024-12")])
    assert after["submitted"].equals(before["submitted"]) and after["late"].equals(before["late"])
    assert workspace.status_grid(workspace.year(store, 2024).summary.section_months).equals(grid)
    assert (len(workspace.year(store, 2024).records.returns), len(store.versions_of())) == (returns, versions)
    assert store.log()["action"].iloc[0] == "team-sheet"
    # Withdrawn: the figures are back; restored: changed again. Once is all a state change can happen.
    team_store.withdraw_team_sheet(store, sheet_id, "文明办")
    assert figures(store).equals(before)
    with pytest.raises(team_store.StaleChoice, match="已撤回"):
        team_store.withdraw_team_sheet(store, sheet_id, "文明办")
    team_store.restore_team_sheet(store, sheet_id, "文明办")
    assert figures(store).equals(after)
    assert list(store.log()["action"].iloc[:3]) == ["team-restore", "team-withdraw", "team-sheet"]


def test_a_section_without_a_return_stays_unsubmitted_with_the_teams_hygiene_figure(empty_url, tmp_path):
    store = Store(empty_url)
    path = write_return(tmp_path / "预算科_2024年12月.xlsx", default_content("预算科", "2024-12"))
    uploads = [(path.name, path.read_bytes())]
    store.import_batch(load_uploaded(uploads, workspace.roster_in_force(store)), uploads, "文明办")
    import_a_team_sheet(store)
    row = figures(store).loc[("国库科", "2024-12")]
    assert not row["submitted"] and row["score"] == 0
    assert row["nine_no_score"] == pytest.approx((50 + 100) / 2)


def test_the_same_file_twice_is_skipped(empty_url):
    store = Store(empty_url)
    data = team_sheet(MARCH)  # openpyxl writes the time into the file: the same bytes are made once
    assert import_a_team_sheet(store, data=data) is not None
    assert import_a_team_sheet(store, data=data) is None
    sheets = team_store.team_sheets_of(store)
    assert len(sheets) == 1 and sheets["rows"].tolist() == [3] and sheets["sections"].tolist() == [["国库科", "预算科"]]


def test_a_bad_sheet_is_rejected_whole_naming_file_sheet_row_and_column():
    rows = [["预算科", dt.date(2024, 12, 3), "301室", *["√"] * 8, "?", "检查组", ""],     # a bad mark
            ["不存在科", dt.date(2024, 12, 3), "302室", *["√"] * 9, "检查组", ""],       # an unknown unit
            ["国库科", dt.date(2024, 11, 26), "303室", *["√"] * 9, "检查组", ""]]        # another month
    check = check_team_sheet("检查组_2024年12月.xlsx", team_sheet(rows), load_roster(SAMPLE_ROSTER))
    assert not check.accepted and check.inspections.empty
    found = {(i.sheet, i.row, i.column, i.cell): i.message for i in check.report.errors}
    assert set(found) == {("检查记录", 4, "无脏物", "L4"), ("检查记录", 5, "填报单位", "A5"), ("检查记录", 6, "检查日期", "B6")}
    assert "「?」，无法识别" in found[("检查记录", 4, "无脏物", "L4")]
    assert "「不存在科」，不在组织名册中" in found[("检查记录", 5, "填报单位", "A5")]
    assert "2024-11-26 不在检查月份 2024年12月 内" in found[("检查记录", 6, "检查日期", "B6")]
    shown = issues_frame([check.report])
    assert set(shown.iloc[:, 0]) == {"检查组_2024年12月.xlsx"}


def test_the_month_comes_from_the_dates_when_the_header_has_none():
    roster = load_roster(SAMPLE_ROSTER)
    one = check_team_sheet("检查表.xlsx", team_sheet(MARCH[:2], header=("",)), roster)
    assert one.accepted and one.month == "2024-12"
    rows = [MARCH[0], ["国库科", dt.date(2025, 1, 7), "302室", *["√"] * 9, "检查组", ""]]
    two = check_team_sheet("检查表.xlsx", team_sheet(rows, header=("",)), roster)
    assert [i.code for i in two.report.errors] == ["team-months"]
    assert "2024年12月、2025年1月" in two.report.errors[0].message


def test_a_sheet_without_a_unit_column_or_a_section_not_in_force_is_rejected():
    roster = load_roster(SAMPLE_ROSTER)
    no_unit = check_team_sheet("检查表.xlsx", team_sheet([row[1:] for row in MARCH], unit=None), roster)
    assert [i.code for i in no_unit.report.errors] == ["team-no-unit"]
    # 农业农村科 was abolished after 2024-09 (the sample roster's 撤销月份).
    gone = check_team_sheet("检查表.xlsx", team_sheet([["农业科", dt.date(2024, 12, 3), "401室", *["√"] * 9, "", ""]]), roster)
    assert [(i.code, i.row) for i in gone.report.errors] == [("team-not-in-force", 4)]


def test_the_upload_page_checks_imports_withdraws_and_restores(empty_url, monkeypatch):
    workspace.open_store(empty_url, sample=False).set_flag("bootstrapped", True)
    monkeypatch.setenv(DATABASE_URL_VARIABLE, empty_url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/upload.py").run()
    at.file_uploader(key="team_upload_0").set_value([("检查组_2024年12月.xlsx", team_sheet(MARCH), XLSX)]).run()
    assert not at.exception, at.exception
    assert any("校验通过：2024年12月，2 个科室，3 条检查记录" in s.value for s in at.success)
    next(b for b in at.button if b.label == "导入检查组检查表").click().run()
    assert not at.exception, at.exception
    store = Store(empty_url)
    assert team_store.team_sheets_of(store)["state"].tolist() == ["current"]
    next(b for b in at.button if b.label == "撤回").click().run()
    assert team_store.team_sheets_of(store)["state"].tolist() == ["withdrawn"]
    assert any("已撤回" in s.value for s in at.success)
    next(b for b in at.button if b.label == "恢复").click().run()
    assert team_store.team_sheets_of(store)["state"].tolist() == ["current"]


def test_the_command_line_imports_a_sheet_once_and_refuses_a_bad_one(empty_url, tmp_path):
    good, bad = tmp_path / "检查组_2024年12月.xlsx", tmp_path / "检查组_错.xlsx"
    good.write_bytes(team_sheet(MARCH))
    bad.write_bytes(team_sheet([["不存在科", dt.date(2024, 12, 3), "301室", *["√"] * 9, "", ""]]))
    env = {**os.environ, DATABASE_URL_VARIABLE: empty_url}

    def run(path):
        return subprocess.run([sys.executable, "-m", "analytics", "team-sheet", str(path)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
    first, again, refused = run(good), run(good), run(bad)
    assert (first.returncode, first.stdout.strip()) == (0, "已导入：2024-12，2 个科室，3 条检查记录"), first.stderr
    assert (again.returncode, again.stdout.strip()) == (0, "该文件已导入过，未重复导入")
    assert refused.returncode == 1 and "第4行「填报单位」为「不存在科」" in refused.stdout
    assert len(team_store.team_sheets_of(Store(empty_url))) == 1


def test_a_sheet_first_sent_as_a_return_and_refused_can_still_be_imported_as_a_sheet(empty_url, tmp_path):
    store, data = Store(empty_url), team_sheet(MARCH)
    path = write_return(tmp_path / "预算科_2024年12月.xlsx", default_content("预算科", "2024-12"))
    uploads = [(path.name, path.read_bytes()), ("检查组_2024年12月.xlsx", data)]
    result = load_uploaded(uploads, workspace.roster_in_force(store))
    assert [report.status for report in result.reports] == ["imported", "rejected"]   # no tasks table: not a return
    assert store.import_batch(result, uploads, "文明办")["files"] == 2
    assert team_store.stored_file(store, data) is None
    assert import_a_team_sheet(store, data=data) is not None
    assert team_store.stored_file(store, data) is not None and store.counts()["files"] == 2


def test_a_section_renamed_in_the_roster_keeps_its_team_inspections(sample_url):
    store = Store(sample_url)
    import_a_team_sheet(store)
    kept = figures(store).loc[("预算科", "2024-12"), "nine_no_score"]
    text = SAMPLE_ROSTER.with_suffix(".csv").read_bytes().decode("gb18030")
    renamed = text.replace("\n预算科,", "\n预算管理科,", 1).encode("gb18030")
    assert renamed != text.encode("gb18030")
    workspace.replace_roster(store, "新名册.csv", renamed, "文明办", {"预算科": ("rename", "预算管理科")})
    table = workspace.year(store, 2024).summary.section_months.set_index(["section", "month"])
    assert table.loc[("预算管理科", "2024-12"), "nine_no_score"] == kept
    assert set(team_store.team_inspections_of(store, "2024-01", "2024-12")["section"]) >= {"预算管理科"}
    assert "预算科" not in set(team_store.team_inspections_of(store, "2024-01", "2024-12")["section"])


def test_a_section_with_only_team_sheet_rows_is_asked_its_fate_and_renamed_keeps_them(empty_url):
    """A roster dropping a section that holds only an inspection team's rows (no return, no decision) asks what became
    of it; renamed, its rows follow it (found by tests/test_sequences.py: they were left under the old name)."""
    store = Store(empty_url)
    import_a_team_sheet(store)
    text = SAMPLE_ROSTER.with_suffix(".csv").read_bytes().decode("gb18030")
    renamed = text.replace("\n预算科,", "\n预算管理科,", 1).encode("gb18030")
    gone = workspace.dropped_sections(store, parse_roster(renamed, "新名册.csv"))
    assert gone[["section", "suggested"]].values.tolist() == [["预算科", None]]
    with pytest.raises(RosterError):
        workspace.replace_roster(store, "新名册.csv", renamed, "文明办")
    workspace.replace_roster(store, "新名册.csv", renamed, "文明办", {"预算科": ("rename", "预算管理科")})
    assert set(team_store.team_inspections_of(store, "2024-12", "2024-12")["section"]) == {"预算管理科", "国库科"}

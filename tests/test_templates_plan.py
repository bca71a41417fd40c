"""Issue 12, templates and the plan's year: a month's templates are for the sections in force that month, named the
same from the 设置 page and the CLI; the bureau's standing tasks come prefilled and load back as filled in; a rules
file's 考核起始月份 keeps the months before it out of the annual score."""
import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from analytics import load_returns, workspace
from analytics.cli import main
from analytics.config import SAMPLE_RETURNS, SAMPLE_ROSTER
from analytics.intake.roster import build_roster, load_roster
from analytics.intake.template import (
    TemplateSettingsError,
    load_template_settings,
    month_templates,
    parse_template_settings,
    template_bytes,
)
from analytics.labels import NO_ANNUAL_SCORE
from analytics.rules import DEFAULT_RULES, RulesError, load_rules
from analytics.scoring import rules_table
from analytics.summary import summarize
from tests.conftest import ROOT

ROSTER = [["科室", "别名", "负责人", "类别", "设立月份", "撤销月份"],
          ["办公室", "", "陈建国", "科室", "", ""],
          ["绩效评价科", "", "孙平", "科室", "2024年7月", ""],         # set up in July
          ["农业农村科", "", "周涛", "科室", "", "2024年9月"],         # September is its last month
          ["信息中心", "", "吴敏", "直属单位", "2024年3月", "2024年5月"]]

SETTINGS = """
[[tasks]]
area = "文明城市创建"
task = "义务洁城日活动"
planned = 1
deployed = true

[[tasks]]
area = "环境卫生与硬件建设"
task = "每周二卫生大扫除"
planned = 4
"""


@pytest.mark.parametrize(("month", "sections"), [
    ("2024-02", ["办公室", "农业农村科"]),
    ("2024-03", ["办公室", "农业农村科", "信息中心"]),
    ("2024-06", ["办公室", "农业农村科"]),
    ("2024-07", ["办公室", "绩效评价科", "农业农村科"]),
    ("2024-09", ["办公室", "绩效评价科", "农业农村科"]),
    ("2024-10", ["办公室", "绩效评价科"]),
])
def test_a_months_templates_are_for_the_sections_in_force_that_month(month, sections):
    names = month_templates(build_roster(ROSTER, "名册.xlsx").sections, month)
    label = f"{int(month[:4])}年{int(month[5:])}月"
    assert names == {section: f"{section}_{label}.xlsx" for section in sections}


def test_the_cli_writes_templates_only_for_the_sections_in_force(tmp_path, capsys):
    assert main(["template", "--roster", str(SAMPLE_ROSTER), "--month", "2024-10", "--out", str(tmp_path / "oct")]) == 0
    written = sorted(p.name for p in (tmp_path / "oct").iterdir())
    assert len(written) == 20 and "绩效评价科_2024年10月.xlsx" in written
    assert not [name for name in written if name.startswith("农业农村科")]
    assert main(["template", "--roster", str(SAMPLE_ROSTER), "--month", "2024-07", "--out", str(tmp_path / "jul")]) == 0
    assert len(list((tmp_path / "jul").iterdir())) == 21
    capsys.readouterr()
    assert main(["template", "--roster", str(SAMPLE_ROSTER), "--month", "2024-10", "--section", "农业农村科",
                 "--out", str(tmp_path / "one")]) == 2
    assert "「农业农村科」2024-10 不在名册中（未设立或已撤销），不发模板" in capsys.readouterr().err


def fill_counts(data: bytes, done: dict) -> bytes:
    """A section's clerk types the 完成数 of the given 序号 rows, as in Excel."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["任务完成情况"]
    for row in sheet.iter_rows(min_row=4):
        if row[0].value in done:
            row[4].value = done[row[0].value]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_standing_tasks_are_prefilled_and_load_back_as_filled_in(tmp_path):
    settings = parse_template_settings(SETTINGS.encode("utf-8"), "模板设置.toml")
    data = template_bytes("预算科", "2024-03", settings)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["任务完成情况"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4, max_row=5)] == [
        [1, "文明城市创建", "义务洁城日活动", 1, None, "是", None],
        [2, "环境卫生与硬件建设", "每周二卫生大扫除", 4, None, "否", None]]
    assert sheet["A35"].value == 32  # 30 blank rows still follow the standing tasks
    path = tmp_path / "预算科_2024年3月.xlsx"
    path.write_bytes(fill_counts(data, {1: 0, 2: 4}))
    result = load_returns([path], load_roster(SAMPLE_ROSTER))
    (report,) = result.reports
    assert (report.status, report.errors, report.warnings) == ("imported", [], [])
    assert list(result.tasks[["area", "task", "planned", "done", "deployed"]].itertuples(index=False, name=None)) == [
        ("文明城市创建", "义务洁城日活动", 1, 0, True), ("环境卫生与硬件建设", "每周二卫生大扫除", 4, 4, False)]
    summary = summarize(result, load_roster(SAMPLE_ROSTER).sections, load_rules())
    assert summary.reasons["reason"].tolist() == ["未完成市文明办部署任务：义务洁城日活动"]  # deployed, read back as such


def test_the_bundled_settings_have_no_standing_tasks():
    assert load_template_settings().tasks == ()
    sheet = openpyxl.load_workbook(io.BytesIO(template_bytes("预算科", "2024-03")))["任务完成情况"]
    assert [cell.value for cell in sheet[4]] == [1, None, None, None, None, None, None]


@pytest.mark.parametrize(("text", "problem"), [
    ('task = "x"', "未知设置项「task」（只可有 tasks）"),
    ('tasks = "义务洁城日"', "「tasks」应为任务列表，每项一节 [[tasks]]"),
    ('[[tasks]]\narea = "文明创建"\ntask = "x"\nplanned = 1', "第1项任务：创建内容 area 为「文明创建」：应为"),
    ('[[tasks]]\narea = "文化活动"\ntask = " "\nplanned = 1', "第1项任务：工作任务 task 不能为空"),
    ('[[tasks]]\narea = "文化活动"\ntask = "x"\nplanned = -1', "第1项任务：计划数 planned 为 -1：应为 0 或正整数"),
    ('[[tasks]]\narea = "文化活动"\ntask = "x"\nplanned = 1\ndeployed = "是"', "deployed 为 '是'：应为 true 或 false"),
    ('[[tasks]]\narea = "文化活动"\ntask = "x"\nplanned = 1\ndone = 1', "第1项任务：未知字段「done」"),
    ("tasks = [", "模板设置文件「模板设置.toml」格式有误"),
])
def test_a_bad_settings_file_says_what_to_fix(text, problem):
    with pytest.raises(TemplateSettingsError, match="^模板设置文件「模板设置.toml」") as raised:
        parse_template_settings(text.encode("utf-8"), "模板设置.toml")
    assert problem in str(raised.value)


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """Every download button's file name → bytes, as a browser would get them on a click."""
    made, add = {}, MediaFileManager.add

    def record(self, path_or_data, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = path_or_data
        return add(self, path_or_data, mimetype, coordinates, file_name, **kwargs)
    monkeypatch.setattr(MediaFileManager, "add", record)
    return made


def settings_page(month: str, section: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/settings.py").run()
    at.text_input(key="template_month").set_value(month).run()
    if section:
        at.selectbox(key="template_section").set_value(section).run()
    assert not at.exception, at.exception
    return at


def test_the_settings_page_names_and_fills_templates_as_the_cli_does(sample_url, tmp_path, downloads):
    """Two sections whose names come out alike once made safe (A/B, A_B): the page's one-section download is named as
    the CLI names that section's file, and both leave out a section not yet set up."""
    roster = openpyxl.load_workbook(SAMPLE_ROSTER)
    roster.active.append(["A/B", "", "", "科室"])
    roster.active.append(["A_B", "", "", "科室"])
    path = tmp_path / "名册.xlsx"
    roster.save(path)
    store = workspace.open_store(sample_url)
    workspace.replace_roster(store, path.name, path.read_bytes(), "文明办")
    assert main(["template", "--roster", str(path), "--month", "2024-03", "--out", str(tmp_path / "cli")]) == 0
    from_cli = {p.name: p.read_bytes() for p in (tmp_path / "cli").iterdir()}

    at = settings_page("2024-03", "A_B")
    assert "绩效评价科" not in at.selectbox(key="template_section").options
    assert "A_B(2)_2024年3月.xlsx" in downloads and "A_B(2)_2024年3月.xlsx" in from_cli
    bundle = zipfile.ZipFile(io.BytesIO(downloads["月报模板_2024-03.zip"]))
    assert sorted(bundle.namelist()) == sorted(from_cli)

    upload = at.file_uploader(key="template_settings_upload")
    upload.upload("模板设置.toml", SETTINGS.encode("utf-8"), "application/toml").run()
    at.button[[b.label for b in at.button].index("校验并替换模板设置")].click().run()
    assert not at.exception and "模板设置已替换为「模板设置.toml」：预填常设任务 2 项。" in [s.value for s in at.success]
    downloads.clear()
    settings_page("2024-03", "预算科")
    sheet = openpyxl.load_workbook(io.BytesIO(downloads["预算科_2024年3月.xlsx"]))["任务完成情况"]
    assert [sheet["C4"].value, sheet["C5"].value] == ["义务洁城日活动", "每周二卫生大扫除"]
    assert store.log(limit=1)["action"].tolist() == ["template"]


def rules_with(tmp_path, line: str):
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    path = tmp_path / "年中起算.toml"
    path.write_text(text.replace("bonus_cap = 10\n", f"bonus_cap = 10\n{line}\n"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sample_year():
    roster = load_roster(SAMPLE_ROSTER)
    return load_returns([SAMPLE_RETURNS], roster), roster


def test_the_annual_score_counts_only_the_months_from_the_start_month(sample_year, tmp_path):
    result, roster = sample_year
    rules = load_rules(rules_with(tmp_path, 'start_month = "2024-07"'))
    assert rules.start_month == "2024-07" and load_rules().start_month is None
    default = summarize(result, roster.sections, load_rules())
    started = summarize(result, roster.sections, rules)
    months = default.section_months
    # The months before July drop out of the mean; they are not counted as 0.
    expected = months[months["month"] >= "2024-07"].groupby("section")["score"].mean()
    from_january = months.groupby("section")["score"].mean()
    got = started.annual.set_index("section")["annual_score"]
    assert got.to_dict() == pytest.approx(expected.to_dict())
    assert default.annual.set_index("section")["annual_score"].to_dict() == pytest.approx(from_january.to_dict())
    assert got.to_dict() != pytest.approx(from_january.to_dict())
    assert ("考核起始月份", "2024-07（此前月份不计入年度得分）") in rules_table(rules).itertuples(index=False, name=None)
    assert "考核起始月份" not in set(rules_table(load_rules())["规则"])


def test_a_section_with_no_month_from_the_start_month_has_no_annual_score(sample_year, tmp_path):
    result, roster = sample_year
    rules = load_rules(rules_with(tmp_path, 'start_month = "2024-10"'))
    annual = summarize(result, roster.sections, rules).annual.set_index("section")
    assert len(annual) == len(roster.sections)
    assert pd.isna(annual.loc["农业农村科", "annual_score"]) and annual.loc["农业农村科", "reason"] == NO_ANNUAL_SCORE
    assert annual["annual_score"].notna().sum() == len(roster.sections) - 1


@pytest.mark.parametrize("value", ['"2024-7"', '"2024年7月"', "202407", '"2024-13"', "true"])
def test_a_bad_start_month_is_refused_in_chinese(tmp_path, value):
    with pytest.raises(RulesError, match="「score.start_month」（考核起始月份）为 .*：应为“年-月”，如 \"2024-07\""):
        load_rules(rules_with(tmp_path, f"start_month = {value}"))



def test_the_readme_counts_the_sample_roster_and_its_examples_write_outside_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sections = load_roster(SAMPLE_ROSTER).sections
    kinds = sections["kind"].value_counts()
    said = re.search(r"a bureau of (\d+) sections and directly affiliated\s+units on its roster \((\d+) 科室 and (\d+) 直属单位",
                     readme)
    assert said and [int(n) for n in said.groups()] == [len(sections), kinds["科室"], kinds["直属单位"]]
    in_force = {len(month_templates(sections, f"2024-{m:02d}")) for m in range(1, 13)}
    assert re.search(rf"{min(in_force)} or {max(in_force)} are in force in a month", readme)
    examples = re.findall(r"^    (?:\S+=\S+ )?python -m analytics .*$", readme, flags=re.M)
    written = [path for line in examples for path in re.findall(r"--json ([^\s\]]+)", line) if path != "OUT.json"]
    assert written and all(path.startswith("/tmp/") for path in written), written

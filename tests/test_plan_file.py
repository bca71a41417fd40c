"""Issue 14 "Build" 1 and 7: the plan as data. The bundled 2024 plan covers the seven areas and the 六个一; a plan file's
errors are named in Chinese, item by item; `python -m analytics plan check` validates one; 设置 puts a checked plan in
force through the same path as the rules, the one before restorable."""
import datetime as dt
import subprocess
import sys

import pytest

from analytics import labels, labels_plan, workspace
from analytics.intake.vocab import AREA_NAMES
from analytics.plan import DEFAULT_PLAN, PlanError, When, load_plan, name_key
from pages._shared import plain
from tests.conftest import ROOT
from tests.test_polish import run

ITEM = '[[items]]\nname = "{name}"\narea = "{area}"\nwho = "{who}"\nwhen = {when}\nwords = "计划原文"\n{extra}\n'


def plan_text(*items: dict, year: str = "2024") -> str:
    defaults = {"name": "道德讲堂", "area": "思想道德建设", "who": "全局", "when": '"每月"', "extra": ""}
    return f"year = {year}\n" + "".join(ITEM.format(**{**defaults, **item}) for item in items)


def problems_of(tmp_path, text: str, name: str = "计划.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as refused:
        load_plan(path)
    return str(refused.value)


def test_the_bundled_plan_covers_the_seven_areas_and_the_six_ones():
    plan = load_plan()
    assert plan.year == 2024 and plan.source == DEFAULT_PLAN.name
    assert {item.area for item in plan.items} == set(AREA_NAMES)
    assert [item.six_ones for item in plan.items if item.six_ones] == list(labels_plan.PLAN_SIX_ONES)
    assert all(item.who == "bureau" for item in plan.items if item.six_ones)
    assert {item.name for item in plan.items if item.deployed} >= {"义务洁城日活动", "千名志愿者学雷锋志愿服务集中行动"}
    assert plan.item_of("  “最美财政人”宣传 ").name.startswith("“践行核心价值观")   # an alias, quotes and spaces aside
    assert plan.item_of("签订 党风廉政建设责任书（科室）") is None                   # a name with more words is not it
    assert plan.item_of("周二环境卫生清洁").when.times(2024, 1) == 5                   # five Tuesdays in January 2024


@pytest.mark.parametrize("value, when", [
    ('"每月"', When("monthly")), ('"每周二"', When("weekly", weekday=1)), ('"每周日"', When("weekly", weekday=6)),
    ('"3月"', When("month", month=3)), ('"６月底前"', When("by_month", month=6)), ('"6月前"', When("by_month", month=6)),
    ("2024-03-05", When("date", month=3, day=dt.date(2024, 3, 5))),
    ('"2024-3-5"', When("date", month=3, day=dt.date(2024, 3, 5)))])
def test_the_forms_of_when(value, when, tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(plan_text({"when": value}), encoding="utf-8")
    assert load_plan(path).items[0].when == when


@pytest.mark.parametrize("item, said", [
    ({"area": "文艺活动"}, "第 1 项「道德讲堂」：创建内容「文艺活动」不是七项之一（宣传教育与干部培训、"),
    ({"when": '"每周八"'}, "第 1 项「道德讲堂」：when 为「每周八」，无法识别：应为日期（如 2024-03-05）"),
    ({"when": '"13月"'}, "when 为「13月」，无法识别"),
    ({"when": '"2024-02-30"'}, "when 为「2024-02-30」，无法识别"),
    ({"when": "2023-03-05"}, "when 的日期 2023-03-05 不在计划年度 2024 年内"),
    ({"when": "3"}, "when 为「3」，无法识别"),
    ({"who": "局办公室"}, "who 为「局办公室」：应为「全局」或「各科室」"),
    ({"extra": 'six_ones = "一灯"'}, "six_ones 为「一灯」：应为六个一之一（一堂、一队、一牌、一桌、一传播、一帮扶）"),
    ({"extra": "deployed = \"是\""}, "deployed 应为 true 或 false"),
    ({"extra": 'aliases = "讲堂"'}, "aliases 应为文字列表"),
    ({"extra": 'owner = "办公室"'}, "未知的项「owner」"),
])
def test_a_plan_files_errors_are_named_in_chinese(item, said, tmp_path):
    message = problems_of(tmp_path, plan_text(item))
    assert message.startswith("计划文件「计划.toml」有误：") and said in message, message


def test_every_problem_is_listed_with_its_item(tmp_path):
    message = problems_of(tmp_path, plan_text(
        {}, {"name": "道德讲堂活动", "extra": 'six_ones = "一堂"'}, {"name": "学雷锋", "extra": 'six_ones = "一堂"'},
        {"name": "周二清洁", "area": "卫生", "when": '"每周"'}, year="24"))
    for part in ("year 应为 2000 到 2099 之间的年份，现为 24", "第 4 项「周二清洁」：创建内容「卫生」不是七项之一",
                 "第 4 项「周二清洁」：when 为「每周」，无法识别", "第 3 项「学雷锋」：六个一「一堂」已由第 2 项给出"):
        assert part in message, message


def test_a_name_may_mean_one_item_only(tmp_path):
    message = problems_of(tmp_path, plan_text({}, {"name": "讲堂", "extra": 'aliases = ["“道德讲堂”"]'}))
    assert "第 2 项「讲堂」：与第 1 项同名或别名相同（「“道德讲堂”」）" in message and name_key("“道德讲堂”") == "道德讲堂"


def test_a_missing_key_and_not_a_plan(tmp_path):
    assert "第 1 项「」：缺少 name（事项名称）" in problems_of(tmp_path, 'year = 2024\n[[items]]\narea = "文化活动"\n'
                                                                   'who = "全局"\nwhen = "3月"\nwords = "原文"\n')
    assert "没有任何计划事项" in problems_of(tmp_path, "year = 2024\n")
    assert problems_of(tmp_path, "year = \n").startswith("计划文件「计划.toml」格式有误")
    (tmp_path / "名册.toml").write_bytes("科室,别名\n预算科,预算\n".encode("gb18030"))
    with pytest.raises(PlanError, match="不是 UTF-8 编码的文本文件"):
        load_plan(tmp_path / "名册.toml")


def check(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", "plan", "check", *argv], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_plan_check_on_the_command_line(tmp_path, sample_url):
    good = check(str(DEFAULT_PLAN))
    plan = load_plan()
    assert good.returncode == 0 and good.stdout.strip() == labels_plan.PLAN_CHECKED.format(
        name=DEFAULT_PLAN.name, digest=plan.digest, year=2024, items=len(plan.items), six_ones=6, deployed=3)
    (tmp_path / "坏计划.toml").write_text(plan_text({"area": "文艺活动"}), encoding="utf-8")
    bad = check(str(tmp_path / "坏计划.toml"))
    assert bad.returncode == 1 and "第 1 项「道德讲堂」：创建内容「文艺活动」不是七项之一" in bad.stderr, bad.stderr
    assert check(str(tmp_path / "没有.toml")).returncode == 2
    in_force = check()   # the plan in force in WENMING_DB_URL's store: the bundled one
    assert in_force.returncode == 0 and plan.digest in in_force.stdout


def test_the_settings_page_puts_a_checked_plan_in_force(sample_url, tmp_path):
    at = run("pages/settings.py")
    store = workspace.open_store(sample_url)
    name, data = workspace.plan_file(store)
    assert name == DEFAULT_PLAN.name and data == DEFAULT_PLAN.read_bytes()

    def upload(file_name: str, content: bytes):
        at.file_uploader(key="plan_upload").set_value([(file_name, content, "text/plain")]).run()
        at.button(key="plan_replace").click().run()
        assert not at.exception

    upload("坏计划.toml", plan_text({"when": '"每周八"'}).encode())
    assert any("when 为「每周八」，无法识别" in error.value for error in at.error)
    assert workspace.plan_in_force(store).source == DEFAULT_PLAN.name           # nothing changed
    upload(DEFAULT_PLAN.name, data)
    assert [w.value for w in at.main.warning] == [plain(labels.SAME_CHECKED_FILE.format(name=DEFAULT_PLAN.name, label="计划"))]
    upload("2024计划（修订）.toml", plan_text({}, {"name": "三八妇女节活动", "area": "文化活动", "when": '"3月"'}).encode())
    plan = workspace.plan_in_force(store)
    assert plan.source == "2024计划（修订）.toml" and [item.name for item in plan.items] == ["道德讲堂", "三八妇女节活动"]
    assert any("计划已替换为「2024计划（修订）.toml」" in s.value for s in at.success)
    assert "2024计划（修订）.toml" in store.log(None)["detail"].tolist()
    at.run()
    next(b for b in at.button if b.key and b.key.startswith("restore_plan_")).click().run()   # back to the bundled plan
    assert workspace.plan_in_force(store).digest == load_plan().digest

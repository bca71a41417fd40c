"""The rules file: the defaults of DOMAIN.md, checked on load, named on every figure."""
import pytest

from analytics.rules import DEFAULT_RULES, RulesError, load_rules
from analytics.summary import summarize
from tests import tables as t


def test_defaults_are_domain_md():
    rules = load_rules()
    assert (rules.completion_points, rules.hygiene_points, rules.bonus_cap, rules.due_day, rules.places, rules.floor,
            rules.deployed_shortfall) == (60, 30, 10, 5, 3, 80, True)
    assert rules.bonus_points == {"职称考试": 2, "注册会计师": 3, "表彰奖励": 2, "信息宣传": 1}


def edited(tmp_path, old, new):
    path = tmp_path / "规则.toml"
    path.write_text(DEFAULT_RULES.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, message", [
    ("completion_points = 60", "completon_points = 60", "未知规则项「score.completon_points」"),
    ("completion_points = 60", "", "缺少规则项「score.completion_points」（任务完成分值）"),
    ("due_day = 5", "due_day = 35", "「submission.due_day」（报送截止日）为 35：应在 1 到 28 之间"),
    ("due_day = 5", "due_day = 5.5", "「submission.due_day」（报送截止日）为 5.5：应为数字"),
    ("deployed_shortfall = true", 'deployed_shortfall = "是"', "应为true 或 false"),
    ('"信息宣传" = 1', '"信息宣传" = 1\n"优秀党员" = 2', "未知规则项「bonus_points.优秀党员」"),
    ("[honours]", "[honors]", "未知规则项「honors」"),
    ("floor = 80", "floor = ", "格式有误"),
])
def test_a_bad_rules_file_says_what_to_fix(tmp_path, old, new, message):
    with pytest.raises(RulesError, match=message):
        load_rules(edited(tmp_path, old, new))


def test_changed_rules_change_the_score_and_are_named(tmp_path):
    path = edited(tmp_path, "completion_points = 60", "completion_points = 70")
    rules = load_rules(path)
    summary = summarize(t.batch([("A", "2024-03", 2, 1)], [("A", "2024-03", "室", "√" * 9)]), t.sections("A"), rules)
    assert summary.section_months["score"].tolist() == [70 * 0.5 + 30]
    assert summary.section_months.attrs["rules"] == f"规则.toml（{rules.digest}）" != load_rules().label


def test_unreadable_rules_file(tmp_path):
    with pytest.raises(RulesError, match="无法读取"):
        load_rules(tmp_path / "none.toml")

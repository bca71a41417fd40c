"""The scoring rules (量化考核): a TOML file checked on load, named on every figure it produces."""
import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from analytics.intake import vocab

DEFAULT_RULES = Path(__file__).with_name("default_rules.toml")

# Section → key → (type, lowest, highest, Chinese name). The file must give exactly these keys.
_SCHEMA = {
    "score": {"completion_points": (float, 0, 100, "任务完成分值"), "hygiene_points": (float, 0, 100, "九无卫生分值"),
              "bonus_cap": (float, 0, 100, "每月加分上限")},
    "bonus_points": {category: (float, 0, 100, f"{category}加分") for category in vocab.BONUS_CATEGORIES},
    "veto": {"deployed_shortfall": (bool, None, None, "未完成部署任务即否决")},
    "submission": {"due_day": (int, 1, 28, "报送截止日")},
    "honours": {"places": (int, 0, 100, "先进集体名额"), "floor": (float, 0, 100, "先进分数线")},
}


class RulesError(Exception):
    """The rules file cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Rules:
    completion_points: float
    hygiene_points: float
    bonus_cap: float
    bonus_points: dict
    deployed_shortfall: bool
    due_day: int
    places: int
    floor: float
    source: str                 # the file's name
    digest: str                 # first 8 hex digits of its SHA-256

    @property
    def label(self) -> str:
        """How every figure names its rules: 规则 default_rules.toml（3f2a9c1b）."""
        return f"{self.source}（{self.digest}）"


def load_rules(path=None) -> Rules:
    """Read and check a rules file; without a path, the defaults of DOMAIN.md."""
    path = Path(path) if path else DEFAULT_RULES
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RulesError(f"规则文件「{path}」无法读取：{error.strerror or error}") from None
    return parse_rules(data, path.name)


def parse_rules(data: bytes, name: str) -> Rules:
    """Check rules given as a file's bytes and name (an upload)."""
    path = Path(name)
    try:
        table = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise RulesError(f"规则文件「{path.name}」格式有误：{error}") from None
    values, problems = {}, []
    for section in table.keys() - _SCHEMA.keys():
        problems.append(f"未知规则项「{section}」")
    for section, keys in _SCHEMA.items():
        given = table.get(section, {})
        if not isinstance(given, dict):
            problems.append(f"「{section}」应为一节（[{section}]）")
            continue
        problems += [f"未知规则项「{section}.{key}」" for key in given.keys() - keys.keys()]
        for key, (kind, low, high, name) in keys.items():
            if key not in given:
                problems.append(f"缺少规则项「{section}.{key}」（{name}）")
                continue
            value = given[key]
            if kind is bool and not isinstance(value, bool) or kind is not bool and (
                    isinstance(value, bool) or not isinstance(value, (int, float)) or kind is int and value != int(value)):
                problems.append(f"「{section}.{key}」（{name}）为 {value!r}：应为{'true 或 false' if kind is bool else '数字'}")
            elif low is not None and not low <= value <= high:
                problems.append(f"「{section}.{key}」（{name}）为 {value}：应在 {low} 到 {high} 之间")
            else:
                values[(section, key)] = kind(value)
    if problems:
        raise RulesError(f"规则文件「{path.name}」有误：" + "；".join(problems))
    return Rules(**{key: values[(section, key)] for section, keys in _SCHEMA.items() if section != "bonus_points"
                    for key in keys},
                 bonus_points={category: values[("bonus_points", category)] for category in vocab.BONUS_CATEGORIES},
                 source=path.name, digest=hashlib.sha256(data).hexdigest()[:8])

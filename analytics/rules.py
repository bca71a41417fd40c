"""The scoring rules (量化考核): a TOML file checked on load, named on every figure it produces."""
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from analytics import labels
from analytics.intake import vocab
from analytics.intake.messages import RULES_MESSAGES

DEFAULT_RULES = Path(__file__).with_name("default_rules.toml")

# Section → key → (type, lowest, highest, Chinese name). The file must give exactly these keys.
_NAME = vocab.RULE_NAMES
_SCHEMA = {
    "score": {"completion_points": (float, 0, 100, _NAME["completion_points"]),
              "hygiene_points": (float, 0, 100, _NAME["hygiene_points"]), "bonus_cap": (float, 0, 100, _NAME["bonus_cap"])},
    "bonus_points": {category: (float, 0, 100, RULES_MESSAGES["bonus-points"].format(category=category))
                     for category in vocab.BONUS_CATEGORIES},
    "veto": {"deployed_shortfall": (bool, None, None, _NAME["deployed_shortfall"])},
    "submission": {"due_day": (int, 1, 28, _NAME["due_day"])},
    "honours": {"places": (int, 0, 100, _NAME["places"]), "floor": (float, 0, 100, _NAME["floor"])},
}
# Keys a file may leave out: [score] start_month, the 考核起始月份 of a bureau that starts mid-year ("YYYY-MM").
_OPTIONAL = {"score": {"start_month"}}
_MONTH = re.compile(r"20\d\d-(0[1-9]|1[0-2])")


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
    start_month: str | None = None  # 考核起始月份: the annual score counts months from it (None: from January)

    @property
    def label(self) -> str:
        """How every figure names its rules: 规则 default_rules.toml（3f2a9c1b）."""
        return RULES_MESSAGES["label"].format(source=self.source, digest=self.digest)

    @property
    def title(self) -> str:
        """How the pages name the rules: 默认规则 · 35a047e4 for the bundled file (its very bytes), else the file's
        name · its digest."""
        bundled = self.digest == hashlib.sha256(DEFAULT_RULES.read_bytes()).hexdigest()[:8]
        return labels.RULES_TITLE.format(name=labels.DEFAULT_RULES_NAME if bundled else self.source, digest=self.digest)


def load_rules(path=None) -> Rules:
    """Read and check a rules file; without a path, the defaults of DOMAIN.md."""
    path = Path(path) if path else DEFAULT_RULES
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RulesError(RULES_MESSAGES["unreadable"].format(path=path, reason=error.strerror or error)) from None
    return parse_rules(data, path.name)


def parse_rules(data: bytes, name: str) -> Rules:
    """Check rules given as a file's bytes and name (an upload)."""
    path = Path(name)
    try:
        table = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise RulesError(RULES_MESSAGES["bad-format"].format(name=path.name, error=error)) from None
    values, problems = {}, []
    for section in table.keys() - _SCHEMA.keys():
        problems.append(RULES_MESSAGES["unknown-section"].format(section=section))
    for section, keys in _SCHEMA.items():
        given = table.get(section, {})
        if not isinstance(given, dict):
            problems.append(RULES_MESSAGES["not-a-section"].format(section=section))
            continue
        problems += [RULES_MESSAGES["unknown-key"].format(section=section, key=key)
                     for key in given.keys() - keys.keys() - _OPTIONAL.get(section, set())]
        for key, (kind, low, high, name) in keys.items():
            if key not in given:
                problems.append(RULES_MESSAGES["missing-key"].format(section=section, key=key, name=name))
                continue
            value = given[key]
            if kind is bool and not isinstance(value, bool) or kind is not bool and (
                    isinstance(value, bool) or not isinstance(value, (int, float)) or kind is int and value != int(value)):
                expected = RULES_MESSAGES["expected-bool" if kind is bool else "expected-number"]
                problems.append(RULES_MESSAGES["bad-type"].format(section=section, key=key, name=name, value=value,
                                                                  expected=expected))
            elif low is not None and not low <= value <= high:
                problems.append(RULES_MESSAGES["out-of-range"].format(section=section, key=key, name=name, value=value, low=low, high=high))
            else:
                values[(section, key)] = kind(value)
    start = table.get("score", {}).get("start_month") if isinstance(table.get("score"), dict) else None
    if start is not None and not (isinstance(start, str) and _MONTH.fullmatch(start)):
        problems.append(labels.RULES_BAD_START_MONTH.format(value=start))
    if problems:
        raise RulesError(RULES_MESSAGES["problems"].format(name=path.name, problems=RULES_MESSAGES["separator"].join(problems)))
    return Rules(**{key: values[(section, key)] for section, keys in _SCHEMA.items() if section != "bonus_points"
                    for key in keys},
                 bonus_points={category: values[("bonus_points", category)] for category in vocab.BONUS_CATEGORIES},
                 source=path.name, digest=hashlib.sha256(data).hexdigest()[:8], start_month=start)

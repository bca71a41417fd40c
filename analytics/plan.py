"""The year's work plan as data (issue 14): a TOML file (analytics/plan_2024.toml by default) of dated activities,
standing routines, the bureau's 六个一 and the city's deployed tasks, each with its area, who does it, when, and the
plan's own words; checked on load, every problem named in Chinese. A return's task is an item's where its name,
normalised (`name_key`), is the item's name or one of its aliases."""
import calendar
import datetime as dt
import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from analytics import labels_plan as words
from analytics.intake.vocab import AREA_NAMES

DEFAULT_PLAN = Path(__file__).with_name("plan_2024.toml")
_KEYS = {"name", "area", "who", "when", "deployed", "aliases", "six_ones", "words"}
_REQUIRED = ("name", "area", "who", "when", "words")
# Ignored when names are compared: spaces, quotes, brackets and the punctuation clerks put around an activity's name.
_NOT_IN_KEY = re.compile(f"[\\s{re.escape(words.PLAN_NAME_PUNCTUATION)}]+")


class PlanError(Exception):
    """The plan file cannot be used; the message names each item and what to fix."""


@dataclass(frozen=True)
class When:
    """When an item falls due: on a date, in a month, every month, every week on a weekday, or once by a month's end.
    `kind` is one of date, month, monthly, weekly, by_month."""
    kind: str
    month: int | None = None       # date, month, by_month
    day: dt.date | None = None     # date
    weekday: int | None = None     # weekly (Monday 0)

    def due_months(self, year: int) -> list[int]:
        """The months of `year` an item is due in: one for a date, a month or a deadline, all twelve otherwise."""
        return list(range(1, 13)) if self.kind in ("monthly", "weekly") else [self.month]

    def window(self, year: int, month: int) -> list[int]:
        """The months whose returns count for the item due in `month`: up to it for a deadline, else that month."""
        return list(range(1, month + 1)) if self.kind == "by_month" else [month]

    def times(self, year: int, month: int) -> int:
        """How many times the item is due in `month`: each `weekday` of it for a weekly one, else once."""
        if self.kind != "weekly":
            return 1
        return sum(1 for week in calendar.monthcalendar(year, month) if week[self.weekday])

    def __str__(self) -> str:
        if self.kind == "date":
            return self.day.isoformat()
        if self.kind == "weekly":
            return words.PLAN_EVERY_WEEK + words.PLAN_WEEKDAYS[self.weekday]
        if self.kind == "monthly":
            return words.PLAN_EVERY_MONTH
        return (words.PLAN_BY_MONTH if self.kind == "by_month" else words.PLAN_MONTH).format(month=self.month)


@dataclass(frozen=True)
class PlanItem:
    name: str
    area: str                  # one of the seven (vocab.AREA_NAMES)
    who: str                   # "bureau" (the bureau once) or "sections" (every section in force)
    when: When
    deployed: bool             # assigned by the city 文明办 (市文明办部署)
    aliases: tuple[str, ...]   # how sections write it in a return's 工作任务
    six_ones: str | None       # 一堂 … 一帮扶 for the bureau's 六个一, else None
    words: str                 # the plan's own words it comes from

    def matches(self, task: str) -> bool:
        """Whether a return's 工作任务 is this item (name_key of the name or an alias)."""
        return name_key(task) in {name_key(name) for name in (self.name, *self.aliases)}


@dataclass(frozen=True)
class Plan:
    year: int
    items: tuple[PlanItem, ...]
    source: str                # the file's name
    digest: str                # first 8 hex digits of its SHA-256

    def item_of(self, task: str) -> PlanItem | None:
        """The item a return's task is, or None."""
        return self._by_key.get(name_key(task))

    @property
    def _by_key(self) -> dict:
        return {name_key(name): item for item in self.items for name in (item.name, *item.aliases)}


def name_key(text: str) -> str:
    """A name as compared: NFKC, lower case, without spaces, quotes, brackets or punctuation."""
    return _NOT_IN_KEY.sub("", unicodedata.normalize("NFKC", str(text))).lower()


def load_plan(path=None) -> Plan:
    """Read and check a plan file (OSError where it cannot be read); without a path, the bundled 2024 plan."""
    path = Path(path) if path else DEFAULT_PLAN
    return parse_plan(path.read_bytes(), path.name)


def parse_plan(data: bytes, name: str) -> Plan:
    """Check a plan given as a file's bytes and name (an upload); PlanError lists every problem."""
    messages = words.PLAN_MESSAGES
    try:
        table = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise PlanError(messages["not-utf8"].format(name=name)) from None
    except tomllib.TOMLDecodeError as error:
        raise PlanError(messages["bad-format"].format(name=name, error=error)) from None
    problems = [messages["unknown-top"].format(key=key) for key in table.keys() - {"year", "items"}]
    year = table.get("year")
    if not (isinstance(year, int) and not isinstance(year, bool) and 2000 <= year <= 2099):
        problems.append(messages["bad-year"].format(value=year))
        year = None
    given = table.get("items")
    if not isinstance(given, list) or not given:
        problems.append(messages["no-items"])
        given = []
    items, names, six_ones = [], {}, {}
    for number, entry in enumerate(given, start=1):
        entry = entry if isinstance(entry, dict) else {}
        item_problems = _item_problems(entry, year)
        label = entry.get("name") if isinstance(entry.get("name"), str) else ""
        if not item_problems:
            item = _item(entry)
            for alias in (item.name, *item.aliases):
                if name_key(alias) in names:
                    item_problems.append(messages["same-name"].format(first=names[name_key(alias)], value=alias))
                names.setdefault(name_key(alias), number)
            if item.six_ones in six_ones:
                item_problems.append(messages["six-ones-twice"].format(value=item.six_ones, first=six_ones[item.six_ones]))
            six_ones.setdefault(item.six_ones, number) if item.six_ones else None
            items.append(item)
        problems += [messages["item"].format(number=number, name=label, problem=problem) for problem in item_problems]
    if problems:
        raise PlanError(messages["problems"].format(name=name, problems=messages["separator"].join(problems)))
    return Plan(year, tuple(items), name, hashlib.sha256(data).hexdigest()[:8])


def _item_problems(entry: dict, year: int | None) -> list[str]:
    messages = words.PLAN_MESSAGES
    problems = [messages["unknown-key"].format(key=key) for key in sorted(entry.keys() - _KEYS)]
    problems += [messages["missing"].format(key=key, what=words.PLAN_KEY_NAMES[key]) for key in _REQUIRED if key not in entry]
    for key in ("name", "area", "who", "words", "six_ones"):
        if key in entry and not (isinstance(entry[key], str) and entry[key].strip()):
            problems.append(messages["not-text"].format(key=key, value=entry[key]))
    if "deployed" in entry and not isinstance(entry["deployed"], bool):
        problems.append(messages["not-bool"].format(key="deployed", value=entry["deployed"]))
    aliases = entry.get("aliases", [])
    if not (isinstance(aliases, list) and all(isinstance(alias, str) and alias.strip() for alias in aliases)):
        problems.append(messages["not-list"].format(value=aliases))
    if isinstance(entry.get("area"), str) and entry["area"].strip() not in AREA_NAMES:
        problems.append(messages["unknown-area"].format(value=entry["area"], areas=words.PLAN_LIST_SEPARATOR.join(AREA_NAMES)))
    if isinstance(entry.get("who"), str) and entry["who"].strip() not in words.PLAN_WHO:
        problems.append(messages["unknown-who"].format(value=entry["who"]))
    if isinstance(entry.get("six_ones"), str) and entry["six_ones"].strip() not in words.PLAN_SIX_ONES:
        problems.append(messages["unknown-six-ones"].format(value=entry["six_ones"],
                                                            six_ones=words.PLAN_LIST_SEPARATOR.join(words.PLAN_SIX_ONES)))
    if "when" in entry:
        when = parse_when(entry["when"])
        if when is None:
            problems.append(messages["bad-when"].format(value=entry["when"], forms=words.PLAN_WHEN_FORMS))
        elif when.kind == "date" and year is not None and when.day.year != year:
            problems.append(messages["other-year"].format(value=when.day, year=year))
    return problems


def _item(entry: dict) -> PlanItem:
    six_ones = entry.get("six_ones")
    return PlanItem(name=entry["name"].strip(), area=entry["area"].strip(), who=words.PLAN_WHO[entry["who"].strip()],
                    when=parse_when(entry["when"]), deployed=entry.get("deployed", False),
                    aliases=tuple(alias.strip() for alias in entry.get("aliases", [])),
                    six_ones=six_ones.strip() if six_ones else None, words=entry["words"].strip())


_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_when(value) -> When | None:
    """A `when` of the plan file (a TOML date or one of words.PLAN_WHEN_FORMS) as a When; None if it is none."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return When("date", month=value.month, day=value)
    if not isinstance(value, str):
        return None
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    if match := _DATE.fullmatch(text):
        try:
            day = dt.date(*map(int, match.groups()))
        except ValueError:
            return None
        return When("date", month=day.month, day=day)
    if text == words.PLAN_EVERY_MONTH:
        return When("monthly")
    if text.startswith(words.PLAN_EVERY_WEEK) and len(text) == len(words.PLAN_EVERY_WEEK) + 1:
        day = words.PLAN_WEEKDAY_OTHER.get(text[-1], text[-1])
        return When("weekly", weekday=words.PLAN_WEEKDAYS.index(day)) if day in words.PLAN_WEEKDAYS else None
    for kind, pattern in words.PLAN_MONTH_FORMS.items():
        if (match := re.fullmatch(pattern, text)) and 1 <= int(match.group(1)) <= 12:
            return When(kind, month=int(match.group(1)))
    return None

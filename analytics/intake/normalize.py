"""Turn what clerks type into canonical values. Pure functions on one value; the loader applies them
once per distinct value of the combined tables (`parse_unique`), never cell by cell per file.

Parsers return (value, None) or (None, issue code).
"""
import datetime as dt
import re
import unicodedata
from functools import lru_cache

import pandas as pd

from analytics.intake import vocab
from analytics.periods import valid_month

_BRACKETED = re.compile(r"\([^()]*\)")
_SPACES = re.compile(r"\s+")
_BUREAU_PREFIX = re.compile(f"^.*?{re.escape(vocab.BUREAU)}")
_YEAR, _MONTH, _DAY = vocab.DATE_UNITS

# Line breaks and tabs (Word's Shift+Enter pastes a vertical tab, \v) and the characters XML 1.0 cannot hold
# (the other C0 controls, lone surrogates, U+FFFE/U+FFFF): one of them in a name made every .xlsx/.docx fail.
_BREAKS = "\t\n\r\v\f\x85\u2028\u2029"
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x85\u2028\u2029]")
_NAME_BREAKS = re.compile(f"[{_BREAKS}]+")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_AS_TYPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x85\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_NAME_CHANGES = re.compile("[\x00-\x1f\x85\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def text(value) -> str:
    """A cell as trimmed text: NFKC (full-width → half-width, NBSP → space), a line break or tab as a space,
    other control characters dropped, outer spaces removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    value = str(value)
    if not value.isprintable():  # the fast test: False for every control character (and for NBSP)
        value = _XML_ILLEGAL.sub("", _NAME_BREAKS.sub(" ", value))
    return unicodedata.normalize("NFKC", value).strip()


def display_text(value) -> str:
    """Free text as the clerk wrote it (Chinese punctuation kept), trimmed, NBSP as a space; any line break
    (\\v from Word, \\r\\n, U+2028) as Excel's own \\n, other control characters dropped."""
    if value is None or value != value:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    value = str(value)
    if not value.isprintable():
        value = _XML_ILLEGAL.sub("", _LINE_BREAKS.sub("\n", value))
    return value.replace("\u00a0", " ").strip()


def has_control_characters(value, name: bool = False) -> bool:
    """Whether text as typed holds a character `display_text` changes inside it (not just at its ends): a
    vertical tab, form feed, Unicode line separator or another control character XML cannot hold; for a
    `name` (read with `text`), also a line break or tab, which becomes a space."""
    pattern = _NAME_CHANGES if name else _NOT_AS_TYPED
    return isinstance(value, str) and not value.isprintable() and pattern.search(value.strip()) is not None


def xml_text(value: str) -> str:
    """A string XML 1.0 can hold: every exporter's last step before writing .xlsx, .docx, .html or .svg."""
    return value if value.isprintable() else _XML_ILLEGAL.sub("", value)


def xml_legal(value):
    """`value` with `xml_text` applied to every string inside it (dicts, lists, tuples)."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, dict):
        return {xml_legal(key): xml_legal(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(xml_legal(item) for item in value)
    return value


_UNSAFE_IN_FILE_NAME = re.compile(r'[/\\<>:"|?*]')
_INVISIBLE = ("Cc", "Cf", "Cs")  # controls, format characters (bidi overrides, zero widths), lone surrogates
_DOTS = re.compile(r"\.{2,}")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{port}{n}" for port in ("COM", "LPT") for n in range(10))}
FILE_NAME_BYTES = 120  # with a suffix such as _2024年10月.xlsx well inside the 255 bytes of a file name


def safe_file_name(name, max_bytes: int = FILE_NAME_BYTES) -> str:
    """A name (a section's, typed by a clerk) as one file or zip member name, safe on Windows, macOS and Linux:
    no path separators or ..; none of <>:"|?*; no control or invisible format characters; not hidden (a
    leading .) nor an Office lock file (~$), which the loader skips; not a reserved Windows device name
    (CON, NUL, COM1 …); no trailing dots or spaces; at most `max_bytes` in UTF-8; never empty."""
    value = _NAME_BREAKS.sub(" ", display_text(name))
    value = "".join(ch for ch in value if unicodedata.category(ch) not in _INVISIBLE)
    value = _DOTS.sub(".", _UNSAFE_IN_FILE_NAME.sub("_", value))
    value = value.lstrip(". ")
    if value.startswith("~$"):
        value = "~_" + value[2:]
    while len(value.encode("utf-8")) > max_bytes:
        value = value[:-1]
    head, dot, rest = value.rstrip(". ").partition(".")
    if unicodedata.normalize("NFKC", head).rstrip(" ").upper() in _RESERVED:  # CON.txt is CON too
        head += "_"
    return head + dot + rest or vocab.UNNAMED_FILE


def unique_file_names(stems, suffix: str) -> list[str]:
    """`safe_file_name(stem) + suffix` for each stem, a later name that would coincide with an earlier one
    (letter case aside, as on Windows) numbered (2), (3) …: no file overwrites another."""
    names, taken = [], set()
    for stem in stems:
        base = safe_file_name(stem)
        name, n = base + suffix, 1
        while name.casefold() in taken:
            n += 1
            name = f"{base}({n}){suffix}"
        taken.add(name.casefold())
        names.append(name)
    return names


@lru_cache(maxsize=65536)
def header_key(value) -> str:
    """A header cell compared whole: no spaces or line breaks, no bracketed unit (（次）, (人)), no *."""
    return _SPACES.sub("", _BRACKETED.sub("", text(value))).strip("*")


def name_key(value) -> str:
    """A section name as matched against the roster (DOMAIN.md "The roster")."""
    key = _SPACES.sub("", text(value))
    dropped = _BUREAU_PREFIX.sub("", key)
    if dropped.startswith("(") and dropped.endswith(")"):  # 市财政局（预算科）
        dropped = dropped[1:-1]
    return dropped or key


def value_key(value) -> str:
    """A short coded value (marks, 是/否, categories): NFKC, no spaces at all."""
    return _SPACES.sub("", text(value))


def is_blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


_COUNT = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*[\u4e00-\u9fff]{0,3}$")


def parse_count(value):
    """A planned or done count (RETURN_FORMAT.md accepted 4): 3, "３", " 3 ", "3次", "2 人", 3.0."""
    if isinstance(value, bool):
        return None, "not-a-number"
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        raw = _SPACES.sub("", text(value)).replace(",", "")
        if not raw:
            return None, "empty-count"
        match = _COUNT.match(raw)
        if not match:
            return None, "not-a-number"
        number = float(match.group(1))
    if number != number or number in (float("inf"), float("-inf")):
        return None, "not-a-number"
    if number < 0:
        return None, "negative-count"
    if not number.is_integer():
        return None, "fraction-count"
    return int(number), None


_MARKS = {mark: kind for kind, marks in vocab.MARKS.items() for mark in marks}


def parse_mark(value):
    """A nine-no mark → 1 pass, 0 fail, None not applicable (RETURN_FORMAT.md accepted 5)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value in (0, 1):
        return int(value), None
    key = value_key(value)
    if not key:
        return None, "empty-mark"
    kind = _MARKS.get(key)
    if kind is None:
        return None, "bad-mark"
    return vocab.MARK_VALUES[kind], None


def parse_yes_no(value):
    """市文明办部署: 是 → True; 否 or blank → False."""
    answer = vocab.YES_NO.get(value_key(value))
    return (answer, None) if answer is not None else (None, "bad-yes-no")


def parse_status(value):
    """是否属实 → confirmed / dismissed / pending."""
    status = vocab.EVENT_STATUS.get(value_key(value))
    return (status, None) if status is not None else (None, "bad-status")


def _lookup(names: dict) -> dict:
    return {value_key(alias): name for name, aliases in names.items() for alias in (name, *aliases)}


_VETO_CATEGORIES = _lookup(vocab.VETO_CATEGORIES)
_BONUS_CATEGORIES = _lookup(vocab.BONUS_CATEGORIES)


def parse_veto_category(value):
    if not value_key(value):
        return None, "missing-category"
    name = _VETO_CATEGORIES.get(value_key(value))
    return (name, None) if name else (None, "unknown-category")


def parse_bonus_category(value):
    if not value_key(value):
        return None, "missing-category"
    name = _BONUS_CATEGORIES.get(value_key(value))
    return (name, None) if name else (None, "unknown-category")


_AREAS = {value_key(alias): number
          for number, (name, aliases) in vocab.AREAS.items() for alias in (name, *aliases)}
_AREA_NAMES = {number: name for number, (name, _) in vocab.AREAS.items()}
_NUMBERED, _ITEM = vocab.AREA_NUMBER_WORDS
_AREA_DIGITS = "".join(str(number) for number in vocab.AREAS) + "".join(vocab.CHINESE_NUMERALS)
_AREA_NUMBER = re.compile(
    f"^(?:{_NUMBERED})?[(]?([{_AREA_DIGITS}])[)]?(?:{_ITEM})?[{re.escape(vocab.AREA_NUMBER_SEPARATORS)}]?(.*)$")


def parse_area(value):
    """创建内容 → the area's full name: full name, short form, number (（五）, 5, 五) or number + name."""
    key = value_key(value)
    if key in _AREAS:
        return _AREA_NAMES[_AREAS[key]], None
    match = _AREA_NUMBER.match(key)
    if match:
        digit, rest = match.groups()
        number = int(digit) if digit.isdigit() else vocab.CHINESE_NUMERALS[digit]
        if not rest or _AREAS.get(rest) == number:
            return _AREA_NAMES[number], None
    return None, "unknown-area"


_FULL_DATE = re.compile(rf"^(\d{{4}})[-/.{_YEAR}](\d{{1,2}})[-/.{_MONTH}](\d{{1,2}}){_DAY}?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_DAY = re.compile(rf"^(\d{{1,2}}){_MONTH}(\d{{1,2}}){_DAY}?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value, month: str | None):
    """A date cell (RETURN_FORMAT.md accepted 8); a yearless 3月5日 takes the return's year, or the year
    before where that would fall after the return's month. `month` is the return's "YYYY-MM"."""
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # an Excel serial date (1900 system)
            return _EXCEL_EPOCH + dt.timedelta(days=int(value)), None
        return None, "bad-date"
    raw = _SPACES.sub("", text(value))
    if not raw:
        return None, "empty-date"
    try:
        if match := _FULL_DATE.match(raw) or _COMPACT_DATE.match(raw):
            year, mon, day = map(int, match.groups())
            return dt.date(year, mon, day), None
        if (match := _MONTH_DAY.match(raw)) and isinstance(month, str):
            mon, day = map(int, match.groups())
            year, return_month = int(month[:4]), int(month[5:])
            return dt.date(year - 1 if mon > return_month else year, mon, day), None
    except ValueError:
        pass
    return None, "bad-date"


_MONTH_IN_TEXT = re.compile(rf"(?<!\d)(\d{{4}})\s*(?:{_YEAR}|[-./])\s*(\d{{1,2}})(?!\d)")
_COMPACT_MONTH = re.compile(r"(?<!\d)(20\d{2})(\d{2})(?!\d)")


def parse_month(value) -> str | None:
    """A header-block month → "YYYY-MM": 2024年3月, 2024年03月, 2024-03, 2024.3, 202403, or a date cell."""
    if isinstance(value, (dt.date, dt.datetime)):
        return valid_month(value.year, value.month)
    raw = text(value)
    if match := _MONTH_IN_TEXT.search(raw) or _COMPACT_MONTH.fullmatch(raw.strip()):
        return valid_month(int(match.group(1)), int(match.group(2)))
    return None


_FILE_MONTH = re.compile(rf"(?<!\d)(\d{{4}})(?:{_YEAR}(\d{{1,2}}){_MONTH}|[-.](\d{{1,2}})(?!\d)|(\d{{2}})(?!\d))")


def months_in_file_name(stem: str) -> set[str]:
    """Every month a file's base name holds (2024年3月, 2024-03, 202403); 月报_1251 holds none."""
    found = set()
    for match in _FILE_MONTH.finditer(text(stem)):
        month = next(group for group in match.groups()[1:] if group)
        if valid := valid_month(int(match.group(1)), int(month)):
            found.add(valid)
    return found


def parse_unique(values: pd.Series, parser, *args) -> tuple[pd.Series, pd.Series]:
    """Apply `parser` once per distinct value: (parsed values, issue codes) aligned with `values`;
    missing (NaN) where a value failed, or where a row passed, respectively."""
    results = {value: parser(value, *args) for value in values.unique()}
    parsed = values.map({value: result[0] for value, result in results.items()})
    codes = values.map({value: result[1] for value, result in results.items() if result[1]})
    return parsed, codes

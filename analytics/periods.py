"""Months as "YYYY-MM" strings: ranges, neighbours and the due day. Every month sum in the package is here."""
import datetime as dt

import numpy as np
import pandas as pd

from analytics.labels import MONTH_LABEL


def month_number(month: str) -> int:
    """A month as a count of months (for differences and ordering)."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_numbers(months: pd.Series) -> np.ndarray:
    """month_number of each of `months` (none missing), worked out once a distinct month."""
    codes, distinct = pd.factorize(months)
    return np.array([month_number(month) for month in distinct], dtype=np.int64)[codes]


def month_name(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included."""
    return [month_name(n) for n in range(month_number(first), month_number(last) + 1)]


def next_month(month: str) -> str:
    return month_name(month_number(month) + 1)


def previous_month(month: str) -> str:
    return month_name(month_number(month) - 1)


def lead_in(year: int) -> str:
    """The December before `year`: its figures give January its 环比."""
    return previous_month(f"{year}-01")


def valid_month(year: int, month: int) -> str | None:
    """"YYYY-MM" for a month a return can be about (2000–2099), else None."""
    return f"{year:04d}-{month:02d}" if 2000 <= year <= 2099 and 1 <= month <= 12 else None


def year_so_far(months: pd.Series, through: str) -> pd.Series:
    """Which of `months` fall from January of `through`'s year to `through` (the annual figures' span)."""
    return (months >= f"{through[:4]}-01") & (months <= through)


EARLIEST, LATEST = "0000-00", "9999-99"  # an open start or end of a range, as a month that sorts first or last


def due_date(month: str, due_day: int) -> dt.date:
    """The day a month's return is due (rules: the `due_day` of the next month); arriving after it is 逾期."""
    return dt.date.fromisoformat(f"{next_month(month)}-{due_day:02d}")


def month_label(month: str) -> str:
    """"2024-03" as people write it: 2024年3月."""
    return MONTH_LABEL.format(year=month[:4], month=int(month[5:]))

"""Months as "YYYY-MM" strings: ranges and neighbours."""


def month_number(month: str) -> int:
    """A month as a count of months (for differences and ordering)."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_name(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included."""
    return [month_name(n) for n in range(month_number(first), month_number(last) + 1)]


"""The words as data stay consistent: no header spelling means two columns, and every message renders."""
import string

import pytest

from analytics.intake import vocab
from analytics.intake.issues import Issue
from analytics.intake.messages import MESSAGES, WARNINGS
from analytics.intake.normalize import header_key

# The params the loader gives issues beside their fields (checks, loader, workbook guards, reader, sources).
PARAMS = {"limit": "20 MB", "max_rows": 20000, "max_columns": 200, "other": "预算科_2024年3月.xlsx",
          "choices": "、".join(vocab.AREA_NAMES), "expected": 12, "month": "2024年3月", "own": "预算科"}
FIELDS = {"sheet": "任务完成情况", "row": 7, "column": "完成数", "cell": "E7", "value": "-2"}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("kind", sorted(vocab.COLUMNS))
def test_no_header_means_two_columns_of_one_table(kind):
    """After the loader's header normalisation, each header a clerk types names at most one column."""
    columns_of = {}
    for name, aliases in vocab.COLUMNS[kind].items():
        for alias in aliases:
            columns_of.setdefault(header_key(alias), set()).add(name)
    assert {key: names for key, names in columns_of.items() if len(names) > 1} == {}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_renders_with_the_params_it_needs(code):
    assert _placeholders(MESSAGES[code]) <= set(FIELDS) | set(PARAMS)
    message = Issue(code, **FIELDS, params=PARAMS).message
    assert message and "{" not in message and "}" not in message


def test_every_warning_has_a_message():
    assert WARNINGS <= set(MESSAGES)

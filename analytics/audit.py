"""The operation log (操作记录, issue 11 "Build" 3): every history row, filtered by person, section, month and action,
as the /audit page shows it and its .xlsx holds it.

In: the store's history frame (Store.log(limit=None): id, at, who, action, section, month, version_id, detail).
"""
import datetime as dt
import json
from typing import NamedTuple

import pandas as pd

from analytics import labels
from analytics.intake.normalize import safe_file_name
from analytics.intake.vocab import ACTION_NAMES
from analytics.section_view import file_name as stored_file_name

COLUMNS = ["at", "who", "action", "section", "month", "detail"]
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class Options(NamedTuple):
    """What each filter can choose from: only values the log holds."""
    people: list[str]
    sections: list[str]
    months: list[str]    # newest first
    actions: list[str]   # in ACTION_NAMES' order, unknown ones after


def newest_first(log: pd.DataFrame) -> pd.DataFrame:
    """By the time shown, newest first; rows of the same second in the reverse order they were written."""
    return log.sort_values(["at", "id"], ascending=False, kind="stable").reset_index(drop=True)


def filter_log(log: pd.DataFrame, who: str | None = None, section: str | None = None, month: str | None = None,
               actions=None) -> pd.DataFrame:
    """The rows of `log` done by `who`, on `section`, for the section-month's `month` (history.month, YYYY-MM, not
    the date of the action) and of one of `actions`; None (or no actions) leaves that filter off. Newest first."""
    keep = pd.Series(True, index=log.index)
    for column, value in (("who", who), ("section", section), ("month", month)):
        if value is not None:
            keep &= log[column].eq(value).fillna(False).astype(bool)
    if actions:
        keep &= log["action"].isin(list(actions))
    return newest_first(log[keep])


def filter_options(log: pd.DataFrame) -> Options:
    def present(column: str) -> list[str]:
        return sorted({value for value in log[column].dropna() if str(value).strip()})
    known = [action for action in ACTION_NAMES if action in set(log["action"])]
    return Options(present("who"), present("section"), present("month")[::-1],
                   known + [action for action in present("action") if action not in ACTION_NAMES])


def action_name(action: str) -> str:
    return ACTION_NAMES.get(action, action)


def detail_text(log: pd.DataFrame) -> pd.Series:
    """Each row's 说明 in words: what a clearing of the sample took, that a restore undid the clearing before it,
    which decision an undo took back, which file an import read; other details as written; blank when there is none."""
    def words(action: str, detail) -> str:
        if detail is None or pd.isna(detail):
            return ""
        try:
            if action == "clear-sample":
                cleared = json.loads(detail)
                return labels.AUDIT_CLEARED.format(versions=len(cleared["versions"]), decisions=len(cleared["decisions"]))
            if action == "restore-sample":   # Store.restore_sample undoes the latest clearing, whose id it keeps
                return labels.AUDIT_RESTORED
            if action == "decision-undo":
                return labels.AUDIT_DECISION.format(id=int(detail))
            if action == "import":   # the file as people name it, not the folders it was picked from
                return stored_file_name(detail)
        except (ValueError, TypeError, KeyError):
            pass  # a detail written otherwise (an older database): shown as written
        return str(detail)
    return pd.Series([words(a, d) for a, d in zip(log["action"], log["detail"])], index=log.index, dtype=object)


def log_table(log: pd.DataFrame) -> pd.DataFrame:
    """The log as the page shows it and the .xlsx holds it: COLUMNS headed in Chinese, every cell text (the time to
    the second, the action by name), blank where a row has no value: never None, NaN or NaT."""
    shown = log.assign(
        at=[f"{at:{TIME_FORMAT}}" if pd.notna(at) else "" for at in log["at"]],
        action=log["action"].map(action_name), detail=detail_text(log))
    for column in ("who", "section", "month"):
        shown[column] = [str(value) if value is not None and pd.notna(value) else "" for value in log[column]]
    return labels.headed(shown, COLUMNS, labels.AUDIT_NAMES).astype(object)


def file_name(today: dt.date, who: str | None = None, section: str | None = None, month: str | None = None,
              actions=None) -> str:
    """The download's name: 操作记录, the date, then each filter in force (a long one is cut, the date stays)."""
    parts = [labels.AUDIT_TITLE, f"{today:%Y-%m-%d}", who, section, month, *map(action_name, actions or ())]
    return safe_file_name("_".join(part for part in parts if part)) + ".xlsx"


def workbook_sheets(log: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The sheets of the download (export_tables.workbook_bytes): the rows given, as log_table shows them."""
    return {labels.AUDIT_TITLE: log_table(log)}

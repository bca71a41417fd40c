"""Tidy tables written out by hand, in the loader's columns, for worked examples of DOMAIN.md."""
import datetime as dt

import pandas as pd

from analytics.intake.roster import build_roster
from analytics.records import COLUMNS, SOURCE_COLUMNS, Records, typed

MARK = {"√": 1, "×": 0, "—": None}


def tasks(*rows) -> pd.DataFrame:
    """rows: (section, month, planned, done) or (section, month, planned, done, area, task, deployed)."""
    records = []
    for n, row in enumerate(rows):
        section, month, planned, done, *rest = row
        area, task, deployed = (rest + ["文明城市创建", f"任务{n}", False][len(rest):])[:3]
        records.append((section, month, area, task, planned, done, deployed, "", "f.xlsx", "任务完成情况", n + 4))
    return typed(pd.DataFrame(records, columns=COLUMNS["tasks"] + SOURCE_COLUMNS))


def inspections(*rows) -> pd.DataFrame:
    """rows: (section, month, place, "√√×—√√√√√") — the nine marks as one string."""
    records = [(section, month, dt.date(int(month[:4]), int(month[5:]), 5), place,
                *[MARK[m] for m in marks], "", "", "f.xlsx", "九无卫生检查", n + 4)
               for n, (section, month, place, marks) in enumerate(rows)]
    frame = pd.DataFrame(records, columns=COLUMNS["inspections"] + SOURCE_COLUMNS)
    return typed(frame)


def events(*rows) -> pd.DataFrame:
    """rows: (section, month, date, category, status)."""
    records = [(section, month, date, category, "", status, "", "f.xlsx", "一票否决事项", n + 4)
               for n, (section, month, date, category, status) in enumerate(rows)]
    return pd.DataFrame(records, columns=COLUMNS["events"] + SOURCE_COLUMNS)


def bonus(*rows) -> pd.DataFrame:
    """rows: (section, month, category, person)."""
    records = [(section, month, dt.date(int(month[:4]), int(month[5:]), 9), category, person, "", "f.xlsx", "加分事项",
                n + 4) for n, (section, month, category, person) in enumerate(rows)]
    return pd.DataFrame(records, columns=COLUMNS["bonus"] + SOURCE_COLUMNS)


def returns(*pairs) -> pd.DataFrame:
    return pd.DataFrame([(section, month, f"{section}_{month}.xlsx") for section, month in pairs],
                        columns=["section", "month", "source_file"])


def batch(task_rows=(), inspection_rows=(), event_rows=(), bonus_rows=(), returned=None):
    """Records; returns default to every section-month that has a task or an inspection."""
    if returned is None:
        returned = sorted({(r[0], r[1]) for r in (*task_rows, *inspection_rows)})
    return Records(tasks(*task_rows), inspections(*inspection_rows), events(*event_rows), bonus(*bonus_rows),
                   returns(*returned))


def sections(*names, heads=None, months=None):
    """A roster's sections table: names, optional heads {name: head}, optional {name: (start, end)}."""
    heads, months = heads or {}, months or {}
    rows = [["科室", "负责人", "设立月份", "撤销月份"]] + [
        [name, heads.get(name, f"{name}负责人"), *months.get(name, ("", ""))] for name in names]
    return build_roster(rows).sections

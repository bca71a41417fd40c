"""The year against its work plan (issue 14 "Build" 2): for each plan item and month it is due in, which sections
were expected to report it, which did (a return's task matched by Plan.item_of with done > 0, summed over the item's
When.window; a weekly item as often as When.times), which did not, and its state (labels_plan.PLAN_STATES).

Pure functions over DataFrames: a Plan, the year's Records.tasks, the roster's sections (start_month / end_month
say which are in force each month) and the month in view (tasks of later months are not counted)."""
import pandas as pd

from analytics import labels_plan as words
from analytics.labels import MONTH_HEADINGS
from analytics.plan import Plan

COLUMNS = ["item", "area", "who", "when", "month", "expected", "reported", "missing", "state", "overdue"]


def in_force(sections: pd.DataFrame, month: str) -> list[str]:
    """The roster's sections set up by `month` and not yet abolished, in the roster's order."""
    return [name for name, start, end in zip(sections["section"], sections["start_month"], sections["end_month"])
            if (pd.isna(start) or start <= month) and (pd.isna(end) or end >= month)]


def matched_done(plan: Plan, tasks: pd.DataFrame, through: str) -> pd.DataFrame:
    """done per (item name, section, month) of the tasks matching a plan item, up to `through`."""
    shown = tasks[tasks["month"] <= through]
    items = shown["task"].map(lambda task: getattr(plan.item_of(task), "name", None))
    matched = shown.assign(item=items).dropna(subset=["item"])
    return matched.groupby(["item", "section", "month"], as_index=False)["done"].sum()


def plan_calendar(plan: Plan, tasks: pd.DataFrame, sections: pd.DataFrame, view_month: str,
                  closed: bool = False) -> pd.DataFrame:
    """One row per (item, month it is due in) of `view_month`'s year: COLUMNS. expected, reported and missing are
    tuples of section names (a bureau item expects none: it is done when any section reported it); state is a key of
    PLAN_STATES; overdue: due before `view_month` (or in it, when `closed`: the bulletin's month is over) and not
    done."""
    year = int(view_month[:4])
    done = matched_done(plan, tasks, view_month)
    rows = []
    for item in plan.items:
        of_item = done[done["item"] == item.name]
        for number in item.when.due_months(year):
            month = f"{year}-{number:02d}"
            window = {f"{year}-{m:02d}" for m in item.when.window(year, number)}
            counts = of_item[of_item["month"].isin(window)].groupby("section")["done"].sum()
            times = item.when.times(year, number)
            present = in_force(sections, month)
            reported = tuple(section for section in present if counts.get(section, 0) >= times)
            expected = tuple(present) if item.who == "sections" else ()
            missing = tuple(section for section in expected if section not in reported)
            complete = bool(reported) and not missing
            some = any(counts.get(section, 0) > 0 for section in present)
            past = month < view_month or closed and month == view_month
            state = "done" if complete else "partial" if some else "overdue" if past else "not_due"
            rows.append((item.name, item.area, item.who, str(item.when), month, expected, reported, missing, state,
                         past and not complete))
    return pd.DataFrame(rows, columns=COLUMNS)


def state_grid(calendar: pd.DataFrame) -> pd.DataFrame:
    """Items (rows, in the plan's order) × 1月…12月: the state's mark (PLAN_MARKS), blank where the item is not due."""
    marks = calendar.assign(mark=calendar["state"].map(words.PLAN_MARKS),
                            column=calendar["month"].map(lambda month: MONTH_HEADINGS.format(number=int(month[5:]))))
    grid = marks.pivot(index="item", columns="column", values="mark").reindex(calendar["item"].drop_duplicates())
    columns = [MONTH_HEADINGS.format(number=number) for number in range(1, 13)]
    return grid.reindex(columns=columns).fillna("").rename_axis(index=words.PLAN_COLUMNS["item"], columns=None)


def headed(rows: pd.DataFrame) -> pd.DataFrame:
    """Calendar rows as a page or the bulletin shows them: state in words, sections joined, columns in Chinese."""
    shown = rows.assign(state=rows["state"].map(words.PLAN_STATES), who=rows["who"].map(words.PLAN_WHO_NAMES),
                        missing=rows["missing"].map(words.PLAN_LIST_SEPARATOR.join),
                        reported=rows["reported"].map(words.PLAN_LIST_SEPARATOR.join))
    columns = ["item", "month", "when", "who", "state", "reported", "missing"]
    return shown[columns].rename(columns=words.PLAN_COLUMNS).reset_index(drop=True)


def month_status(calendar: pd.DataFrame, month: str) -> dict:
    """The bulletin's plan facts for `month`: plan_due (items due in it), plan_done, plan_undone (the names of those
    not done), plan_overdue (the names of earlier months' items no section reported)."""
    due = calendar[calendar["month"] == month]
    earlier = calendar[(calendar["month"] < month) & (calendar["state"] == "overdue")]
    return {"plan_due": len(due), "plan_done": int((due["state"] == "done").sum()),
            "plan_undone": list(due.loc[due["state"] != "done", "item"]), "plan_overdue": list(earlier["item"].drop_duplicates())}

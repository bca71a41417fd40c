"""The 六个一 checklist and the city's deployed-task ledger (issue 14 "Build" 3, 4): pure functions over the plan,
a year's task rows and the store's confirmations and deployed tasks (analytics/plan_store.py)."""
import pandas as pd

from analytics.intake.template import StandingTask, TemplateSettings
from analytics.plan import Plan, name_key

SIX_ONES_FIELDS = ["six_ones", "item", "state", "last_month", "last_sections", "who", "at", "note", "confirmation_id"]


def six_ones_checklist(plan: Plan, tasks: pd.DataFrame, confirmations: pd.DataFrame) -> pd.DataFrame:
    """One row per 六个一 item of `plan`: its state (the latest standing confirmation's key, else None), the last
    month a return reported a matching task done (done > 0) and the sections that did then, and who confirmed it,
    when, with which note (and that confirmation's id, for its undo)."""
    standing = confirmations[confirmations["undone_at"].isna()] if len(confirmations) else confirmations
    rows = []
    for item in (item for item in plan.items if item.six_ones):
        reported = tasks[(tasks["done"] > 0) & tasks["task"].map(item.matches)] if len(tasks) else tasks
        last = reported["month"].max() if len(reported) else None
        sections = sorted(reported.loc[reported["month"] == last, "section"].unique()) if last else []
        latest = standing[standing["six_ones"] == item.six_ones].tail(1) if len(standing) else standing
        found = latest.iloc[0] if len(latest) else None
        rows.append({"six_ones": item.six_ones, "item": item.name, "state": None if found is None else found["state"],
                     "last_month": last, "last_sections": sections, "who": None if found is None else found["who"],
                     "at": None if found is None else found["at"], "note": None if found is None else found["note"],
                     "confirmation_id": None if found is None else int(found["id"])})
    return pd.DataFrame(rows, columns=SIX_ONES_FIELDS)


def _active(deployed: pd.DataFrame) -> pd.DataFrame:
    return deployed[deployed["removed_at"].isna()] if len(deployed) else deployed


def _for_section(task, section: str) -> bool:
    return task.sections is None or section in task.sections


def mark_deployed(tasks: pd.DataFrame, deployed: pd.DataFrame) -> pd.DataFrame:
    """Task rows with 市文明办部署 set where the row's task is a recorded (not removed) deployed task of its year
    and section, by name (plan.name_key): so the veto on a shortfall (veto.veto_reasons) names it."""
    active = _active(deployed)
    if not len(active) or not len(tasks):
        return tasks
    keys = tasks["task"].map(name_key)
    marked = tasks["deployed"].copy()
    for task in active.itertuples():
        same = (keys == name_key(task.name)) & (tasks["month"].str[:4] == task.due_month[:4])
        marked |= same & (True if task.sections is None else tasks["section"].isin(task.sections))
    return tasks.assign(deployed=marked)


def deployed_progress(deployed: pd.DataFrame, tasks: pd.DataFrame, sections: pd.DataFrame, month: str) -> pd.DataFrame:
    """Per recorded (not removed) deployed task and section expected to do it: of the roster's `sections` (section,
    start_month, end_month), those in force in its due month. done: a return up to the due month reported it in full
    (done ≥ planned, planned > 0) and none up to `month`, the month in view, reported it short (which the veto
    counts); overdue: not done, and the due month before `month`. id, name, area, due_month, section, done, overdue."""
    rows = []
    keys = tasks["task"].map(name_key) if len(tasks) else pd.Series(dtype=object)
    for task in _active(deployed).itertuples():
        named = tasks[(keys == name_key(task.name)) & (tasks["month"].str[:4] == task.due_month[:4])
                      & (tasks["planned"] > 0)] if len(tasks) else tasks
        full = set(named.loc[(named["month"] <= task.due_month) & (named["done"] >= named["planned"]), "section"])
        short = set(named.loc[(named["month"] <= month) & (named["done"] < named["planned"]), "section"])
        in_force = sections[(sections["start_month"].isna() | (sections["start_month"] <= task.due_month))
                            & (sections["end_month"].isna() | (sections["end_month"] >= task.due_month))]
        for section in (s for s in in_force["section"] if _for_section(task, s)):
            done = section in full and section not in short
            rows.append({"id": task.id, "name": task.name, "area": task.area, "due_month": task.due_month,
                         "section": section, "done": done, "overdue": not done and task.due_month < month})
    return pd.DataFrame(rows, columns=["id", "name", "area", "due_month", "section", "done", "overdue"])


def overdue(progress: pd.DataFrame) -> pd.DataFrame:
    """The deployed tasks not reported done by their due month, now past: name, due_month, section."""
    return progress.loc[progress["overdue"], ["name", "due_month", "section"]].reset_index(drop=True)


def with_deployed(settings: TemplateSettings, deployed: pd.DataFrame, section: str, month: str) -> TemplateSettings:
    """The template settings for `section`'s return of `month`: its standing tasks and then the recorded deployed
    tasks due that month for it (planned 1, 市文明办部署 = 是), a task the standing list holds already not twice."""
    standing = {name_key(task.task) for task in settings.tasks}
    due = [StandingTask(task.area, task.name, 1, True) for task in _active(deployed).itertuples()
           if task.due_month == month and _for_section(task, section) and name_key(task.name) not in standing]
    return TemplateSettings(settings.tasks + tuple(due), settings.source)


def progress_grid(progress: pd.DataFrame, marks: dict) -> pd.DataFrame:
    """deployed_progress() as the ledger shows it: a row per task (id, name, due_month, done and expected: how many
    sections did it of how many should), a column per section with its mark for done or not (`marks` {True: …,
    False: …}), blank where the task is not the section's."""
    if progress.empty:
        return pd.DataFrame(columns=["id", "name", "due_month", "done", "expected"])
    keys = ["id", "name", "due_month"]
    grid = progress.assign(mark=progress["done"].map(marks)).pivot(index=keys, columns="section", values="mark")
    grid = grid.reindex(columns=list(dict.fromkeys(progress["section"]))).fillna("")
    counts = progress.groupby(keys)["done"].agg(done="sum", expected="size")
    return counts.join(grid).reset_index().rename_axis(columns=None)

"""One-vote veto (DOMAIN.md "One-vote veto"): events by status, deployed-task shortfalls, standing.

An event is identified by section, 发生日期 and 事项类别: reported again in a later return it is the
same event. It vetoes from the first month a return confirms it (a later return cannot undo that),
and stands for the rest of that year. A month's figures are never rewritten by a later return.
"""
import datetime as dt

import pandas as pd

from analytics.intake import vocab

EVENT_KEY = ["section", "date", "category"]


def _identified(events: pd.DataFrame) -> pd.DataFrame:
    """Events with a blank 发生日期 as "" (one key value, comparable in joins)."""
    return events.assign(date=events["date"].astype(object).where(events["date"].notna(), ""))


def confirmed_months(events: pd.DataFrame) -> pd.DataFrame:
    """Per event: the month its first confirmation arrived (NaN if never confirmed)."""
    events = _identified(events)
    confirmed = events[events["status"] == "confirmed"]
    months = confirmed.groupby(EVENT_KEY, observed=True, sort=False)["month"].min()
    return months.rename("confirmed_month").reset_index()


def veto_reasons(events: pd.DataFrame, tasks: pd.DataFrame, deployed_shortfall: bool) -> pd.DataFrame:
    """section, month, reason: one per event in the month it was confirmed (its category), and, where the
    rules say so, one per task deployed by the city office left short that month (naming the task)."""
    confirmed = confirmed_months(events).rename(columns={"confirmed_month": "month"})
    reasons = [confirmed.assign(reason=confirmed["category"])[["section", "month", "reason"]]]
    if deployed_shortfall:
        short = tasks[tasks["deployed"] & (tasks["done"] < tasks["planned"])]
        reasons.append(short.assign(reason=vocab.DEPLOYED_SHORTFALL + "：" + short["task"].astype(str))[
            ["section", "month", "reason"]])
    return pd.concat(reasons, ignore_index=True).sort_values(["section", "month"], kind="stable", ignore_index=True)


def first_veto_months(reasons: pd.DataFrame) -> pd.Series:
    """Per section and year: the first month a veto arose; the section stands vetoed from then to December."""
    year = reasons["month"].str[:4].rename("year")
    return reasons.groupby([reasons["section"], year], observed=True)["month"].min().rename("first_veto_month")


def pending_counts(events: pd.DataFrame) -> pd.Series:
    """Per section and month: events that month's return reports as pending (待核实), not counting events
    already confirmed by an earlier return."""
    events = _identified(events)
    pending = events[events["status"] == "pending"].merge(confirmed_months(events), on=EVENT_KEY, how="left")
    still_open = pending["confirmed_month"].isna() | (pending["confirmed_month"] > pending["month"])
    pending = pending[still_open].drop_duplicates(["month", *EVENT_KEY])
    return pending.groupby(["section", "month"], observed=True).size().rename("pending_vetoes")


def event_list(events: pd.DataFrame) -> pd.DataFrame:
    """Every distinct event with the month first reported, its latest status, and the month it was confirmed."""
    events = _identified(events)
    ordered = events.sort_values("month", kind="stable")
    latest = ordered.groupby(EVENT_KEY, observed=True, sort=False).agg(
        first_month=("month", "min"), latest_month=("month", "max"), latest_status=("status", "last"),
        description=("description", "last"), handling=("handling", "last")).reset_index()
    return latest.merge(confirmed_months(events), on=EVENT_KEY, how="left")


def apply_decisions(events: pd.DataFrame, decisions: pd.DataFrame | None) -> pd.DataFrame:
    """Events as staff decided them (a decision outranks what any return says), in decision order:
    dismiss → the event is never a veto; confirm / record → confirmed from the decision's month."""
    if decisions is None or not len(decisions):
        return events
    events = events.copy()
    for decision in decisions[decisions["undone_at"].isna()].itertuples(index=False):
        same = ((events["section"] == decision.section) & (events["category"] == decision.category)
                & (events["date"].astype(object).where(events["date"].notna(), None) == decision.date))
        if decision.action == "dismiss":
            events.loc[same, "status"] = "dismissed"
            continue
        events.loc[same & (events["month"] >= decision.month), "status"] = "confirmed"
        if not (same & (events["month"] == decision.month)).any():
            row = {column: "" for column in events.columns} | {
                "section": decision.section, "month": decision.month, "date": decision.date,
                "category": decision.category, "description": decision.description or "", "status": "confirmed",
                "source_file": f"{decision.who} 认定"}
            events = pd.concat([events, pd.DataFrame([row])], ignore_index=True)
    return events


def event_key(section: str, date, category: str) -> str:
    """One event's identity as text (section, 发生日期, 事项类别): stable across reruns and colleagues' changes."""
    return f"{section}｜{date if isinstance(date, dt.date) else ''}｜{category}"


def decision_log(decisions: pd.DataFrame) -> pd.DataFrame:
    """The staff decisions, oldest first, as the page lists them: id, text, standing (not undone)."""
    standing = decisions["undone_at"].isna()
    texts = []
    for decision, stands in zip(decisions.itertuples(), standing):
        undone = "" if stands else f"（已于 {decision.undone_at:%Y-%m-%d %H:%M} 由 {decision.undone_by} 撤销）"
        date = decision.date if isinstance(decision.date, dt.date) else "日期不详"
        counts_from = "" if decision.action == "dismiss" else f"（自 {decision.month} 起否决）"
        texts.append(f"第 {decision.id} 号 · {decision.at:%Y-%m-%d %H:%M} {decision.who} {vocab.DECISION_NAMES[decision.action]}："
                     f"{decision.section} {date} {decision.category}{counts_from}，依据：{decision.why}{undone}")
    return pd.DataFrame({"id": decisions["id"].astype(int), "text": texts, "standing": standing.to_numpy()})


def newer_decision_note(newer: list[dict]) -> str:
    """A colleague decided on the same event after the page was drawn: say who and what (the last one saved counts)."""
    return "；".join(f"{d['who']} 已于 {d['at']:%H:%M} {vocab.DECISION_NAMES[d['action']]}（依据：{d['why']}）" for d in newer) \
        + "。两次认定都已记录，以最后保存的为准；如需改回，请在下方认定记录中撤销。"

"""One-vote veto (DOMAIN.md "One-vote veto"): events by status, deployed-task shortfalls, standing.

An event is identified by section, 发生日期 and 事项类别: reported again in a later return it is the
same event. It vetoes from the first month a return confirms it (a later return cannot undo that),
and stands for the rest of that year. A month's figures are never rewritten by a later return.
"""
import datetime as dt

import pandas as pd

from analytics import labels
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
        short = tasks.loc[tasks["deployed"] & (tasks["done"] < tasks["planned"]), ["section", "month", "task"]]
        tasks = short["task"].astype(str)
        named = tasks.map({task: labels.SHORTFALL_REASON.format(task=task) for task in tasks.unique()})  # once a task
        reasons.append(short.assign(reason=named)[["section", "month", "reason"]])
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
                "source_file": labels.DECIDED_BY.format(who=decision.who)}
            events = pd.concat([events, pd.DataFrame([row])], ignore_index=True)
    return events


def event_key(section: str, date, category: str) -> str:
    """One event's identity as text (section, 发生日期, 事项类别): stable across reruns and colleagues' changes."""
    return labels.EVENT_KEY.format(section=section, date=date if isinstance(date, dt.date) else "", category=category)


def decision_log(decisions: pd.DataFrame) -> pd.DataFrame:
    """The staff decisions, oldest first, as the page lists them: id, text, standing (not undone)."""
    standing = decisions["undone_at"].isna()
    texts = []
    for decision, stands in zip(decisions.itertuples(), standing):
        undone = "" if stands else labels.DECISION_UNDONE.format(at=decision.undone_at, who=decision.undone_by)
        date = decision.date if isinstance(decision.date, dt.date) else labels.DATE_UNKNOWN
        counts_from = "" if decision.action == "dismiss" else labels.DECISION_COUNTS_FROM.format(month=decision.month)
        texts.append(labels.DECISION_TEXT.format(
            id=decision.id, at=decision.at, who=decision.who, action=vocab.DECISION_NAMES[decision.action],
            section=decision.section, date=date, category=decision.category, counts_from=counts_from,
            why=decision.why, undone=undone))
    return pd.DataFrame({"id": decisions["id"].astype(int), "text": texts, "standing": standing.to_numpy()})


def newer_decision_note(newer: list[dict]) -> str:
    """A colleague decided on the same event after the page was drawn: say who and what (the last one saved counts)."""
    return labels.LIST_SEPARATOR.join(labels.NEWER_DECISION.format(
        who=d["who"], at=d["at"], action=vocab.DECISION_NAMES[d["action"]], why=d["why"]) for d in newer) \
        + labels.NEWER_DECISIONS_END


def vetoed_sections(section_months: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    """The section-months where a veto arose: section, head, month, reasons (joined)."""
    vetoed = section_months[section_months["veto_reasons"].map(bool)]
    heads = sections.set_index("section")["head"]
    return vetoed.assign(head=vetoed["section"].map(heads), reasons=vetoed["veto_reasons"].map(labels.LIST_SEPARATOR.join))


def year_events(events: pd.DataFrame, sections: pd.DataFrame, year: int) -> pd.DataFrame:
    """event_list() of the events first reported in `year`, with the section's head, the latest status named
    (status) and confirmed_month "—" where never confirmed."""
    listed = event_list(events)
    listed = listed[listed["first_month"].str.startswith(str(year))].reset_index(drop=True)
    heads = sections.set_index("section")["head"]
    return listed.assign(head=listed["section"].map(heads), status=listed["latest_status"].map(vocab.STATUS_NAMES),
                         confirmed_month=listed["confirmed_month"].fillna(labels.NO_FIGURE))

"""One section's year as the drill-down page (科室详情, /section) shows it, and the month's nine-no ranking (九无卫生).

Pure functions over a workspace.Year's frames: summary.section_months (every section's months, so a rank is among
every section expected that month), records.tasks / inspections / decisions, summary.events, and the store's
versions_of(section). Tables come out headed (labels.SECTION_NAMES), figures as shown (94.1%, 95.6; — where none).
"""
from typing import NamedTuple
from urllib.parse import quote, urlencode

import numpy as np
import pandas as pd

from analytics import charts, completion, hygiene, labels, scoring, veto
from analytics.intake import vocab

NAMES = labels.SECTION_NAMES
# Links to a section's page: what every section name in the pages' tables leads to.
SECTION_ADDRESS = "/section"
# What a link cell shows: the name, taken back out of the address (the table URL-decodes what the group captures).
SECTION_TEXT = r"^/section\?section=([^&]*)"


def section_link(name, year, month: str | None = None) -> str:
    """The address of `name`'s page for `year` (and `month`): /section?section=…&year=…&month=…, the name
    percent-encoded whole (& # ? + % / and spaces too), so no name ends its parameter, adds another or leads off the
    page. A link opens a new tab, a new session: the year and month travel in the address."""
    return f"{SECTION_ADDRESS}?" + urlencode({"section": str(name), "year": year, **({"month": month} if month else {})},
                                             quote_via=quote)


def _of(frame: pd.DataFrame, section: str) -> pd.DataFrame:
    return frame[frame["section"] == section]


class Standing(NamedTuple):
    """A section's month in the whole bureau."""
    submitted: bool
    completion_rate: float
    nine_no_score: float
    score: float
    rank: int
    ranked: int      # the sections expected that month, the rank among them
    veto: bool


def standing(section_months: pd.DataFrame, section: str, month: str) -> Standing | None:
    """The section's figures and rank in `month`; None when it was not expected then (not yet set up, abolished)."""
    month_rows = section_months[section_months["month"] == month]
    rows = _of(month_rows, section)
    if rows.empty:
        return None
    row = rows.iloc[0]
    return Standing(bool(row["submitted"]), row["completion_rate"], row["nine_no_score"], row["score"], int(row["rank"]),
                    len(month_rows), bool(row["veto"]))


def months(section_months: pd.DataFrame, section: str) -> pd.DataFrame:
    """The section's months in order: month, status (已报送 / 逾期 / 未报送), completion_rate, nine_no_score, score,
    rank (among the sections expected that month), veto (是 from the first vetoed month on)."""
    rows = _of(section_months, section).sort_values("month")
    states = labels.RETURN_STATES
    status = np.select([~rows["submitted"].astype(bool), rows["late"].astype(bool)], [states["missing"], states["late"]],
                       states["submitted"])
    table = rows.assign(status=status, veto=rows["veto"].map(labels.VETO_MARKS), score=rows["score"].map("{:.2f}".format),
                        completion_rate=rows["completion_rate"].map(charts.percent),
                        nine_no_score=rows["nine_no_score"].map(charts.score))
    return labels.headed(table, ["month", "status", "completion_rate", "nine_no_score", "score", "rank", "veto"], NAMES)


def area_months(tasks: pd.DataFrame, section: str) -> pd.DataFrame:
    """The section's completion rate per area (rows, in the plan's order) and month (columns), as shown (94.1%; "—"
    where nothing was planned); only the areas it had tasks in."""
    own = _of(tasks, section)
    if own.empty:
        return pd.DataFrame(index=pd.Index([], name=labels.heading("area")))
    rates = completion.completion(own, ["area", "month"])["completion_rate"].unstack("month")
    areas = [area for area in vocab.AREA_NAMES if area in rates.index] + sorted(set(rates.index) - set(vocab.AREA_NAMES))
    table = rates.reindex(index=areas, columns=sorted(rates.columns)).rename_axis(index=labels.heading("area"), columns=None)
    return table.map(charts.percent)


def month_tasks(tasks: pd.DataFrame, section: str, month: str) -> pd.DataFrame:
    """The section's tasks of `month`, area by area: area, task, planned, done, achieved, over, deployed, note."""
    detail = completion.section_tasks(tasks, section, month)
    order = {area: n for n, area in enumerate(vocab.AREA_NAMES)}
    detail = detail.sort_values("area", key=lambda areas: areas.map(order), kind="stable")
    return labels.headed(detail, ["area", "task", "planned", "done", "achieved", "over", "deployed", "note"], NAMES)


def inspections(inspections: pd.DataFrame, section: str, month: str) -> pd.DataFrame:
    """The section's inspections of `month`: date, place, nine_no_score (the row's), failing (the items it failed,
    named), inspector, remark."""
    rows = hygiene.in_month(_of(inspections, section), month)
    failed = rows[hygiene.ITEMS].eq(0).fillna(False).to_numpy(dtype=bool)
    failing = [labels.NAME_SEPARATOR.join(name for name, fail in zip(vocab.NINE_ITEM_NAMES, row) if fail) for row in failed]
    table = rows.assign(nine_no_score=hygiene.row_scores(rows).map(charts.score), failing=failing)
    return labels.headed(table, ["date", "place", "nine_no_score", "failing", "inspector", "remark"], NAMES)


def item_fails(inspections: pd.DataFrame, section: str) -> pd.DataFrame:
    """The nine items over the section's inspections (the year's): item, fails, applicable, fail_rate; the items it
    failed only, most fails first."""
    own = _of(inspections, section)
    rates = hygiene.item_fail_rates(own, ["section"]) if len(own) else pd.DataFrame(
        columns=["item", "fails", "applicable", "fail_rate"])
    failed = rates[rates["fails"] > 0].sort_values("fails", ascending=False, kind="stable")
    failed = failed.assign(fail_rate=failed["fail_rate"].map(charts.percent))
    return labels.headed(failed, ["item", "fails", "applicable", "fail_rate"], NAMES)


def vetoes(section_months: pd.DataFrame, section: str) -> pd.DataFrame:
    """The months a veto of the section arose, and why: month, reasons."""
    rows = _of(section_months, section)
    rows = rows[rows["veto_reasons"].map(bool)]
    return labels.headed(rows.assign(reasons=rows["veto_reasons"].map(labels.LIST_SEPARATOR.join)), ["month", "reasons"],
                         NAMES)


def events(events: pd.DataFrame, sections: pd.DataFrame, section: str, year: int) -> pd.DataFrame:
    """The section's events first reported in `year`, as 一票否决 lists them (veto.year_events)."""
    listed = veto.year_events(_of(events, section), sections, year)
    return labels.headed(listed, ["first_month", "date", "category", "description", "status", "confirmed_month"],
                         labels.EVENT_NAMES)


def decisions(decisions: pd.DataFrame, section: str) -> list[str]:
    """The staff decisions on the section's events, oldest first, as 一票否决's 认定记录 words them."""
    return veto.decision_log(_of(decisions, section))["text"].tolist()


def year_versions(versions: pd.DataFrame, year: int) -> pd.DataFrame:
    """The versions of `year`'s months among `versions` (store.versions_of(section)), newest first."""
    return versions[versions["month"].str.startswith(str(year))].reset_index(drop=True)


def file_name(path: str) -> str:
    """A stored version's file as people name it: the file itself, without the folders or the zip it came in
    (returns/2024-12/月报.zip/12月/预算科.xlsx → 预算科.xlsx)."""
    return str(path).replace("\\", "/").rsplit("/", 1)[-1]


def version_table(versions: pd.DataFrame) -> pd.DataFrame:
    """year_versions() as the page lists them: month, state (named), imported_at, imported_by, file (its name)."""
    table = versions.assign(state=versions["state"].map(labels.VERSION_STATES), file=versions["file"].map(file_name))
    return labels.headed(table, ["month", "state", "imported_at", "imported_by", "file"], NAMES)


def nine_no_ranking(section_months: pd.DataFrame, month: str) -> pd.DataFrame:
    """The sections expected in `month` by nine-no score, highest first: rank (equal scores share one; blank without
    a score), section, nine_no_score (a number, blank without one), scored_rows, and state (未报送 / 无检查记录) only
    where some section has no score: a column of blanks says nothing."""
    rows = section_months[section_months["month"] == month]
    scored = rows["nine_no_score"].notna()
    words = labels.NINE_NO_RANKING_STATES
    state = np.where(scored, "", np.where(rows["submitted"].astype(bool), words["no_check"], words["missing"]))
    rank = scoring.ranks(rows.loc[scored, "nine_no_score"]).astype("Int64").reindex(rows.index)
    table = rows.sort_values("nine_no_score", ascending=False, na_position="last", kind="stable").assign(
        rank=rank, state=pd.Series(state, index=rows.index), scored_rows=rows["scored_rows"].fillna(0).astype(int))
    columns = ["rank", "section", "nine_no_score", "scored_rows", *(["state"] if (~scored).any() else [])]
    return labels.headed(table, columns, NAMES)

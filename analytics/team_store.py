"""Inspection-team sheets in the store (issue 14 "Build" 6): import, list, withdraw, restore, and their rows.

A sheet's rows add to each section's month of inspections (and so its nine-no score) while the sheet is current;
they are never a return: no version, no submission, no 逾期. Each write is one transaction through the store's
`_write` and one row of `history`. The file's bytes are kept in `files` like a return's; the same bytes twice are
skipped.
"""
import dataclasses
import datetime as dt
import hashlib
import json

import pandas as pd
import sqlalchemy as sa

from analytics import hygiene, labels_plan
from analytics.intake.team import TeamCheck
from analytics.records import COLUMNS, SOURCE_COLUMNS, Records, typed
from analytics.schema import StaleChoice, files, now, rows_of, team_inspections, team_sheets, versions
from analytics.store import Store


def import_team_sheet(store: Store, check: TeamCheck, name: str, data: bytes, who: str,
                      at: dt.datetime | None = None) -> int | None:
    """Store an accepted sheet (check_team_sheet) as current; the new sheet's id, or None where the same file was
    stored before (nothing changes)."""
    if not check.accepted:
        raise ValueError(check.report.file)
    digest, at = hashlib.sha256(data).hexdigest(), at or now()
    rows = rows_of(check.inspections)

    def work(conn):
        if _known(conn, digest):
            return None
        checked = {"status": "imported", "report": json.dumps([check.report.to_dict(10_000)], ensure_ascii=False)}
        if stored := conn.execute(sa.select(files.c.id).where(files.c.sha256 == digest)).scalar():
            conn.execute(files.update().where(files.c.id == stored).values(**checked))   # stored as a rejected return
        file_id = stored or conn.execute(files.insert().values(
            sha256=digest, name=name, size=len(data), data=data, uploaded_at=at, uploaded_by=who,
            **checked)).inserted_primary_key[0]
        sheet_id = conn.execute(team_sheets.insert().values(file_id=file_id, month=check.month, state="current",
                                                            imported_at=at, imported_by=who)).inserted_primary_key[0]
        conn.execute(team_inspections.insert(), [{**row, "sheet_id": sheet_id} for row in rows])
        store._log(conn, who, "team-sheet", month=check.month, detail=name)
        return sheet_id
    return store._write(work)


def stored_file(store: Store, data: bytes):
    """The file with these bytes imported before, as a team sheet or a return (a row: name, uploaded_at); None if
    none (a file stored only as a rejected return is not one: it may be imported as a sheet)."""
    with store.engine.connect() as conn:
        return _known(conn, hashlib.sha256(data).hexdigest())


def _known(conn, digest: str):
    used = sa.union(sa.select(team_sheets.c.file_id), sa.select(versions.c.file_id))
    return conn.execute(sa.select(files.c.name, files.c.uploaded_at)
                        .where(files.c.sha256 == digest, files.c.id.in_(used))).first()


def sheet_preview(inspections: pd.DataFrame) -> pd.DataFrame:
    """Per section of a checked sheet: section, rows, nine_no_score (the mean of its scored rows)."""
    scores = inspections.assign(score=hygiene.row_scores(inspections))
    return (scores.groupby("section", sort=False).agg(rows=("score", "size"), nine_no_score=("score", "mean"))
            .reset_index())


def withdraw_team_sheet(store: Store, sheet_id: int, who: str) -> None:
    """Its rows stop counting; the sheet stays listed and can be restored."""
    _set_state(store, sheet_id, who, "withdrawn", "team-withdraw")


def restore_team_sheet(store: Store, sheet_id: int, who: str) -> None:
    _set_state(store, sheet_id, who, "current", "team-restore")


def _set_state(store: Store, sheet_id: int, who: str, state: str, action: str) -> None:
    def work(conn):
        sheet = conn.execute(sa.select(team_sheets.c.month, files.c.name).join(files, files.c.id == team_sheets.c.file_id)
                             .where(team_sheets.c.id == sheet_id)).one()
        changed = conn.execute(team_sheets.update().where(team_sheets.c.id == sheet_id, team_sheets.c.state != state)
                               .values(state=state)).rowcount
        if not changed:  # a colleague did it already: nothing to do, and no history row
            states = labels_plan.TEAM_SHEET_STATES
            raise StaleChoice(states["unchanged"].format(name=sheet.name, state=states[state]))
        store._log(conn, who, action, month=sheet.month, detail=sheet.name)
    store._write(work)


def team_sheets_of(store: Store) -> pd.DataFrame:
    """Every sheet, newest first: id, name, month, state, imported_at, imported_by, rows, sections (a list)."""
    query = (sa.select(team_sheets.c.id, files.c.name, team_sheets.c.month, team_sheets.c.state, team_sheets.c.imported_at,
                       team_sheets.c.imported_by)
             .join(files, files.c.id == team_sheets.c.file_id).order_by(team_sheets.c.id.desc()))
    with store.engine.connect() as conn:
        sheets = pd.read_sql(query, conn)
        rows = pd.read_sql(sa.select(team_inspections.c.sheet_id, team_inspections.c.section), conn)
    sections = rows.groupby("sheet_id")["section"].agg(lambda names: sorted(set(names)))
    return sheets.assign(rows=sheets["id"].map(rows["sheet_id"].value_counts()).fillna(0).astype(int),
                         sections=sheets["id"].map(sections).map(lambda names: names if isinstance(names, list) else []))


def team_inspections_of(store: Store, first: str, last: str) -> pd.DataFrame:
    """The rows of the current sheets of months first..last, in the inspections' columns (records.py)."""
    query = (sa.select(*[team_inspections.c[name] for name in COLUMNS["inspections"] + SOURCE_COLUMNS])
             .join(team_sheets, team_sheets.c.id == team_inspections.c.sheet_id)
             .where(team_sheets.c.state == "current", team_sheets.c.month.between(first, last)))
    with store.engine.connect() as conn:
        return typed(pd.read_sql(query, conn))


def with_team_inspections(records: Records, store: Store, first: str, last: str) -> Records:
    """`records` with the current team sheets' rows among its inspections (its returns unchanged)."""
    team = team_inspections_of(store, first, last)
    if team.empty:
        return records
    return dataclasses.replace(records, inspections=typed(pd.concat([records.inspections, team], ignore_index=True)))

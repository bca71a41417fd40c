"""The plan's records in the store (issue 14 "Build" 3, 4): the office's confirmations of the 六个一 and the tasks
the city 文明办 deployed. Each write is one transaction through the store's `_write` and one row of `history`;
nothing is deleted: an undone confirmation and a removed task keep their rows (who, when), and a removed task
can be restored."""
import json
import re

import pandas as pd
import sqlalchemy as sa

from analytics.intake.vocab import AREA_NAMES
from analytics.labels_plan import ALL_SECTIONS, LEDGER_MESSAGES, PLAN_LIST_SEPARATOR, PLAN_SIX_ONES, SIX_ONES_STATES
from analytics.schema import StaleChoice, deployed_tasks, now, six_ones_confirmations
from analytics.store import Store

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


class LedgerError(ValueError):
    """What was entered cannot be recorded; the message says what to fix."""


def confirm_six_ones(store: Store, year: int, six_ones: str, state: str, note: str, who: str) -> int:
    """Record the office's finding on one of the 六个一 for `year` (state: a key of SIX_ONES_STATES), with its
    required note; the latest standing confirmation stands. Returns its id."""
    note = (note or "").strip()
    if six_ones not in PLAN_SIX_ONES:
        raise LedgerError(LEDGER_MESSAGES["unknown-six-ones"].format(value=six_ones))
    if state not in SIX_ONES_STATES:
        raise LedgerError(LEDGER_MESSAGES["unknown-state"].format(value=state))
    if not note:
        raise LedgerError(LEDGER_MESSAGES["no-note"])

    def work(conn):
        new = conn.execute(six_ones_confirmations.insert().values(year=year, six_ones=six_ones, state=state, note=note,
                                                                  who=who, at=now())).inserted_primary_key[0]
        store._log(conn, who, "six-ones-confirm", month=str(year), detail=LEDGER_MESSAGES["confirmed"].format(
            six_ones=six_ones, state=SIX_ONES_STATES[state], note=note))
        return new
    return store._write(work)


def undo_six_ones(store: Store, confirmation_id: int, who: str) -> None:
    """Take back a confirmation: the one before it stands again. StaleChoice if it was undone already."""
    def work(conn):
        row = conn.execute(sa.select(six_ones_confirmations).where(six_ones_confirmations.c.id == confirmation_id)).one()
        if row.undone_at is not None:
            raise StaleChoice(LEDGER_MESSAGES["already-undone"])
        conn.execute(six_ones_confirmations.update().where(six_ones_confirmations.c.id == confirmation_id)
                     .values(undone_at=now(), undone_by=who))
        store._log(conn, who, "six-ones-undo", month=str(row.year), detail=LEDGER_MESSAGES["undone"].format(
            six_ones=row.six_ones, state=SIX_ONES_STATES[row.state], who=row.who, at=row.at))
    store._write(work)


def six_ones_confirmations_of(store: Store, year: int) -> pd.DataFrame:
    """Every confirmation of `year`'s 六个一, oldest first (undone ones too: undone_at set)."""
    query = sa.select(six_ones_confirmations).where(six_ones_confirmations.c.year == year) \
        .order_by(six_ones_confirmations.c.at, six_ones_confirmations.c.id)
    with store.engine.connect() as conn:
        return pd.read_sql(query, conn)


def add_deployed_task(store: Store, name: str, area: str, due_month: str, sections, note: str, who: str) -> int:
    """Record a task the city deployed: its name, area (one of the seven), due month (YYYY-MM) and the sections it
    is for (None: every section; else a non-empty list). Returns its id."""
    name, note = (name or "").strip(), (note or "").strip()
    if not name:
        raise LedgerError(LEDGER_MESSAGES["no-name"])
    if area not in AREA_NAMES:
        raise LedgerError(LEDGER_MESSAGES["unknown-area"].format(value=area))
    if not _MONTH.fullmatch(str(due_month)):
        raise LedgerError(LEDGER_MESSAGES["bad-month"].format(value=due_month))
    if sections is not None and not list(sections):
        raise LedgerError(LEDGER_MESSAGES["no-sections"])
    chosen = None if sections is None else json.dumps(list(sections), ensure_ascii=False)

    def work(conn):
        new = conn.execute(deployed_tasks.insert().values(name=name, area=area, due_month=due_month, sections=chosen,
                                                          note=note, created_at=now(), created_by=who)).inserted_primary_key[0]
        store._log(conn, who, "deployed-add", month=due_month, detail=LEDGER_MESSAGES["added"].format(
            name=name, area=area, due_month=due_month, sections=sections_text(sections)))
        return new
    return store._write(work)


def _set_removed(store: Store, task_id: int, who: str, removing: bool) -> None:
    def work(conn):
        row = conn.execute(sa.select(deployed_tasks).where(deployed_tasks.c.id == task_id)).one()
        if (row.removed_at is None) != removing:
            raise StaleChoice(LEDGER_MESSAGES["already-removed" if removing else "not-removed"])
        conn.execute(deployed_tasks.update().where(deployed_tasks.c.id == task_id).values(
            removed_at=now() if removing else None, removed_by=who if removing else None))
        action = "removed" if removing else "restored"
        store._log(conn, who, "deployed-remove" if removing else "deployed-restore", month=row.due_month,
                   detail=LEDGER_MESSAGES[action].format(name=row.name, due_month=row.due_month))
    store._write(work)


def remove_deployed_task(store: Store, task_id: int, who: str) -> None:
    """Remove a recorded task (kept, with who and when: restore_deployed_task brings it back)."""
    _set_removed(store, task_id, who, True)


def restore_deployed_task(store: Store, task_id: int, who: str) -> None:
    _set_removed(store, task_id, who, False)


def deployed_tasks_of(store: Store) -> pd.DataFrame:
    """Every recorded deployed task (removed ones too: removed_at set), oldest first; sections a list or None."""
    with store.engine.connect() as conn:
        frame = pd.read_sql(sa.select(deployed_tasks).order_by(deployed_tasks.c.id), conn)
    return frame.assign(sections=[json.loads(value) if isinstance(value, str) else None for value in frame["sections"]])


def sections_text(sections) -> str:
    """A deployed task's sections as the ledger shows them: 全部科室, or the names joined."""
    return ALL_SECTIONS if sections is None else PLAN_LIST_SEPARATOR.join(sections)

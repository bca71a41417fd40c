"""Evidence (台账) in the store (issue 14 "Build" 5): files attached to a plan item or to a return's task, with who
and when; removed ones kept (restorable); the size limit, a setting the office changes on 设置.

Each write is one transaction through the store's `_write` and one row of `history`. Every file is checked here
again (evidence.check_evidence), whatever the page did: a batch with any refused file stores none of them.
"""
import hashlib
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from analytics.evidence import DEFAULT_MAX_MB, MAX_MB_RANGE, check_evidence
from analytics.intake.limits import MB
from analytics.labels_plan import EVIDENCE_KINDS, EVIDENCE_MESSAGES, EVIDENCE_TARGET
from analytics.schema import StaleChoice, evidence, now
from analytics.store import Store

LIMIT_KEY = "evidence_max_mb"     # the settings row holding the size limit, in MB
LISTED = [column for column in evidence.c if column.name not in ("data", "thumbnail")]


class EvidenceRefused(ValueError):
    """Nothing was stored; `problems` says what to fix, a line each; `files`: how many of them are files refused."""

    def __init__(self, problems: list[str], files: int = 0):
        super().__init__("\n".join(problems))
        self.problems, self.files = problems, files


@dataclass(frozen=True)
class Target:
    """What evidence is for: a plan item of `year` (the bureau's, or `section`'s), or a return's task (section,
    month, task)."""
    year: int
    item: str | None = None
    section: str | None = None
    month: str | None = None
    task: str | None = None

    def __str__(self) -> str:
        return target_text(self.item, self.section, self.month, self.task)


def target_text(item, section, month, task) -> str:
    """A target as the pages, the history and the index say it."""
    if isinstance(item, str):
        return EVIDENCE_TARGET["item"].format(item=item) + (
            EVIDENCE_TARGET["of"].format(section=section) if isinstance(section, str) else "")
    return EVIDENCE_TARGET["task"].format(section=section, month=month, task=task)


def max_evidence_mb(store: Store) -> float:
    row = store._setting(LIMIT_KEY)
    return float(row.value) if row else DEFAULT_MAX_MB


def set_max_evidence_mb(store: Store, limit: float, who: str) -> None:
    """Change the size limit (MAX_MB_RANGE); files already kept stay."""
    low, high = MAX_MB_RANGE
    if not low <= limit <= high:
        raise EvidenceRefused([EVIDENCE_MESSAGES["bad-limit"].format(low=low, high=high)])
    old = max_evidence_mb(store)

    def work(conn):
        store._put(conn, LIMIT_KEY, who, value=f"{limit:g}")
        store._log(conn, who, "evidence-limit", detail=EVIDENCE_MESSAGES["limit-set"].format(old=old, new=limit))
    store._write(work)


def _check_target(target: Target, own_section: str | None) -> list[str]:
    if not (target.item or (target.section and target.month and target.task)):
        return [EVIDENCE_MESSAGES["no-target"]]
    if own_section is not None and target.section != own_section:
        return [EVIDENCE_MESSAGES["not-own"].format(section=own_section)]
    return []


def add_evidence(store: Store, target: Target, uploads: list[tuple[str, bytes]], note: str, who: str,
                 own_section: str | None = None) -> list[int]:
    """Keep every file of `uploads` (name, bytes) as evidence for `target`, or none (EvidenceRefused). A section
    account passes its section as `own_section`: it may attach only to its own section's items and tasks."""
    note = (note or "").strip()
    limit = max_evidence_mb(store)
    checks = [check_evidence(name, data, limit) for name, data in uploads]
    refused = [check.problem for check in checks if not check.accepted]
    problems = _check_target(target, own_section) + ([] if note else [EVIDENCE_MESSAGES["no-note"]]) + refused
    if problems:
        raise EvidenceRefused(problems, len(refused))
    at = now()

    def work(conn):
        ids = []
        for check, (name, data) in zip(checks, uploads):
            ids.append(conn.execute(evidence.insert().values(
                year=target.year, item=target.item, section=target.section, month=target.month, task=target.task,
                name=name, kind=check.kind, size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data,
                thumbnail=check.thumbnail, note=note, uploaded_at=at, uploaded_by=who)).inserted_primary_key[0])
            store._log(conn, who, "evidence-add", section=target.section, month=target.month or str(target.year),
                       detail=EVIDENCE_MESSAGES["added"].format(name=name, kind=EVIDENCE_KINDS[check.kind],
                                                                size=len(data) / MB, target=target))
        return ids
    return store._write(work)


def _set_removed(store: Store, evidence_id: int, who: str, removing: bool, own_section: str | None) -> None:
    def work(conn):
        row = conn.execute(sa.select(*LISTED).where(evidence.c.id == evidence_id)).one()
        if own_section is not None and row.section != own_section:
            raise EvidenceRefused([EVIDENCE_MESSAGES["not-own"].format(section=own_section)])
        if (row.removed_at is None) != removing:
            raise StaleChoice(EVIDENCE_MESSAGES["already-removed" if removing else "not-removed"])
        conn.execute(evidence.update().where(evidence.c.id == evidence_id).values(
            removed_at=now() if removing else None, removed_by=who if removing else None))
        store._log(conn, who, "evidence-remove" if removing else "evidence-restore", section=row.section,
                   month=row.month or str(row.year), detail=EVIDENCE_MESSAGES["removed" if removing else "restored"]
                   .format(name=row.name, target=target_text(row.item, row.section, row.month, row.task)))
    store._write(work)


def remove_evidence(store: Store, evidence_id: int, who: str, own_section: str | None = None) -> None:
    """Take a file out of the 台账 (kept, with who and when: restore_evidence brings it back)."""
    _set_removed(store, evidence_id, who, True, own_section)


def restore_evidence(store: Store, evidence_id: int, who: str, own_section: str | None = None) -> None:
    _set_removed(store, evidence_id, who, False, own_section)


def evidence_of(store: Store, year: int, thumbnails: bool = False) -> pd.DataFrame:
    """`year`'s evidence, oldest first, removed ones too (removed_at set), without the files' bytes (a photo's
    thumbnail with `thumbnails`)."""
    columns = LISTED + ([evidence.c.thumbnail] if thumbnails else [])
    query = sa.select(*columns).where(evidence.c.year == year).order_by(evidence.c.id)
    with store.engine.connect() as conn:
        return pd.read_sql(query, conn)


def evidence_files(store: Store, ids):
    """(id, bytes) of the evidence `ids`, read one at a time (a year's files may be more than memory should hold)."""
    with store.engine.connect() as conn:
        for evidence_id in ids:
            yield evidence_id, conn.execute(sa.select(evidence.c.data).where(evidence.c.id == int(evidence_id))).scalar()

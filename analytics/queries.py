"""Read-only queries over the store's tables (schema.py), each on a connection the store opened.

Store (store.py) keeps the writes and opens the connections; what a query returns is plain rows or frames.
"""
import json

import pandas as pd
import sqlalchemy as sa

from analytics.intake.messages import STORE_MESSAGES
from analytics.intake.vocab import ACTION_NAMES
from analytics.records import COLUMNS, RETURN_COLUMNS, SOURCE_COLUMNS, typed
from analytics.schema import (
    RECORDS,
    SECTION_TABLES,
    decisions,
    deployed_tasks,
    evidence,
    files,
    history,
    team_inspections,
    team_sheets,
    versions,
)


def known_files(conn, hashes: list[str]) -> dict:
    """sha256 → (name, uploaded_at) of the files already imported: stored with a version. A file stored only as
    rejected is not one: its batch may have been why (duplicate-return, another section's account), so it is
    checked again (rejected_files)."""
    rows = conn.execute(sa.select(files.c.sha256, files.c.name, files.c.uploaded_at)
                        .where(files.c.sha256.in_(hashes), files.c.id.in_(sa.select(versions.c.file_id)))).all()
    return {row.sha256: (row.name, row.uploaded_at) for row in rows}


def rejected_files(conn, hashes: list[str]) -> dict:
    """sha256 → id of the files stored before that brought no version."""
    rows = conn.execute(sa.select(files.c.sha256, files.c.id).where(
        files.c.sha256.in_(hashes), files.c.id.not_in(sa.select(versions.c.file_id)))).all()
    return dict(rows)


def sections_with_data(conn) -> pd.DataFrame:
    """section, first_month, last_month, versions, decisions: every section name the history holds (team sheets'
    rows, evidence and the deployed tasks recorded for named sections too, so a roster dropping such a section asks its fate)."""
    held = pd.read_sql(sa.select(versions.c.section, versions.c.month).where(versions.c.state != "cleared"), conn)
    decided = pd.read_sql(sa.select(decisions.c.section, decisions.c.month), conn)
    inspected = pd.read_sql(sa.select(team_inspections.c.section, team_inspections.c.month), conn)
    deployed = [{"section": section, "month": task.due_month} for task in conn.execute(
        sa.select(deployed_tasks.c.sections, deployed_tasks.c.due_month).where(deployed_tasks.c.sections.is_not(None)))
        for section in json.loads(task.sections)]
    evidenced = pd.read_sql(sa.select(evidence.c.section, evidence.c.month, evidence.c.year)
                            .where(evidence.c.section.is_not(None)), conn)   # a plan item's evidence: its January
    evidenced = evidenced.assign(month=evidenced["month"].fillna(evidenced["year"].astype(str) + "-01"))
    both = pd.concat([held.assign(versions=1, decisions=0), decided.assign(versions=0, decisions=1),
                      inspected.assign(versions=0, decisions=0), evidenced[["section", "month"]].assign(versions=0, decisions=0),
                      pd.DataFrame(deployed, columns=["section", "month"]).assign(versions=0, decisions=0)])
    return both.groupby("section", as_index=False).agg(first_month=("month", "min"), last_month=("month", "max"),
                                                         versions=("versions", "sum"), decisions=("decisions", "sum"))


def versions_of(conn, section: str | None, month: str | None) -> pd.DataFrame:
    """Every version (current, superseded, withdrawn; not a cleared sample's) with its file, newest first."""
    query = (sa.select(versions.c.id, versions.c.section, versions.c.month, versions.c.state,
                       versions.c.imported_at, versions.c.imported_by, versions.c.source.label("file"))
             .where(versions.c.state != "cleared")
             .order_by(versions.c.imported_at.desc(), versions.c.id.desc()))
    if section:
        query = query.where(versions.c.section == section)
    if month:
        query = query.where(versions.c.month == month)
    return pd.read_sql(query, conn)


def sample_decisions(conn) -> list[int]:
    """Standing confirm / dismiss decisions on events that only the sample's returns report."""
    events = RECORDS["events"]
    reported = (sa.select(events.c.section, events.c.date, events.c.category, files.c.sample)
                .join(versions, versions.c.id == events.c.version_id).join(files, files.c.id == versions.c.file_id)
                .where(versions.c.state != "cleared"))
    rows = conn.execute(reported).all()
    sample_only = {}
    for row in rows:
        key = (row.section, row.date, row.category)
        sample_only[key] = sample_only.get(key, True) and bool(row.sample)
    standing = conn.execute(sa.select(decisions.c.id, decisions.c.section, decisions.c.date, decisions.c.category)
                            .where(decisions.c.undone_at.is_(None), decisions.c.action != "record")).all()
    return [d.id for d in standing if sample_only.get((d.section, d.date, d.category))]


def sample_footprint(conn) -> dict:
    """Versions, current ones and decisions the sample brought, and the current returns anyone else made."""
    by_file = sa.select(versions.c.state, files.c.sample, sa.func.count().label("n")).join(
        files, files.c.id == versions.c.file_id).where(versions.c.state != "cleared").group_by(
        versions.c.state, files.c.sample)
    counts = conn.execute(by_file).all()
    decided = sample_decisions(conn)
    return {"versions": sum(r.n for r in counts if r.sample),
            "current": sum(r.n for r in counts if r.sample and r.state == "current"),
            "decisions": len(decided),
            "kept_current": sum(r.n for r in counts if not r.sample and r.state == "current")}


def current_records(conn, first: str, last: str) -> dict:
    """kind → the current records of months first..last in the loader's columns, and returns (RETURN_COLUMNS)."""
    out = {}
    for kind, table in RECORDS.items():
        query = (sa.select(*[table.c[name] for name in COLUMNS[kind] + SOURCE_COLUMNS])
                 .join(versions, versions.c.id == table.c.version_id)
                 .where(versions.c.state == "current", versions.c.month.between(first, last)))
        out[kind] = typed(pd.read_sql(query, conn))
    current = pd.read_sql(
        sa.select(versions.c.section, versions.c.month, versions.c.source.label("source_file"),
                  versions.c.imported_by)
        .where(versions.c.state == "current", versions.c.month.between(first, last)), conn)
    # 逾期 is decided by when the section-month first arrived: a later correction does not make it late.
    arrived = pd.read_sql(
        sa.select(versions.c.section, versions.c.month, sa.func.min(versions.c.imported_at).label("imported_at"))
        .where(versions.c.state != "cleared", versions.c.month.between(first, last))
        .group_by(versions.c.section, versions.c.month), conn)
    out["returns"] = current.merge(arrived, on=["section", "month"], how="left")[RETURN_COLUMNS]
    return out


def current_version(conn, section: str, month: str) -> int | None:
    """The id of the section-month's current version, None where it has none."""
    return conn.execute(sa.select(versions.c.id).where(
        (versions.c.section == section) & (versions.c.month == month) & (versions.c.state == "current"))).scalar()


def last_change(conn, section: str, month: str) -> str:
    """What last changed a section-month's versions (an import, a restore, a withdrawal), who did it and when."""
    last = conn.execute(sa.select(history.c.at, history.c.who, history.c.action)
                        .where(history.c.section == section, history.c.month == month,
                               history.c.action.in_(["import", "restore", "withdraw"]))
                        .order_by(history.c.id.desc()).limit(1)).first()
    if last is None:
        return STORE_MESSAGES["nothing-current"].format(section=section, month=month)
    return STORE_MESSAGES["changed-since"].format(section=section, month=month, at=last.at, who=last.who or "",
                                                  action=ACTION_NAMES[last.action])


def counts(conn) -> dict:
    """Rows per table of files, sheets and whatever names a section."""
    return {table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
            for table in (files, team_sheets, *SECTION_TABLES)}


def rename_sections(conn, renamed: dict) -> None:
    """Every row naming a section of `renamed` {old: new} names the new one: SECTION_TABLES' section column, and the
    deployed tasks' JSON lists. The one write here, part of Store.set_file_setting's transaction."""
    for old, new in renamed.items():
        for table in SECTION_TABLES:
            conn.execute(table.update().where(table.c.section == old).values(section=new))
    for task in conn.execute(sa.select(deployed_tasks.c.id, deployed_tasks.c.sections)
                             .where(deployed_tasks.c.sections.is_not(None))).all():
        sections = json.loads(task.sections)
        moved = sections
        for old, new in renamed.items():   # in order, as the section columns are moved
            moved = [new if section == old else section for section in moved]
        if moved != sections:
            conn.execute(deployed_tasks.update().where(deployed_tasks.c.id == task.id)
                         .values(sections=json.dumps(list(dict.fromkeys(moved)), ensure_ascii=False)))

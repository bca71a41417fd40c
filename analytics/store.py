"""The dashboard's history: every uploaded file, every version of every section-month, staff decisions.

SQLAlchemy Core over one database URL (config.database_url(): SQLite by default; a PostgreSQL URL, which several
instances may share, is all that changes on a server). Every write is one transaction, queued after the other writers'
(schema.concurrency) and retried where one got in its way, and bumps the store's version, which every instance's page
caches follow. Nothing is deleted: a re-submission supersedes the current version, which stays restorable; a withdrawal
puts the section-month back to 未报送; clearing the sample hides what the sample brought and can be undone; every roster
and rules file stays restorable. At most one version of a section-month is current: a partial unique index says so.
"""
import datetime as dt
import json
import random
import time

import pandas as pd
import sqlalchemy as sa

from analytics import migrate, queries
from analytics.intake.limits import DEFAULT_LIMITS
from analytics.intake.loader import LoadResult
from analytics.intake.messages import STORE_MESSAGES
from analytics.intake.sources import from_bytes
from analytics.records import Records
from analytics.schema import (
    HEAD,
    RECORDS,
    StaleChoice,
    StoreBusy,
    decisions,
    files,
    flags,
    history,
    now,
    opened,
    retried,
    rows_of,
    setting_files,
    versions,
)

UNCHECKED = object()   # restore/withdraw without a page's view to check against
BUSY_SECONDS, ATTEMPTS, BACKOFF_SECONDS = 30, 3, 0.2   # a write waits for another writer, then is retried after a pause


class Store:
    def __init__(self, url: str):
        self.engine, current = opened(url, lambda: BUSY_SECONDS)
        self._writer = self.engine.execution_options(write=True)
        # An older database is migrated as one write, so two first starts queue; an up-to-date one is only read.
        self.migrated = self._write(migrate.upgrade) if current != HEAD else None   # a migrate.Upgrade, or None

    def _write(self, work):
        """Run `work(conn)` in one write transaction, after the writers before it; again, after a jittered pause, where
        one got in its way (schema.retried). After ATTEMPTS: StoreBusy, or a genuine conflict's IntegrityError."""
        for attempt in range(ATTEMPTS):
            try:
                with self._writer.begin() as conn:
                    return work(conn)
            except sa.exc.DBAPIError as error:
                if not retried(error) or (attempt == ATTEMPTS - 1 and isinstance(error, sa.exc.IntegrityError)):
                    raise
                time.sleep(BACKOFF_SECONDS * 2 ** attempt * random.uniform(0.5, 1.5))
        raise StoreBusy()

    # Settings and the version pages cache on ------------------------------------------------------

    def _setting(self, key: str):
        with self.engine.connect() as conn:
            return conn.execute(sa.select(flags).where(flags.c.key == key)).first()

    def _put(self, conn, key: str, who: str | None = None, *, value, first: str | None = None) -> None:
        """Set a setting's value in place (`first` instead where the key has no row yet): never delete-then-insert."""
        values = {"updated_at": now(), "updated_by": who}
        if not conn.execute(flags.update().where(flags.c.key == key).values(value=value, **values)).rowcount:
            conn.execute(flags.insert().values(key=key, value=value if first is None else first, **values))

    def _bump(self, conn) -> None:
        """One more store version, counted up in the database by one UPDATE."""
        self._put(conn, "version", value=sa.cast(sa.cast(flags.c.value, sa.Integer) + 1, flags.c.value.type), first="1")

    def _log(self, conn, who: str | None, action: str, **values) -> None:
        conn.execute(history.insert().values(at=now(), who=who, action=action, **values))
        self._bump(conn)

    def version(self) -> int:
        row = self._setting("version")
        return int(row.value) if row else 0

    def flag(self, key: str) -> bool:
        row = self._setting(key)
        return bool(row and row.value == "1")

    def set_flag(self, key: str, on: bool) -> None:
        self._write(lambda conn: (self._put(conn, key, value="1" if on else "0"), self._bump(conn)))

    def file_setting(self, key: str):
        """The roster or rules file in force (a row: name, data as uploaded, extra, at, who), or None."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(setting_files).where(setting_files.c.key == key)
                                .order_by(setting_files.c.id.desc()).limit(1)).first()

    def file_settings(self, key: str) -> pd.DataFrame:
        """Every roster or rules file that was in force, newest first (id, name, at, who)."""
        with self.engine.connect() as conn:
            return pd.read_sql(sa.select(setting_files.c.id, setting_files.c.name, setting_files.c.at, setting_files.c.who)
                               .where(setting_files.c.key == key).order_by(setting_files.c.id.desc()), conn)

    def file_setting_by_id(self, setting_id: int):
        with self.engine.connect() as conn:
            return conn.execute(sa.select(setting_files).where(setting_files.c.id == setting_id)).one()

    def set_file_setting(self, key: str, name: str, data: bytes, who: str, renamed: dict | None = None,
                         retired: list | None = None, until_now: tuple[str, bytes] | None = None) -> None:
        """Put a checked roster or rules file in force; the one before stays restorable. `renamed` {old: new}
        moves all a renamed section holds to its new name in the same transaction (queries.rename_sections);
        `retired` keeps sections the new roster dropped (with their 撤销月份) so their history still counts.
        `until_now` (name, bytes): the bundled file in force so far, kept first so that it too can be put back."""
        renamed = renamed or {}

        def work(conn):
            if until_now and not conn.execute(sa.select(setting_files.c.id).where(setting_files.c.key == key)).first():
                conn.execute(setting_files.insert().values(key=key, name=until_now[0], data=until_now[1], at=now(),
                                                           who=STORE_MESSAGES["built-in"]))
            queries.rename_sections(conn, renamed)
            extra = json.dumps({"renamed": renamed, "retired": retired or []}, ensure_ascii=False) if key == "roster" else None
            conn.execute(setting_files.insert().values(key=key, name=name, data=data, extra=extra, at=now(), who=who))
            detail = name + "".join(STORE_MESSAGES["renamed"].format(old=old, new=new) for old, new in renamed.items())
            self._log(conn, who, key, detail=detail)
        try:
            self._write(work)
        except sa.exc.IntegrityError:
            raise StaleChoice(STORE_MESSAGES["rename-clash"]) from None

    def sections_with_data(self) -> pd.DataFrame:
        """section, first_month, last_month, versions, decisions: every section name the history holds."""
        with self.engine.connect() as conn:
            return queries.sections_with_data(conn)

    # Imports -----------------------------------------------------------------------------------------

    def known_files(self, digests: list[str]) -> dict:
        """sha256 → (name, uploaded_at) of the files already stored (LoadResult.digests): the same file twice
        changes nothing."""
        with self.engine.connect() as conn:
            return queries.known_files(conn, digests)

    def import_batch(self, result: LoadResult, uploads: list[tuple[str, bytes]], who: str,
                     at: dt.datetime | None = None, at_by_month=None, sample: bool = False) -> dict:
        """Store a validated batch in one transaction: every uploaded file (bytes and its reports), and for
        each imported section-month a new current version with its records. A zip is one uploaded file.

        `uploads` are the files `result` was loaded from (load_uploaded), in the same order: a report belongs to the upload at
        its position (FileReport.upload), never to a file of the same name. A file imported before is skipped with
        everything in it (one stored only as rejected is stored again with its new verdict). `at_by_month(section,
        month)` may date versions (the bundled sample). Returns counts: {"files", "versions", "skipped"}."""
        at, digests = at or now(), result.digests
        by_upload = {}
        for index, report in enumerate(result.reports):
            by_upload.setdefault(report.upload, []).append((index, report))
        # Each return's rows, as insert parameters, found once: kind → (report index, section, month) → its rows.
        frames = {}
        for kind in RECORDS:
            table = getattr(result, kind)
            keys, rows = [result.record_reports[kind], table["section"].to_numpy(), table["month"].to_numpy()], rows_of(table)
            frames[kind] = {key: [rows[i] for i in positions] for key, positions in pd.DataFrame(
                dict(enumerate(keys))).groupby([0, 1, 2]).indices.items()} if len(table) else {}

        def work(conn):
            counts = {"files": 0, "versions": 0, "skipped": 0}
            known, rejected = queries.known_files(conn, digests), queries.rejected_files(conn, digests)
            for upload, ((name, data), digest) in enumerate(zip(uploads, digests)):
                if digest in known:
                    counts["skipped"] += 1
                    continue
                known[digest] = (name, at)
                reports = by_upload.get(upload, [])
                checked = {"status": "rejected" if any(r.status == "rejected" for _, r in reports) else "imported",
                           "report": json.dumps([r.to_dict(10_000) for _, r in reports], ensure_ascii=False)}
                if file_id := rejected.get(digest):  # stored before, rejected: the same bytes now get this verdict
                    conn.execute(files.update().where(files.c.id == file_id).values(**checked))
                else:
                    file_id = conn.execute(files.insert().values(sha256=digest, name=name, size=len(data), data=data,
                                           uploaded_at=at, uploaded_by=who, sample=sample, **checked)).inserted_primary_key[0]
                counts["files"] += 1
                for index, report in [(index, report) for index, report in reports if report.status == "imported"]:
                    for section in report.sections:
                        for month in report.months:
                            when = at_by_month(section, month) if at_by_month else at
                            records = {kind: returns.get((index, section, month)) for kind, returns in frames.items()}
                            self._add_version(conn, records, report.file, section, month, file_id, when, who)
                            counts["versions"] += 1
            if counts["files"]:
                self._bump(conn)
            return counts
        return self._write(work)

    def _add_version(self, conn, records: dict, source: str, section: str, month: str, file_id: int,
                     at: dt.datetime, who: str) -> None:
        current = (versions.c.section == section) & (versions.c.month == month) & (versions.c.state == "current")
        conn.execute(versions.update().where(current).values(state="superseded"))
        version_id = conn.execute(versions.insert().values(
            section=section, month=month, file_id=file_id, source=source, imported_at=at, imported_by=who,
            state="current")).inserted_primary_key[0]
        for kind, rows in records.items():
            if rows is not None:
                conn.execute(RECORDS[kind].insert(), [{**row, "version_id": version_id} for row in rows])
        conn.execute(history.insert().values(at=at, who=who, action="import", section=section, month=month,
                                             version_id=version_id, detail=source))

    def restore(self, version_id: int, who: str, seen=UNCHECKED) -> None:
        """Make an earlier version of a section-month current again; the one it replaces stays in the history.
        `seen`: the id of the version the page showed as current (None: none); StaleChoice if that changed since."""
        def work(conn):
            chosen = conn.execute(sa.select(versions).where(versions.c.id == version_id)).one()
            if chosen.state == "cleared":
                raise StaleChoice(STORE_MESSAGES["cleared-version"])
            self._still(conn, chosen.section, chosen.month, seen)
            same = (versions.c.section == chosen.section) & (versions.c.month == chosen.month)
            conn.execute(versions.update().where(same & (versions.c.state == "current")).values(state="superseded"))
            conn.execute(versions.update().where(versions.c.id == version_id).values(state="current"))
            self._log(conn, who, "restore", section=chosen.section, month=chosen.month, version_id=version_id)
        self._write(work)

    def withdraw(self, section: str, month: str, who: str, why: str, seen=UNCHECKED) -> None:
        """A wrongly imported return: the section-month goes back to 未报送; the version stays in the history.
        `seen` as for restore; with no current version there is nothing to withdraw (StaleChoice)."""
        def work(conn):
            current = (versions.c.section == section) & (versions.c.month == month) & (versions.c.state == "current")
            version_id = self._still(conn, section, month, seen)
            if version_id is None:
                raise StaleChoice(queries.last_change(conn, section, month))
            conn.execute(versions.update().where(current).values(state="withdrawn"))
            self._log(conn, who, "withdraw", section=section, month=month, version_id=version_id, detail=why)
        self._write(work)

    @staticmethod
    def _still(conn, section: str, month: str, seen) -> int | None:
        """The section-month's current version id; StaleChoice if it is not the one the page saw (`seen`)."""
        current = queries.current_version(conn, section, month)
        if seen is not UNCHECKED and current != seen:
            raise StaleChoice(queries.last_change(conn, section, month))
        return current

    def return_of(self, version_id: int) -> tuple[str, bytes]:
        """A version's own return, to download: (its name, its workbook's bytes). From a zip only its own member,
        never the zip, which may hold other sections' returns (and ones refused at import)."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(files.c.name, files.c.data, versions.c.source)
                               .join(versions, versions.c.file_id == files.c.id).where(versions.c.id == version_id)).one()
        if row.source == row.name:
            return row.name, row.data
        return row.source, next(m.data for m in from_bytes(row.name, row.data, DEFAULT_LIMITS) if m.name == row.source)

    def file_of(self, version_id: int) -> tuple[str, bytes]:
        """The uploaded file a version came from: (name, bytes)."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(files.c.name, files.c.data).join(versions, versions.c.file_id == files.c.id)
                               .where(versions.c.id == version_id)).one()
        return row.name, row.data

    # The bundled sample -------------------------------------------------------------------------------

    def sample_footprint(self) -> dict:
        """What clearing the sample would take away (versions, current ones, decisions) and the current returns
        that stay: counts for the confirmation."""
        with self.engine.connect() as conn:
            return queries.sample_footprint(conn)

    def clear_sample(self, who: str) -> dict:
        """Take away only what the bundled sample brought: its versions (hidden, kept for 恢复示例数据) and the
        decisions on events only it reported. Returns, versions and decisions anyone else made stay."""
        def work(conn):
            footprint = queries.sample_decisions(conn)
            chosen = conn.execute(sa.select(versions.c.id, versions.c.state).join(files, files.c.id == versions.c.file_id)
                                  .where(files.c.sample, versions.c.state != "cleared")).all()
            ids = [row.id for row in chosen]
            if ids:
                conn.execute(versions.update().where(versions.c.id.in_(ids)).values(state="cleared"))
            if footprint:
                conn.execute(decisions.update().where(decisions.c.id.in_(footprint))
                             .values(undone_at=now(), undone_by=STORE_MESSAGES["cleared-by"].format(who=who)))
            self._put(conn, "sample", value="0")
            detail = {"versions": {row.id: row.state for row in chosen}, "decisions": footprint}
            self._log(conn, who, "clear-sample", detail=json.dumps(detail))
            return {"versions": len(ids), "decisions": len(footprint)}
        return self._write(work)

    def can_restore_sample(self) -> bool:
        return self._last_clear() is not None

    def _last_clear(self):
        with self.engine.connect() as conn:
            last = conn.execute(sa.select(history).where(history.c.action.in_(["clear-sample", "restore-sample"]))
                                .order_by(history.c.id.desc()).limit(1)).first()
        return last if last is not None and last.action == "clear-sample" else None

    def restore_sample(self, who: str) -> None:
        """Undo the last clearing of the sample. A section-month that has a current return of its own by now keeps
        it; the sample's version goes back as superseded there."""
        cleared = self._last_clear()
        if cleared is None:
            raise StaleChoice(STORE_MESSAGES["nothing-to-restore"])
        detail = json.loads(cleared.detail)

        def work(conn):
            for version_id, state in detail["versions"].items():
                row = conn.execute(sa.select(versions).where(versions.c.id == int(version_id))).one()
                if state == "current":
                    taken = conn.execute(sa.select(versions.c.id).where(
                        (versions.c.section == row.section) & (versions.c.month == row.month)
                        & (versions.c.state == "current"))).first()
                    state = "superseded" if taken else "current"
                conn.execute(versions.update().where(versions.c.id == row.id).values(state=state))
            if detail["decisions"]:
                conn.execute(decisions.update().where(decisions.c.id.in_(detail["decisions"]))
                             .values(undone_at=None, undone_by=None))
            self._put(conn, "sample", value="1")
            self._log(conn, who, "restore-sample", detail=str(cleared.id))
        self._write(work)

    # Staff decisions on vetoes ---------------------------------------------------------------------

    def decide(self, action: str, section: str, month: str, date, category: str, who: str, why: str,
               description: str = "", seen: int | None = None) -> list[dict]:
        """Confirm or dismiss an event, or record one a section did not report; it outranks any return.

        `seen` is the newest decision id the deciding page knew of. The decision is always recorded; returned
        are the standing decisions on the same event made since (a colleague's), so the page can name them."""
        def work(conn):
            same = (decisions.c.section == section) & (decisions.c.category == category) & (
                decisions.c.date.is_(None) if date is None else decisions.c.date == date)
            newer = conn.execute(sa.select(decisions).where(same, decisions.c.undone_at.is_(None),
                                                            decisions.c.id > (seen or 0))).mappings().all() \
                if seen is not None else []
            conn.execute(decisions.insert().values(action=action, section=section, month=month, date=date,
                                                   category=category, description=description, who=who,
                                                   at=now(), why=why))
            self._log(conn, who, f"decision-{action}", section=section, month=month,
                      detail=STORE_MESSAGES["decision"].format(category=category, why=why))
            return [dict(row) for row in newer]
        return self._write(work)

    def undo_decision(self, decision_id: int, who: str) -> None:
        def work(conn):
            done = conn.execute(decisions.update().where(decisions.c.id == decision_id, decisions.c.undone_at.is_(None))
                                .values(undone_at=now(), undone_by=who)).rowcount
            if not done:
                raise StaleChoice(STORE_MESSAGES["already-undone"])
            self._log(conn, who, "decision-undo", detail=str(decision_id))
        self._write(work)

    def redo_decision(self, decision_id: int, who: str) -> None:
        """Take back an undo: the decision stands again, in its own place among the decisions (the log keeps both)."""
        def work(conn):
            old = conn.execute(sa.select(decisions).where(decisions.c.id == decision_id)).one()
            if old.undone_at is None:
                raise StaleChoice(STORE_MESSAGES["not-undone"])
            conn.execute(decisions.update().where(decisions.c.id == decision_id).values(undone_at=None, undone_by=None))
            self._log(conn, who, "decision-redo", section=old.section, month=old.month,
                      detail=STORE_MESSAGES["redone"].format(id=decision_id, undone_at=old.undone_at, undone_by=old.undone_by))
        self._write(work)

    # Reading ------------------------------------------------------------------------------------------

    def records(self, first: str, last: str) -> Records:
        """The current records of months first..last, in the loader's columns, plus returns (section, month,
        source_file, imported_at: when the section-month's first return arrived, imported_by) and decisions."""
        with self.engine.connect() as conn:
            return Records(**queries.current_records(conn, first, last), decisions=self.decisions(conn))

    def decisions(self, conn=None) -> pd.DataFrame:
        query = sa.select(decisions).order_by(decisions.c.at, decisions.c.id)
        if conn is None:
            with self.engine.connect() as conn:
                return pd.read_sql(query, conn)
        return pd.read_sql(query, conn)

    def months(self) -> list[str]:
        """Every month with a current return, in order."""
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(versions.c.month).where(versions.c.state == "current")
                                     .distinct().order_by(versions.c.month)).scalars())

    def versions_of(self, section: str | None = None, month: str | None = None) -> pd.DataFrame:
        """Every version (current, superseded, withdrawn; not a cleared sample's) with its file, newest first."""
        with self.engine.connect() as conn:
            return queries.versions_of(conn, section, month)

    def log(self, limit: int | None = 200) -> pd.DataFrame:
        """The history, the last written first: the latest `limit` rows, or every row with limit=None."""
        with self.engine.connect() as conn:
            return pd.read_sql(sa.select(history).order_by(history.c.id.desc()).limit(limit), conn)

    def counts(self) -> dict:
        """Rows per table (for tests and the settings page)."""
        with self.engine.connect() as conn:
            return queries.counts(conn)


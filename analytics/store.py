"""The dashboard's history: every uploaded file, every version of every section-month, staff decisions.

SQLAlchemy Core over one database URL (settings.database_url(): SQLite by default; a PostgreSQL URL is
all that changes on a server). Every write is one transaction and bumps the store's version, which
the pages' caches are keyed on. Nothing is deleted by an import: a re-submission supersedes the
current version, which stays restorable; a withdrawal puts the section-month back to 未报送.
"""
import datetime as dt
import hashlib
import json
from types import SimpleNamespace

import pandas as pd
import sqlalchemy as sa

from analytics import vocab
from analytics.loader import OUTPUT_COLUMNS, SOURCE_COLUMNS, LoadResult

metadata = sa.MetaData()
files = sa.Table(
    "files", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("uploaded_at", sa.DateTime, nullable=False),
    sa.Column("uploaded_by", sa.Text),
    sa.Column("status", sa.String(16), nullable=False),       # imported / rejected (any of its members)
    sa.Column("report", sa.Text, nullable=False),             # [FileReport.to_dict()] as JSON
)
versions = sa.Table(
    "versions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("section", sa.Text, nullable=False),
    sa.Column("month", sa.String(7), nullable=False),
    sa.Column("file_id", sa.ForeignKey("files.id"), nullable=False),
    sa.Column("source", sa.Text, nullable=False),             # the return: the file, or ZIP/MEMBER
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Column("imported_by", sa.Text),
    sa.Column("state", sa.String(16), nullable=False),        # current / superseded / withdrawn
    sa.Index("versions_current", "state", "month"),
)
history = sa.Table(
    "history", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("who", sa.Text),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("section", sa.Text),
    sa.Column("month", sa.String(7)),
    sa.Column("version_id", sa.Integer),
    sa.Column("detail", sa.Text),
)
decisions = sa.Table(
    "decisions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("action", sa.String(16), nullable=False),       # confirm / dismiss / record
    sa.Column("section", sa.Text, nullable=False),
    sa.Column("month", sa.String(7), nullable=False),         # the month the decision counts from
    sa.Column("date", sa.Date),
    sa.Column("category", sa.Text, nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("why", sa.Text, nullable=False),
    sa.Column("undone_at", sa.DateTime),
    sa.Column("undone_by", sa.Text),
)
settings = sa.Table(
    "settings", metadata,
    sa.Column("key", sa.String(32), primary_key=True),        # roster / rules / version / sample / bootstrapped
    sa.Column("name", sa.Text),
    sa.Column("data", sa.LargeBinary),
    sa.Column("value", sa.Text),
    sa.Column("updated_at", sa.DateTime),
    sa.Column("updated_by", sa.Text),
)
_TYPES = {"planned": sa.Integer, "done": sa.Integer, "deployed": sa.Boolean, "date": sa.Date, "source_row": sa.Integer,
          **dict.fromkeys(vocab.NINE_ITEMS, sa.SmallInteger)}
RECORDS = {kind: sa.Table(kind, metadata, sa.Column("version_id", sa.ForeignKey("versions.id"), nullable=False, index=True),
                          *[sa.Column(name, _TYPES.get(name, sa.Text)) for name in columns + SOURCE_COLUMNS])
           for kind, columns in OUTPUT_COLUMNS.items()}


class Store:
    def __init__(self, url: str):
        self.engine = sa.create_engine(url)
        metadata.create_all(self.engine)

    # Settings and the version pages cache on ------------------------------------------------------

    def _setting(self, key: str):
        with self.engine.connect() as conn:
            return conn.execute(sa.select(settings).where(settings.c.key == key)).first()

    def _put(self, conn, key: str, who: str | None = None, **values) -> None:
        conn.execute(settings.delete().where(settings.c.key == key))
        conn.execute(settings.insert().values(key=key, updated_at=_now(), updated_by=who, **values))

    def _bump(self, conn) -> None:
        version = conn.execute(sa.select(settings.c.value).where(settings.c.key == "version")).scalar()
        self._put(conn, "version", value=str(int(version or 0) + 1))

    def version(self) -> int:
        row = self._setting("version")
        return int(row.value) if row else 0

    def flag(self, key: str) -> bool:
        row = self._setting(key)
        return bool(row and row.value == "1")

    def set_flag(self, key: str, on: bool) -> None:
        with self.engine.begin() as conn:
            self._put(conn, key, value="1" if on else "0")
            self._bump(conn)

    def file_setting(self, key: str) -> tuple[str, bytes] | None:
        """The clerk's roster or rules file as uploaded: (name, bytes)."""
        row = self._setting(key)
        return (row.name, row.data) if row and row.data is not None else None

    def set_file_setting(self, key: str, name: str, data: bytes, who: str) -> None:
        with self.engine.begin() as conn:
            self._put(conn, key, who, name=name, data=data)
            conn.execute(history.insert().values(at=_now(), who=who, action=key, detail=name))
            self._bump(conn)

    # Imports -----------------------------------------------------------------------------------------

    def known_files(self, datas: list[bytes]) -> dict:
        """sha256 → (name, uploaded_at) of files already stored: the same file twice changes nothing."""
        hashes = [_sha256(data) for data in datas]
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(files.c.sha256, files.c.name, files.c.uploaded_at)
                                .where(files.c.sha256.in_(hashes))).all()
        return {row.sha256: (row.name, row.uploaded_at) for row in rows}

    def import_batch(self, result: LoadResult, uploads: list[tuple[str, bytes]], who: str,
                     at: dt.datetime | None = None, at_by_month=None) -> dict:
        """Store a validated batch in one transaction: every uploaded file (bytes and its reports), and for
        each imported section-month a new current version with its records. A zip is one uploaded file.

        A file stored before is skipped with everything in it. `at_by_month(section, month)` may date versions
        (the bundled sample). Returns counts: {"files", "versions", "skipped"}."""
        at = at or _now()
        known = self.known_files([data for _, data in uploads])
        counts = {"files": 0, "versions": 0, "skipped": 0}
        # Each return's records, found once: kind → (source_file, section, month) → its rows.
        frames = {kind: {key: getattr(result, kind).iloc[rows] for key, rows in getattr(result, kind).groupby(
            ["source_file", "section", "month"]).indices.items()} for kind in RECORDS}
        with self.engine.begin() as conn:
            for name, data in uploads:
                digest = _sha256(data)
                if digest in known:
                    counts["skipped"] += 1
                    continue
                known[digest] = (name, at)
                reports = [r for r in result.reports if r.file == name or r.file.startswith(name + "/")]
                file_id = conn.execute(files.insert().values(
                    sha256=digest, name=name, size=len(data), data=data, uploaded_at=at, uploaded_by=who,
                    status="rejected" if any(r.status == "rejected" for r in reports) else "imported",
                    report=json.dumps([r.to_dict(10_000) for r in reports], ensure_ascii=False))).inserted_primary_key[0]
                counts["files"] += 1
                for report in reports:
                    if report.status != "imported":
                        continue
                    for section in report.sections:
                        for month in report.months:
                            when = at_by_month(section, month) if at_by_month else at
                            self._add_version(conn, frames, report.file, section, month, file_id, when, who)
                            counts["versions"] += 1
            if counts["files"]:
                self._bump(conn)
        return counts

    def _add_version(self, conn, frames: dict, source: str, section: str, month: str, file_id: int,
                     at: dt.datetime, who: str) -> None:
        current = (versions.c.section == section) & (versions.c.month == month) & (versions.c.state == "current")
        conn.execute(versions.update().where(current).values(state="superseded"))
        version_id = conn.execute(versions.insert().values(
            section=section, month=month, file_id=file_id, source=source, imported_at=at, imported_by=who,
            state="current")).inserted_primary_key[0]
        for kind, returns in frames.items():
            rows = returns.get((source, section, month))
            if rows is not None:
                conn.execute(RECORDS[kind].insert(), _records(rows.assign(version_id=version_id)))
        conn.execute(history.insert().values(at=at, who=who, action="import", section=section, month=month,
                                             version_id=version_id, detail=source))

    def restore(self, version_id: int, who: str) -> None:
        """Make an earlier version of a section-month current again; the one it replaces stays in the history."""
        with self.engine.begin() as conn:
            chosen = conn.execute(sa.select(versions).where(versions.c.id == version_id)).one()
            same = (versions.c.section == chosen.section) & (versions.c.month == chosen.month)
            conn.execute(versions.update().where(same & (versions.c.state == "current")).values(state="superseded"))
            conn.execute(versions.update().where(versions.c.id == version_id).values(state="current"))
            conn.execute(history.insert().values(at=_now(), who=who, action="restore", section=chosen.section,
                                                 month=chosen.month, version_id=version_id))
            self._bump(conn)

    def withdraw(self, section: str, month: str, who: str, why: str) -> None:
        """A wrongly imported return: the section-month goes back to 未报送; the version stays in the history."""
        with self.engine.begin() as conn:
            current = (versions.c.section == section) & (versions.c.month == month) & (versions.c.state == "current")
            conn.execute(versions.update().where(current).values(state="withdrawn"))
            conn.execute(history.insert().values(at=_now(), who=who, action="withdraw", section=section, month=month,
                                                 detail=why))
            self._bump(conn)

    def clear(self, who: str) -> None:
        """Remove every return, version and decision (the sample data); settings and the log stay."""
        with self.engine.begin() as conn:
            for table in (*RECORDS.values(), versions, decisions, files):
                conn.execute(table.delete())
            conn.execute(history.insert().values(at=_now(), who=who, action="clear"))
            self._put(conn, "sample", value="0")
            self._bump(conn)

    # Staff decisions on vetoes ---------------------------------------------------------------------

    def decide(self, action: str, section: str, month: str, date, category: str, who: str, why: str,
               description: str = "") -> None:
        """Confirm or dismiss an event, or record one a section did not report; it outranks any return."""
        with self.engine.begin() as conn:
            conn.execute(decisions.insert().values(action=action, section=section, month=month, date=date,
                                                   category=category, description=description, who=who,
                                                   at=_now(), why=why))
            conn.execute(history.insert().values(at=_now(), who=who, action=f"decision-{action}", section=section,
                                                 month=month, detail=f"{category}：{why}"))
            self._bump(conn)

    def undo_decision(self, decision_id: int, who: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(decisions.update().where(decisions.c.id == decision_id).values(undone_at=_now(), undone_by=who))
            conn.execute(history.insert().values(at=_now(), who=who, action="decision-undo", detail=str(decision_id)))
            self._bump(conn)

    # Reading ------------------------------------------------------------------------------------------

    def tables(self, first: str, last: str):
        """The current records of months first..last, in the loader's columns, plus returns (section, month,
        source_file, imported_at, imported_by) and decisions."""
        with self.engine.connect() as conn:
            out = {}
            for kind, table in RECORDS.items():
                query = (sa.select(*[table.c[name] for name in OUTPUT_COLUMNS[kind] + SOURCE_COLUMNS])
                         .join(versions, versions.c.id == table.c.version_id)
                         .where(versions.c.state == "current", versions.c.month.between(first, last)))
                out[kind] = _typed(kind, pd.read_sql(query, conn))
            out["returns"] = pd.read_sql(
                sa.select(versions.c.section, versions.c.month, versions.c.source.label("source_file"),
                          versions.c.imported_at, versions.c.imported_by)
                .where(versions.c.state == "current", versions.c.month.between(first, last)), conn)
            out["decisions"] = self.decisions(conn)
        return SimpleNamespace(**out)

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
        """Every version (current, superseded, withdrawn) with its file, newest first."""
        query = (sa.select(versions.c.id, versions.c.section, versions.c.month, versions.c.state,
                           versions.c.imported_at, versions.c.imported_by, versions.c.source.label("file"))
                 .order_by(versions.c.imported_at.desc(), versions.c.id.desc()))
        if section:
            query = query.where(versions.c.section == section)
        if month:
            query = query.where(versions.c.month == month)
        with self.engine.connect() as conn:
            return pd.read_sql(query, conn)

    def log(self, limit: int = 200) -> pd.DataFrame:
        with self.engine.connect() as conn:
            return pd.read_sql(sa.select(history).order_by(history.c.id.desc()).limit(limit), conn)

    def counts(self) -> dict:
        """Rows per table (for tests and the settings page)."""
        with self.engine.connect() as conn:
            return {table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
                    for table in (files, versions, decisions, *RECORDS.values())}


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _records(frame: pd.DataFrame) -> list[dict]:
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict("records")


def _typed(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Stored rows back in the loader's dtypes."""
    if kind == "tasks":
        return frame.astype({"planned": "int64", "done": "int64", "deployed": bool})
    if kind == "inspections":
        return frame.astype({item: "Int8" for item in vocab.NINE_ITEMS})
    return frame

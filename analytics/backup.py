"""Backups of the store (issue 13 "Build" 4): a consistent snapshot of every table, and its restore into an empty
database, on SQLite and PostgreSQL alike.

A backup is one SQLite file: the project's tables (schema.metadata) with every row, uploaded files' bytes
included, plus a table `wenming_backup` (key, value) saying what it is: the format, the schema revision it was
taken at (Alembic's alembic_version; none before migrations), when, by whom, from where (CLI or page) and from
which kind of database. From SQLite it is sqlite3's online backup of the file (one step: one read transaction,
consistent while others write); from PostgreSQL every table is read in one REPEATABLE READ, READ ONLY transaction
and copied in batches (memory bounded: a file may be many MB). So a backup of either restores into either: that is
how a bureau's store moves onto a server.

A backup is recorded in the history (action "backup"), without bumping the store's version: it changes no figure.
A restore copies every table in foreign-key order in one write transaction and bumps the version, so every cache
follows.
"""
import datetime as dt
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

from analytics import labels_db, migrate
from analytics.schema import history, metadata, now, revision
from analytics.store import Store

FORMAT = "wenming-backup 1"
INFO = "wenming_backup"                     # the snapshot's own table, not the project's
NOT_COPIED = {INFO, "alembic_version"}      # in a snapshot, beside the project's tables
SQLITE_HEADER = b"SQLite format 3\x00"
ROWS_PER_BATCH, FILE_ROWS_PER_BATCH = 5000, 20   # a row of a table with a LargeBinary column may be many MB


class BackupRefused(Exception):
    """A backup or restore that would be wrong; nothing was written. The message says why and what to do."""


def backup(store: Store, out, who: str, origin: str, at: dt.datetime | None = None) -> dict:
    """Write a snapshot of `store` to the new file `out` (never over an existing one; a failed backup leaves no
    file) and record it, as made `at` (when asked for: the time a file name carries; now by default). `origin`: "cli"
    or "page" (labels_db.BACKUP_DETAILS). Returns what the snapshot says of itself (backup_info)."""
    out = Path(out)
    if out.exists():
        raise BackupRefused(labels_db.BACKUP_REFUSED["exists"].format(path=out))
    partial = out.with_name(f".{out.name}.partial")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial.open("xb").close()  # a folder one may not write to is an OSError here, said in one line by the CLI
    try:
        sqlite = store.engine.dialect.name == "sqlite"
        taken_at, source_revision = (_copy_file if sqlite else _copy_tables)(store, partial)
        info = {"format": FORMAT, "revision": source_revision or "", "taken_at": taken_at.isoformat(sep=" "),
                "taken_by": who, "origin": origin, "source": store.engine.dialect.name}
        _label(partial, info)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    detail = labels_db.BACKUP_DETAILS[origin].format(path=out if origin == "cli" else out.name)
    store._write(lambda conn: conn.execute(history.insert().values(at=at or now(), who=who, action="backup", detail=detail)))
    return info


def backup_bytes(store: Store, who: str, origin: str = "page") -> tuple[str, bytes]:
    """A snapshot of `store` as (file name, bytes), for a download: 文明创建看板备份_2026-12-01_2215.sqlite."""
    at = now()  # the file's name and its line in the history say the same minute
    name = labels_db.BACKUP_PAGE["file"].format(at=at)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        backup(store, path, who, origin, at)
        return name, path.read_bytes()


def last_backup(store: Store):
    """The history row of the latest backup (at, who, detail), or None."""
    with store.engine.connect() as conn:
        return conn.execute(sa.select(history.c.at, history.c.who, history.c.detail).where(history.c.action == "backup")
                            .order_by(history.c.id.desc()).limit(1)).first()


def _copy_file(store: Store, path: Path) -> tuple[dt.datetime, str | None]:
    """sqlite3's online backup, in one step (pages=-1: one read transaction, so writers meanwhile are not in it)."""
    with store.engine.connect() as conn, closing(sqlite3.connect(path)) as target:
        conn.connection.dbapi_connection.backup(target)
        taken_at = now()
    copy = _engine(path)
    with copy.connect() as conn:  # the revision as the copy holds it
        taken = revision(conn)
    copy.dispose()
    return taken_at, taken


def _copy_tables(store: Store, path: Path) -> tuple[dt.datetime, str | None]:
    """Every table of `store` read in one REPEATABLE READ, READ ONLY transaction, written in batches to a new
    SQLite file with the project's schema."""
    target = _engine(path)
    metadata.create_all(target)
    reading = store.engine.connect().execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    try:
        with reading.begin(), target.begin() as writing:
            taken_at = now()
            for table in metadata.sorted_tables:
                _copy(reading, writing, table, [column.name for column in table.columns])
            taken = revision(reading)
    finally:
        reading.close()
        target.dispose()
    return taken_at, taken


def _copy(source, target, table: sa.Table, names: list[str]) -> int:
    """Copy `names` of every row of `table` from connection `source` to `target` in batches; the rows copied."""
    batch = FILE_ROWS_PER_BATCH if any(isinstance(table.c[name].type, sa.LargeBinary) for name in names) \
        else ROWS_PER_BATCH
    result = source.execution_options(yield_per=batch).execute(sa.select(*[table.c[name] for name in names]))
    copied = 0
    for rows in result.partitions():
        target.execute(table.insert(), [dict(zip(names, row)) for row in rows])
        copied += len(rows)
    return copied


def _label(path: Path, info: dict) -> None:
    """Say what the snapshot is (table INFO), and make it one self-contained file: no write-ahead log beside it
    (the online backup keeps the source's WAL mode)."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"CREATE TABLE {INFO} (key TEXT PRIMARY KEY, value TEXT)")
        conn.executemany(f"INSERT INTO {INFO} VALUES (?, ?)", info.items())
        conn.commit()
        conn.execute("PRAGMA journal_mode = DELETE")


def _engine(path: Path, read_only: bool = False) -> sa.Engine:
    """An engine on the SQLite file at `path` (any name: the URI is quoted), read-only if asked."""
    uri = f"file:{quote(str(path.resolve()))}" + ("?mode=ro" if read_only else "")
    return sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))


def backup_info(path) -> dict:
    """What the backup at `path` says of itself (format, revision, taken_at, taken_by, origin, source); refuses a
    file that is not a backup (not SQLite, damaged or cut short, without its INFO table or of another format)."""
    path = Path(path)
    refused = BackupRefused(labels_db.BACKUP_REFUSED["not-a-backup"].format(name=path.name))
    with path.open("rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise refused
    engine = _engine(path, read_only=True)
    try:
        with engine.connect() as conn:
            info = dict(conn.execute(sa.text(f"SELECT key, value FROM {INFO}")).all())
    except sa.exc.DatabaseError:
        raise refused from None
    finally:
        engine.dispose()
    if info.get("format") != FORMAT:
        raise refused
    return info


def _known_revisions() -> set[str]:
    """The schema revisions this code can restore: its migration scripts'."""
    return {script.revision for script in migrate.scripts().walk_revisions()}


def _columns(conn, name: str, info: dict) -> dict[str, list[str]]:
    """table → the columns to copy, for every project table the snapshot holds. A revision, table or column this
    code does not know means a backup of a newer dashboard: refused. (An older snapshot lacks some: they take their
    defaults, the schema's changes being additions.)"""
    newer = BackupRefused(labels_db.BACKUP_REFUSED["newer"].format(name=name, revision=info["revision"] or "-"))
    if info["revision"] not in _known_revisions():
        raise newer
    inspector, held = sa.inspect(conn), {}
    for table_name in set(inspector.get_table_names()) - NOT_COPIED:
        table = metadata.tables.get(table_name)
        names = [column["name"] for column in inspector.get_columns(table_name)]
        if table is None or set(names) - set(table.c.keys()):
            raise newer
        held[table_name] = names
    return held


def restore(store: Store, source, who: str) -> dict:
    """Load the backup at `source` into `store`, which must hold no row yet: every table in foreign-key order in
    one write transaction, PostgreSQL's id sequences set past the largest id, the restore recorded in the history
    and the version bumped. Refuses (nothing written) a file that is not a backup, a backup of a newer schema and a
    database that holds data. Returns the backup's info with "restored": table → rows restored."""
    path = Path(source)
    info = backup_info(path)
    snapshot = _engine(path, read_only=True)
    try:
        with snapshot.connect() as reading:
            held = _columns(reading, path.name, info)

            def work(conn):
                rows = sum(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
                           for table in metadata.sorted_tables)
                if rows:
                    raise BackupRefused(labels_db.BACKUP_REFUSED["not-empty"].format(rows=rows))
                copied = {table.name: _copy(reading, conn, table, held[table.name])
                          for table in metadata.sorted_tables if table.name in held}
                if conn.dialect.name == "postgresql":
                    _advance_sequences(conn)
                store._log(conn, who, "restore-backup", detail=labels_db.BACKUP_DETAILS["restore"].format(name=path.name, **info))
                return copied
            return {**info, "restored": store._write(work)}
    finally:
        snapshot.dispose()


def _advance_sequences(conn) -> None:
    """Each table's id sequence past its largest id, so the next insert does not collide with a restored row."""
    for table in metadata.sorted_tables:
        keys = list(table.primary_key)
        if len(keys) == 1 and isinstance(keys[0].type, sa.Integer):
            key = keys[0]
            sequence = sa.func.pg_get_serial_sequence(table.name, key.name)
            conn.execute(sa.select(sa.func.setval(sequence, sa.func.coalesce(sa.func.max(key), 0) + 1, False)))

"""The database schema of the store: its tables, the one-current-version index, and the migration it is at
(HEAD: analytics/migrations/ make these tables; a change here is a new migration there). Table and column names are
the database's own: never rename them here. SQLite and PostgreSQL are set up for several sessions, processes and
instances at once (`concurrency`: writers queue, readers never wait); `retried` says which errors a write's retry
cures.
"""
import datetime as dt
import re

import pandas as pd
import sqlalchemy as sa

from analytics.intake import vocab
from analytics.intake.messages import STORE_MESSAGES
from analytics.records import COLUMNS, SOURCE_COLUMNS

HEAD = "0005"                   # the newest migration (a test checks it is the scripts' head)
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
    sa.Column("sample", sa.Boolean, nullable=False, server_default=sa.false()),  # brought by the bundled sample
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
    sa.Column("state", sa.String(16), nullable=False),        # current / superseded / withdrawn / cleared (sample)
    sa.Index("versions_current", "state", "month"),
)
# One current version per section-month, whatever two writers do at once.
ONE_CURRENT = sa.Index("versions_one_current", versions.c.section, versions.c.month, unique=True,
                       sqlite_where=versions.c.state == "current", postgresql_where=versions.c.state == "current")
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
flags = sa.Table(  # key-value settings: the version pages cache on, flags, legacy files
    "settings", metadata,
    sa.Column("key", sa.String(32), primary_key=True),        # version / sample / bootstrapped (roster, rules: legacy)
    sa.Column("name", sa.Text),
    sa.Column("data", sa.LargeBinary),
    sa.Column("value", sa.Text),
    sa.Column("updated_at", sa.DateTime),
    sa.Column("updated_by", sa.Text),
)
setting_files = sa.Table(
    "setting_files", metadata,                                # every roster and rules file ever in force; the newest is
    sa.Column("id", sa.Integer, primary_key=True),            # in force
    sa.Column("key", sa.String(32), nullable=False),          # roster / rules
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("extra", sa.Text),                              # roster: {"renamed": {old: new}, "retired": [rows]} as JSON
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("who", sa.Text),
)
accounts = sa.Table(  # issue 11: who may sign in; a disabled account keeps its row and all its history
    "accounts", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.Text, nullable=False, unique=True),
    sa.Column("display_name", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),         # office / leader / section (accounts.ROLES)
    sa.Column("section", sa.Text),                            # the roster section of a section account
    sa.Column("password_hash", sa.Text, nullable=False),      # argon2id, never the password
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.Text),
    sa.Column("disabled_at", sa.DateTime),
    sa.Column("last_sign_in_at", sa.DateTime),
)
sign_in_attempts = sa.Table(  # every sign-in, for the lockout and the audit
    "sign_in_attempts", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.Text, nullable=False),           # as typed (stripped, cut to 64 characters)
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("succeeded", sa.Boolean, nullable=False),
    sa.Column("reason", sa.String(16)),                       # why it failed: wrong-password / unknown-name / locked / disabled
    sa.Index("sign_in_attempts_username_at", "username", "at"),
)
sessions = sa.Table(  # issue 11: one row per sign-in (analytics/sessions.py); the cookie carries the id, this its hash
    "sessions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),   # sha256 of the random id, hex
    sa.Column("username", sa.Text, nullable=False, index=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("last_seen_at", sa.DateTime, nullable=False),
    sa.Column("ended_at", sa.DateTime),                                    # signed out, expired, or the account changed
)
_TYPES = {"planned": sa.Integer, "done": sa.Integer, "deployed": sa.Boolean, "date": sa.Date, "source_row": sa.Integer,
          **dict.fromkeys(vocab.NINE_ITEMS, sa.SmallInteger)}
RECORDS = {kind: sa.Table(kind, metadata, sa.Column("version_id", sa.ForeignKey("versions.id"), nullable=False, index=True),
                          *[sa.Column(name, _TYPES.get(name, sa.Text)) for name in columns + SOURCE_COLUMNS])
           for kind, columns in COLUMNS.items()}
team_sheets = sa.Table(  # issue 14: inspection-team sheets (检查组检查表); their rows add to sections' inspections
    "team_sheets", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("file_id", sa.ForeignKey("files.id"), nullable=False),
    sa.Column("month", sa.String(7), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),        # current / withdrawn
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Column("imported_by", sa.Text),
)
team_inspections = sa.Table(
    "team_inspections", metadata,
    sa.Column("sheet_id", sa.ForeignKey("team_sheets.id"), nullable=False, index=True),
    *[sa.Column(name, _TYPES.get(name, sa.Text)) for name in COLUMNS["inspections"] + SOURCE_COLUMNS],
)
evidence = sa.Table(  # issue 14 "Build" 5 (analytics/evidence_store.py): evidence (台账) for the city's assessment
    "evidence", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("item", sa.Text),                               # the plan item it is for; NULL: a return's task (below)
    sa.Column("section", sa.Text),                            # the section it is for; NULL: the bureau's
    sa.Column("month", sa.String(7)),                         # a return's task: its month and name
    sa.Column("task", sa.Text),
    sa.Column("name", sa.Text, nullable=False),               # the file's name as uploaded
    sa.Column("kind", sa.String(8), nullable=False),          # what its bytes are (evidence.EVIDENCE_KINDS)
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("thumbnail", sa.LargeBinary),                   # a photo's, as PNG
    sa.Column("note", sa.Text, nullable=False),               # what was done, in the uploader's words
    sa.Column("uploaded_at", sa.DateTime, nullable=False),
    sa.Column("uploaded_by", sa.Text),
    sa.Column("removed_at", sa.DateTime),                     # removed: kept, restorable
    sa.Column("removed_by", sa.Text),
    sa.Index("evidence_year", "year"),
)
# Every table whose rows name a section: a section renamed in the roster is renamed in each (Store.set_file_setting).
SECTION_TABLES = (versions, decisions, *RECORDS.values(), team_inspections, evidence)


def sqlite_concurrency(engine: sa.Engine, busy_seconds) -> None:
    """SQLite for several sessions and processes: WAL (readers never wait for a writer), a busy timeout, and
    write transactions that take the write lock when they begin (BEGIN IMMEDIATE), so two writers queue
    instead of failing half-way (SQLAlchemy's pysqlite recipe: the driver's own BEGIN is turned off).
    `busy_seconds()` is asked at each new connection (store.BUSY_SECONDS, which a test may lower)."""
    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute(f"PRAGMA busy_timeout = {busy_seconds() * 1000}")
        dbapi_connection.execute("PRAGMA journal_mode = WAL")

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


# PostgreSQL: the transaction-level advisory lock every write holds (the store's BEGIN IMMEDIATE); any constant would do.
WRITE_LOCK = int.from_bytes(b"wenming", "big")
# PostgreSQL errors a write's retry cures: serialization failure, deadlock, lock wait over lock_timeout, and a unique
# violation (two writers that did not queue, e.g. an older release's instance; a genuine one outlives the retries).
RETRIED_SQLSTATES = {"40001", "40P01", "55P03", "23505"}


def postgres_concurrency(engine: sa.Engine, busy_seconds) -> None:
    """PostgreSQL for several processes and instances, as SQLite's BEGIN IMMEDIATE: a write transaction first takes
    one advisory lock (WRITE_LOCK, let go at commit or rollback), so writers queue, and reads at READ COMMITTED what
    every earlier writer committed, so the store's read-then-write code stays right. Waiting over busy_seconds() for
    the lock ends it (lock_timeout) for the store to retry. A read takes no lock and sees one snapshot throughout
    (REPEATABLE READ): a page never waits for a writer and never sees part of an import."""
    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        if conn.get_execution_options().get("write"):
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL READ COMMITTED; "
                                 f"SET LOCAL lock_timeout = {max(1, int(busy_seconds() * 1000))}; "  # 0 would wait for ever
                                 f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
        else:
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


CONCURRENCY = {"sqlite": sqlite_concurrency, "postgresql": postgres_concurrency}   # the databases the store runs on


def concurrency(engine: sa.Engine, busy_seconds) -> None:
    """Set `engine` (SQLite or PostgreSQL, else DatabaseUnusable) up for several writers at once."""
    if engine.dialect.name not in CONCURRENCY:
        raise DatabaseUnusable("unsupported", engine.url, dialect=engine.dialect.name)
    CONCURRENCY[engine.dialect.name](engine, busy_seconds)


def retried(error: sa.exc.DBAPIError) -> bool:
    """Whether a write that failed with `error` may succeed when run again: another writer held the database
    (SQLite: locked or busy; PostgreSQL: RETRIED_SQLSTATES)."""
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in RETRIED_SQLSTATES
    return isinstance(error, sa.exc.OperationalError) and ("locked" in str(error) or "busy" in str(error))


class StoreBusy(Exception):
    """The database stayed locked by another writer; nothing was written and the caller may retry."""

    def __str__(self) -> str:
        return STORE_MESSAGES["busy"]


class StaleChoice(Exception):
    """The thing acted on changed since the page was drawn; the message says what changed."""


class DatabaseUnusable(Exception):
    """The configured database cannot be used and nothing was written: its URL is not one, names a database the
    store does not run on, or cannot be reached (STORE_MESSAGES[kind], with the URL shown without its password)."""

    def __init__(self, kind: str, url, **details):
        super().__init__(kind)
        self.kind, self.details = kind, details
        self.url = url.render_as_string(hide_password=True) if isinstance(url, sa.URL) else url

    def __str__(self) -> str:
        return STORE_MESSAGES[self.kind].format(url=self.url, **self.details)


class DatabaseTooNew(DatabaseUnusable):
    """The database was migrated by a newer release (an alembic_version this code's migrations do not know)."""

    def __init__(self, revision: str):
        super().__init__("too-new", "", revision=revision)
        self.revision = revision


def opened(url: str, busy_seconds) -> tuple[sa.Engine, str | None]:
    """An engine for the database at `url`, set up for several writers (`concurrency`), and the migration it is at;
    or DatabaseUnusable saying what is wrong: the URL, the kind of database, or nothing there to open."""
    try:
        engine = sa.create_engine(url)
    except sa.exc.ArgumentError:
        raise DatabaseUnusable("bad-url", re.sub(r":[^:/@]*@", ":***@", url)) from None   # shown without a password
    except (sa.exc.NoSuchModuleError, ImportError) as error:   # a dialect or driver this installation lacks
        raise DatabaseUnusable("unsupported", url, dialect=sa.make_url(url).drivername) from error
    concurrency(engine, busy_seconds)
    try:
        with engine.connect() as conn:
            return engine, revision(conn)
    except sa.exc.OperationalError as error:   # no server there, a wrong password, a directory that is not
        raise DatabaseUnusable("unreachable", engine.url, reason=str(error.orig).strip().splitlines()[0]) from error


def revision(conn) -> str | None:
    """The migration the database is at (analytics/migrations/), None before migrations (or empty)."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def now() -> dt.datetime:
    """The time a write records, to the second."""
    return dt.datetime.now().replace(microsecond=0)


def rows_of(frame: pd.DataFrame) -> list[dict]:
    """A frame's rows as dicts for an insert, NaN and NaT as NULL."""
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict("records")


# Issue 14 "Build" 3 and 4 (analytics/plan_store.py): the office's confirmations of the 六个一, each kept (the
# latest standing one stands), and the tasks the city 文明办 deployed, a removed one kept (restorable).
six_ones_confirmations = sa.Table(
    "six_ones_confirmations", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("six_ones", sa.String(8), nullable=False),      # 一堂 … 一帮扶 (labels_plan.PLAN_SIX_ONES)
    sa.Column("state", sa.String(16), nullable=False),        # established / missing / outdated
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("undone_at", sa.DateTime),
    sa.Column("undone_by", sa.Text),
)
deployed_tasks = sa.Table(
    "deployed_tasks", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("area", sa.Text, nullable=False),               # one of the seven (vocab.AREA_NAMES)
    sa.Column("due_month", sa.String(7), nullable=False),
    sa.Column("sections", sa.Text),                           # a JSON list of sections; NULL: every section
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("removed_at", sa.DateTime),
    sa.Column("removed_by", sa.Text),
)

"""Schema migrations with Alembic (analytics/migrations/, configured here: no alembic.ini). Store.__init__ runs
`upgrade` in one write transaction when the database is not at schema.HEAD; `python -m analytics db upgrade` too.

A database of a release before migrations (no alembic_version) is taken over: one holding the account tables is
stamped 0002 (the releases with accounts made every table of 0002); every one goes through 0001 first, which keeps
the tables it finds and adds only what they lack. Alembic is imported only when a database needs it: opening an
up-to-date one (every page start) reads one row.
"""
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from analytics.schema import DatabaseTooNew, revision

SCRIPTS = Path(__file__).with_name("migrations")
ACCOUNTS = "0002"               # the first migration whose tables the releases with accounts already had


def config(connection=None):
    """Alembic's configuration: the scripts in the package, run on `connection` (env.py takes it from here)."""
    from alembic.config import Config
    alembic_config = Config()
    alembic_config.set_main_option("script_location", str(SCRIPTS))
    alembic_config.attributes["connection"] = connection
    return alembic_config


def scripts():
    from alembic.script import ScriptDirectory
    return ScriptDirectory.from_config(config())


@dataclass(frozen=True)
class Upgrade:
    before: str | None          # the revision the database was at; None: empty, or before migrations
    adopted: bool               # it had the tables of a release before migrations
    applied: list[str]          # the migrations run, oldest first


def upgrade(conn) -> Upgrade:
    """Bring the database on `conn` (inside the caller's write transaction) to the scripts' head. Raises
    DatabaseTooNew, changing nothing, when it is at a revision the scripts do not know."""
    from alembic import command
    known = scripts()
    before = revision(conn)
    if before is not None and before not in {script.revision for script in known.walk_revisions()}:
        raise DatabaseTooNew(before)
    alembic_config = config(conn)
    tables = set(sa.inspect(conn).get_table_names())
    adopted = before is None and "files" in tables
    if adopted and "accounts" in tables:  # 0002's tables are there; 0001 still adds what an even older one lacked
        command.upgrade(alembic_config, "0001")
        command.stamp(alembic_config, ACCOUNTS)
        before = ACCOUNTS
    applied = [script.revision for script in known.iterate_revisions("head", before or "base")][::-1]
    command.upgrade(alembic_config, "head")
    return Upgrade(before, adopted, applied)

"""A throwaway PostgreSQL server for the tests (issue 13): `initdb` and `pg_ctl` of Debian's `postgresql` in a temp
directory, reached on a Unix socket there (no TCP port), stopped at the end of the session. Run as root, the server
runs as the `postgres` user (initdb refuses root). WENMING_TEST_POSTGRES=<URL of a server's `postgres` database>
uses a server already running instead.

Each test gets a database of its own (`CREATE DATABASE`, dropped after it); a built sample is a template database
copied per test, as the SQLite sample file is.
"""
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import sqlalchemy as sa

SERVER_VARIABLE = "WENMING_TEST_POSTGRES"
BIN = Path("/usr/lib/postgresql/15/bin")
# A test server need not survive a power cut: no fsync, so creating a database per test is quick.
SETTINGS = "-c listen_addresses='' -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200"


def _as_server_user(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class Server:
    """A running server: `url(name)` for a database on it, `create(name, template)` and `drop(name)`."""

    def __init__(self):
        self.folder = None
        if given := os.environ.get(SERVER_VARIABLE):
            self.base = sa.make_url(given)
            return
        self.folder = Path(tempfile.mkdtemp(prefix="wenming-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        data = self.folder / "data"
        subprocess.run(_as_server_user([str(BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                        "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8"]),
                       check=True, capture_output=True)
        subprocess.run(_as_server_user([str(BIN / "pg_ctl"), "-D", str(data), "-l", str(self.folder / "log"), "-w",
                                        "-o", f"-k {self.folder} {SETTINGS}", "start"]), check=True, capture_output=True)
        self.base = sa.make_url(f"postgresql+psycopg://postgres@/postgres?host={self.folder}")

    def url(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        engine = sa.create_engine(self.base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            conn.exec_driver_sql(statement)
        engine.dispose()

    def create(self, template: str | None = None) -> str:
        """A new database (a copy of `template` if given); its name."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        self._execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return name

    def drop(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.folder is None:
            return
        subprocess.run(_as_server_user([str(BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w",
                                        "stop"]), capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)

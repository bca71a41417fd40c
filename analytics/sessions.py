"""Signed-in sessions (issue 11 item 2): a random id per sign-in, kept hashed in the store, carried in a signed cookie.

The cookie holds `id.signature`, the signature HMAC-SHA256 of the id under the store's session secret. The store keeps
only sha256(id), so a copy of the database opens no session. A session is good for IDLE of inactivity; each page run
refreshes last_seen_at, at most once per TOUCH_EVERY (a cheap read otherwise). Signing out sets ended_at; nothing is
deleted.

The secret lives in the store's settings table (schema.flags, key SECRET_KEY), generated on first use: one place for
SQLite and PostgreSQL alike, backed up with the data it protects, shared by every server process on the same database,
and no file beside the database to lose or leave world-readable. Whoever can read the database could forge a cookie,
but could read every figure and password hash anyway.
"""
import datetime as dt
import hashlib
import hmac
import secrets

import sqlalchemy as sa

from analytics.schema import flags, now, sessions

COOKIE = "wenming_session"
IDLE = dt.timedelta(hours=8)
TOUCH_EVERY = dt.timedelta(minutes=1)
SECRET_KEY = "session_secret"


def sign(secret: bytes, session_id: str) -> str:
    """The cookie value for `session_id`: the id and its HMAC-SHA256 under `secret`."""
    return f"{session_id}.{hmac.new(secret, session_id.encode(), hashlib.sha256).hexdigest()}"


def unsign(secret: bytes, value: str | None) -> str | None:
    """The session id a cookie value carries, or None when it is missing, malformed or not signed with `secret`."""
    if not isinstance(value, str):
        return None
    session_id, dot, signature = value.rpartition(".")
    if not dot or not session_id:
        return None
    expected = hmac.new(secret, session_id.encode(), hashlib.sha256).hexdigest()
    return session_id if hmac.compare_digest(expected, signature) else None


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class Sessions:
    """The sessions of one store (a Store: its engine and its one write path)."""

    def __init__(self, store):
        self.store = store
        self.secret = self._secret()

    def _secret(self) -> bytes:
        def work(conn):
            row = conn.execute(sa.select(flags.c.value).where(flags.c.key == SECRET_KEY)).first()
            if row is None:  # the first start; the write lock (BEGIN IMMEDIATE) keeps two first starts from racing
                row = (secrets.token_hex(32),)
                conn.execute(flags.insert().values(key=SECRET_KEY, value=row[0], updated_at=now()))
            return bytes.fromhex(row[0])
        return self.store._write(work)

    def start(self, username: str, at: dt.datetime | None = None) -> str:
        """Open a session for `username` (already verified); returns the cookie value."""
        session_id, at = secrets.token_urlsafe(32), at or now()
        self.store._write(lambda conn: conn.execute(sessions.insert().values(
            token_hash=_hash(session_id), username=username, created_at=at, last_seen_at=at)))
        return sign(self.secret, session_id)

    def _row(self, cookie: str | None):
        session_id = unsign(self.secret, cookie)
        if session_id is None:
            return None
        with self.store.engine.connect() as conn:
            return conn.execute(sa.select(sessions).where(sessions.c.token_hash == _hash(session_id))).first()

    def current(self, cookie: str | None, at: dt.datetime | None = None) -> str | None:
        """The username of the session `cookie` carries, if it is open and was seen within IDLE; refreshes last_seen_at
        (at most once per TOUCH_EVERY). An idle one is ended here, so it never comes back."""
        row, at = self._row(cookie), at or now()
        if row is None or row.ended_at is not None:
            return None
        if at - row.last_seen_at > IDLE:
            self._end(row.id, row.last_seen_at + IDLE)
            return None
        if at - row.last_seen_at >= TOUCH_EVERY:
            self.store._write(lambda conn: conn.execute(
                sessions.update().where(sessions.c.id == row.id, sessions.c.ended_at.is_(None)).values(last_seen_at=at)))
        return row.username

    def end(self, cookie: str | None, at: dt.datetime | None = None) -> str | None:
        """Sign out: end the session `cookie` carries (server-side; the cookie alone opens nothing after). Returns
        its username, or None when there was no open session."""
        row = self._row(cookie)
        if row is None or row.ended_at is not None:
            return None
        self._end(row.id, at or now())
        return row.username

    def _end(self, session_id: int, at: dt.datetime) -> None:
        self.store._write(lambda conn: conn.execute(
            sessions.update().where(sessions.c.id == session_id, sessions.c.ended_at.is_(None)).values(ended_at=at)))

"""Accounts in the store (issue 11 "Build" 1): add, list, disable, set a password, sign in.

Each write is one transaction through the store's `_write` and one row of `history`, `who` the acting username.
Account changes bump the store's version like every other change; sign-ins do not (they change no figure, and a
bump would throw away every session's cached year). A sign-in reads the failures, verifies and records the attempt
in one write transaction, so attempts at once queue and none slips past the lockout.

A sign-in through the bureau's OIDC provider (oidc_sign_in) is checked on every page run, since Streamlit keeps the
identity in its own cookie (30 days). Its first run records it and opens a row in `sessions` under a hash of the
login (accounts.login_id), ended at once when refused; later runs only read that row. So a login is recorded once,
keeps the 8 hours of inactivity of a password session, and ends when its account is disabled or gets a new password.
It never counts towards the lockout (sign_in_attempts): the provider checks the password.
"""
import datetime as dt
import hashlib

import pandas as pd
import sqlalchemy as sa

from analytics import labels
from analytics.accounts import (
    LOCKOUT_LOOKBACK,
    USERNAME_MAX,
    Account,
    AccountError,
    Refusal,
    check_role,
    clean_username,
    dummy_hash,
    hash_password,
    locked_until,
    minutes_left,
    needs_rehash,
    rehash,
    verify_password,
)
from analytics.schema import accounts, history, now, sessions, sign_in_attempts
from analytics.sessions import IDLE, TOUCH_EVERY
from analytics.store import Store

FAILURES = ("wrong-password", "unknown-name")   # the attempts that count towards a lockout
LISTED = ("username", "display_name", "role", "section", "created_at", "created_by", "disabled_at", "last_sign_in_at")


def _account(row) -> Account:
    return Account(row.username, row.display_name, row.role, row.section)


def _detail(username: str, role: str, section: str | None) -> str:
    where = labels.ROLE_SECTION.format(section=section) if section else ""
    return labels.ACCOUNT_DETAIL.format(username=username, role=labels.ROLE_NAMES[role], section=where)


def describe(account: Account) -> str:
    """The account as messages name it: username（role·section）."""
    return _detail(account.username, account.role, account.section)


def _row(conn, username: str):
    row = conn.execute(sa.select(accounts).where(accounts.c.username == username)).first()
    if row is None:
        raise AccountError("no-account", username=username)
    return row


def add_account(store: Store, username: str, password: str, role: str, who: str, sections=(),
                section: str | None = None, display_name: str | None = None) -> Account:
    """Create an account. `sections`: the section names of the roster in force (a section account's section must
    be one of them). Refuses a taken username (a disabled account's too), an unknown role, a section account
    without a section or with one not in `sections`, an empty password."""
    username = clean_username(username)
    check_role(role, section, sections)
    password_hash = hash_password(password)
    display_name = (display_name or "").strip() or username
    section = section if role == "section" else None

    def work(conn):
        # GuoKu beside guoku would be two accounts people cannot tell apart: a name taken in any case is taken.
        taken = conn.execute(sa.select(accounts.c.username).where(sa.func.lower(accounts.c.username) == username.lower())).first()
        if taken:
            raise AccountError("duplicate", username=taken.username)
        conn.execute(accounts.insert().values(
            username=username, display_name=display_name, role=role, section=section, password_hash=password_hash,
            created_at=now(), created_by=who))
        store._log(conn, who, "account-add", section=section, detail=_detail(username, role, section))
    try:
        store._write(work)
    except sa.exc.IntegrityError:   # the same name added by someone else at the same moment
        raise AccountError("duplicate", username=username) from None
    return Account(username, display_name, role, section)


def _minute(at) -> str:
    return f"{at:%Y-%m-%d %H:%M}" if pd.notna(at) else labels.NEVER


def account_table(store: Store) -> pd.DataFrame:
    """Every account as 设置 → 账号 lists it: roles and states named, times to the minute, 从未 for no sign-in yet,
    an empty cell for no section (never None or NaT); headed in Chinese; never the hash."""
    listed = list_accounts(store)
    shown = listed.assign(
        role=listed["role"].map(lambda role: labels.ROLE_NAMES.get(role, role)),
        section=listed["section"].map(lambda section: section if isinstance(section, str) else ""),
        state=listed["disabled_at"].map(lambda at: labels.ACCOUNT_STATES["active" if pd.isna(at) else "disabled"]),
        created_at=listed["created_at"].map(_minute), last_sign_in_at=listed["last_sign_in_at"].map(_minute))
    return labels.headed(shown, list(labels.ACCOUNT_COLUMNS), labels.ACCOUNT_COLUMNS)


def list_accounts(store: Store) -> pd.DataFrame:
    """Every account, disabled ones too, in the order they were made: LISTED columns (never the hash)."""
    with store.engine.connect() as conn:
        return pd.read_sql(sa.select(*[accounts.c[name] for name in LISTED]).order_by(accounts.c.id), conn)


def any_accounts(store: Store) -> bool:
    """Whether any account exists, disabled ones included: desk mode (no sign-in) only while none does, so
    disabling every account never opens the dashboard again."""
    with store.engine.connect() as conn:
        return conn.execute(sa.select(accounts.c.id).limit(1)).first() is not None


def find_account(store: Store, username: str) -> Account | None:
    """The enabled account of `username`, or None (unknown or disabled): for a session kept across a reload."""
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(accounts).where(accounts.c.username == username.strip(),
                                                     accounts.c.disabled_at.is_(None))).first()
    return _account(row) if row is not None else None


def disable_account(store: Store, username: str, who: str) -> None:
    """Disable an account: it can no longer sign in; its row and everything it did stay. Refuses `who`'s own
    account (the one acting would lock itself out)."""
    username = username.strip()
    if username == who:
        raise AccountError("own-account", username=username)

    def work(conn):
        row = _row(conn, username)
        if row.disabled_at is not None:
            raise AccountError("already-disabled", username=username, at=row.disabled_at)
        conn.execute(accounts.update().where(accounts.c.id == row.id).values(disabled_at=now()))
        _end_sessions(conn, username)
        store._log(conn, who, "account-disable", section=row.section, detail=_detail(username, row.role, row.section))
    store._write(work)


def enable_account(store: Store, username: str, who: str) -> None:
    """Enable a disabled account again (the way back from disable_account): it signs in with the password it had."""
    username = username.strip()

    def work(conn):
        row = _row(conn, username)
        if row.disabled_at is None:
            raise AccountError("not-disabled", username=username)
        conn.execute(accounts.update().where(accounts.c.id == row.id).values(disabled_at=None))
        store._log(conn, who, "account-enable", section=row.section, detail=_detail(username, row.role, row.section))
    store._write(work)


def set_password(store: Store, username: str, password: str, who: str) -> None:
    """Give an account a new password (a disabled account stays disabled)."""
    username = username.strip()
    password_hash = hash_password(password)

    def work(conn):
        row = _row(conn, username)
        conn.execute(accounts.update().where(accounts.c.id == row.id).values(password_hash=password_hash))
        _end_sessions(conn, username)  # a browser signed in with the old password is signed out
        store._log(conn, who, "account-password", section=row.section, detail=_detail(username, row.role, row.section))
    store._write(work)


def _end_sessions(conn, username: str) -> None:
    conn.execute(sessions.update().where(sessions.c.username == username, sessions.c.ended_at.is_(None))
                 .values(ended_at=now()))


def sign_in(store: Store, username: str, password: str, now: dt.datetime) -> Account | Refusal:
    """Check a sign-in at `now`: the account, or a Refusal ("wrong" for an unknown name and a wrong password
    alike, "locked" with the minutes left, "disabled"). A locked name is refused before its password is looked
    at. The attempt is recorded (sign_in_attempts and history); a success sets last_sign_in_at and rehashes a
    password hashed with older parameters."""
    typed = (username or "").strip()[:USERNAME_MAX]

    def work(conn):
        failures = conn.execute(sa.select(sign_in_attempts.c.at).where(
            sign_in_attempts.c.username == typed, sign_in_attempts.c.reason.in_(FAILURES),
            sign_in_attempts.c.at > now - LOCKOUT_LOOKBACK)).scalars().all()
        until = locked_until(failures, now)
        row = conn.execute(sa.select(accounts).where(accounts.c.username == typed)).first()
        if until is not None:
            reason, result = "locked", Refusal("locked", minutes_left(until, now))
        elif row is None:
            verify_password(dummy_hash(), password)   # as long as a wrong password takes
            reason, result = "unknown-name", Refusal("wrong")
        elif not verify_password(row.password_hash, password):
            reason, result = "wrong-password", Refusal("wrong")
        elif row.disabled_at is not None:
            reason, result = "disabled", Refusal("disabled")
        else:
            reason, result = None, _account(row)
            values = {"last_sign_in_at": now}
            if needs_rehash(row.password_hash):
                values["password_hash"] = rehash(password)
            conn.execute(accounts.update().where(accounts.c.id == row.id).values(**values))
        conn.execute(sign_in_attempts.insert().values(username=typed, at=now, succeeded=reason is None, reason=reason))
        conn.execute(history.insert().values(
            at=now, who=typed, action="sign-in" if reason is None else "sign-in-failed",
            section=row.section if row is not None else None,
            detail=labels.SIGN_IN_FAILURES[reason] if reason else None))
        return result
    return store._write(work)


def _login_hash(login: str) -> str:
    return hashlib.sha256(f"oidc\n{login}".encode()).hexdigest()


def oidc_sign_in(store: Store, username: str | None, login: str, now: dt.datetime) -> Account | Refusal:
    """Check a sign-in through the OIDC provider at `now`, on every page run: the enabled account named `username`
    (the claim the provider vouches for, accounts.identity_username), or a Refusal: "oidc-unknown" (no name, or no
    enabled account of that name), "oidc-ended" (this login's session ended: 8 hours unused, 退出登录, the account
    got a new password). `login`: accounts.login_id of the ID token. Only the login's first run writes history."""
    token_hash = _login_hash(login)
    seen = _login_session(store, token_hash)
    if seen is None:
        try:
            first = store._write(lambda conn: _first_oidc_sign_in(conn, username, token_hash, now))
        except sa.exc.IntegrityError:   # the same login's first run in another tab at the same moment (PostgreSQL)
            first = None
        if first is not None:
            return first
        seen = _login_session(store, token_hash)   # recorded by that other run: go on as a later run
    if seen.ended_at is None and now - seen.last_seen_at > IDLE:
        _end_session(store, seen.id, seen.last_seen_at + IDLE)
        return Refusal("oidc-ended")
    account = find_account(store, seen.username) if seen.username else None
    if account is None:
        return Refusal("oidc-unknown")
    if seen.ended_at is not None:
        return Refusal("oidc-ended")
    if now - seen.last_seen_at >= TOUCH_EVERY:
        store._write(lambda conn: conn.execute(sessions.update().where(
            sessions.c.id == seen.id, sessions.c.ended_at.is_(None)).values(last_seen_at=now)))
    return account


def _login_session(store: Store, token_hash: str):
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sessions).where(sessions.c.token_hash == token_hash)).first()


def _first_oidc_sign_in(conn, username: str | None, token_hash: str, now: dt.datetime) -> Account | Refusal | None:
    """Record a login's first run (None when another run recorded it since the caller looked)."""
    if conn.execute(sa.select(sessions.c.id).where(sessions.c.token_hash == token_hash)).first():
        return None
    row = conn.execute(sa.select(accounts).where(accounts.c.username == username)).first() if username else None
    reason = "no-claim" if not username else "unknown-name" if row is None else "disabled" if row.disabled_at else None
    conn.execute(sessions.insert().values(token_hash=token_hash, username=username or "", created_at=now,
                                          last_seen_at=now, ended_at=now if reason else None))
    if reason is None:
        conn.execute(accounts.update().where(accounts.c.id == row.id).values(last_sign_in_at=now))
    conn.execute(history.insert().values(
        at=now, who=(username or "")[:USERNAME_MAX] or None, action="sign-in" if reason is None else "sign-in-failed",
        section=row.section if row is not None else None,
        detail=labels.OIDC_SIGN_IN_DETAIL if reason is None else labels.OIDC_FAILURE_DETAIL.format(
            reason=labels.SIGN_IN_FAILURES[reason])))
    return _account(row) if reason is None else Refusal("oidc-unknown")


def oidc_sign_out(store: Store, login: str, now: dt.datetime) -> None:
    """End the session of an OIDC login (退出登录): its identity cookie, if kept by someone, opens nothing after."""
    with store.engine.connect() as conn:
        seen = conn.execute(sa.select(sessions.c.id).where(sessions.c.token_hash == _login_hash(login),
                                                            sessions.c.ended_at.is_(None))).first()
    if seen is not None:
        _end_session(store, seen.id, now)


def _end_session(store: Store, session_id: int, at: dt.datetime) -> None:
    store._write(lambda conn: conn.execute(
        sessions.update().where(sessions.c.id == session_id, sessions.c.ended_at.is_(None)).values(ended_at=at)))

"""Who may do what (issue 11 "Roles"), as data, and the pure rules of signing in: password hashes, lockout.

No database and no Streamlit here: account_store.py keeps the accounts and the attempts; the pages and the CLI
ask `may`, `may_import` and `may_see_section`. Every refusal is an AccountError whose code names its message in
labels.ACCOUNT_ERRORS.
"""
import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from analytics import labels

ROLES = ("office", "leader", "section")   # 文明办 · 领导 · 科室填报员 (labels.ROLE_NAMES)

# Issue 11's role table. "_any" acts on every section; "_own" on the account's own roster section only.
PERMISSIONS = {
    #  action              office  leader  section
    "view_published":     (True,  True,  True),    # the bureau's published figures: 总览, the ranking
    "view_figures":       (True,  True,  False),   # every section's figures, returns, reports, events, versions
    "view_own":           (False, False, True),    # the own section's status row, reports, versions, figures
    "download":           (True,  True,  False),   # every report of the month (报表下载)
    "upload_any":         (True,  False, False),   # import a return of any section
    "upload_own":         (False, False, True),    # import a return of the own section only
    "decide":             (True,  False, False),   # confirm / dismiss / record an event, undo a decision
    "withdraw":           (True,  False, False),   # withdraw a version or make an earlier one current
    "roster":             (True,  False, False),   # replace the roster
    "rules":              (True,  False, False),   # replace the scoring rules
    "templates":          (True,  False, False),   # every section's blank return
    "template_own":       (False, False, True),    # the own section's blank return
    "accounts":           (True,  False, False),   # create, disable, change accounts
    "clear_sample":       (True,  False, False),   # clear or restore the bundled sample
    "audit":              (True,  False, False),   # the operation log (操作记录, /audit)
    "plan_confirm":       (True,  False, False),   # confirm the 六个一, record and remove the city's deployed tasks
    "evidence_any":       (True,  False, False),   # attach, remove, restore evidence (台账) for any item or section
    "evidence_own":       (False, False, True),    # attach, remove, restore evidence for the own section only
}
ACTIONS = tuple(PERMISSIONS)

# Which pages a role sees (by the page file's name): those where it may do any of the page's actions. A section
# account's pages show only its own section (workspace.Year.of_section), but for 总览 and 年度考评, the published ones.
PAGE_ACTIONS = {
    "overview": ("view_published",),
    "tasks": ("view_figures", "view_own"),
    "hygiene": ("view_figures", "view_own"),
    "veto": ("view_figures", "view_own"),
    "annual": ("view_published",),
    "plan": ("view_figures", "view_own"),      # 工作计划: a section account its own section against the plan
    "section": ("view_figures", "view_own"),   # 科室详情: a section account its own section only
    "reports": ("download",),
    "upload": ("upload_any", "upload_own", "view_figures"),
    "settings": ("roster", "rules", "templates", "template_own", "accounts"),
    "audit": ("audit",),
    "ledger": ("view_figures", "view_own"),    # 部署任务与六个一: a section account its own section's deployed tasks
    "evidence": ("view_figures", "view_own"),  # 创建台账: a section account its own section's evidence
}

# Lockout (issue 11 "Build" 2): 5 failures for one username within 15 minutes refuse that username for 15 minutes
# from the 5th failure. Only a wrong password or an unknown name is a failure; an attempt refused because the name
# is locked (or the account disabled) is not, so retrying while locked never prolongs the lock. A success does not
# reset the count: 4 guesses, the owner's sign-in and 1 more guess still lock (the issue counts failures in a window).
LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = dt.timedelta(minutes=15)
LOCKOUT_TIME = dt.timedelta(minutes=15)
LOCKOUT_LOOKBACK = LOCKOUT_WINDOW + LOCKOUT_TIME   # failures older than this can no longer lock
USERNAME_MAX = 64
PASSWORD_MIN = 8                                    # characters (a Chinese character counts as one)
_USERNAME = re.compile(r"[^\s\x00-\x1f\x7f]+")     # no spaces, no control characters

_hasher = PasswordHasher()                          # argon2id, argon2-cffi's default parameters (RFC 9106 low-memory)


class AccountError(Exception):
    """An account change or sign-in that cannot be done; nothing was written. `code` is a key of ACCOUNT_ERRORS."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params

    def __str__(self) -> str:
        return labels.ACCOUNT_ERRORS[self.code].format(**self.params)


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    role: str
    section: str | None = None


@dataclass(frozen=True)
class Refusal:
    """A sign-in refused. code: "wrong" (unknown name or wrong password: one code, so a name cannot be probed),
    "locked" (`minutes` left), "disabled" (only said to whoever typed the right password)."""
    code: str
    minutes: int | None = None

    @property
    def message(self) -> str:
        return labels.SIGN_IN_REFUSALS[self.code].format(minutes=self.minutes)


def may(role: str, action: str) -> bool:
    """Whether `role` may do `action` (a key of PERMISSIONS); an unknown role may do nothing."""
    if role not in ROLES:
        return False
    return PERMISSIONS[action][ROLES.index(role)]


def may_open(role: str, page: str) -> bool:
    """Whether `role` sees the page `page` (a key of PAGE_ACTIONS; any other page is shown to no one)."""
    return any(may(role, action) for action in PAGE_ACTIONS.get(page, ()))


def own_section(account: Account | None) -> str | None:
    """The one section whose figures `account` sees, or None when it sees every section (desk mode: None)."""
    if account is None or may(account.role, "view_figures"):
        return None
    return account.section or ""   # fails closed: "" is no section, so nothing is seen


def may_import(account: Account, section: str) -> bool:
    """Whether `account` may import a return of `section`: office any section, a section account only its own."""
    return may(account.role, "upload_any") or (may(account.role, "upload_own") and section == account.section)


def may_see_section(account: Account, section: str) -> bool:
    """Whether `account` may see `section`'s returns, reports, events and version history."""
    return may(account.role, "view_figures") or (may(account.role, "view_own") and section == account.section)


# Passwords ------------------------------------------------------------------------------------------

def hash_password(password: str) -> str:
    """The argon2id hash to store for a new password (with its own salt and parameters); the password itself is
    never kept. Refuses an empty one and one shorter than PASSWORD_MIN characters."""
    if not password:
        raise AccountError("empty-password")
    if len(password) < PASSWORD_MIN:
        raise AccountError("short-password", minimum=PASSWORD_MIN)
    return _hasher.hash(password)


def rehash(password: str) -> str:
    """A fresh hash of a password that was just verified (today's parameters). No length check: an account whose
    password predates PASSWORD_MIN keeps signing in until it is given a new one."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether `password` matches `stored_hash`; a damaged hash matches nothing."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether a hash was made with other parameters than today's (rehash it at the next sign-in)."""
    return _hasher.check_needs_rehash(stored_hash)


@cache
def dummy_hash() -> str:
    """A hash to verify against when the name is unknown, so an unknown name takes as long as a wrong password."""
    return _hasher.hash("not a password")


# Checks of a new account -----------------------------------------------------------------------------

def clean_username(username: str) -> str:
    """The username as stored: stripped; refused when empty, too long or holding spaces or control characters."""
    name = (username or "").strip()
    if not name:
        raise AccountError("empty-username")
    if len(name) > USERNAME_MAX or not _USERNAME.fullmatch(name):
        raise AccountError("bad-username", username=name[:USERNAME_MAX], limit=USERNAME_MAX)
    return name


def check_role(role: str, section: str | None, sections) -> None:
    """Refuse an unknown role, a section account without a section or with one not in `sections` (the roster's
    sections in force), and a section given to another role."""
    if role not in ROLES:
        raise AccountError("unknown-role", role=role, roles=labels.NAME_SEPARATOR.join(ROLES))
    if role == "section" and not section:
        raise AccountError("section-needed")
    if role == "section" and section not in set(sections):
        raise AccountError("unknown-section", section=section)
    if role != "section" and section:
        raise AccountError("section-not-allowed", role=labels.ROLE_NAMES[role])


# Lockout -------------------------------------------------------------------------------------------

def locked_until(failures, now: dt.datetime) -> dt.datetime | None:
    """When the lock on a username ends, or None if it is not locked at `now`. `failures`: the times of its
    failed attempts (wrong password or unknown name). Any 5 of them within 15 minutes lock it for 15 minutes
    from the 5th."""
    times = sorted(at for at in failures if at <= now)
    ends = [times[i] + LOCKOUT_TIME for i in range(LOCKOUT_FAILURES - 1, len(times))
            if times[i] - times[i - LOCKOUT_FAILURES + 1] < LOCKOUT_WINDOW]
    until = max(ends, default=None)
    return until if until is not None and now < until else None


def minutes_left(until: dt.datetime, now: dt.datetime) -> int:
    """Whole minutes until `until`, rounded up (a lock with 10 seconds left says 1 minute)."""
    return max(1, math.ceil((until - now).total_seconds() / 60))


# Unified sign-in (issue 11 item 6) -------------------------------------------------------------------

# The claims of the provider's ID token tried in turn for the username of an account here; the first that holds
# text names it (no later one is tried then). secrets.toml `[wenming] username_claim` replaces this order.
OIDC_USERNAME_CLAIMS = ("preferred_username", "email", "sub")


def identity_username(claims: Mapping, names=OIDC_USERNAME_CLAIMS) -> str | None:
    """The username an identity from the provider names (`claims`: its ID token's claims, st.user): the first of
    `names` whose claim is non-blank text, stripped; None when none is."""
    for name in names:
        value = claims.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def login_id(claims: Mapping) -> str:
    """One login at the provider: its ID token's issuer, subject, issue time and nonce. The same on every page run
    and in every tab of that login; a new login (a new nonce) is another."""
    return json.dumps([claims.get(name) for name in ("iss", "sub", "iat", "nonce")], default=str, ensure_ascii=False)

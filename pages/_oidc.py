"""Unified sign-in (issue 11 item 6): Streamlit's own st.login against the bureau's OIDC provider, when
`.streamlit/secrets.toml` configures one (README "统一身份认证").

Streamlit does the OIDC flow (/auth/login, /oauth2callback, /auth/logout) and keeps the identity's claims in its
own signed cookie, read as st.user. Here the claim `[wenming] username_claim` names an account of this dashboard
(account_store.oidc_sign_in): an enabled account signs in as that account, any other identity sees no data.
pages/_shared.signed_in_or_stop asks `account` after the password session; server.py's /signin links to
SIGN_IN_ADDRESS.
"""
from collections.abc import Mapping

import streamlit as st

from analytics import account_store, accounts, labels
from analytics.accounts import Account, Refusal
from analytics.schema import now

# What st.login() needs for its default provider: [auth] with these keys (Streamlit checks the same, auth_util.py).
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
SIGN_IN_ADDRESS = "/?signin=oidc"   # the dashboard, starting st.login at once (a link from /signin)


def _table(name: str) -> Mapping:
    """A table of secrets.toml, empty when there is no such file or table."""
    if not st.secrets.load_if_toml_exists():
        return {}
    table = st.secrets.get(name)
    return table if isinstance(table, Mapping) else {}


def configured() -> bool:
    """Whether secrets.toml configures a provider for st.login (its default one, a flat [auth] table)."""
    auth = _table("auth")
    return all(auth.get(key) for key in AUTH_KEYS)


def username_claims() -> tuple[str, ...]:
    """The ID token's claims tried for the username: `[wenming] username_claim` (a name or a list), else
    accounts.OIDC_USERNAME_CLAIMS."""
    chosen = _table("wenming").get("username_claim", accounts.OIDC_USERNAME_CLAIMS)
    return (chosen,) if isinstance(chosen, str) else tuple(chosen)


def _claims() -> dict | None:
    """The signed-in identity's claims, or None when nobody signed in through the provider."""
    if not configured() or not st.user.get("is_logged_in"):
        return None
    return st.user.to_dict()


def account(store) -> Account | Refusal | None:
    """The account of the identity signed in through the provider (recorded at its login's first run), a Refusal
    (unknown, disabled, or its session ended), or None: not configured, or nobody signed in that way."""
    claims = _claims()
    if claims is None:
        return None
    username = accounts.identity_username(claims, username_claims())
    return account_store.oidc_sign_in(store, username, accounts.login_id(claims), now())


def sign_in_button() -> None:
    """On the signed-out screen, when configured: the button that starts st.login (at once after /signin's link)."""
    if not configured():
        return
    if st.button(labels.OIDC_SIGN_IN, key="oidc_sign_in") or st.query_params.get("signin") == "oidc":
        st.login()


def refused(refusal: Refusal) -> None:
    """An identity with no data here: why, and 退出 (st.logout); a login whose session ended may sign in anew."""
    st.error(refusal.message)
    if refusal.code == "oidc-ended":
        sign_in_button()
    elif st.button(labels.OIDC_SIGN_OUT, key="oidc_refused_sign_out"):
        st.logout()


def sign_out_button(store) -> None:
    """The sidebar's 退出登录 for an account signed in through the provider: ends its session here and st.logout()
    (which also ends it at the provider, when the provider offers that)."""
    if st.sidebar.button(labels.SIGN_OUT, key="oidc_sign_out"):
        claims = _claims()
        if claims is not None:
            account_store.oidc_sign_out(store, accounts.login_id(claims), now())
        st.logout()
        st.stop()

"""The dashboard as Streamlit serves it: app.py plus the sign-in and sign-out addresses (issue 11). Start it with
`streamlit run server.py` (st.App in ASGI mode; `streamlit run app.py` still runs the dashboard, without these routes).

/signin  GET: the sign-in form (plain HTML, nothing fetched from outside); POST: account_store.sign_in, then the
         session cookie (HttpOnly, SameSite=Lax, signed: analytics/sessions.py) and a redirect to /. With a provider
         for unified sign-in configured (pages/_oidc.py) it also links to the dashboard's st.login.
/signout ends the session in the store, clears the cookie and goes back to /signin.
The pages read the cookie through st.context.cookies (pages/_shared.py, signed_in_or_stop). st.App reserves only
/_stcore/, /media/, /component/ and /static/; Streamlit's own /auth/login, /auth/logout and /oauth2callback are kept
free for st.login (issue 11 item 6).
Start-up (issue 12): this module imports nothing of the dashboard's own at the top (pandas, SQLAlchemy, argon2 come
with it), so the server answers the browser at once; the routes import it when first asked, and warm_up imports and
makes what the first page needs in a background thread.
"""
import html
import logging
import threading
from contextlib import asynccontextmanager
from functools import cache
from urllib.parse import parse_qs, urlsplit

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils import script_run_context

FORM_LIMIT = 8 * 1024   # a sign-in form is two short fields
PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; background: #f5f6f8; margin: 0; }}
main {{ max-width: 22rem; margin: 12vh auto; background: #fff; padding: 2rem; border-radius: .5rem;
        box-shadow: 0 1px 4px rgba(0,0,0,.12); }}
h1 {{ font-size: 1.25rem; margin: 0 0 1.5rem; }}
label {{ display: block; margin: 1rem 0 .3rem; }}
input {{ width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; border: 1px solid #bbb; border-radius: .3rem; }}
button {{ margin-top: 1.5rem; width: 100%; padding: .6rem; font-size: 1rem; background: #c0392b; color: #fff;
          border: 0; border-radius: .3rem; cursor: pointer; }}
p.note {{ padding: .6rem; border-radius: .3rem; background: #fdecea; color: #8a1c12; }}
p.note.done {{ background: #e8f5e9; color: #1b5e20; }}
p.other {{ margin: 1.5rem 0 0; text-align: center; }}
</style></head>
<body><main><h1>{title}</h1>{note}
<form method="post" action="/signin">
<input type="hidden" name="next" value="{next}">
<label for="username">{username_label}</label>
<input id="username" name="username" autocomplete="username" required autofocus value="{username}">
<label for="password">{password_label}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{button}</button>
</form>{other}</main></body></html>
"""
NO_STORE = {"Cache-Control": "no-store"}
WARM_UP = "warm-up"   # the thread that makes what the first page needs


@cache
def _store(url: str):
    from analytics.store import Store
    return Store(url)


@cache
def _sessions(url: str):
    from analytics.sessions import Sessions
    return Sessions(_store(url))


def sessions():
    """The sessions of the configured database (config.database_url()), opened once per process."""
    from analytics.config import database_url
    return _sessions(database_url())


def local_address(value: str | None) -> str:
    """Where to go after signing in: the page that asked (`next`), only if it is an address on this server."""
    value = value or "/"
    if not value.startswith("/") or value.startswith(("//", "/\\")) or any(c in value for c in "\r\n\\") or len(value) > 500:
        return "/"
    return value


def form_page(note: str = "", username: str = "", done: bool = False, status: int = 200, next_address: str = "/") -> HTMLResponse:
    from analytics import labels as words
    from pages import _oidc
    shown = f'<p class="note{" done" if done else ""}" role="alert">{html.escape(note)}</p>' if note else ""
    other = f'<p class="other"><a href="{_oidc.SIGN_IN_ADDRESS}">{words.OIDC_SIGN_IN}</a></p>' if _oidc.configured() else ""
    body = PAGE.format(title=html.escape(words.SIGN_IN_TITLE), note=shown, username_label=words.USERNAME_LABEL,
                       password_label=words.PASSWORD_LABEL, username=html.escape(username, quote=True), button=words.SIGN_IN,
                       other=other, next=html.escape(local_address(next_address), quote=True))
    return HTMLResponse(body, status_code=status, headers=NO_STORE)


def same_origin(request) -> bool:
    """A form posted from this server's own page: a browser sends Origin with a POST; another site's differs."""
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host")


def secure(request) -> bool:
    """Whether the browser reached us over HTTPS (directly or through the bureau's reverse proxy)."""
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


async def signin(request) -> Response:
    from analytics import account_store
    from analytics import labels as words
    from analytics.accounts import Refusal
    from analytics.config import database_url
    from analytics.schema import DatabaseUnusable, now
    from analytics.sessions import COOKIE
    if request.method == "GET":
        return form_page(words.SIGNED_OUT if "out" in request.query_params else "", done=True,
                         next_address=request.query_params.get("next"))
    body = await request.body()
    if len(body) > FORM_LIMIT or not same_origin(request):
        return form_page(words.SIGN_IN_BAD_REQUEST, status=400)
    fields = parse_qs(body.decode("utf-8", "replace"))
    username, password, next_address = (fields.get(name, [""])[0] for name in ("username", "password", "next"))
    url = database_url()
    try:
        store = await run_in_threadpool(_store, url)
    except DatabaseUnusable as error:  # unreachable, or a newer release's: every page says so, and so does the form
        return form_page(str(error), username=username.strip(), status=503, next_address=next_address)
    # argon2 and the database block: off the event loop, so one sign-in never stalls every open page.
    result = await run_in_threadpool(account_store.sign_in, store, username, password, now())
    if isinstance(result, Refusal):
        return form_page(result.message, username=username.strip(), status=401, next_address=next_address)
    cookie = await run_in_threadpool(_sessions(url).start, result.username)
    response = RedirectResponse(local_address(next_address), status_code=303)
    # No max_age: a browser session cookie, gone when the browser closes; the 8 hours of inactivity are the store's.
    response.set_cookie(COOKIE, cookie, httponly=True, samesite="lax", secure=secure(request), path="/")
    return response


async def signout(request) -> Response:
    from analytics.sessions import COOKIE
    await run_in_threadpool(sessions().end, request.cookies.get(COOKIE))
    response = RedirectResponse("/signin?out", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
    return response


@asynccontextmanager
async def warm_up(_app):
    """At server start: app.py routes every address with st.navigation, so Streamlit's legacy pages/ mode (which
    would first list the bare page file names in the sidebar, pages/_shared.in_frame) never starts; and what the
    first page needs is made in the background while the browser loads."""
    PagesManager.uses_pages_directory = False
    # The cached functions it calls would show their spinners in a page: outside one Streamlit logs that it has none.
    logging.getLogger(script_run_context.__name__).addFilter(lambda record: record.threadName != WARM_UP)
    threading.Thread(target=_warm_up, name=WARM_UP, daemon=True).start()
    yield


def _warm_up() -> None:
    from analytics.schema import DatabaseUnusable
    from pages._shared import warm_up  # the figures' modules too: imported here, off the path to the first answer

    try:
        warm_up()
    except DatabaseUnusable:  # nothing to make: every page shows the message instead (pages/_shared.store)
        pass


app = st.App("app.py", lifespan=warm_up, routes=[Route("/signin", signin, methods=["GET", "POST"]),
                                                 Route("/signout", signout, methods=["GET", "POST"])])

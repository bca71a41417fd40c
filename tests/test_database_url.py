"""A WENMING_DB_URL the store cannot use (not a URL, a database it does not run on, nothing there to open) is refused
with the Chinese message saying what to fix, never a traceback: by the store, the CLI, every page and the sign-in
form; a password in the URL is never shown."""
import html

import pytest
from streamlit.testing.v1 import AppTest

from analytics.config import DATABASE_URL_VARIABLE
from analytics.intake.messages import STORE_MESSAGES
from analytics.schema import DatabaseUnusable
from analytics.store import Store
from tests.conftest import ROOT
from tests.test_migrations import cli

UNUSABLE = {  # WENMING_DB_URL (tmp_path filled in) → what the message starts with
    "nonsense": "bad-url",
    "mysql://wenming:secret@db.example/wenming": "unsupported",
    "postgresql+psycopg2://wenming:secret@db.example/wenming": "unsupported",
    "sqlite:///{tmp_path}/no-such-directory/wenming.db": "unreachable",
    "postgresql+psycopg://wenming:secret@/wenming?host={tmp_path}": "unreachable",   # no server on that socket
}


@pytest.fixture(params=list(UNUSABLE))
def unusable(request, tmp_path):
    return request.param.format(tmp_path=tmp_path), UNUSABLE[request.param]


def opening_part(kind: str) -> str:
    """The message's fixed words before its first placeholder."""
    return STORE_MESSAGES[kind].split("{", 1)[0]


def test_the_store_says_what_is_wrong(unusable):
    url, kind = unusable
    with pytest.raises(DatabaseUnusable) as refused:
        Store(url)
    message = str(refused.value)
    assert refused.value.kind == kind and message.startswith(opening_part(kind)), message
    assert "secret" not in message


def test_the_cli_exits_with_the_message(unusable):
    url, kind = unusable
    done = cli(url, "db", "upgrade")
    assert done.returncode == 2 and opening_part(kind) in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert "secret" not in done.stderr


def test_every_page_shows_the_message(unusable, monkeypatch):
    url, kind = unusable
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    [error] = at.error
    assert error.value.startswith(opening_part(kind)) and "secret" not in error.value


def test_the_sign_in_form_answers_with_the_message(unusable, monkeypatch):
    from starlette.applications import Starlette
    from starlette.routing import Route
    from starlette.testclient import TestClient

    import server
    url, kind = unusable
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    client = TestClient(Starlette(routes=[Route("/signin", server.signin, methods=["GET", "POST"])]))
    answer = client.post("/signin", data={"username": "wang", "password": "password"})
    assert answer.status_code == 503 and html.escape(opening_part(kind)) in answer.text and "secret" not in answer.text

"""Shared fixtures and constants: where the project is, its pages, the test roster, the suffixes a return is
tested in, and a database per test on each backend (issue 13: SQLite and PostgreSQL), empty or a copy of the sample
(built once per session)."""
import shutil
import types
from pathlib import Path

import pytest
import streamlit.runtime.context
from hypothesis import settings

from analytics import workspace
from analytics.config import DATABASE_URL_VARIABLE
from analytics.intake.roster import build_roster
from analytics.sessions import COOKIE, Sessions
from tests.postgres import Server

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("pages/[!_]*.py"))
PAGE_TITLES = {"pages/overview.py": "总览", "pages/tasks.py": "任务完成", "pages/hygiene.py": "九无卫生",  # each page's st.title
               "pages/veto.py": "一票否决", "pages/annual.py": "年度考评", "pages/reports.py": "报表下载",
               "pages/upload.py": "数据上传", "pages/settings.py": "设置", "pages/audit.py": "操作记录",
               "pages/section.py": "科室详情", "pages/plan.py": "工作计划", "pages/ledger.py": "部署任务与六个一",
               "pages/evidence.py": "创建台账"}
SUFFIXES = [".xlsx", ".xls"]
BACKENDS = ["sqlite", "postgresql"]

# No per-example deadline: on a busy 2-core CI machine a slow example is not a failure.
settings.register_profile("ci", deadline=None)
settings.load_profile("ci")

ROSTER_ROWS = [
    ["科室", "别名", "负责人", "类别", "设立月份", "撤销月份"],
    ["办公室", "局办、局办公室", "陈建国", "科室", "", ""],
    ["预算科", "预算股", "张伟", "科室", "", ""],
    ["国库科", "国库股", "刘洋", "科室", "", ""],
    ["综合科", "", "杨静", "科室", "", ""],
    ["财政投资评审中心", "评审中心", "高洁", "直属单位", "", ""],
]


@pytest.fixture(params=SUFFIXES)
def suffix(request):
    return request.param


@pytest.fixture
def roster():
    return build_roster(ROSTER_ROWS, "roster.xlsx")


def codes(report, severity="error"):
    """(sheet, row, column, code) of a report's errors or warnings."""
    issues = report.errors if severity == "error" else report.warnings
    return [(i.sheet, i.row, i.column, i.code) for i in issues]


@pytest.fixture(scope="session")
def sample_database(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("db") / "sample.sqlite"
    # Closing the connections folds the write-ahead log into the file, so a copy of the file alone is complete.
    workspace.open_store(f"sqlite:///{path}").engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_server():
    server = Server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_sample(postgres_server) -> str:
    """The name of a template database holding the built sample."""
    name = postgres_server.create()
    workspace.open_store(postgres_server.url(name)).engine.dispose()
    return name


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def new_database(request, backend, tmp_path):
    """Makes databases for one test, each dropped after it: new_database() an empty one of `backend`,
    new_database(sample=True) a copy of the sample, new_database(on="postgresql") one of another backend."""
    made = []

    def new(sample: bool = False, on: str | None = None) -> str:
        made.append(None)
        if (on or backend) == "sqlite":
            path = tmp_path / f"dashboard{len(made)}.sqlite"
            if sample:
                shutil.copy(request.getfixturevalue("sample_database"), path)
            return f"sqlite:///{path}"
        server = request.getfixturevalue("postgres_server")
        name = server.create(request.getfixturevalue("postgres_sample") if sample else None)
        request.addfinalizer(lambda: server.drop(name))
        return server.url(name)
    return new


@pytest.fixture
def empty_url(new_database) -> str:
    """An empty database on each backend."""
    return new_database()


@pytest.fixture
def sample_url(new_database, monkeypatch) -> str:
    """A copy of the sample database on each backend, set as WENMING_DB_URL."""
    url = new_database(sample=True)
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    return url


def sign_in_apptest(monkeypatch, store, username: str) -> None:
    """Make AppTest's browser signed in as `username` (a real session in `store`). AppTest cannot send a cookie (its
    st.context has no client), so this hands the session cookie to Streamlit's own lookup of the client, the one
    place st.context.cookies reads; the dashboard's code runs unchanged."""
    cookie = Sessions(store).start(username)
    assert hasattr(streamlit.runtime.context, "_get_client_context"), "Streamlit changed: find where cookies come from"
    monkeypatch.setattr(streamlit.runtime.context, "_get_client_context",
                        lambda: types.SimpleNamespace(cookies={COOKIE: cookie}, headers=[], remote_ip=None))

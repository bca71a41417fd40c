"""Streamlit glue shared by the pages: the frame, the store, the shared period, cached figures, charts."""
import html
import logging
import runpy
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote, urlsplit

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from analytics import account_store, charts, labels, workspace
from analytics.accounts import Account, Refusal, may, may_open, own_section
from analytics.config import database_url
from analytics.markdown import plain
from analytics.sample import bootstrap
from analytics.schema import DatabaseUnusable
from analytics.section_view import SECTION_TEXT, section_link
from analytics.sessions import COOKIE, Sessions
from analytics.store import StoreBusy
from pages import _oidc

LOG = logging.getLogger("wenming")

DEFAULT_WHO = "文明办"
APP = Path(__file__).resolve().parents[1] / "app.py"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def in_frame() -> None:
    """Run this page inside app.py's frame. Until app.py has called st.navigation once in this server
    process, Streamlit treats pages/ the legacy way and would run a bookmarked page bare (no navigation,
    no shared period). Then run app.py instead, which runs this page inside its frame, and stop. (server.py ends that
    mode when the server starts; `streamlit run app.py` and AppTest still begin in it.)"""
    if PagesManager.uses_pages_directory:
        runpy.run_path(str(APP))
        st.stop()


@st.cache_resource(show_spinner=False)
def _store(url: str):
    return workspace.open_store(url, sample=False)


@st.cache_resource(show_spinner=labels.SAMPLE_IMPORTING)
def _bootstrapped(url: str):
    """The store, with the sample year imported on its first start (a few seconds, once: meanwhile every page says
    so, never Streamlit's own "Running ..." line)."""
    bootstrap(_store(url))
    return _store(url)


def store():
    """The store at the configured URL (config.database_url()), opened once per process; a database that cannot be
    used (unreachable, or newer than this code) is refused on every page, saying why."""
    try:
        return _bootstrapped(database_url())
    except DatabaseUnusable as error:
        st.error(str(error))
        st.stop()


def warm_up() -> None:
    """What the first page needs, made at server start (server.py) while the browser is still loading: the store (with
    the sample import on a first start), the latest year's figures and 总览's charts of its latest month."""
    url = database_url()
    known = workspace.years(_bootstrapped(url))
    if known:
        shown = _year(url, store().version(), known[-1])
        if shown.summary.months:
            overview_figures(shown, shown.summary.months[-1], True)


@st.cache_resource(max_entries=64, show_spinner=False)
def _made(url: str, version: int, key: tuple, _make):
    return _make()


def made_once(key: tuple, make):
    """make(), once per store version and `key`, shared by every rerun and session (st.cache_resource): for what a
    page draws from a cached year (a figure takes longer to build than to send). `key` must name everything make
    reads besides the store: the year, the month, whose view, the day."""
    return _made(database_url(), store().version(), key, make)


def overview_figures(shown: workspace.Year, month: str, full: bool) -> tuple:
    """总览's trend and the month's ranking (published figures: the same for every role; `full` with the sections
    that have not reported, which a section account does not see)."""
    def make():
        months = shown.summary.section_months
        return (charts.half_width(charts.bureau_trend(shown.summary.bureau_months)),
                charts.half_width(charts.section_ranking(months if full else months[months["submitted"]], month)))
    return made_once(("overview", shown.year, month, full), make)


@st.cache_resource(show_spinner="正在汇总…", max_entries=8)
def _year(url: str, version: int, number: int) -> workspace.Year:
    """The year `number` as the pages show it, built once per store `version` and shared by every session without
    a copy (st.cache_resource): pages only read it, never change it."""
    return workspace.year(store(), number)


@st.cache_resource
def _sessions(url: str) -> Sessions:
    return Sessions(_store(url))


def signed_in_or_stop(pages: list) -> Account | None:
    """Issue 11 item 4, before anything else is drawn. Desk mode (no account, served on a loopback address only):
    None, and the sidebar says so. Otherwise the signed-in account of this browser (the session cookie, which the
    sidebar's 退出登录 ends); without one, only the sign-in link (or, with no account yet, how to make the first)
    and stop. Fails closed: an error here shows no page. With a provider configured (pages/_oidc.py), an identity
    signed in there stands for its account when this browser has no password session."""
    st.session_state["_account"] = None
    via_oidc = False
    try:
        # An unset address means every interface: on the network.
        on_loopback = (st.get_option("server.address") or "") in LOOPBACK
        exists = account_store.any_accounts(store())
        if on_loopback and not exists:
            st.sidebar.caption(labels.DESK_MODE)
            return None
        username = _sessions(database_url()).current(st.context.cookies.get(COOKIE))
        account = account_store.find_account(store(), username) if username and exists else None
        if account is None and exists:
            account = _oidc.account(store())
            via_oidc = isinstance(account, Account)
    except Exception:
        LOG.exception("sign-in check failed")
        account, exists = None, True
    if not isinstance(account, Account):
        st.navigation(pages, position="hidden")  # routes the address (and ends the legacy pages/ mode), runs nothing
        if isinstance(account, Refusal):
            _oidc.refused(account)
        elif exists:
            asked = html.escape(quote(urlsplit(st.context.url or "").path or "/"), quote=True)  # back here after
            st.markdown(f'{labels.SIGN_IN_NEEDED} <a href="/signin?next={asked}" target="_self">{labels.SIGN_IN}</a>',
                        unsafe_allow_html=True)
            _oidc.sign_in_button()
        else:
            st.markdown(labels.FIRST_ACCOUNT)
        st.stop()
    st.session_state["_account"] = account
    st.sidebar.markdown(plain(labels.SIGNED_IN_AS.format(name=account.display_name)))
    if via_oidc:
        _oidc.sign_out_button(store())
    else:
        st.sidebar.markdown(f'<a href="/signout" target="_self">{labels.SIGN_OUT}</a>', unsafe_allow_html=True)
    return account


def account() -> Account | None:
    """The signed-in account; None in desk mode, where the one person at the desk may do everything."""
    return st.session_state.get("_account")


def allowed(action: str) -> bool:
    """Whether the person using this page may do `action` (accounts.PERMISSIONS): a control they may not use is not
    drawn, and the page code asks before it acts."""
    signed_in = account()
    return signed_in is None or may(signed_in.role, action)


def visible(pages: dict) -> list:
    """The pages (page file name → st.Page) for st.navigation: those the person may open, and in place of each other
    one a page hidden from the navigation that answers its address with only a refusal (no data, no English box)."""
    signed_in = account()
    return [page if signed_in is None or may_open(signed_in.role, name) else _refusal(page) for name, page in pages.items()]


def _refusal(page):
    def refuse():
        st.title(page.title)
        st.info(labels.PAGE_REFUSED.format(page=page.title))
    return st.Page(refuse, title=page.title, url_path=page.url_path or None, visibility="hidden")


def years() -> list[int]:
    return workspace.years(store())


class _Choices(NamedTuple):
    """What the period depends on: the database, its version, the sidebar's picks and whose view it is."""
    url: str
    version: int
    year: int | None
    month: str | None
    section: str | None   # a section account's own section (accounts.own_section), None for the whole bureau


class Period(NamedTuple):
    year: int | None
    month: str | None
    shown: workspace.Year | None   # the year's records and figures (None without any data)


@st.cache_resource(show_spinner="正在汇总…", max_entries=64)
def _section_year(url: str, version: int, number: int, section: str) -> workspace.Year:
    return _year(url, version, number).of_section(section)


def current_period(published: bool = False) -> Period:
    """The shared year and month (st.session_state, set by app.py's pickers), with defaults: the latest, and that
    year's records and figures: for a section account its own section's only, unless `published` (the bureau's
    figures every role sees: 总览, the ranking). Looked up once per page run: app.py's sidebar and the page get the
    same one, and a new one only when the choices or the store (its version) changed."""
    section = None if published else own_section(account())
    choices = _Choices(database_url(), store().version(), st.session_state.get("year"), st.session_state.get("month"),
                       section)
    memo = "_published_period" if published else "_period"
    if (remembered := st.session_state.get(memo)) and remembered["choices"] == choices:
        return remembered["period"]

    def shown_of(year: int) -> workspace.Year:
        return _year(choices.url, choices.version, year) if section is None else \
            _section_year(choices.url, choices.version, year, section)
    year, month = workspace.choose_period(years(), choices.year, choices.month, lambda year: shown_of(year).summary.months)
    period = Period(year, month, None if year is None else shown_of(year))
    st.session_state[memo] = {"choices": choices, "period": period}
    return period


def who() -> str:
    """The signed-in username; in desk mode the sidebar's 经办人, as typed (left blank it is recorded as blank,
    never as someone else)."""
    if signed_in := account():
        return signed_in.username
    return (st.session_state.get("who", DEFAULT_WHO) or "").strip() or "（未填写经办人）"


def chart(figure, key: str | None = None) -> None:
    """A chart with only its download-as-picture button (charts.CONFIG: a Chinese tooltip, no logo)."""
    st.plotly_chart(figure, width="stretch", config=charts.CONFIG, key=key, theme=None)


def period_or_stop(published: bool = False) -> Period:
    """The shared year, month and the year's figures (current_period); without any data, say so and end the page."""
    period = current_period(published)
    if period.month is None:
        st.info("暂无数据：请先在「数据上传」页上传月报。")
        st.stop()
    return period


@contextmanager
def error_boundary():
    """No page ever shows a raw traceback: log it and say what to do (st.stop and st.rerun pass through)."""
    try:
        yield
    except StoreBusy as busy:
        st.error(str(busy))
    except Exception:
        LOG.exception("page failed")
        st.error("本页出错，操作未完成，数据未受影响。错误详情已记入服务器日志；请刷新页面重试，仍出错请联系管理员并告知出错时间。")


def table(frame, **kwargs) -> None:
    """st.dataframe without Streamlit's raw words: a missing value is blank (never `None`), and a frame without rows
    is a line saying so (never the grid's `empty`). Index hidden and full width unless `kwargs` say otherwise."""
    if frame.empty:
        st.caption(labels.NO_ROWS)
        return
    st.dataframe(frame, **{"hide_index": True, "width": "stretch", "placeholder": "", **kwargs})


# The file uploader's words are English with no option to change them (Streamlit 1.67): its own elements are hidden
# and the words put in their place, keyed on the data-testid attributes Streamlit gives them for its own tests.
_UPLOADER_STYLE = """<style>
%(at)s [data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"],
%(at)s [data-testid="stFileUploaderDropzoneInstructions"] > div,
%(at)s [data-testid="stFileUploaderDropzone"] > div:not([data-testid]):not(:has([data-testid="stFileChips"])) > span
{display: none;}
%(at)s [data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] > div::after
{content: "%(button)s"; padding-left: 0.5rem;}
%(at)s [data-testid="stFileUploaderDropzone"] > div:not([data-testid]):not(:has([data-testid="stFileChips"]))::after
{content: "%(drag)s";}
%(at)s [data-testid="stFileUploaderDropzoneInstructions"]::after {content: "%(limit)s"; font-size: 0.875rem; opacity: 0.6;}
</style>"""


def uploader_in_chinese(key: str, types: list[str], mb: float | None = None) -> None:
    """For the file uploader of `key` accepting `types` (suffixes): its button, drag hint and per-file limit (`mb`, by
    default the server's maxUploadSize) in Chinese. Streamlit gives a keyed element's container the class st-key-KEY."""
    words = labels.UPLOADER_WORDS
    limit = words["limit"].format(mb=f"{mb:g}" if mb else st.get_option("server.maxUploadSize"),
                                  types=labels.NAME_SEPARATOR.join(t.upper() for t in types))
    st.html(_UPLOADER_STYLE % {"at": f".st-key-{key}", "button": words["button"], "drag": words["drag"], "limit": limit})


def section_table(frame, year, column_config: dict | None = None, height="auto", by_month: bool = False) -> None:
    """table() of `frame` with each section name of its 科室 column a link to that section's page for `year` and the
    sidebar's month (section_link), or, `by_month`, the year and month of the row's own 月份 (those without one: `year`);
    the cell shows the name as typed, a row without a section none. height: st.dataframe's ("content": every row)."""
    column, months = labels.heading("section"), labels.heading("month")
    asked = frame[months] if by_month else [st.session_state.get("month")] * len(frame)
    links = [section_link(name, month[:4] if by_month and month else year, month or None) if name else ""
             for name, month in zip(frame[column], asked)]
    table(frame.assign(**{column: links}), height=height,
          column_config={column: st.column_config.LinkColumn(column, display_text=SECTION_TEXT), **(column_config or {})})


# At 1024 px beside the sidebar the grid has about 560 px: each name on one line, thirteen narrow columns.
_GRID_STYLE = """<style>.st-key-status_grid th, .st-key-status_grid td {white-space: nowrap !important;
padding: 0.2rem 0.3rem !important; font-size: 0.85rem !important; text-align: center !important;}
.st-key-status_grid tbody th {text-align: left !important;}</style>"""
_STATUS_COLORS = {"submitted": "#e8f5e9", "late": "#fff3cd", "missing": "#ffebee"}


def status_table(grid, year, month) -> None:
    """数据上传's 报送情况: workspace.status_grid() as marks on their colours (workspace.status_marks), each section
    name a link to its page, and the key to the marks, colours and blanks under it."""
    colors = {labels.RETURN_STATES[state]: f"background-color: {color}" for state, color in _STATUS_COLORS.items()}
    marks = workspace.status_marks(grid)
    # st.table reads Markdown in its cells: each name a link to its page, shown as typed.
    marks.index = pd.Index([f"[{plain(name)}]({section_link(name, year, month)})" for name in grid.index],
                           name=grid.index.name)
    st.html(_GRID_STYLE)
    with st.container(key="status_grid"):
        st.table(marks.style.apply(lambda _: grid.map(lambda state: colors.get(state, "")).to_numpy(), axis=None))
    st.caption(labels.STATUS_KEY)

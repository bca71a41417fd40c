"""Streamlit glue shared by the pages: the frame, the store, the shared period, cached figures, charts."""
import logging
import re
import runpy
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from analytics import charts, workspace
from analytics.config import database_url
from analytics.intake.roster import Roster
from analytics.rules import Rules
from analytics.store import StoreBusy
from analytics.summary import Summary

LOG = logging.getLogger("wenming")

DEFAULT_WHO = "文明办"
APP = Path(__file__).resolve().parents[1] / "app.py"


def in_frame() -> None:
    """Run this page inside app.py's frame. Until app.py has called st.navigation once in this server
    process, Streamlit treats pages/ the legacy way and would run a bookmarked page bare (no navigation,
    no shared period). Then run app.py instead, which runs this page inside its frame, and stop."""
    if PagesManager.uses_pages_directory:
        runpy.run_path(str(APP))
        st.stop()


@st.cache_resource
def _store(url: str):
    return workspace.open_store(url)


def store():
    """The store at the configured URL (config.database_url()), opened once per process."""
    return _store(database_url())


@dataclass
class YearView:
    year: int
    summary: Summary
    roster: Roster
    rules: Rules
    tables: object          # the year's current records (tasks, inspections, events, bonus, returns, decisions)


@st.cache_data(show_spinner="正在汇总…", max_entries=8)
def year_view(url: str, version: int, year: int) -> YearView:
    """Everything the pages show for a year; recomputed only when the store at `url` changes (`version`)."""
    data = store()
    roster, rules = workspace.roster_in_force(data), workspace.rules_in_force(data)
    tables = workspace.year_tables(data, year)
    return YearView(year, workspace.year_summary(tables, year, roster, rules), roster, rules, tables)


def years() -> list[int]:
    return workspace.years(store())


def current_period() -> tuple[int | None, str | None]:
    """The shared year and month (st.session_state, set by app.py's pickers), with defaults: the latest."""
    known = years()
    year = st.session_state.get("year")
    year = year if year in known else (known[-1] if known else None)
    if year is None:
        return None, None
    months = view(year).summary.months
    month = st.session_state.get("month")
    return year, (month if month in months else (months[-1] if months else None))


def view(year: int) -> YearView:
    return year_view(database_url(), store().version(), year)


# What turns text into a link, an image, HTML, an emoji or formatting anywhere in a line; at its start also a
# heading, list or quote (line breaks are folded, so only the start of the text is a line start).
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>~|$:])")
_MARKDOWN_START = re.compile(r"^(\d+(?=[.)])|[-+#>=])")
_ADDRESS = re.compile(r"(?i)(https?|ftp|file|mailto|www|@)")


def plain(text) -> str:
    """Text people typed (names, places, tasks, 经办人, 依据, file names), for any element that reads Markdown
    (st.write, messages, button labels): shown as typed, never as a link, an image or formatting."""
    folded = _MARKDOWN_INLINE.sub(r"\\\1", " ".join(str(text).split()))
    # Bare addresses are linked even with their punctuation escaped: a zero-width space keeps them text.
    folded = _ADDRESS.sub("\\1\u200b", folded)
    return _MARKDOWN_START.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1), folded)


def who() -> str:
    """The sidebar's 经办人, as typed; left blank it is recorded as blank, never as someone else."""
    return (st.session_state.get("who", DEFAULT_WHO) or "").strip() or "（未填写经办人）"


def chart(figure, key: str | None = None) -> None:
    """A chart with its own download-as-picture button (the modebar), no logo."""
    st.plotly_chart(figure, width="stretch", config=charts.CONFIG, key=key, theme=None)


def period_or_stop() -> tuple[int, str]:
    """The shared year and month; without any data, say so and end the page."""
    year, month = current_period()
    if month is None:
        st.info("暂无数据：请先在「数据上传」页上传月报。")
        st.stop()
    return year, month


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

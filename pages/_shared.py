"""Streamlit glue shared by the pages: cached loading of the bundled data."""
import streamlit as st

from analytics import load_returns, load_roster
from analytics.settings import SAMPLE_BAD_RETURNS, SAMPLE_RETURNS, SAMPLE_ROSTER


@st.cache_data(show_spinner="正在读取示例月报…")
def sample_reports(which: str) -> list:
    """The validation reports of the bundled returns ("returns") or the bundled bad examples ("bad")."""
    folder = {"returns": SAMPLE_RETURNS, "bad": SAMPLE_BAD_RETURNS}[which]
    return load_returns([folder], load_roster(SAMPLE_ROSTER)).reports

"""Streamlit glue shared by the pages: cached loading of the bundled data."""
import streamlit as st

from analytics import load_returns, load_roster, load_uploaded
from analytics.settings import SAMPLE_BAD_RETURNS, SAMPLE_DATA, SAMPLE_RETURNS, SAMPLE_ROSTER


@st.cache_resource
def sample_roster():
    return load_roster(SAMPLE_ROSTER)


@st.cache_data(show_spinner="正在读取示例月报…")
def sample_reports(which: str) -> list:
    """The validation reports of the bundled returns ("returns") or the bundled bad examples ("bad")."""
    folder = {"returns": SAMPLE_RETURNS, "bad": SAMPLE_BAD_RETURNS}[which]
    reports = load_returns([folder], sample_roster()).reports
    for report in reports:  # shown relative to sample_data/
        report.file = report.file.removeprefix(f"{SAMPLE_DATA}/")
    return reports


def validate_uploads(files) -> list:
    """Reports for files from st.file_uploader; nothing is stored."""
    return load_uploaded([(f.name, f.getvalue()) for f in files], sample_roster()).reports

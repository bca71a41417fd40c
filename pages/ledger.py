"""部署任务与六个一 (issue 14 "Build" 3, 4): the bureau's 六个一 checklist and the city 文明办's deployed tasks,
tracked from the returns. Everyone views; office users confirm, record, remove and restore. A section account sees
its own section's returns and deployed tasks only (the period's year is its own: workspace.Year.of_section)."""
import streamlit as st

from pages._deployed import deployed_part
from pages._shared import in_frame, period_or_stop
from pages._six_ones import six_ones_part

in_frame()

st.title("部署任务与六个一")
year, month, shown = period_or_stop()
if message := st.session_state.pop("ledger_message", None):
    getattr(st, message[0])(message[1])
six_ones_part(year, shown.records.tasks)
st.divider()
deployed_part(year, month, shown.records.tasks, shown.roster.sections)

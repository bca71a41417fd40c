"""文明创建考评看板: the page frame. Pages live in pages/; computation lives in analytics/."""
from pathlib import Path

import streamlit as st

# A local icon: a material-icon page_icon makes the browser fetch its SVG from fonts.gstatic.com.
st.set_page_config(page_title="文明创建考评看板", page_icon=str(Path(__file__).parent / "assets" / "favicon.png"),
                   layout="wide")

PAGES = [
    st.Page("pages/returns.py", title="月报校验", icon=":material/fact_check:", default=True),
]
st.navigation(PAGES).run()

"""文明创建考评看板: the page frame. Pages live in pages/; computation lives in analytics/."""
import streamlit as st

st.set_page_config(page_title="文明创建考评看板", page_icon=":material/verified:", layout="wide")

# url_path differs from the file name: a deep link then always runs inside this frame
# (DEPENDENCY_NOTES.md, Streamlit "Deep links with a pages/ folder").
PAGES = [
    st.Page("pages/returns.py", title="月报校验", icon=":material/fact_check:", url_path="check", default=True),
]
st.navigation(PAGES).run()

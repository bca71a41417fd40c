"""文明创建考评看板: the page frame, the shared year and month, navigation. Pages hold no computation."""
from pathlib import Path

import streamlit as st

from pages._shared import DEFAULT_WHO, allowed, current_period, error_boundary, signed_in_or_stop, store, visible, years

# A local icon: a material-icon page_icon makes the browser fetch its SVG from fonts.gstatic.com.
st.set_page_config(page_title="文明创建考评看板", page_icon=str(Path(__file__).parent / "assets" / "favicon.png"),
                   layout="wide")
# A table's own toolbar (search, CSV download, fullscreen) speaks English: hidden; each page downloads its tables as
# .xlsx where a leader takes them away. (A style alone takes no room on the page.)
st.html("<style>[data-testid='stElementToolbar'] {display: none !important;}</style>")

# Each page's address is its file's name, and each page starts with in_frame(): a bookmarked address opened
# first after a server start (when Streamlit still runs pages/ the legacy way) then also opens inside this
# frame, without a "Page not found" box (pages/_shared.py). The default page is served at "/".
PAGES = {  # page file name → page; accounts.PAGE_ACTIONS says which roles see each
    "overview": st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
    "tasks": st.Page("pages/tasks.py", title="任务完成", icon=":material/task_alt:", url_path="tasks"),
    "hygiene": st.Page("pages/hygiene.py", title="九无卫生", icon=":material/cleaning_services:", url_path="hygiene"),
    "veto": st.Page("pages/veto.py", title="一票否决", icon=":material/gpp_bad:", url_path="veto"),
    "annual": st.Page("pages/annual.py", title="年度考评", icon=":material/military_tech:", url_path="annual"),
    "plan": st.Page("pages/plan.py", title="工作计划", icon=":material/calendar_month:", url_path="plan"),
    "ledger": st.Page("pages/ledger.py", title="部署任务与六个一", icon=":material/fact_check:", url_path="ledger"),
    "evidence": st.Page("pages/evidence.py", title="创建台账", icon=":material/folder_open:", url_path="evidence"),
    "section": st.Page("pages/section.py", title="科室详情", icon=":material/apartment:", url_path="section"),
    "reports": st.Page("pages/reports.py", title="报表下载", icon=":material/download:", url_path="reports"),
    "upload": st.Page("pages/upload.py", title="数据上传", icon=":material/upload_file:", url_path="upload"),
    "settings": st.Page("pages/settings.py", title="设置", icon=":material/settings:", url_path="settings"),
    "audit": st.Page("pages/audit.py", title="操作记录", icon=":material/history:", url_path="audit"),
}
account = signed_in_or_stop(list(PAGES.values()))  # desk mode, or the signed-in account; else only the sign-in link
page = st.navigation(visible(PAGES), expanded=True)   # every page listed: no collapsed "View N more" (English)

with error_boundary():
    with st.sidebar:
        known = years()
        if known:
            asked = [n for n, number in enumerate(known) if str(number) == st.query_params.get("year")]
            st.selectbox("年度", known, index=(asked or [len(known) - 1])[0], key="year")  # ?year= opens that year
            period = current_period()
            months = period.shown.summary.months if period.shown else []
            if months:
                if st.session_state.get("month") not in months:  # ?month= (a section link's) opens that month
                    asked_month = st.query_params.get("month")
                    st.session_state["month"] = asked_month if asked_month in months else months[-1]
                st.selectbox("月份", months, key="month")
        if account is None:  # signed in, who did it is the account
            st.text_input("经办人", value=DEFAULT_WHO, key="who", help="导入、认定和恢复操作都记下经办人")
        if store().flag("sample"):
            st.warning("当前显示的是内置示例数据（某市财政局 2024 年）。" + (
                "导入本单位月报前可在「设置」页清除示例数据（只清除示例，可恢复）。" if allowed("clear_sample") else ""))
with error_boundary():
    page.run()

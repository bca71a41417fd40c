import streamlit as st

from analytics.downloads import STEPS, month_downloads
from pages._shared import in_frame, period_or_stop, store

in_frame()

st.title("报表下载")
_, month, shown = period_or_stop()
st.caption(f"{month} 的 Excel 汇总（含可编辑图表）、图表图片（PNG 印刷分辨率与 SVG）、月度通报（Word）和网页报告（离线可打开）。")
made_for = (store().version(), month)  # the downloads stay offered until the data or the month changes
made = st.session_state.get("downloads")
if (made is None or made["for"] != made_for) and st.button(f"生成 {month} 报表", type="primary"):
    bar = st.progress(0.0, text="正在准备…")
    made = {"for": made_for, "downloads": month_downloads(
        shown.summary, shown.records.inspections, month,
        progress=lambda n, total, label: bar.progress(n / total, text=f"正在生成{label}…"))}
    bar.progress(1.0, text="已生成")
    st.session_state["downloads"] = made
if made and made["for"] == made_for:
    downloads = made["downloads"]
    if downloads.pictures_missing:
        st.warning(downloads.pictures_missing)
    kinds = {".xlsx": ("Excel 汇总", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
             ".zip": ("图表图片（.zip）", "application/zip"),
             ".docx": ("月度通报（Word）", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
             ".html": ("网页报告（.html）", "text/html")}
    for name, content in downloads.files.items():
        label, mime = kinds[name[name.rindex("."):]]
        st.download_button(f"下载{label}：{name}", content, name, mime=mime, key=f"download_{name}")
st.caption("生成步骤：" + " → ".join(STEPS))

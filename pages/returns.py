import streamlit as st

from analytics.issues import issues_frame, reports_frame
from pages._shared import sample_reports

st.title("月报校验")
st.caption("当前显示内置示例数据：一个市财政局 21 个科室和直属单位 2024 年全年的月报，以及几份需要退回的报表。")

for which, heading in (("returns", "示例月报（2024 年）"), ("bad", "需要退回的示例报表")):
    reports = sample_reports(which)
    table = reports_frame(reports)
    rejected = int((table["结果"] == "退回").sum())
    st.subheader(heading)
    left, middle, right = st.columns(3)
    left.metric("文件数", len(table))
    middle.metric("通过", len(table) - rejected)
    right.metric("退回", rejected)
    st.dataframe(table, hide_index=True, width="stretch")
    issues = issues_frame(reports)
    if len(issues):
        with st.expander(f"问题明细（{len(issues)} 条）", expanded=which == "bad"):
            st.dataframe(issues, hide_index=True, width="stretch")

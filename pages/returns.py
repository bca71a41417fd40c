import streamlit as st

from analytics.issues import issues_frame, reports_frame
from pages._shared import sample_reports, validate_uploads

st.title("月报校验")
st.caption("当前显示内置示例数据：一个市财政局 21 个科室和直属单位 2024 年全年的月报，以及几份需要退回的报表。")


def show(reports: list, heading: str, expand_issues: bool) -> None:
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
        with st.expander(f"问题明细（{len(issues)} 条）", expanded=expand_issues):
            st.dataframe(issues, hide_index=True, width="stretch")


uploads = st.file_uploader("校验月报文件（只检查，不保存；可多选，或上传 .zip）", accept_multiple_files=True,
                           type=["xlsx", "xlsm", "xls", "ods", "zip", "et"])
if uploads:
    with st.spinner(f"正在校验 {len(uploads)} 个文件…"):
        show(validate_uploads(uploads), "本次上传", expand_issues=True)
show(sample_reports("returns"), "示例月报（2024 年）", expand_issues=False)
show(sample_reports("bad"), "需要退回的示例报表", expand_issues=True)

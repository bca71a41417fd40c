import datetime as dt

import streamlit as st

from analytics import audit
from analytics.export_tables import workbook_bytes
from pages._shared import in_frame, section_table, store, years

in_frame()

st.title("操作记录")
st.caption("每项操作都记在这里：导入、撤回和恢复、认定和撤销、替换名册和规则、清除和恢复示例数据、账号的新建和更改、"
           "登录和登录失败。经办人是登录的账号（单机模式下为侧栏所填的经办人）。")
log = store().log(limit=None)
if log.empty:
    st.info("暂无操作记录：导入、认定、账号和登录等操作都会记在这里。")
    st.stop()

ALL = "全部"
options = audit.filter_options(log)
everyone = [None]  # the first choice of each selectbox: no filter
people, sections, months, actions = st.columns([1, 1, 1, 2])
who = people.selectbox("经办人/账号", everyone + options.people, format_func=lambda v: ALL if v is None else v,
                       key="audit_who")
section = sections.selectbox("科室", everyone + options.sections, format_func=lambda v: ALL if v is None else v,
                             key="audit_section")
month = months.selectbox("月份", everyone + options.months, format_func=lambda v: ALL if v is None else v,
                         key="audit_month", help="科室月报的月份（不是操作的日期）；没有月份的操作（如登录）不在其中")
chosen = actions.multiselect("操作", options.actions, format_func=audit.action_name, placeholder=ALL,
                             key="audit_actions", select_all=False)  # no English "Select all" in the list

rows = audit.filter_log(log, who=who, section=section, month=month, actions=chosen)
st.caption(f"共 {len(rows)} 条")
if rows.empty:
    st.info("没有符合筛选条件的操作记录：请放宽筛选条件。")
    st.stop()
section_table(audit.log_table(rows), (years() or [dt.date.today().year])[-1], by_month=True)  # to its month
# The bytes are made only when the button is clicked, not on every change of a filter.
st.download_button("下载操作记录（.xlsx）", lambda: workbook_bytes(audit.workbook_sheets(rows)),
                   audit.file_name(dt.date.today(), who, section, month, chosen),
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

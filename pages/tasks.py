import streamlit as st

from analytics import charts, completion
from analytics.labels import NOT_REPORTED_OPTION, headed
from pages._shared import chart, in_frame, period_or_stop, plain, table

in_frame()

st.title("任务完成")
year, month, shown = period_or_stop()
st.caption(f"{month} · 完成率 = Σ min(完成数, 计划数) ÷ Σ 计划数；超额完成另列，不计入完成率")
status = completion.return_status(shown.summary.section_months, month)
missing = list(status.index[~status])
if missing:
    st.warning(plain(f"{month} 未报送月报（{len(missing)} 个）：" + "、".join(missing)))
elif len(status):
    st.caption(f"应报 {len(status)} 个科室，均已报送")
chart(charts.section_ranking(shown.summary.section_months, month))
chart(charts.area_completion(shown.summary.areas, month))
chart(charts.area_heatmap(shown.summary.section_months, shown.records.tasks, month))

st.subheader("科室明细")
# Every section expected this month, those without a return marked; None when no section is expected.
section = st.selectbox("科室", list(status.index), key="task_section",
                       format_func=lambda name: NOT_REPORTED_OPTION.format(section=name) if name in missing else name)
if section is not None:
    st.page_link("pages/section.py", label=plain(f"{section} 的科室详情"), icon=":material/apartment:",
                 query_params={"section": section, "year": year})
if section in missing:
    st.info(plain(f"{section} {month} 未报送月报"))
elif section is not None:
    detail = completion.section_tasks(shown.records.tasks, section, month)
    table(headed(detail, ["area", "task", "planned", "done", "achieved", "over", "deployed", "note"]))
    notes = completion.task_notes(detail)
    if notes.short:
        st.warning(plain("未完成的任务：" + "；".join(notes.short)))
    if notes.over:
        st.info(plain("超额完成：" + "；".join(notes.over)))

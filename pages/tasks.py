import streamlit as st

from analytics import charts, completion
from pages._shared import chart, in_frame, period_or_stop, plain, view

in_frame()

st.title("任务完成")
year, month = period_or_stop()
data = view(year)
st.caption(f"{month} · 完成率 = Σ min(完成数, 计划数) ÷ Σ 计划数；超额完成另列，不计入完成率")
status = completion.return_status(data.summary.section_months, month)
missing = list(status.index[~status])
if missing:
    st.warning(plain(f"{month} 未报送月报（{len(missing)} 个）：" + "、".join(missing)))
elif len(status):
    st.caption(f"应报 {len(status)} 个科室，均已报送")
chart(charts.section_ranking(data.summary.section_months, month))
chart(charts.area_completion(data.summary.areas, month))
month_tasks = data.tables.tasks[data.tables.tasks["month"] == month]
chart(charts.heatmap(completion.section_area_rates(data.summary.section_months, month_tasks, month),
                     f"{month} 科室 × 创建内容 完成率", missing=missing))

st.subheader("科室明细")
# Every section expected this month, those without a return marked; None when no section is expected.
section = st.selectbox("科室", list(status.index), key="task_section",
                       format_func=lambda name: f"{name}（未报送）" if name in missing else name)
if section in missing:
    st.info(plain(f"{section} {month} 未报送月报"))
elif section is not None:
    detail = completion.with_capped_counts(month_tasks[month_tasks["section"] == section])
    st.dataframe(detail.rename(columns={"area": "创建内容", "task": "工作任务", "planned": "计划数", "done": "完成数",
                                        "deployed": "市文明办部署", "achieved": "计入完成", "over": "超额", "note": "说明"})[
        ["创建内容", "工作任务", "计划数", "完成数", "计入完成", "超额", "市文明办部署", "说明"]], hide_index=True, width="stretch")
    short = detail[detail["done"] < detail["planned"]]
    if len(short):
        st.warning(plain("未完成的任务：" + "；".join(f"{t}（{d}/{p}）" for t, d, p in zip(short["task"], short["done"],
                                                                                     short["planned"]))))
    if detail["over"].sum():
        st.info(plain("超额完成：" + "；".join(f"{t}（+{o}）" for t, o in zip(detail["task"], detail["over"]) if o)))

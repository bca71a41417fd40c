import streamlit as st

from analytics import charts
from analytics.export_tables import workbook_bytes
from analytics.summary import chase_list
from pages._shared import chart, current_period, no_data, view

st.title("总览")
year, month = current_period()
if month is None:
    no_data()
    st.stop()
data = view(year)
bureau = data.summary.bureau_months.set_index("month").loc[month]
st.caption(f"{month} · 计分规则 {data.rules.label}")


def change(value, unit: str) -> str | None:
    return None if value != value else f"{value:+.1f} {unit}"


left, second, third, right = st.columns(4)
left.metric("全局任务完成率", charts.percent(bureau["completion_rate"]), change(bureau["completion_rate_change"], "个百分点"))
second.metric("九无卫生得分", f"{bureau['nine_no_score']:.1f}" if bureau["nine_no_score"] == bureau["nine_no_score"] else "—",
              change(bureau["nine_no_score_change"], "分"))
third.metric("被一票否决科室", int(bureau["vetoed_sections"]), change(bureau["vetoed_sections_change"], "个"),
             delta_color="inverse")
right.metric("已收月报 / 应报", f"{int(bureau['received'])} / {int(bureau['expected'])}",
             change(bureau["received_change"], "份"))
chart(charts.bureau_trend(data.summary.bureau_months))

st.subheader("未报送科室（催报）")
chase = chase_list(data.summary.section_months, data.roster.sections, month, data.rules.due_day)
if chase.empty:
    st.success(f"{month} 的月报已全部收齐。")
else:
    st.dataframe(chase, hide_index=True, width="stretch")
    st.download_button("下载催报名单（.xlsx）", workbook_bytes({"催报名单": chase}), f"催报名单_{month}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

import datetime as dt

import streamlit as st

from analytics import charts
from analytics.export_tables import workbook_bytes
from analytics.summary import chase_list
from pages._shared import allowed, chart, in_frame, made_once, overview_figures, period_or_stop, plain, section_table

in_frame()

st.title("总览")
year, month, shown = period_or_stop(published=True)
bureau = shown.summary.bureau_months.set_index("month").loc[month]
st.caption(plain(f"{month} · 计分规则 {shown.rules.title}"))


def metric(column, label: str, value: str, change, unit: str, inverse: bool = False, whole: bool = False) -> None:
    """A figure with its 环比 change (a count's in whole numbers); no arrow where it did not change or cannot be
    computed."""
    steady = change != change or change == 0
    column.metric(label, value, None if change != change else f"{change:+.{0 if whole else 1}f} {unit}",
                  delta_color="off" if steady else "inverse" if inverse else "normal", delta_arrow="off" if steady else "auto")


columns = st.columns(4)
metric(columns[0], "全局任务完成率", charts.percent(bureau["completion_rate"]), bureau["completion_rate_change"], "个百分点")
metric(columns[1], "九无卫生得分", charts.score(bureau["nine_no_score"]), bureau["nine_no_score_change"], "分")
metric(columns[2], "被一票否决科室", str(int(bureau["vetoed_sections"])), bureau["vetoed_sections_change"], "个", inverse=True,
       whole=True)
metric(columns[3], "已收月报 / 应报", f"{int(bureau['received'])} / {int(bureau['expected'])}", bureau["received_change"], "份", whole=True)
# The month's ranking is published as the bureau's figures are; who has not reported is not (below).
for column, figure in zip(st.columns(2), overview_figures(shown, month, allowed("view_figures"))):
    with column:
        chart(figure)

if not allowed("view_figures"):  # which other sections have not reported is not a section account's to see
    st.stop()
st.subheader("未报送科室（催报）")
chase = made_once(("chase", year, month, dt.date.today()),  # whether the due day has passed changes with the day
                  lambda: chase_list(shown.summary.section_months, shown.roster.sections, month, shown.rules.due_day))
if chase.empty:
    st.success(f"{month} 的月报已全部收齐。")
else:
    section_table(chase, year)
    st.download_button("下载催报名单（.xlsx）", workbook_bytes({"催报名单": chase}), f"催报名单_{month}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

import streamlit as st

from analytics import charts, hygiene
from pages._shared import chart, in_frame, period_or_stop

in_frame()

st.title("九无卫生")
_, month, shown = period_or_stop()
inspections = hygiene.in_month(shown.records.inspections, month)
st.caption(f"{month} · 每个检查点得分 = 100 × 达标项 ÷ 适用项；科室得分为各检查点平均，全局为各科室平均")
if inspections.empty:
    st.info(f"{month} 没有九无卫生检查记录。")
else:
    chart(charts.item_heatmap(inspections, shown.summary.section_months, month))
    chart(charts.worst_items(inspections, month))
    chart(charts.worst_places(inspections, month))
chart(charts.hygiene_trend(shown.summary.bureau_months))

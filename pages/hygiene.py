import streamlit as st

from analytics import charts, hygiene, section_view
from analytics.labels import SECTION_NAMES, heading
from pages._shared import allowed, chart, in_frame, period_or_stop, section_table

in_frame()

st.title("九无卫生")
year, month, shown = period_or_stop()
inspections = hygiene.in_month(shown.records.inspections, month)
st.caption(f"{month} · 每个检查点得分 = 100 × 达标项 ÷ 适用项；科室得分为各检查点平均，全局为各科室平均")
if allowed("view_figures"):  # a section account's view holds its own section only: no ranking to show
    st.subheader(f"{month} 各科室九无卫生得分排名")
    st.caption("得分相同的名次并列；未报送或无检查记录的科室不排名。")
    # Numbers as numbers: right-aligned, one decimal for the score, blank where there is none.
    section_table(section_view.nine_no_ranking(shown.summary.section_months, month), year, height="content",
                  column_config={heading(name, SECTION_NAMES): st.column_config.NumberColumn(format=shown)
                                 for name, shown in (("rank", "%d"), ("nine_no_score", "%.1f"), ("scored_rows", "%d"))})
if inspections.empty:
    st.info(f"{month} 没有九无卫生检查记录。")
else:
    chart(charts.item_heatmap(inspections, shown.summary.section_months, month))
    chart(charts.worst_items(inspections, month))
    chart(charts.worst_places(inspections, month))
chart(charts.hygiene_trend(shown.summary.bureau_months))

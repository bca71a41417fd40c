import streamlit as st

from analytics import charts, hygiene
from analytics.intake import vocab
from pages._shared import chart, in_frame, period_or_stop, view

in_frame()

st.title("九无卫生")
year, month = period_or_stop()
data = view(year)
month_checks = data.tables.inspections[data.tables.inspections["month"] == month]
st.caption(f"{month} · 每个检查点得分 = 100 × 达标项 ÷ 适用项；科室得分为各检查点平均，全局为各科室平均")
if month_checks.empty:
    st.info(f"{month} 没有九无卫生检查记录。")
else:
    by_item = hygiene.item_fail_rates(month_checks, ["section"])
    chart(charts.heatmap(by_item.pivot(index="section", columns="item", values="fail_rate").reindex(columns=vocab.NINE_ITEM_NAMES),
                         f"{month} 科室 × 九无项目 不达标率", colorscale="Reds"))
    chart(charts.item_pareto(by_item, f"{month} 不达标最多的项目"))
    chart(charts.place_ranking(hygiene.place_fail_rates(month_checks, ["section"]), f"{month} 不达标最多的检查部位"))
chart(charts.hygiene_trend(data.summary.bureau_months))

import streamlit as st

from analytics import charts
from analytics.accounts import own_section
from analytics.labels import headed, heading
from analytics.scoring import rules_table
from pages._shared import account, chart, in_frame, period_or_stop, plain, section_table

in_frame()

st.title("年度考评")
year, month, shown = period_or_stop(published=True)
rules = shown.rules
annual = shown.annual(month)
st.caption(f"年度得分 = {year} 年 1 月至 {month} 各月量化考核得分的平均（未报送月份计 0 分，未设立或已撤销的月份不计）。"
           + plain(f"计分规则 {rules.title}"))
chart(charts.annual_ranking(annual, rules.floor))
score_format = {heading("annual_score"): st.column_config.NumberColumn(format="%.2f")}

left, right = st.columns(2)
with left:
    st.subheader("先进集体候选")
    section_table(headed(annual[annual["collective"]], ["rank", "section", "annual_score"]), year, score_format)
with right:
    st.subheader("先进个人候选（科室负责人）")
    section_table(headed(annual[annual["individual"]], ["section", "head"]), year)

own = own_section(account())  # a section account sees the published ranking, and why only its own section was not chosen
st.subheader("全部科室与未入选原因" if own is None else "本科室未入选原因")
listed = annual if own is None else annual[annual["section"] == own]
section_table(headed(listed, ["rank", "section", "head", "annual_score", "reason", "individual_reason"]), year, score_format)

with st.expander("现行计分规则"):
    st.write(plain(f"计分规则：{rules.title}（文件 {rules.source}）"))
    st.table(rules_table(rules))

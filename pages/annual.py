import streamlit as st

from analytics import charts
from analytics.summary import annual_table
from pages._shared import chart, in_frame, period_or_stop, plain, view

in_frame()

st.title("年度考评")
year, month = period_or_stop()
data = view(year)
rules = data.rules
annual = annual_table(data.summary.section_months, data.roster.sections, rules,
                      data.summary.reasons, month)
st.caption(f"年度得分 = {year} 年 1 月至 {month} 各月量化考核得分的平均（未报送月份计 0 分，未设立或已撤销的月份不计）。"
           + plain(f"计分规则 {rules.label}"))
chart(charts.annual_ranking(annual, rules.floor))

left, right = st.columns(2)
with left:
    st.subheader("先进集体候选")
    collective = annual[annual["collective"]]
    st.dataframe(collective[["rank", "section", "annual_score"]].rename(
        columns={"rank": "名次", "section": "科室", "annual_score": "年度得分"}), hide_index=True, width="stretch",
        column_config={"年度得分": st.column_config.NumberColumn(format="%.2f")})
with right:
    st.subheader("先进个人候选（科室负责人）")
    individual = annual[annual["individual"]]
    st.dataframe(individual[["section", "head"]].rename(columns={"section": "科室", "head": "负责人"}),
                 hide_index=True, width="stretch")

st.subheader("全部科室与未入选原因")
st.dataframe(annual[["rank", "section", "head", "annual_score", "reason", "individual_reason"]].rename(columns={
    "rank": "名次", "section": "科室", "head": "负责人", "annual_score": "年度得分", "reason": "未评先进集体的原因",
    "individual_reason": "负责人未评先进个人的原因"}), hide_index=True, width="stretch",
    column_config={"年度得分": st.column_config.NumberColumn(format="%.2f")})

with st.expander("现行计分规则"):
    st.write(plain(f"规则文件：{rules.label}"))
    st.table({"规则": ["任务完成分值", "九无卫生分值", "每月加分上限", "先进集体名额", "先进分数线", "报送截止日",
                     "未完成部署任务即否决", *[f"加分：{k}" for k in rules.bonus_points]],
              "取值": [f"{rules.completion_points:g}", f"{rules.hygiene_points:g}", f"{rules.bonus_cap:g}", str(rules.places),
                     f"{rules.floor:g}", f"次月 {rules.due_day} 日", "是" if rules.deployed_shortfall else "否",
                     *[f"{v:g} 分" for v in rules.bonus_points.values()]]})

import datetime as dt

import streamlit as st

from analytics import charts, veto, vocab
from pages._shared import chart, in_frame, period_or_stop, store, view, who

in_frame()

st.title("一票否决")
year, month = period_or_stop()
data = view(year)
table = data.summary.section_months
heads = data.roster.sections.set_index("section")["head"]
st.caption("事项经认定属实（是否属实＝是）或市文明办部署任务未完成，即自当月起本年度一票否决：不评先进集体，负责人不评先进个人。"
           "文明办的认定优先于月报所填。")

st.subheader(f"{year} 年被否决的科室")
vetoed = table[table["veto_reasons"].map(bool)]
if vetoed.empty:
    st.success("本年度暂无一票否决。")
else:
    st.dataframe(vetoed.assign(负责人=vetoed["section"].map(heads), 原因=vetoed["veto_reasons"].map("；".join))[
        ["section", "负责人", "month", "原因"]].rename(columns={"section": "科室", "month": "否决月份"}),
        hide_index=True, width="stretch")
chart(charts.veto_summary(data.summary.bureau_months))

st.subheader("报告的事项")
events = veto.event_list(veto.apply_decisions(data.tables.events, data.tables.decisions))
events = events[events["first_month"].str.startswith(str(year))]
shown = events.assign(负责人=events["section"].map(heads), 状态=events["latest_status"].map(vocab.STATUS_NAMES),
                      confirmed_month=events["confirmed_month"].fillna("—"))
st.dataframe(shown[["section", "负责人", "first_month", "date", "category", "description", "状态", "confirmed_month"]].rename(
    columns={"section": "科室", "first_month": "报告月份", "date": "发生日期", "category": "事项类别",
             "description": "事项说明", "confirmed_month": "认定月份"}), hide_index=True, width="stretch")

st.subheader("认定与补录")
pending = events[events["latest_status"] != "confirmed"].reset_index(drop=True)
with st.form("decide"):
    st.write("认定一项已报告的事项（属实则自所选月份起否决）")
    choice = st.selectbox("事项", pending.index, format_func=lambda i: (
        f"{pending.loc[i, 'section']} · {pending.loc[i, 'date']} · {pending.loc[i, 'category']} · "
        f"{vocab.STATUS_NAMES[pending.loc[i, 'latest_status']]}"), index=None, placeholder="选择待核实的事项")
    action = st.radio("认定", ["confirm", "dismiss"], format_func={"confirm": "属实（否决）", "dismiss": "不属实（撤销）"}.get,
                      horizontal=True)
    why = st.text_input("依据（必填）")
    if st.form_submit_button("保存认定") and choice is not None:
        if not why.strip():
            st.error("请填写认定依据。")
        else:
            event = pending.loc[choice]
            store().decide(action, event["section"], event["first_month"], event["date"] or None, event["category"],
                           who(), why.strip())
            st.rerun()
with st.form("record"):
    st.write("补录一项科室未报告的事项（记为属实）")
    section = st.selectbox("科室", list(data.roster.sections["section"]), index=None, placeholder="选择科室")
    left, right = st.columns(2)
    happened = left.date_input("发生日期", value=dt.date.fromisoformat(f"{month}-01"))
    category = right.selectbox("事项类别", list(vocab.VETO_CATEGORIES))
    description = st.text_input("事项说明")
    reason = st.text_input("依据（必填）", key="record_why")
    if st.form_submit_button("补录") and section:
        if not reason.strip():
            st.error("请填写依据。")
        else:
            store().decide("record", section, happened.strftime("%Y-%m"), happened, category, who(), reason.strip(),
                           description)
            st.rerun()

decisions = data.tables.decisions
if len(decisions):
    st.subheader("认定记录")
    for decision in decisions.itertuples():
        label = {"confirm": "认定属实", "dismiss": "认定不属实", "record": "补录"}[decision.action]
        left, right = st.columns([5, 1])
        status = f"（已于 {decision.undone_at:%Y-%m-%d %H:%M} 由 {decision.undone_by} 撤销）" if decision.undone_by else ""
        left.write(f"{decision.at:%Y-%m-%d %H:%M} {decision.who} {label}：{decision.section} {decision.date} "
                   f"{decision.category}，依据：{decision.why}{status}")
        if not decision.undone_by and right.button("撤销", key=f"undo_{decision.id}"):
            store().undo_decision(int(decision.id), who())
            st.rerun()

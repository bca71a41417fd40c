import datetime as dt

import streamlit as st

from analytics import charts, labels, veto
from analytics.intake import vocab
from analytics.labels import DATE_UNKNOWN, DECISION_CHOICES, EVENT_NAMES, VETOED_NAMES, headed
from analytics.store import StaleChoice, StoreBusy
from pages._shared import allowed, chart, in_frame, period_or_stop, plain, section_table, store, who

in_frame()

st.title("一票否决")
year, month, shown = period_or_stop()
st.caption("事项经认定属实（是否属实＝是）或市文明办部署任务未完成，即自当月起本年度一票否决：不评先进集体，负责人不评先进个人。"
           "文明办的认定优先于月报所填。")

st.subheader(f"{year} 年被否决的科室")
vetoed = veto.vetoed_sections(shown.summary.section_months, shown.roster.sections)
if vetoed.empty:
    st.success("本年度暂无一票否决。")
else:
    section_table(headed(vetoed, ["section", "head", "month", "reasons"], VETOED_NAMES), year)
chart(charts.veto_summary(shown.summary.bureau_months))

st.subheader("报告的事项")
events = veto.year_events(shown.summary.events, shown.roster.sections, year)
section_table(headed(events, ["section", "head", "first_month", "date", "category", "description", "status",
                              "confirmed_month"], EVENT_NAMES), year)

decisions = shown.records.decisions
seen = int(decisions["id"].max()) if len(decisions) else 0  # the newest decision this page was drawn with


def _say(kind: str, text: str) -> None:
    st.session_state["veto_message"] = (kind, text)


def _decide(action: str, section: str, month: str, date, category: str, why: str, description: str = "") -> bool:
    """Record a decision and say what was saved; name any colleague's decision on the same event made since this
    page was drawn."""
    try:
        newer = store().decide(action, section, month, date, category, who(), why, description, seen=seen)
    except StoreBusy as busy:
        _say("error", str(busy))
        return False
    saved = labels.DECISION_RECORDED.format(section=section, category=category, date=date) if action == "record" else \
        labels.DECISION_SAVED.format(section=section, category=category, action=DECISION_CHOICES[action])
    _say("warning" if newer else "success", saved + (f"注意：在您打开本页之后，{veto.newer_decision_note(newer)}" if newer else ""))
    return True


by_key = {veto.event_key(e.section, e.date, e.category): e for e in events.itertuples()}


def save_decision() -> None:
    key, why = st.session_state.get("decide_event"), st.session_state.get("decide_why", "").strip()
    if key is None:
        return _say("error", "请先选择要认定的事项。")
    if not why:
        return _say("error", "请填写认定依据。")
    event, action = by_key[key], st.session_state["decide_action"]
    counts_from = st.session_state.get("decide_month") or event.first_month
    if _decide(action, event.section, counts_from, event.date or None, event.category, why):
        st.session_state["decide_event"], st.session_state["decide_why"] = None, ""


def save_record() -> None:
    section, why = st.session_state.get("record_section"), st.session_state.get("record_why", "").strip()
    if section is None:
        return _say("error", "请先选择科室。")
    if not why:
        return _say("error", "请填写依据。")
    happened = st.session_state["record_date"]
    if _decide("record", section, happened.strftime("%Y-%m"), happened, st.session_state["record_category"], why,
               st.session_state.get("record_description", "").strip()):
        for name in ("record_why", "record_description"):
            st.session_state[name] = ""
        st.session_state["record_section"] = None


def change(kind: str, decision_id: int) -> None:
    try:
        (store().undo_decision if kind == "undo" else store().redo_decision)(decision_id, who())
        _say("success", (labels.DECISION_UNDONE_SAY if kind == "undo" else labels.DECISION_REDONE_SAY).format(id=decision_id))
    except (StaleChoice, StoreBusy) as problem:
        _say("error", str(problem))


if message := st.session_state.pop("veto_message", None):
    getattr(st, message[0])(plain(message[1]))
deciding = allowed("decide")  # the other roles see the events and the decisions, not the controls
if deciding:
    st.subheader("认定与补录")
    with st.container(border=True):
        st.write("认定一项已报告的事项")
        key = st.selectbox("事项", list(by_key), format_func=lambda k: (
            f"{by_key[k].section} · {by_key[k].date or DATE_UNKNOWN} · {by_key[k].category} · "
            f"{by_key[k].status}"), index=None, placeholder="选择事项", key="decide_event")
        action = st.radio("认定", list(DECISION_CHOICES), format_func=DECISION_CHOICES.get,
                          horizontal=True, key="decide_action")
        if key is not None and action == "confirm":
            first = by_key[key].first_month
            options = [m for m in shown.summary.months if m >= first] or [first]
            st.selectbox("自哪个月起否决（默认为报告该事项的月份）", options, key="decide_month")
        st.text_input("依据（必填）", key="decide_why")
        st.button("保存认定", on_click=save_decision, type="primary")
    with st.container(border=True):
        st.write("补录一项科室未报告的事项（记为属实，自发生当月起否决）")
        st.selectbox("科室", list(shown.roster.sections["section"]), index=None, placeholder="选择科室", key="record_section")
        left, right = st.columns(2)
        left.date_input("发生日期", value=dt.date.fromisoformat(f"{month}-01"), key="record_date")
        right.selectbox("事项类别", list(vocab.VETO_CATEGORIES), key="record_category")
        st.text_input("事项说明", key="record_description")
        st.text_input("依据（必填）", key="record_why")
        st.button("补录", on_click=save_record)

if len(decisions):
    st.subheader("认定记录")
    st.caption("撤销或恢复都会记录经办人和时间；多次认定同一事项时，以最后保存的为准。")
    for row in veto.decision_log(decisions).itertuples():
        left, right = st.columns([5, 1])
        left.markdown(plain(row.text))
        if deciding and row.standing:
            right.button("撤销", key=f"undo_{row.id}", on_click=change, args=("undo", row.id))
        elif deciding:
            right.button("恢复", key=f"redo_{row.id}", on_click=change, args=("redo", row.id))

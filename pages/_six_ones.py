"""部署任务与六个一 → 六个一 (issue 14 "Build" 3): the checklist (state, last activity in returns, who confirmed it,
when, why); for office users a confirmation with a required note, and the undo of a standing one."""
import streamlit as st

from analytics import ledger, plan_store, workspace
from analytics.labels_plan import PLAN_LIST_SEPARATOR, SIX_ONES_COLUMNS, SIX_ONES_STATES, SIX_ONES_UNCONFIRMED
from analytics.plan_store import LedgerError
from analytics.store import StaleChoice
from pages._shared import allowed, store, table, who


def say(kind: str, text: str) -> None:
    st.session_state["ledger_message"] = (kind, text)


def _confirm(year: int) -> None:
    chosen = st.session_state.get("six_ones_pick"), st.session_state.get("six_ones_state")
    try:
        plan_store.confirm_six_ones(store(), year, *chosen, st.session_state.get("six_ones_note", ""), who())
    except LedgerError as error:
        return say("error", str(error))
    say("success", f"已确认「{chosen[0]}」为“{SIX_ONES_STATES[chosen[1]]}”。")
    st.session_state["six_ones_note"] = ""


def _undo(checklist) -> None:
    row = checklist.set_index("six_ones").loc[st.session_state["six_ones_undo"]]
    try:
        plan_store.undo_six_ones(store(), int(row["confirmation_id"]), who())
    except StaleChoice as stale:
        return say("error", str(stale))
    say("success", f"已撤销「{row.name}」的确认，此前的确认（如有）重新生效。")


def six_ones_part(year: int, tasks) -> None:
    st.subheader(f"{year} 年六个一")
    confirmations = plan_store.six_ones_confirmations_of(store(), year)
    checklist = ledger.six_ones_checklist(workspace.plan_in_force(store()), tasks, confirmations)
    shown = checklist.assign(state=checklist["state"].map(lambda state: SIX_ONES_STATES.get(state, SIX_ONES_UNCONFIRMED)),
                             last_sections=checklist["last_sections"].map(PLAN_LIST_SEPARATOR.join))
    table(shown[list(SIX_ONES_COLUMNS)].rename(columns=SIX_ONES_COLUMNS))
    st.caption("最近开展：月报中报告完成（完成数大于 0）与该事项名称或别名相符的工作任务的最近月份。状态以文明办最近一次确认为准。")
    if not allowed("plan_confirm"):
        return
    with st.form("six_ones_confirm"):
        st.selectbox("六个一", list(checklist["six_ones"]), key="six_ones_pick")
        st.radio("状态", list(SIX_ONES_STATES), format_func=SIX_ONES_STATES.get, key="six_ones_state", horizontal=True)
        st.text_area("说明（必填：依据，如台账、照片、检查记录）", key="six_ones_note")
        st.form_submit_button("确认", on_click=_confirm, args=(year,))
    standing = checklist[checklist["confirmation_id"].notna()]
    if len(standing):
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        left.selectbox("撤销一项确认（此前的确认重新生效）", list(standing["six_ones"]), key="six_ones_undo",
                       format_func=lambda name: f"{name}：{SIX_ONES_STATES[standing.set_index('six_ones').loc[name, 'state']]}")
        right.button("撤销确认", on_click=_undo, args=(checklist,))
    with st.expander("全部确认记录"):
        table(confirmations.rename(columns={"six_ones": "六个一", "state": "状态", "note": "说明", "who": "确认人",
                                            "at": "确认时间", "undone_at": "撤销时间", "undone_by": "撤销人"})
              .drop(columns=["id", "year"]).replace(SIX_ONES_STATES))

"""部署任务与六个一 → 市文明办部署任务台账 (issue 14 "Build" 4): the recorded tasks with each section's done or not
(from returns), the overdue list; for office users a form to record one, and remove (after a confirmation) or restore."""
import streamlit as st

from analytics import ledger, plan_store
from analytics.intake.vocab import AREA_NAMES
from analytics.labels_plan import ALL_SECTIONS, DEPLOYED_COLUMNS, DONE_MARKS, OVERDUE_COLUMNS
from analytics.plan_store import LedgerError, sections_text
from analytics.store import StaleChoice
from pages._shared import allowed, store, table, who
from pages._six_ones import say

CHOSEN = "指定科室"


def _record() -> None:
    state = st.session_state
    chosen = None if state["deployed_all"] == ALL_SECTIONS else state.get("deployed_sections", [])
    try:
        plan_store.add_deployed_task(store(), state.get("deployed_name", ""), state["deployed_area"],
                                     state["deployed_due"], chosen, state.get("deployed_note", ""), who())
    except LedgerError as error:
        return say("error", str(error))
    say("success", f"已登记部署任务「{state['deployed_name'].strip()}」（{sections_text(chosen)}）。")
    state["deployed_name"] = state["deployed_note"] = ""


def _change(action, key: str, done: str) -> None:
    try:
        action(store(), st.session_state[key], who())
    except StaleChoice as stale:
        return say("error", str(stale))
    say("success", done)


def _record_form(year: int, sections: list[str]) -> None:
    with st.form("deployed_new"):
        st.text_input("部署任务名称（与月报“工作任务”一栏的写法相符即算完成）", key="deployed_name")
        left, right = st.columns(2)
        left.selectbox("创建内容", AREA_NAMES, key="deployed_area")
        right.selectbox("完成月份", [f"{year}-{m:02d}" for m in range(1, 13)], key="deployed_due")
        st.radio("科室", [ALL_SECTIONS, CHOSEN], key="deployed_all", horizontal=True)
        st.multiselect("指定科室（选“指定科室”时）", sections, key="deployed_sections", placeholder="选择科室")
        st.text_input("说明（如文件号）", key="deployed_note")
        st.form_submit_button("登记", on_click=_record)


def deployed_part(year: int, month: str, tasks, roster_sections) -> None:
    sections = list(roster_sections["section"])
    st.subheader("市文明办部署任务台账")
    deployed = plan_store.deployed_tasks_of(store())
    of_year = deployed[deployed["due_month"].str[:4] == str(year)]
    progress = ledger.deployed_progress(of_year, tasks, roster_sections, month)
    grid = ledger.progress_grid(progress, DONE_MARKS)
    active = of_year[of_year["removed_at"].isna() & of_year["id"].isin(progress["id"])]
    in_view = active["sections"].map(lambda chosen: chosen if chosen is None else [s for s in chosen if s in sections])
    listed = active.assign(sections=in_view.map(sections_text))[["id", "name", "area", "due_month", "sections", "note"]]
    table(listed.merge(grid.drop(columns=["name", "due_month"]), on="id").rename(columns=DEPLOYED_COLUMNS))
    st.caption(f"{DONE_MARKS[True]}：该科室截至完成月份的月报报告了这项任务且完成数不少于计划数；{DONE_MARKS[False]}：尚未报告完成。"
               "月报中与登记的任务同名的工作任务按市文明办部署计：完成数少于计划数即一票否决。")
    late = ledger.overdue(progress)
    st.markdown(f"**逾期未完成（{month} 之前到期）**")
    table(late.rename(columns=OVERDUE_COLUMNS))
    if not allowed("plan_confirm"):
        return
    _record_form(year, sections)
    names = dict(zip(of_year["id"], of_year["name"] + "（" + of_year["due_month"] + "）"))
    if len(active):
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        chosen = left.selectbox("删除一项部署任务（保留记录，可恢复）", list(active["id"]), format_func=names.get,
                                key="deployed_remove")
        # One confirmation per task: a tick given for one never carries over to the next one picked.
        sure = left.checkbox("确认删除这项部署任务", key=f"deployed_remove_sure_{chosen}")
        right.button("删除", disabled=not sure, on_click=_change,
                     args=(plan_store.remove_deployed_task, "deployed_remove", "已删除，可在下方恢复。"))
    removed = of_year[of_year["removed_at"].notna()]
    if len(removed):
        with st.expander(f"已删除的部署任务（{len(removed)}）"):
            table(removed[["name", "due_month", "removed_at", "removed_by"]].rename(columns=DEPLOYED_COLUMNS))
            st.selectbox("恢复", list(removed["id"]), format_func=names.get, key="deployed_restore")
            st.button("恢复这项部署任务", on_click=_change,
                      args=(plan_store.restore_deployed_task, "deployed_restore", "已恢复。"))

import streamlit as st

from analytics import labels, labels_plan, workspace
from analytics.config import SAMPLE_ROSTER
from analytics.intake.roster import RosterError, parse_roster
from analytics.plan import PlanError
from analytics.rules import RulesError
from analytics.store import StaleChoice, StoreBusy
from pages._accounts import accounts_part
from pages._backup import backup_part
from pages._evidence_list import limit_part
from pages._roster import roster_fates
from pages._shared import allowed, in_frame, plain, table, uploader_in_chinese, who
from pages._shared import store as dashboard_store
from pages._templates import templates_part

in_frame()

st.title("设置")
store = dashboard_store()
roster, rules, plan = workspace.roster_in_force(store), workspace.rules_in_force(store), workspace.plan_in_force(store)
if message := st.session_state.pop("settings_message", None):
    getattr(st, message[0])(plain(message[1]))


def done(kind: str, text: str) -> None:
    st.session_state["settings_message"] = (kind, text)
    st.rerun()


templates_part(store, roster, who())
# The roster, the rules, the sample and the accounts are all the office's (accounts.PERMISSIONS).
if not all(allowed(action) for action in ("roster", "rules", "clear_sample", "accounts")):
    st.stop()

st.subheader("组织名册")
table(workspace.roster_table(roster))


uploader_in_chinese("roster_upload", ROSTER_TYPES := ["xlsx", "xls", "csv"])
new_roster = st.file_uploader("上传新名册（.xlsx 或 .csv；校验通过才替换）", type=ROSTER_TYPES, key="roster_upload")
candidate = (new_roster.name, new_roster.getvalue()) if new_roster else st.session_state.get("roster_candidate")
in_force = store.file_setting("roster")
current = in_force.data if in_force else SAMPLE_ROSTER.read_bytes()
# The same file again says so, unless it is the one this page just put in force (the uploader still holds it).
if new_roster and new_roster.getvalue() == current and st.session_state.get("roster_applied") != new_roster.file_id:
    st.warning(plain(labels.SAME_ROSTER.format(name=new_roster.name)))
elif candidate and candidate[1] != current:
    name, content = candidate
    try:
        checked = parse_roster(content, name)
    except RosterError as error:
        st.error(plain(error))
    else:
        gone = workspace.dropped_sections(store, checked)
        st.info(plain(f"「{name}」校验通过：{len(checked.sections)} 个科室。" + ("" if gone.empty else "替换前请说明下列科室的去向。")))
        for note in checked.notes:
            st.warning(plain(note))
        fates = roster_fates(checked, gone)
        if st.button("确认替换名册", type="primary"):
            try:
                workspace.replace_roster(store, name, content, who(), fates)
            except (RosterError, StaleChoice, StoreBusy) as error:
                st.error(plain(error))
            else:
                st.session_state.pop("roster_candidate", None)
                st.session_state["roster_applied"] = new_roster and new_roster.file_id
                done("success", f"名册已替换为「{name}」。原名册仍保留，可在下方历史中恢复。")


def file_history(key: str, label: str) -> None:
    """Every file that was in force; an earlier one can be put back through the same checks."""
    earlier = store.file_settings(key)
    if len(earlier) < 2:
        return
    with st.expander(f"此前的{label}（{len(earlier) - 1} 个，可恢复）"):
        for row in earlier.iloc[1:].itertuples():
            left, right = st.columns([5, 1])
            left.markdown(plain(f"{row.at:%Y-%m-%d %H:%M} · {row.who or ''} · {row.name}"))
            if right.button("恢复", key=f"restore_{key}_{row.id}"):
                stored = store.file_setting_by_id(int(row.id))
                if stored.data == store.file_setting(key).data:
                    done("warning", labels.SAME_SETTING.format(name=stored.name, label=label))
                if key == "roster":  # a roster goes through the same check as an upload, sections' fates included
                    st.session_state["roster_candidate"] = (stored.name, stored.data)
                    st.rerun()
                CHECKED_FILES[key][2](store, stored.name, stored.data, who())
                done("success", f"{label}已恢复为「{stored.name}」。")


file_history("roster", "名册")

# The rules and the plan: a file checked before it is put in force, the one before restorable (settings key →
# heading, label, the file in force, put one in force, what is said of the one in force).
CHECKED_FILES = {
    "rules": ("计分规则", "规则", workspace.replace_rules, workspace.rules_file,
              lambda: f"现行规则：{rules.title}（文件 {rules.source}）"),
    "plan": ("工作计划", "计划", workspace.replace_plan, workspace.plan_file,
             lambda: labels_plan.PLAN_IN_FORCE.format(name=plan.source, digest=plan.digest, year=plan.year,
                                                      items=len(plan.items))),
}


def checked_file_part(key: str) -> None:
    heading, label, replace, file_of, in_force = CHECKED_FILES[key]
    st.subheader(heading)
    st.write(plain(in_force()))
    name, data = file_of(store)
    st.download_button(f"下载现行{label}文件（修改后可上传）", data, name, mime="text/plain", key=f"{key}_download")
    uploader_in_chinese(f"{key}_upload", ["toml"])
    new = st.file_uploader(f"上传新{label}文件（.toml；校验通过才替换）", type=["toml"], key=f"{key}_upload")
    if new and st.button(f"校验并替换{label}", key=f"{key}_replace"):
        if new.getvalue() == data:
            done("warning", labels.SAME_CHECKED_FILE.format(name=new.name, label=label))
        try:
            checked = replace(store, new.name, new.getvalue(), who())
        except (RulesError, PlanError) as error:
            st.error(plain(error))
        else:
            done("success", f"{label}已替换为「{checked.source}」（{checked.digest}）。原{label}仍保留，可在下方历史中恢复。")
    file_history(key, label)


checked_file_part("rules")
checked_file_part("plan")

limit_part(who())
accounts_part(store, who(), roster.in_force())

st.subheader("示例数据")
if store.flag("sample"):
    footprint = store.sample_footprint()
    st.write(f"清除将移走示例数据的 {footprint['versions']} 份月报（其中当前 {footprint['current']} 份）"
             f"和 {footprint['decisions']} 条只针对示例事项的认定；您导入的 {footprint['kept_current']} 份当前月报、"
             "其他认定、名册和规则都保留。清除后可在本页恢复示例数据。")
    sure = st.checkbox("我已了解，只清除示例数据", key="clear_sample_sure")
    if st.button("清除示例数据", disabled=not sure):
        counts = store.clear_sample(who())
        done("success", f"已清除示例数据的 {counts['versions']} 份月报和 {counts['decisions']} 条认定。")
elif store.can_restore_sample():
    st.write("示例数据已清除。")
    if st.button("恢复示例数据"):
        store.restore_sample(who())
        done("success", "示例数据已恢复。")
else:
    st.write("数据库中没有示例数据。")
backup_part(store, who())

st.caption("每项操作的记录（谁、何时、做了什么）见「操作记录」页（/audit）。")
st.caption(labels.STORE_COUNTS.format(**store.counts()))

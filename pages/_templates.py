"""The settings page's blank-return part: one section's template or all of them for a month (only the sections in
force that month), and the template settings file with the bureau's standing tasks."""
import streamlit as st

from analytics import labels, ledger, plan_store
from analytics.accounts import own_section
from analytics.intake.normalize import parse_month
from analytics.intake.template import (
    DEFAULT_SETTINGS,
    TemplateSettingsError,
    month_templates,
    parse_template_settings,
    template_bytes,
    templates_zip,
)
from pages._shared import account, allowed, current_period, plain, uploader_in_chinese

KEY = "template"   # the store's file setting holding the template settings in force
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def settings_file(store) -> tuple[str, bytes]:
    """The name and bytes of the template settings file in force (the bundled one until one is put in force)."""
    stored = store.file_setting(KEY)
    return (stored.name, stored.data) if stored else (DEFAULT_SETTINGS.name, DEFAULT_SETTINGS.read_bytes())


def templates_part(store, roster, who: str) -> None:
    st.subheader("空白月报模板")
    left, right = st.columns(2)
    month = right.text_input(labels.TEMPLATE_MONTH, value=current_period().month or "", key="template_month",
                             placeholder=labels.MONTH_HINT)
    if parse_month(month) != month:
        st.caption(plain(labels.NOT_A_MONTH.format(month=month)))
        return
    names = month_templates(roster.sections, month)
    own = own_section(account())  # a section account gets its own section's template only
    choices = list(names) if own is None else [own]
    section = left.selectbox("科室", choices, key="template_section")
    settings = parse_template_settings(*settings_file(store)[::-1])
    deployed = plan_store.deployed_tasks_of(store)   # each section's deployed tasks due that month are prefilled too

    def own_settings(section: str, settings=settings):
        return ledger.with_deployed(settings, deployed, section, month)
    if section not in names:
        st.caption(plain(f"「{section}」{month} 不在名册中（未设立或已撤销），不发模板。"))
    else:
        st.download_button(plain(f"下载 {section} {month} 模板"), template_bytes(section, month, own_settings(section)), names[section],
                           mime=XLSX)
    if not allowed("templates"):
        return
    st.download_button(f"下载 {month} 在册的全部 {len(names)} 个科室的模板（.zip）", templates_zip(names, month, settings, own_settings),
                       f"月报模板_{month}.zip", mime="application/zip")
    st.caption(plain(f"模板设置：{settings.source}，每个科室的模板预填常设任务 {len(settings.tasks)} 项。"))
    st.download_button("下载现行模板设置文件（修改后可上传）", settings_file(store)[1], settings.source, mime="text/plain")
    uploader_in_chinese("template_settings_upload", ["toml"])
    upload = st.file_uploader("上传新模板设置文件（.toml；校验通过才替换）", type=["toml"], key="template_settings_upload")
    if upload and st.button("校验并替换模板设置"):
        put_in_force(store, upload.name, upload.getvalue(), who, labels.TEMPLATE_REPLACED)
    earlier_settings(store, who)


def put_in_force(store, name: str, data: bytes, who: str, said: str) -> None:
    """Check a template settings file and put it in force (the one before stays restorable); `said` (its name and
    task count) at the top of the page drawn again, which then offers templates with its tasks."""
    try:
        checked = parse_template_settings(data, name)
    except TemplateSettingsError as error:
        st.error(plain(error))
        return
    store.set_file_setting(KEY, name, data, who, until_now=(DEFAULT_SETTINGS.name, DEFAULT_SETTINGS.read_bytes()))
    st.session_state["settings_message"] = ("success", said.format(name=name, tasks=len(checked.tasks)))
    st.rerun()


def earlier_settings(store, who: str) -> None:
    """Every template settings file that was in force before (the store's history, as for the roster and rules): each
    can be put back, after a confirmation, through the same checks."""
    earlier = store.file_settings(KEY)
    if len(earlier) < 2:
        return
    with st.expander(labels.EARLIER_TEMPLATES.format(count=len(earlier) - 1)):
        for row in earlier.iloc[1:].itertuples():
            left, right = st.columns([5, 1])
            left.markdown(plain(f"{row.at:%Y-%m-%d %H:%M} · {row.who or ''} · {row.name}"))
            if right.button(labels.RESTORE, key=f"restore_template_{row.id}"):
                st.session_state["template_restoring"] = int(row.id)
        chosen = st.session_state.get("template_restoring")
        if chosen in set(earlier["id"].iloc[1:]):
            stored = store.file_setting_by_id(chosen)
            st.warning(plain(labels.RESTORE_TEMPLATE_SURE.format(name=stored.name)))
            sure, cancel = st.columns([1, 5])
            if cancel.button(labels.CANCEL, key="template_restore_cancel"):
                st.session_state.pop("template_restoring")
                st.rerun()
            if sure.button(labels.RESTORE_SURE, key="template_restore_sure", type="primary"):
                st.session_state.pop("template_restoring")
                put_in_force(store, stored.name, stored.data, who, labels.TEMPLATE_RESTORED)

"""The settings page's blank-return part: one section's template or all of them for a month (only the sections in
force that month), and the template settings file with the bureau's standing tasks."""
import streamlit as st

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
    month = right.text_input("报表月份（YYYY-MM）", value=current_period().month or "", key="template_month")
    if parse_month(month) != month:
        st.caption(f"「{plain(month)}」不是报表月份：请按 YYYY-MM 填写，如 2024-06。")
        return
    names = month_templates(roster.sections, month)
    own = own_section(account())  # a section account gets its own section's template only
    choices = list(names) if own is None else [own]
    section = left.selectbox("科室", choices, key="template_section")
    settings = parse_template_settings(*settings_file(store)[::-1])
    if section not in names:
        st.caption(plain(f"「{section}」{month} 不在名册中（未设立或已撤销），不发模板。"))
    else:
        st.download_button(plain(f"下载 {section} {month} 模板"), template_bytes(section, month, settings), names[section],
                           mime=XLSX)
    if not allowed("templates"):
        return
    st.download_button(f"下载 {month} 在册的全部 {len(names)} 个科室的模板（.zip）", templates_zip(names, month, settings),
                       f"月报模板_{month}.zip", mime="application/zip")
    st.caption(plain(f"模板设置：{settings.source}，每个科室的模板预填常设任务 {len(settings.tasks)} 项。"))
    st.download_button("下载现行模板设置文件（修改后可上传）", settings_file(store)[1], settings.source, mime="text/plain")
    uploader_in_chinese("template_settings_upload", ["toml"])
    upload = st.file_uploader("上传新模板设置文件（.toml；校验通过才替换）", type=["toml"], key="template_settings_upload")
    if upload and st.button("校验并替换模板设置"):
        try:
            checked = parse_template_settings(upload.getvalue(), upload.name)
        except TemplateSettingsError as error:
            st.error(plain(error))
        else:
            store.set_file_setting(KEY, upload.name, upload.getvalue(), who,
                                   until_now=(DEFAULT_SETTINGS.name, DEFAULT_SETTINGS.read_bytes()))
            # Said at the top of the page drawn again, which then offers templates with the new tasks.
            st.session_state["settings_message"] = ("success", f"模板设置已替换为「{upload.name}」：预填常设任务 "
                                                               f"{len(checked.tasks)} 项。")
            st.rerun()

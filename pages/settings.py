import io
import zipfile

import streamlit as st

from analytics import workspace
from analytics.roster import RosterError, parse_roster
from analytics.rules import DEFAULT_RULES, RulesError, parse_rules
from analytics.template import template_bytes
from pages._shared import current_period, in_frame, store, who

in_frame()

st.title("设置")
data = store()
roster, rules = workspace.roster_in_force(data), workspace.rules_in_force(data)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

st.subheader("空白月报模板")
_, month = current_period()
left, right = st.columns(2)
section = left.selectbox("科室", list(roster.sections["section"]), key="template_section")
month = right.text_input("报表月份（YYYY-MM）", value=month or "", key="template_month")
if len(month) == 7 and month[4] == "-":
    st.download_button(f"下载 {section} {month} 模板", template_bytes(section, month), f"{section}_{month}.xlsx", mime=XLSX)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name in roster.sections["section"]:
            bundle.writestr(f"{name}_{month}.xlsx", template_bytes(name, month))
    st.download_button(f"下载全部 {len(roster.sections)} 个科室的模板（.zip）", archive.getvalue(), f"月报模板_{month}.zip",
                       mime="application/zip")

st.subheader("组织名册")
st.dataframe(roster.sections.assign(aliases=roster.sections["aliases"].map("、".join)).rename(columns={
    "section": "科室", "aliases": "别名", "head": "负责人", "kind": "类别", "start_month": "设立月份",
    "end_month": "撤销月份"}), hide_index=True, width="stretch")


def replace(key: str, upload, parse, done) -> None:
    """Check an uploaded roster or rules file; only a file that passes replaces the one in force."""
    try:
        checked = parse(upload.getvalue(), upload.name)
    except (RosterError, RulesError) as error:
        st.error(str(error))
        return
    data.set_file_setting(key, upload.name, upload.getvalue(), who())
    st.success(done(checked))


new_roster = st.file_uploader("上传新名册（.xlsx 或 .csv；校验通过才替换）", type=["xlsx", "xls", "csv"], key="roster_upload")
if new_roster and st.button("校验并替换名册"):
    replace("roster", new_roster, parse_roster, lambda checked: f"名册已替换：{len(checked.sections)} 个科室。")

st.subheader("计分规则")
st.write(f"现行规则：{rules.label}")
stored = data.file_setting("rules")
st.download_button("下载现行规则文件（修改后可上传）", stored[1] if stored else DEFAULT_RULES.read_bytes(),
                   stored[0] if stored else DEFAULT_RULES.name, mime="text/plain")
new_rules = st.file_uploader("上传新规则文件（.toml；校验通过才替换）", type=["toml"], key="rules_upload")
if new_rules and st.button("校验并替换规则"):
    replace("rules", new_rules, parse_rules, lambda checked: f"规则已替换：{checked.label}")

st.subheader("示例数据")
if data.flag("sample"):
    st.write("当前数据库中是内置的示例数据。清除后可导入本单位的月报；名册和规则不受影响。")
    if st.button("清除示例数据", type="primary"):
        data.clear(who())
        st.rerun()
else:
    st.write("数据库中没有示例数据。")
st.caption(f"数据库中的记录：{data.counts()}")

from functools import partial

import streamlit as st

from analytics import charts, labels, workspace
from analytics.accounts import own_section
from analytics.export_tables import print_title, workbook_bytes
from analytics.intake.issues import issues_frame, reports_frame
from analytics.intake.limits import DEFAULT_LIMITS, MB
from analytics.intake.loader import load_uploaded
from analytics.intake.normalize import safe_file_name
from analytics.preview import batch_preview, new_reports
from analytics.section_view import file_name
from analytics.store import StaleChoice, StoreBusy
from pages._shared import account, allowed, current_period, in_frame, plain, status_table, store, table, uploader_in_chinese, who
from pages._team_sheets import team_sheets_section

in_frame()
st.title("数据上传")
if said := st.session_state.pop("upload_said", None):  # (st's function, text) of the action just done
    getattr(st, said[0])(plain(said[1]))
# A new key empties the uploader: after an import the session lets go of the batch's bytes.
uploader = f"uploads_{st.session_state.get('uploads_round', 0)}"
# A section account imports its own section's returns only: a file with any other is rejected whole.
only_section = None if allowed("upload_any") else own_section(account())
uploading = allowed("upload_any") or allowed("upload_own")
TYPES = ["xlsx", "xlsm", "xls", "ods", "zip", "et"]
if not uploading:
    st.caption("本账号只能查看报送情况和历史版本，不能上传月报。")
else:
    uploader_in_chinese(uploader, TYPES)
files = uploading and st.file_uploader(
    f"上传月报（可多选，或上传 .zip；每批合计不超过 {DEFAULT_LIMITS.max_batch_mb:g} MB；先校验，确认后才导入）"
    + ("" if only_section is None else plain(f"。本账号只能上传「{only_section}」的月报")),
    accept_multiple_files=True, type=TYPES, key=uploader)
batch_mb = sum(f.size for f in files or []) / MB
if batch_mb > DEFAULT_LIMITS.max_batch_mb:
    st.error(f"本次选择的文件共 {batch_mb:.0f} MB，超过每批上限 {DEFAULT_LIMITS.max_batch_mb:g} MB："
             "请分几批上传（每批确认导入后再选下一批）。")
    files = []
roster = workspace.roster_in_force(store())
if files:
    uploads = [(f.name, f.getvalue()) for f in files]
    key = [f.file_id for f in files]  # the uploader's own id for each file it holds
    if st.session_state.get("checked", {}).get("key") != key:
        bar = st.progress(0.0, text=f"正在校验 {len(uploads)} 个文件…")
        result = load_uploaded(uploads, roster, only_section=only_section,
                               progress=lambda done, total: bar.progress(done / total, text=f"正在校验 {done}/{total}"))
        bar.empty()
        st.session_state["checked"] = {"key": key, "result": result}
    result = st.session_state["checked"]["result"]
    known = store().known_files(result.digests)
    checked = st.session_state["checked"]
    if checked.get("preview_known") != set(known):  # made once per checked batch (again only if imports change it)
        checked["preview"] = batch_preview(result, roster.sections, workspace.rules_in_force(store()), set(known),
                                           store().versions_of())
        checked["preview_known"] = set(known)
    preview = checked["preview"]
    new = new_reports(result, set(known))
    reports = reports_frame(result.reports)
    accepted = len(result.reports) - len(result.rejected)
    left, middle, right = st.columns(3)
    left.metric("文件数", len(reports))
    middle.metric("通过", accepted)
    right.metric("退回", len(reports) - accepted)
    table(reports)
    for report in result.rejected:  # said in words too: the one refusal a section account's clerk meets most
        for issue in report.errors:
            if issue.code in ("not-own-section", "not-own-upload"):
                st.error(plain(f"{report.file}：{issue.message}"))
    issues = issues_frame(result.reports)
    if len(issues):
        table(issues)
    st.download_button("下载校验报告（.xlsx，可发回科室）", workbook_bytes({"校验结果": reports, "问题明细": issues}, print_title(
        labels.VALIDATION_REPORT, [month for report in result.reports for month in report.months])),
                       "月报校验报告.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       on_click="ignore")  # no rerun: the checked batch and every other download stay as they are
    if known:
        st.info(plain("以下文件已导入过，不会重复导入：" + "、".join(f"{file_name(name)}（{at:%Y-%m-%d}）"
                                                                 for name, at in known.values())))
    if len(preview):
        st.markdown(f"**{labels.PREVIEW_TITLE if new else labels.PREVIEW_TITLE_KNOWN}**")
        shown_preview = preview.assign(imported=preview["imported"].map({True: labels.YES, False: ""}),
                                       completion_rate=preview["completion_rate"].map(charts.percent),
                                       nine_no_score=preview["nine_no_score"].map(charts.score))
        table(shown_preview.rename(columns=labels.PREVIEW_NAMES))
    if not new:  # nothing new: say why instead of a button that would import nothing
        st.warning(labels.NOTHING_TO_IMPORT["all-known" if accepted else "none-accepted"])
    elif st.button(labels.IMPORT_BUTTON.format(count=new), type="primary"):
        try:
            with st.spinner("正在导入…"):
                counts = store().import_batch(result, uploads, who())
        except StoreBusy as busy:  # the checked batch stays in the session: the clerk clicks again
            st.error(str(busy))
        else:
            st.session_state.pop("checked")
            st.session_state["uploads_round"] = st.session_state.get("uploads_round", 0) + 1
            # Drawn again from the top: the emptied uploader and no import button for the batch just imported.
            st.session_state["upload_said"] = ("success", f"已导入 {counts['versions']} 个科室月份（{counts['files']} 个文件），"
                                                          f"跳过已导入的 {counts['skipped']} 个文件。")
            st.rerun()

team_sheets_section()  # 检查组检查表 (issue 14): its own uploader, check, import and list
year, month, shown = current_period()
if year is None:
    st.stop()
st.subheader(f"{year} 年报送情况")
status_table(workspace.status_grid(shown.summary.section_months), year, month)

st.subheader("历史版本")
left, right = st.columns(2)
section = left.selectbox("科室", list(shown.roster.sections["section"]), key="history_section")
# The history's month follows the sidebar's each time that changes; in between it may be picked here.
if st.session_state.get("history_follows") != month or st.session_state.get("history_month") not in shown.summary.months:
    st.session_state["history_follows"] = st.session_state["history_month"] = month
chosen_month = right.selectbox("月份", shown.summary.months, key="history_month")
history = store().versions_of(section, chosen_month)
if history.empty:
    st.write("该科室该月没有导入过月报。")
seen = next((int(version.id) for version in history.itertuples() if version.state == "current"), None)  # as shown


def changed(act, said: str) -> None:
    """A withdrawal or restore on the section-month as drawn (`seen`); refused if a colleague changed it since."""
    try:
        act()
        st.session_state["upload_said"] = ("success", said)
    except (StaleChoice, StoreBusy) as refused:
        st.session_state["upload_said"] = ("error", str(refused))


for version in history.itertuples():
    state = labels.VERSION_STATES[version.state]
    left, middle, right = st.columns([5, 1, 1])
    name = file_name(version.file)
    left.markdown(plain(f"{version.imported_at:%Y-%m-%d %H:%M} · {version.imported_by or ''} · {name}") + f" · **{state}**",
                  help=plain(version.file))
    # The bytes are read only when the button is clicked, not on every rerun of the page.
    middle.download_button("下载原件", lambda version_id=int(version.id): store().return_of(version_id)[1],
                           safe_file_name(name), key=f"download_{version.id}", on_click="ignore")
    if not allowed("withdraw"):
        continue
    if version.state == "current":
        right.button("撤回", key=f"withdraw_{version.id}", help="误导入：撤回后该科室该月为未报送，记录保留，可再恢复",
                     on_click=changed, args=(partial(store().withdraw, section, chosen_month, who(), "误导入，撤回", seen=seen),
                                             labels.WITHDRAWN.format(section=section, month=chosen_month)))
    else:
        right.button("恢复为当前", key=f"restore_{version.id}", on_click=changed, args=(
            partial(store().restore, int(version.id), who(), seen=seen),
            labels.RESTORED.format(section=section, month=chosen_month, at=version.imported_at, file=version.file)))

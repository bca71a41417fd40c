"""创建台账 (issue 14 "Build" 5): evidence for the city's assessment, attached to a plan item or to a return's task,
with who and when; photos as thumbnails; a removed file kept and restorable; the year's 台账 as a .zip with its
.docx index. Office users attach for any section, a section account for its own only; leaders view and download."""
import streamlit as st

from analytics import evidence_store, workspace
from analytics.accounts import own_section
from analytics.evidence import UPLOAD_TYPES
from analytics.evidence_store import EvidenceRefused, Target
from analytics.labels_plan import EVIDENCE_ARCHIVE, EVIDENCE_MESSAGES
from pages._evidence_list import list_part, say
from pages._shared import account, allowed, in_frame, period_or_stop, plain, store, uploader_in_chinese, who

FOR_ITEM, FOR_TASK = "计划事项", "月报任务"

in_frame()

st.title("创建台账")
year, month, shown = period_or_stop()
mine = own_section(account())            # a section account's own section; None for the office, leaders, the desk
may_attach = allowed("evidence_any") or allowed("evidence_own")
if message := st.session_state.pop("evidence_message", None):
    kind, text, lines = message
    getattr(st, kind)(plain(text) + "".join(f"\n\n- {plain(line)}" for line in lines))


def _upload(target: Target, key: str) -> None:
    state = st.session_state
    uploads = [(file.name, file.getvalue()) for file in state.get(key) or []]
    try:
        ids = evidence_store.add_evidence(store(), target, uploads, state.get("evidence_note", ""), who(), mine)
    except EvidenceRefused as refused:   # files to fix, or only what to fill in
        return say("error", EVIDENCE_MESSAGES["nothing-stored" if refused.files else "not-stored"], refused.problems)
    say("success", EVIDENCE_MESSAGES["stored"].format(count=len(ids), target=target))
    state["evidence_uploads"] = state.get("evidence_uploads", 0) + 1    # a new, empty uploader
    state["evidence_note"] = ""


def _target() -> Target | None:
    """What the clerk attaches to: a plan item, or a task of a return of the year (its own section's, for a section)."""
    if st.radio("台账对应", [FOR_ITEM, FOR_TASK], horizontal=True, key="evidence_for") == FOR_ITEM:
        item = st.selectbox("计划事项", [item.name for item in shown.plan.items], key="evidence_item")
        return Target(year, item=item, section=mine)
    tasks = shown.records.tasks[shown.records.tasks["month"].str.startswith(str(year))]
    left, right = st.columns(2)
    section = left.selectbox("科室", [mine] if mine else list(shown.roster.sections["section"]), key="evidence_section")
    months = sorted(tasks.loc[tasks["section"] == section, "month"].unique())
    if not months:
        st.info(plain(f"{section} {year} 年还没有报送月报，没有可对应的工作任务：可先把台账挂在计划事项下。"))
        return None
    chosen = right.selectbox("月份", months, index=months.index(month) if month in months else len(months) - 1,
                             key="evidence_month")
    names = list(tasks.loc[(tasks["section"] == section) & (tasks["month"] == chosen), "task"].drop_duplicates())
    return Target(year, section=section, month=chosen, task=st.selectbox("工作任务", names, key="evidence_task"))


def upload_part() -> None:
    st.subheader("上传台账")
    target = _target()
    limit = evidence_store.max_evidence_mb(store())
    key = f"evidence_upload_{st.session_state.get('evidence_uploads', 0)}"
    uploader_in_chinese(key, UPLOAD_TYPES, limit)
    files = st.file_uploader("选择台账文件（可多选）", type=UPLOAD_TYPES, accept_multiple_files=True, key=key)
    st.text_input("说明（做了什么、何时、谁参加；必填）", key="evidence_note")
    st.caption(plain(f"收照片（JPG、PNG）、PDF 扫描件、Excel 签到表（.xlsx）和 Word 文档（.docx），每个文件不超过 {limit:g} MB。"
                     "文件类型按内容核对，改了扩展名的其他文件不收；一批中有一个文件不合格则整批不上传。"))
    st.button("上传", type="primary", disabled=not files or target is None, on_click=_upload, args=(target, key))


def archive_part() -> None:
    st.subheader("导出创建台账")
    st.caption(plain(f"{year} 年的全部台账：每个计划事项一个文件夹（按计划顺序编号），另附索引（.docx）：每个事项的计划要求、"
                     "各月开展情况（据月报）和佐证材料清单（上传人、上传时间）。供市文明办测评时查阅。"))
    # The bytes are made when the button is clicked, outside this run: who made them is taken now.
    made_by = account().display_name if account() else who()
    st.download_button(plain(f"下载 {EVIDENCE_ARCHIVE.format(year=year)}"),
                       lambda: workspace.evidence_archive(store(), shown, made_by)[1],
                       EVIDENCE_ARCHIVE.format(year=year), mime="application/zip", type="primary", key="evidence_archive")


if may_attach:
    upload_part()
    st.divider()
list_part(year, shown.plan, mine, may_attach)
if allowed("download"):
    st.divider()
    archive_part()

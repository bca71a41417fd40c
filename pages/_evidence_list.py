"""创建台账 → the year's evidence (issue 14 "Build" 5): listed with thumbnails, one file viewed and downloaded, removed
after a confirmation, restored; and 设置's size limit for a file."""
import base64

import streamlit as st

from analytics import evidence_store
from analytics.evidence import LIMIT_CHOICES, size_text
from analytics.evidence_export import archive_listing
from analytics.evidence_store import EvidenceRefused
from analytics.labels_plan import EVIDENCE_COLUMNS, EVIDENCE_KINDS, EVIDENCE_MESSAGES, EVIDENCE_OTHER_FOLDER
from analytics.plan import Plan
from analytics.store import StaleChoice
from pages._shared import allowed, plain, store, table, who

ALL_ITEMS, THUMBNAIL = "全部", "缩略图"


def say(kind: str, text: str, lines=()) -> None:
    st.session_state["evidence_message"] = (kind, text, list(lines))


def _change(action, key: str, done: str, names: dict, mine: str | None) -> None:
    chosen = st.session_state[key]
    try:
        action(store(), int(chosen), who(), mine)
    except (StaleChoice, EvidenceRefused) as error:
        return say("error", str(error))
    say("success", EVIDENCE_MESSAGES[done].format(name=names[chosen]))


def thumbnail_url(png) -> str | None:
    return f"data:image/png;base64,{base64.b64encode(png).decode()}" if isinstance(png, bytes) else None


def listed(rows):
    """The evidence as the page lists it: thumbnail, what it is for, file, kind, size, note, who and when."""
    return rows.assign(**{THUMBNAIL: rows["thumbnail"].map(thumbnail_url), "kind": rows["kind"].map(EVIDENCE_KINDS),
                          "size": rows["size"].map(size_text), "section": rows["section"].fillna("")}) \
        [[THUMBNAIL, "target", "name", "uploaded_by", "uploaded_at", "section", "kind", "size", "note"]] \
        .rename(columns=EVIDENCE_COLUMNS)


def _may_change(row, mine: str | None) -> bool:
    return allowed("evidence_any") or (allowed("evidence_own") and row.section == mine)


def one_part(active, mine: str | None, may_attach: bool) -> None:
    """One file: the photo at full size, its download; its removal after a confirmation."""
    names = {row.id: f"{row.id} · {row.name} · {row.target}" for row in active.itertuples()}
    label = "查看、下载或删除一份台账" if may_attach else "查看或下载一份台账"
    chosen = st.selectbox(label, list(names), format_func=names.get, key="evidence_pick")
    row = next(active[active["id"] == chosen].itertuples())
    data = lambda: next(evidence_store.evidence_files(store(), [chosen]))[1]   # noqa: E731 read only when asked for
    if row.kind in ("jpg", "png"):
        st.image(data(), width=480)
    st.download_button(plain(f"下载「{row.name}」"), data, row.name, key="evidence_download", on_click="ignore")
    if may_attach and _may_change(row, mine):
        # One confirmation per file: a tick given for one never carries over to the next one shown.
        sure = st.checkbox("确认删除这份台账（保留记录，可在下方恢复）", key=f"evidence_remove_sure_{chosen}")
        st.button("删除", disabled=not sure, key="evidence_remove", on_click=_change,
                  args=(evidence_store.remove_evidence, "evidence_pick", "page-removed", dict(zip(active["id"], active["name"])),
                        mine))


def list_part(year: int, plan: Plan, mine: str | None, may_attach: bool) -> None:
    """The year's evidence (a section account's: its own section's), filtered by plan item."""
    evidence = evidence_store.evidence_of(store(), year, thumbnails=True)
    if mine:
        evidence = evidence[evidence["section"] == mine]
    active = archive_listing(plan, evidence)
    st.subheader(f"{year} 年台账（{len(active)} 份）")
    items = [ALL_ITEMS, *[item.name for item in plan.items], EVIDENCE_OTHER_FOLDER]
    item = st.selectbox("按计划事项查看", items, key="evidence_filter")
    if item != ALL_ITEMS:
        active = active[active["plan_item"].isna()] if item == EVIDENCE_OTHER_FOLDER else active[active["plan_item"] == item]
    table(listed(active), column_config={EVIDENCE_COLUMNS["name"]: st.column_config.TextColumn(width="medium"),
                                         THUMBNAIL: st.column_config.ImageColumn(THUMBNAIL)}, row_height=64)
    if len(active):
        one_part(active, mine, may_attach)
    removed = evidence[evidence["removed_at"].notna()]
    if len(removed) and may_attach:
        with st.expander(f"已删除的台账（{len(removed)} 份，可恢复）"):
            removed = removed.assign(target=[evidence_store.target_text(*values) for values in
                                             removed[["item", "section", "month", "task"]].itertuples(index=False)])
            table(removed[["name", "target", "removed_by", "removed_at"]].rename(columns=EVIDENCE_COLUMNS))
            names = {row.id: f"{row.id} · {row.name}" for row in removed.itertuples()}
            st.selectbox("恢复", list(names), format_func=names.get, key="evidence_restore")
            st.button("恢复这份台账", on_click=_change, args=(evidence_store.restore_evidence, "evidence_restore", "page-restored",
                                                         dict(zip(removed["id"], removed["name"])), mine))




def limit_part(who_: str) -> None:
    """设置 → 台账附件: the size limit of one evidence file (files already kept stay)."""
    st.subheader("台账附件")
    limit = evidence_store.max_evidence_mb(store())
    choices = sorted({*LIMIT_CHOICES, limit})
    new = st.selectbox("每个台账文件的大小上限", choices, index=choices.index(limit), format_func="{:g} MB".format,
                       key="evidence_limit")
    if st.button("保存台账附件上限", key="evidence_limit_save", disabled=new == limit):
        evidence_store.set_max_evidence_mb(store(), new, who_)
        st.session_state["settings_message"] = ("success", EVIDENCE_MESSAGES["limit-set"].format(old=limit, new=new)
                                                + "。已上传的文件不受影响。")
        st.rerun()

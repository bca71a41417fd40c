"""数据上传's part for inspection-team sheets (检查组检查表, issue 14 "Build" 6): check one, import it, and withdraw or
restore the sheets imported. Office users only; called from pages/upload.py."""
import streamlit as st

from analytics import charts, labels, labels_plan, team_store, workspace
from analytics.intake.issues import issues_frame
from analytics.intake.team import check_team_sheet
from analytics.periods import month_label
from analytics.schema import StaleChoice, StoreBusy
from pages._shared import allowed, plain, store, table, uploader_in_chinese, who

TEXT, TYPES = labels_plan.TEAM_SHEET_TEXT, ["xlsx", "xlsm", "xls", "ods", "et"]


def team_sheets_section() -> None:
    if not allowed("upload_any"):
        return
    st.subheader(labels_plan.TEAM_SHEET_KIND["team"])
    st.caption(TEXT["help"])
    key = f"team_upload_{st.session_state.get('team_round', 0)}"
    uploader_in_chinese(key, TYPES)
    upload = st.file_uploader(TEXT["uploader"], type=TYPES, key=key)
    if upload:
        _checked(upload.name, upload.getvalue(), upload.file_id)
    _sheets()


def _checked(name: str, data: bytes, file_id: str) -> None:
    if st.session_state.get("team_checked", (None,))[0] != file_id:
        with st.spinner(TEXT["checking"]):
            st.session_state["team_checked"] = (file_id, check_team_sheet(name, data, workspace.roster_in_force(store())))
    check = st.session_state["team_checked"][1]
    if not check.accepted:
        st.error(TEXT["rejected"])
        table(issues_frame([check.report]))
        return
    preview = team_store.sheet_preview(check.inspections)
    st.success(TEXT["accepted"].format(month=month_label(check.month), sections=len(preview), rows=len(check.inspections)))
    table(preview.assign(nine_no_score=preview["nine_no_score"].map(charts.score))
          .rename(columns=labels_plan.TEAM_SHEET_NAMES))
    if team_store.stored_file(store(), data):
        st.info(plain(TEXT["known"].format(name=name)))
    elif st.button(TEXT["import"], type="primary"):
        _done(lambda: team_store.import_team_sheet(store(), check, name, data, who()),
              TEXT["imported"].format(name=name, month=month_label(check.month)))
        st.session_state["team_round"] = st.session_state.get("team_round", 0) + 1
        st.session_state.pop("team_checked")
        st.rerun()


def _done(act, said: str) -> None:
    try:
        act()
        st.session_state["upload_said"] = ("success", said)
    except (StaleChoice, StoreBusy) as refused:
        st.session_state["upload_said"] = ("error", str(refused))


def _sheets() -> None:
    st.markdown(f"**{TEXT['list']}**")
    sheets = team_store.team_sheets_of(store())
    if sheets.empty:
        st.write(TEXT["none"])
    for sheet in sheets.itertuples():
        left, right = st.columns([6, 1])
        left.markdown(plain(TEXT["line"].format(
            month=month_label(sheet.month), name=sheet.name, sections=labels.NAME_SEPARATOR.join(sheet.sections), rows=sheet.rows,
            at=sheet.imported_at, who=sheet.imported_by or "")) + f" · **{labels_plan.TEAM_SHEET_STATES[sheet.state]}**")
        act, verb, said = ((team_store.withdraw_team_sheet, "withdraw", "withdrawn") if sheet.state == "current"
                           else (team_store.restore_team_sheet, "restore", "restored"))
        right.button(TEXT[verb], key=f"team_{verb}_{sheet.id}", on_click=_done,
                     args=(lambda act=act, sheet_id=int(sheet.id): act(store(), sheet_id, who()),
                           TEXT[said].format(name=sheet.name)))

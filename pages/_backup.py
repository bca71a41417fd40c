"""The settings page's backup part (issue 13 "Build" 4): when the store was last backed up, by whom and how, and a
backup to download, made when asked (it changes nothing, so no confirmation). Restoring is for the command line."""
import streamlit as st

from analytics import labels_db
from analytics.backup import backup_bytes, last_backup
from pages._shared import plain


def backup_part(store, who: str) -> None:
    st.subheader(labels_db.BACKUP_PAGE["heading"])
    if st.button(labels_db.BACKUP_PAGE["make"], key="backup_make"):
        name, data = backup_bytes(store, who)
        # on_click="ignore": downloading the file made in this run does not rerun the page (which would drop it).
        st.download_button(plain(labels_db.BACKUP_PAGE["download"].format(name=name)), data, name, mime="application/vnd.sqlite3",
                           on_click="ignore", type="primary")
    last = last_backup(store)
    st.caption(plain(labels_db.BACKUP_PAGE["last"].format(at=last.at, who=last.who, detail=last.detail) if last
                     else labels_db.BACKUP_PAGE["never"]))
    st.caption(labels_db.BACKUP_PAGE["note"])

import streamlit as st

from analytics.config import database_url
from analytics.downloads import STEPS, MonthDownloads, file_names, making
from analytics.export_images import PictureSession
from pages._shared import in_frame, period_or_stop, store

in_frame()

KINDS = {"workbook": ("Excel 汇总", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
         "pictures": ("图表图片（.zip）", "application/zip"),
         "bulletin": ("月度通报（Word）", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
         "html": ("网页报告（.html）", "text/html")}


@st.cache_resource(max_entries=4, show_spinner=False)
def _made(database: str, version: int, month: str) -> MonthDownloads:
    """The month's downloads for this store version, filled by the first click, for every session of this server:
    a second click, or a colleague's, is instant; a new import changes the version. The last four are kept."""
    return MonthDownloads()


@st.cache_resource(show_spinner=False, validate=PictureSession.working, on_release=PictureSession.close)
def _pictures() -> PictureSession:
    """One browser for the server's pictures, started when the page first opens, so a click does not wait for it;
    one that failed is closed and another started."""
    return PictureSession()


def offer(slots: dict, downloads: MonthDownloads, names: dict) -> None:
    """A download button in its slot for each file made since the last call; clicking one downloads without a
    rerun, so the files still being made go on."""
    for kind, (label, mime) in KINDS.items():
        if (name := names[kind]) in downloads.files and (slot := slots.pop(kind, None)):
            slot.download_button(f"下载{label}：{name}", downloads.files[name], name, mime=mime,
                                 key=f"download_{name}", on_click="ignore")


st.title("报表下载")
_, month, shown = period_or_stop()
st.caption(f"{month} 的 Excel 汇总（含可编辑图表）、图表图片（PNG 印刷分辨率与 SVG）、月度通报（Word）和网页报告（离线可打开）。"
           "每个文件一生成即可下载。")
downloads, names, pictures = _made(database_url(), store().version(), month), file_names(month), _pictures()
start_slot = st.empty()
start = not downloads.complete and start_slot.button(f"生成 {month} 报表", type="primary")
slots = {kind: st.empty() for kind in KINDS}
if start:
    start_slot.empty()
    downloads.files.clear()  # what an interrupted click left
    bar = st.progress(0.0, text="正在准备…")
    for n, kind in enumerate(making(shown, month, downloads, pictures, keep_pictures=True)):
        offer(slots, downloads, names)
        bar.progress(n / len(STEPS), text=f"正在生成{STEPS[kind]}…（{n + 1}/{len(STEPS)}）")
    bar.progress(1.0, text="已全部生成")
if downloads.complete:
    if downloads.pictures_missing:
        st.warning(downloads.pictures_missing)
    offer(slots, downloads, names)
st.caption("生成步骤：" + " → ".join(STEPS.values()))

"""The month's downloads, made in one go for a meeting and the mailing: Excel summary, pictures of the key charts,
the bulletin and the offline HTML report. Shared by the 报表下载 page and `python -m analytics report`."""
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics import labels
from analytics.export_bulletin import bulletin_docx, bulletin_facts
from analytics.export_excel import summary_workbook
from analytics.export_html import html_report
from analytics.export_images import NoBrowser, key_figures, render, zip_bytes

STEPS = labels.DOWNLOAD_STEPS


@dataclass
class MonthDownloads:
    files: dict                 # file name → bytes
    pictures_missing: str = ""  # why there are no pictures (no browser), or ""


def month_downloads(summary, inspections: pd.DataFrame, month: str, progress=None) -> MonthDownloads:
    """All files for `month`. `progress(step, total, label)` is called before each step."""
    def step(n: int) -> None:
        if progress:
            progress(n, len(STEPS), STEPS[n])

    names = {kind: name.format(month=month) for kind, name in labels.DOWNLOAD_FILES.items()}
    figures = key_figures(summary, inspections, month)
    files, no_pictures = {}, ""
    step(0)
    files[names["workbook"]] = summary_workbook(summary, inspections, month)
    step(1)
    try:
        pictures = render(figures)
        files[names["pictures"]] = zip_bytes(pictures)
    except NoBrowser as error:
        pictures, no_pictures = {}, str(error)
    step(2)
    pngs = {name: data for name, data in pictures.items() if name.endswith(".png")}
    files[names["bulletin"]] = bulletin_docx(summary, inspections, month, pngs)
    step(3)
    facts = bulletin_facts(summary, inspections, month)
    files[names["html"]] = html_report(labels.HTML_TITLE.format(**facts), figures, html_notes(summary, facts)).encode()
    return MonthDownloads(files, no_pictures)


def html_notes(summary, facts: dict) -> list[str]:
    """The HTML report's lines above the charts, from the bulletin's facts."""
    shown = {**facts, "missing_note": labels.HTML_MISSING.format(**facts) if facts["missing"] else "",
             "nine_no_shown": facts["nine_no"] or labels.NO_FIGURE, "veto_shown": facts["veto_list"] or labels.HTML_NO_VETO,
             "rules": summary.rules.label}
    return [note.format(**shown) for note in labels.HTML_NOTES]


def write(downloads: MonthDownloads, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in downloads.files.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    return written

"""The month's downloads, made in one go for a meeting and the mailing: Excel summary, pictures of the key charts,
the bulletin and the offline HTML report. Shared by the 报表下载 page and `python -m analytics report`."""
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from analytics import charts, labels
from analytics.export_bulletin import bulletin_docx, bulletin_facts
from analytics.export_excel import summary_workbook
from analytics.export_html import html_report
from analytics.export_images import NoBrowser, PictureSession, key_figures, zip_bytes
from analytics.plan_calendar import plan_calendar

STEPS = labels.DOWNLOAD_STEPS  # kind → what the step makes, in the order made


@dataclass
class MonthDownloads:
    files: dict = field(default_factory=dict)  # file name → bytes
    pictures_missing: str = ""                 # why there are no pictures (no browser), or ""
    complete: bool = False                     # every step made


def file_names(month: str) -> dict[str, str]:
    """Kind (workbook, pictures, bulletin, html) → the file's name for `month`."""
    return {kind: name.format(month=month) for kind, name in labels.DOWNLOAD_FILES.items()}


def making(year, month: str, into: MonthDownloads, pictures: PictureSession | None = None,
           keep_pictures: bool = False) -> Iterator[str]:
    """Make `month`'s files of `year` (a workspace.Year: its summary, records and roster) into `into`, as the
    figures stood at the end of `month` (Summary.through), yielding each step's kind (a key of STEPS) before it is
    made, so that every file made so far can be offered at once. The pictures render in `pictures` (by default a
    browser session started here) in the background, at print size (charts.printed), while the workbook and the
    HTML report are made; the session
    is closed once they are, while the bulletin takes the PNGs made, unless `keep_pictures`."""
    names, inspections, session = file_names(month), year.records.inspections, pictures or PictureSession()
    with ThreadPoolExecutor(1) as background:
        try:
            summary = year.summary.through(month, year.roster.sections)  # while the browser starts
            figures = key_figures(summary, inspections, month)
            made = background.submit(session.render, {stem: charts.printed(figure) for stem, figure in figures.items()})
            yield "workbook"
            into.files[names["workbook"]] = summary_workbook(summary, inspections, month)
            yield "html"
            facts = bulletin_facts(summary, inspections, month)
            into.files[names["html"]] = html_report(labels.HTML_TITLE.format(**facts), figures,
                                                    html_notes(summary, facts)).encode()
            yield "pictures"
            try:
                made = made.result()
                into.files[names["pictures"]] = zip_bytes(made)
            except NoBrowser as error:
                made, into.pictures_missing = {}, str(error)
        finally:
            if not keep_pictures:
                background.submit(session.close)  # the browser ends while the bulletin is made
        yield "bulletin"
        pngs = {name: data for name, data in made.items() if name.endswith(".png")}
        plan_status = plan_calendar(year.plan, year.records.tasks, year.roster.sections, month, closed=True)
        into.files[names["bulletin"]] = bulletin_docx(summary, inspections, month, pngs, plan_status=plan_status)
    into.complete = True


def month_downloads(year, month: str, progress=None, pictures: PictureSession | None = None) -> MonthDownloads:
    """All files for `month` of `year` (see making; `pictures` is closed at the end).
    `progress(step, total, label)` is called before each step."""
    downloads = MonthDownloads()
    for n, kind in enumerate(making(year, month, downloads, pictures)):
        if progress:
            progress(n, len(STEPS), STEPS[kind])
    return downloads


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

"""The year's 创建台账 for the city's assessment (issue 14 "Build" 5): a .zip with one folder per plan item (numbered
in the plan's order) holding its evidence, a folder for evidence of tasks the plan does not name, and a .docx index:
per item, what the plan asks, what was done when (the calendar, from the returns), and its evidence, with who
uploaded it and when.

In: the Plan, its calendar (plan_calendar.plan_calendar), the evidence listing (evidence_store.evidence_of) and the
files' bytes as (id, bytes) pairs, read one at a time.
"""
import io
import re
import zipfile

import pandas as pd
from docx.enum.text import WD_ALIGN_PARAGRAPH

from analytics import labels_plan as words
from analytics.evidence_store import target_text
from analytics.export_bulletin import BODY_FONT, HEADING_FONT, TITLE_FONT, a4_document, docx_paragraph, docx_table
from analytics.labels_plan import PLAN_COLUMNS
from analytics.plan import Plan
from analytics.plan_calendar import headed

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')   # not in a file or folder name on Windows
NAME_LIMIT = 80                                  # characters of a folder's or file's name inside the archive
INDEX_WIDTHS = (1.2, 3.6, 1.8, 2.6, 2.0, 1.6, 2.8)   # cm, words.EVIDENCE_INDEX_COLUMNS, 15.6 cm in all
DONE_WIDTHS = (2.3, 2.2, 3.6, 7.5)                   # cm, words.EVIDENCE_DONE_COLUMNS
SUMMARY_WIDTHS = (1.2, 5.4, 1.8, 2.0, 3.6, 1.6)       # cm, words.EVIDENCE_SUMMARY_COLUMNS
SHOWN_NAMES = 3                                      # a bureau item's reporters named up to this many, else counted


def safe_name(text: str) -> str:
    """`text` as a file or folder name every system takes."""
    return _UNSAFE.sub("_", str(text)).strip(" .")[:NAME_LIMIT] or "_"


def folders(plan: Plan) -> dict:
    """Plan item name → its folder in the archive: 01 党风廉政建设责任书, …"""
    return {item.name: f"{number:02d} {safe_name(item.name)}" for number, item in enumerate(plan.items, 1)}


def archive_listing(plan: Plan, evidence: pd.DataFrame) -> pd.DataFrame:
    """The evidence not removed, each with `plan_item` (the item it is for: its own, or its task's by
    Plan.item_of; None for other tasks), `target` in words, and `path`, where it lies in the archive (unique)."""
    shown = evidence[evidence["removed_at"].isna()].copy()
    by_name = folders(plan)

    def item_of(row) -> str | None:
        if isinstance(row.item, str):
            return row.item if row.item in by_name else None
        return getattr(plan.item_of(row.task), "name", None)

    shown["plan_item"] = [item_of(row) for row in shown.itertuples()]
    shown["target"] = [target_text(row.item, row.section, row.month, row.task) for row in shown.itertuples()]
    taken, paths = set(), []
    for row in shown.itertuples():
        folder = by_name.get(row.plan_item, words.EVIDENCE_OTHER_FOLDER)
        section = row.section if isinstance(row.section, str) else words.EVIDENCE_BUREAU
        prefix = f"{row.month} {section}" if isinstance(row.month, str) else section
        stem, dot, extension = safe_name(f"{prefix} {row.name}").rpartition(".")
        stem, extension = (stem, dot + extension) if dot else (extension, "")
        path, copy = f"{folder}/{stem}{extension}", 1
        while path in taken:
            copy += 1
            path = f"{folder}/{stem}" + words.EVIDENCE_COPY.format(copy=copy) + extension
        taken.add(path)
        paths.append(path)
    return shown.assign(path=paths)


def _due(rows: pd.DataFrame) -> pd.DataFrame:
    """An item's calendar rows of the months it was due in, up to the calendar's month."""
    return rows[rows["state"] != "not_due"]


def _done_table(rows: pd.DataFrame) -> pd.DataFrame:
    """What was done when, for one item: a row per month it was due in: 月份, 状态, who reported (how many of how many
    for every section's item; a bureau item's reporters by name where few), who did not."""
    text, due = words.EVIDENCE_INDEX, _due(rows)
    shown = headed(due)

    def reported(row, names: str) -> str:
        if row.expected:
            return text["reported-count"].format(done=len(row.reported), expected=len(row.expected))
        return (names if len(row.reported) <= SHOWN_NAMES else text["bureau-count"].format(count=len(row.reported))) \
            or text["none"]
    done = shown[[PLAN_COLUMNS[column] for column in ("month", "state", "reported", "missing")]]
    return done.assign(**{
        PLAN_COLUMNS["reported"]: [reported(row, names) for row, names in zip(due.itertuples(), shown[PLAN_COLUMNS["reported"]])],
        PLAN_COLUMNS["missing"]: [names if row.expected else text["none"]
                                  for row, names in zip(due.itertuples(), shown[PLAN_COLUMNS["missing"]])],
    }).set_axis(words.EVIDENCE_DONE_COLUMNS, axis=1)


def _summary_table(plan: Plan, calendar: pd.DataFrame, listing: pd.DataFrame) -> pd.DataFrame:
    """The index's first table: per item its folder number, name, who, when, the months done of those due, files."""
    counts = listing["plan_item"].value_counts()
    rows = []
    for number, item in enumerate(plan.items, 1):
        due = _due(calendar[calendar["item"] == item.name])
        state = words.EVIDENCE_INDEX["summary-state"].format(done=int((due["state"] == "done").sum()), due=len(due)) \
            if len(due) else words.PLAN_STATES["not_due"]
        rows.append((f"{number:02d}", item.name, words.PLAN_WHO_NAMES[item.who], str(item.when), state,
                     int(counts.get(item.name, 0))))
    return pd.DataFrame(rows, columns=words.EVIDENCE_SUMMARY_COLUMNS)


def _evidence_table(listing: pd.DataFrame) -> pd.DataFrame:
    def text(value) -> str:
        return value if isinstance(value, str) else ""
    rows = [(number, row.path, text(row.section) or words.EVIDENCE_BUREAU,
             f"{row.month} {row.task}" if isinstance(row.task, str) else words.EVIDENCE_INDEX["for-item"],
             row.note, text(row.uploaded_by), f"{row.uploaded_at:%Y-%m-%d %H:%M}")
            for number, row in enumerate(listing.itertuples(), 1)]
    return pd.DataFrame(rows, columns=words.EVIDENCE_INDEX_COLUMNS)


def index_docx(plan: Plan, calendar: pd.DataFrame, listing: pd.DataFrame, year: int, through: str, made_by: str,
               made_at) -> bytes:
    """The archive's index (EVIDENCE_INDEX_FILE): the items at a glance; per plan item its facts, the plan's words,
    what was done when (the calendar up to `through`) and its evidence; then the other tasks' evidence."""
    text, one_line = words.EVIDENCE_INDEX, {words.EVIDENCE_INDEX_COLUMNS[2], words.EVIDENCE_INDEX_COLUMNS[6]}
    document = a4_document()
    docx_paragraph(document, text["title"].format(year=year), TITLE_FONT, 22, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    docx_paragraph(document, text["intro"].format(year=year, items=len(plan.items), files=len(listing), through=through,
                                                  made_at=f"{made_at:%Y-%m-%d %H:%M}", made_by=made_by), BODY_FONT, 14)
    docx_table(document, text["summary-heading"], _summary_table(plan, calendar, listing), SUMMARY_WIDTHS,
               set(words.EVIDENCE_SUMMARY_COLUMNS[:1] + words.EVIDENCE_SUMMARY_COLUMNS[2:4]))
    by_name = folders(plan)
    for item in plan.items:
        docx_paragraph(document, by_name[item.name], HEADING_FONT, 16, indent=False)
        who = words.PLAN_WHO_NAMES[item.who] if item.who == "sections" else text["bureau-who"]
        docx_paragraph(document, text["facts"].format(area=item.area, who=who, when=item.when,
                                                      deployed=text["deployed"] if item.deployed else ""), BODY_FONT, 12)
        if item.words:
            docx_paragraph(document, text["words"].format(words=item.words), BODY_FONT, 12)
        done = _done_table(calendar[calendar["item"] == item.name])
        if done.empty:
            docx_paragraph(document, text["nothing-due"], BODY_FONT, 12)
        else:
            docx_table(document, text["done-heading"], done, DONE_WIDTHS, set(words.EVIDENCE_DONE_COLUMNS[:3]))
        own = listing[listing["plan_item"] == item.name]
        if own.empty:
            docx_paragraph(document, text["no-evidence"], BODY_FONT, 12)
        else:
            docx_table(document, text["evidence-heading"].format(count=len(own)), _evidence_table(own), INDEX_WIDTHS,
                       one_line)
    other = listing[listing["plan_item"].isna()]
    if not other.empty:
        docx_table(document, text["other"], _evidence_table(other), INDEX_WIDTHS, one_line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def evidence_archive(plan: Plan, calendar: pd.DataFrame, listing: pd.DataFrame, files, year: int, through: str,
                     made_by: str, made_at) -> bytes:
    """The .zip: the index, a folder per plan item (empty where it has no evidence), the files where `listing`'s
    path says (`files`: (id, bytes) of listing's ids; photos and PDFs are stored as they are, already compressed)."""
    paths = dict(zip(listing["id"], listing["path"]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(words.EVIDENCE_INDEX_FILE, index_docx(plan, calendar, listing, year, through, made_by, made_at),
                         zipfile.ZIP_DEFLATED)
        for folder in folders(plan).values():
            archive.writestr(f"{folder}/", b"")
        for evidence_id, data in files:
            archive.writestr(paths[evidence_id], data)
    return buffer.getvalue()

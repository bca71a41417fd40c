"""The blank monthly return a clerk sends to each section (xlsxwriter: dropdowns, widths, print setup).

A filled template loads without warnings: its headers are the contract's names and its blank rows
hold only a 序号, which the loader reads as blank. The bureau's standing tasks (template_settings.toml, which
the clerk can replace like the rules) come prefilled, so a section types only its counts.
"""
import io
import tomllib
import zipfile
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import xlsxwriter

from analytics import labels
from analytics.intake import vocab
from analytics.intake.messages import TEMPLATE_MESSAGES
from analytics.intake.normalize import unique_file_names, xml_text
from analytics.periods import month_label

# Table kind → [(column, width, dropdown choices or a validation kind)], blank rows.
_MARKS = tuple(vocab.MARKS[mark][0] for mark in ("pass", "fail", "na"))
_COLUMNS = {
    "tasks": ([("seq", 6, None), ("area", 20, vocab.AREA_NAMES), ("task", 36, None), ("planned", 9, "count"),
               ("done", 9, "count"), ("deployed", 10, vocab.TEMPLATE_YES_NO), ("note", 30, None)], 30),
    "inspections": ([("seq", 6, None), ("date", 12, "date"), ("place", 16, None),
                     *[(item, 6, _MARKS) for item in vocab.NINE_ITEMS], ("inspector", 10, None), ("remark", 20, None)], 20),
    "events": ([("seq", 6, None), ("date", 12, "date"), ("category", 24, tuple(vocab.VETO_CATEGORIES)),
                ("description", 40, None), ("status", 10, tuple(vocab.STATUS_NAMES.values())), ("handling", 30, None)], 5),
    "bonus": ([("seq", 6, None), ("date", 12, "date"), ("category", 14, tuple(vocab.BONUS_CATEGORIES)),
               ("person", 12, None), ("note", 40, None)], 10),
}
# Sheet → (title, [(header, width, dropdown choices or a validation kind)], blank rows): headers are the contract's names.
LAYOUT = {vocab.TEMPLATE_SHEETS[kind][0]: (vocab.TEMPLATE_SHEETS[kind][1],
                                           [(vocab.COLUMNS[kind][name][0], width, rule) for name, width, rule in columns], rows)
          for kind, (columns, rows) in _COLUMNS.items()}
NOTES = TEMPLATE_MESSAGES["notes"]
FOOTER = vocab.TEMPLATE_FOOTER
DEFAULT_SETTINGS = Path(__file__).resolve().parents[1] / "template_settings.toml"
_TASK_KEYS = {"area", "task", "planned", "deployed"}


class TemplateSettingsError(Exception):
    """The template settings file cannot be used; the message says what to fix."""


class StandingTask(NamedTuple):
    area: str
    task: str
    planned: int
    deployed: bool   # 市文明办部署


class TemplateSettings(NamedTuple):
    tasks: tuple     # StandingTask, in the file's order
    source: str      # the file's name


def load_template_settings(path=None) -> TemplateSettings:
    """Read and check a template settings file; without a path, the bundled one (no standing tasks)."""
    path = Path(path) if path else DEFAULT_SETTINGS
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TemplateSettingsError(labels.TEMPLATE_SETTINGS_ERRORS["unreadable"].format(
            path=path, reason=error.strerror or error)) from None
    return parse_template_settings(data, path.name)


def parse_template_settings(data: bytes, name: str) -> TemplateSettings:
    """Check template settings given as a file's bytes and name (an upload): an optional `tasks` list."""
    say = labels.TEMPLATE_SETTINGS_ERRORS
    try:
        table = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise TemplateSettingsError(say["bad-format"].format(name=name, error=error)) from None
    problems = [say["unknown-key"].format(key=key) for key in table.keys() - {"tasks"}]
    given = table.get("tasks", [])
    if not isinstance(given, list) or not all(isinstance(task, dict) for task in given):
        problems.append(say["not-a-list"])
        given = []
    tasks = []
    for number, task in enumerate(given, start=1):
        area, text, planned, deployed = (task.get(key) for key in ("area", "task", "planned", "deployed"))
        found = [say["task-unknown-key"].format(key=key) for key in task.keys() - _TASK_KEYS]
        if area not in vocab.AREA_NAMES:
            found.append(say["task-area"].format(value=area, choices=labels.NAME_SEPARATOR.join(vocab.AREA_NAMES)))
        if not isinstance(text, str) or not text.strip():
            found.append(say["task-text"])
        if isinstance(planned, bool) or not isinstance(planned, int) or planned < 0:
            found.append(say["task-planned"].format(value=planned))
        if deployed is not None and not isinstance(deployed, bool):
            found.append(say["task-deployed"].format(value=deployed))
        problems += [say["task"].format(number=number, problem=problem) for problem in found]
        if not found:
            tasks.append(StandingTask(area, text.strip(), planned, bool(deployed)))
    if problems:
        raise TemplateSettingsError(say["problems"].format(name=name, problems=say["separator"].join(problems)))
    return TemplateSettings(tuple(tasks), name)


def sections_in_force(sections: pd.DataFrame, month: str) -> list[str]:
    """The roster's sections that exist in `month`: 设立月份 (start_month) not after it, 撤销月份 (end_month, the last
    month it exists) not before it."""
    start = sections["start_month"].astype(object).where(sections["start_month"].notna(), month)
    end = sections["end_month"].astype(object).where(sections["end_month"].notna(), month)
    return list(sections.loc[(start <= month) & (end >= month), "section"])


def template_bytes(section: str, month: str, settings: TemplateSettings | None = None) -> bytes:
    """The blank return for one section and month ("YYYY-MM") as .xlsx bytes, the standing tasks of `settings`
    (by default the bundled file) filled in above the blank task rows."""
    standing = (settings or load_template_settings()).tasks
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    title = workbook.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    block = workbook.add_format({"font_size": 11})
    header = workbook.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                                  "text_wrap": True, "bg_color": "#DDEBF7"})
    cell = workbook.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
    centred = workbook.add_format({"border": 1, "align": "center", "valign": "vcenter"})
    date = workbook.add_format({"border": 1, "align": "center", "num_format": "yyyy-mm-dd"})
    for sheet_name, (heading, columns, blank_rows) in LAYOUT.items():
        sheet = workbook.add_worksheet(sheet_name)
        last = len(columns) - 1
        sheet.merge_range(0, 0, 0, last, TEMPLATE_MESSAGES["title"].format(year=month[:4], heading=heading), title)
        sheet.set_row(0, 30)
        sheet.write_string(1, 0, xml_text(TEMPLATE_MESSAGES["section"].format(section=section)), block)
        sheet.write_string(1, max(3, last - 2), TEMPLATE_MESSAGES["month"].format(month=month_label(month)), block)
        prefilled = standing if sheet_name == vocab.TEMPLATE_SHEETS["tasks"][0] else ()
        first, end = 3, 3 + len(prefilled) + blank_rows - 1
        for c, (name, width, rule) in enumerate(columns):
            sheet.set_column(c, c, width)
            sheet.write_string(2, c, name, header)
            if isinstance(rule, tuple):
                sheet.data_validation(first, c, end, c, {"validate": "list", "source": list(rule),
                                                          "error_message": TEMPLATE_MESSAGES["choose"]})
            elif rule == "count":
                sheet.data_validation(first, c, end, c, {"validate": "integer", "criteria": ">=", "value": 0,
                                                          "error_message": TEMPLATE_MESSAGES["count"]})
        for r in range(first, end + 1):
            sheet.write_number(r, 0, r - first + 1, centred)
            for c, (_, _, rule) in enumerate(columns[1:], start=1):
                sheet.write_blank(r, c, None, date if rule == "date" else centred if rule else cell)
        for r, task in enumerate(prefilled, start=first):
            yes_no = vocab.TEMPLATE_YES_NO[0 if task.deployed else 1]
            for c, value in zip((1, 2, 5), (task.area, task.task, yes_no)):
                sheet.write_string(r, c, xml_text(value), cell if c == 2 else centred)
            sheet.write_number(r, 3, task.planned, centred)
        sheet.write_string(end + 2, 0, FOOTER[0])
        sheet.write_string(end + 2, 2, FOOTER[1])
        sheet.write_string(end + 2, max(3, last - 2), FOOTER[2])
        sheet.write_string(end + 3, 0, NOTES)
        sheet.freeze_panes(first, 0)
        sheet.set_row(2, 32)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(2)
        sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    workbook.close()
    return buffer.getvalue()


def template_file_names(sections, month: str) -> dict:
    """Section → the file (or zip member) name of its template for `month`, 预算科_2024年3月.xlsx: a name made
    safe (no folders, no .., nothing Windows refuses) and different from every other section's."""
    sections = list(sections)
    return dict(zip(sections, unique_file_names(sections, f"_{month_label(month)}.xlsx")))


def month_templates(roster_sections: pd.DataFrame, month: str) -> dict:
    """Section → template file name for every section in force in `month`: what the 设置 page and `python -m
    analytics template` both offer, so one section's file has the same name from either."""
    return template_file_names(sections_in_force(roster_sections, month), month)


def templates_zip(sections, month: str, settings: TemplateSettings | None = None, settings_of=None) -> bytes:
    """The blank returns of `sections` for `month`, one member each, as .zip bytes (the 设置 page's download);
    `settings_of(section, settings)`, where given, makes each section's own (its deployed tasks: ledger.with_deployed)."""
    settings = settings or load_template_settings()
    settings_of = settings_of or (lambda section, settings: settings)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for section, name in template_file_names(sections, month).items():
            bundle.writestr(name, template_bytes(section, month, settings_of(section, settings)))
    return buffer.getvalue()

"""The monthly bulletin (月度通报) as .docx in the usual official style; its wording is
bulletin_template.toml, which a clerk can edit; the figures come from the summary."""
import datetime as dt
import io
import tomllib
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.run import Run

from analytics import hygiene, labels, veto
from analytics.charts import percent, score
from analytics.intake import vocab
from analytics.intake.normalize import xml_text
from analytics.labels_plan import PLAN_COLUMNS
from analytics.periods import month_label
from analytics.plan_calendar import headed, month_status

TEMPLATE = Path(__file__).with_name("bulletin_template.toml")
TITLE_FONT, BODY_FONT, HEADING_FONT = (labels.BULLETIN_FONTS[style] for style in ("title", "body", "heading"))
# Column widths (cm) of the two tables, in their columns' order, filling the 15.6 cm between the margins
# bulletin_docx sets; 科室 wide enough for a name of 12 characters (政府采购监督管理科 has 9) on one line.
RANKING_WIDTHS = (1.4, 5.0, 2.5, 2.2, 1.9, 2.6)
VETO_WIDTHS = (5.0, 2.4, 6.2, 2.0)
PLAN_WIDTHS = (4.4, 1.8, 2.2, 2.0, 5.2)   # 事项, 时间, 开展单位, 状态, 未报送


def _change(value, unit: str) -> str:
    """The change on last month in words; `unit` is a key of labels.CHANGE_UNITS."""
    if value != value:
        return labels.CHANGE_NONE
    if round(value, 1) == 0:
        return labels.CHANGE_STEADY
    return (labels.CHANGE_UP if value > 0 else labels.CHANGE_DOWN).format(amount=abs(value), unit=labels.CHANGE_UNITS[unit])


def _names(values, limit: int = 5) -> str:
    values = list(values)
    return labels.NAME_SEPARATOR.join(values[:limit]) + (labels.NAMES_AND_MORE if len(values) > limit else "")


def _rates(pairs) -> str:
    """Sections with their completion rate in brackets, from (section, rate) pairs."""
    return _names(labels.SECTION_RATE.format(section=section, rate=percent(rate)) for section, rate in pairs)


def thresholds(template: Path = TEMPLATE) -> dict:
    """The completion rates the bulletin names sections at: [thresholds] of its template."""
    return tomllib.loads(template.read_text(encoding="utf-8"))["thresholds"]


def _wording(template: Path) -> dict:
    """The template's sentences (every key but the [thresholds] table)."""
    return {key: text for key, text in tomllib.loads(template.read_text(encoding="utf-8")).items() if key != "thresholds"}


def bulletin_facts(summary, inspections: pd.DataFrame, month: str, today: dt.date | None = None,
                   template: Path = TEMPLATE, plan_status: pd.DataFrame | None = None) -> dict:
    """Every figure and name the wording may use, for `month`; with `plan_status` (plan_calendar.plan_calendar of
    `month`) also the plan's: plan_due, plan_done, plan_undone, plan_overdue."""
    best, lagging = (thresholds(template)[key] for key in ("best_from", "lagging_below"))
    bureau = summary.bureau_months.set_index("month").loc[month]
    rows = summary.section_months[summary.section_months["month"] == month]
    submitted = rows[rows["submitted"]]
    ranked = submitted.dropna(subset=["completion_rate"]).sort_values("completion_rate", ascending=False)
    items = hygiene.item_fail_rates(hygiene.in_month(inspections, month), ["month"])
    worst = items[items["fails"] > 0].sort_values("fails", ascending=False)["item"].head(3)
    new_vetoes = rows[rows["veto_reasons"].map(bool)]
    plan = month_status(plan_status, month) if plan_status is not None else \
        {"plan_due": None, "plan_done": 0, "plan_undone": [], "plan_overdue": []}   # no plan: no fifth part
    return {
        **plan, "plan_undone": _names(plan["plan_undone"]), "plan_overdue": _names(plan["plan_overdue"]),
        "plan_overdue_count": len(plan["plan_overdue"]),
        "year": month[:4], "month_number": int(month[5:]), "month_label": month_label(month),
        "expected": int(bureau["expected"]), "received": int(bureau["received"]),
        "missing": _names(rows.loc[~rows["submitted"], "section"], 20),
        "late": _names(rows.loc[rows["submitted"] & rows["late"], "section"], 20),
        "planned": int(bureau["planned"]) if bureau["planned"] == bureau["planned"] else 0,
        "achieved": int(bureau["achieved"]) if bureau["achieved"] == bureau["achieved"] else 0,
        "over": int(bureau["over"]) if bureau["over"] == bureau["over"] else 0,
        "rate": percent(bureau["completion_rate"]), "rate_change": _change(bureau["completion_rate_change"], "rate"),
        "ytd_rate": percent(bureau["ytd_completion_rate"]),
        "best": _rates((s, r) for s, r in zip(ranked["section"], ranked["completion_rate"]) if r >= best)
                or _rates(zip(ranked["section"][:3], ranked["completion_rate"][:3])),
        "lagging": _rates((s, r) for s, r in zip(ranked["section"][::-1][:3], ranked["completion_rate"][::-1][:3])
                          if r < lagging),
        "nine_no": f"{bureau['nine_no_score']:.1f}" if bureau["nine_no_score"] == bureau["nine_no_score"] else "",
        "nine_change": _change(bureau["nine_no_score_change"], "score"), "worst_items": _names(worst),
        "veto_list": labels.LIST_SEPARATOR.join(labels.SECTION_VETO.format(section=s, reasons=labels.NAME_SEPARATOR.join(r))
                                                for s, r in zip(new_vetoes["section"], new_vetoes["veto_reasons"])),
        "pending": int(rows["pending_vetoes"].sum()),
        "date": labels.BULLETIN_DATE.format(day=today or dt.date.today()),
    }


def _paragraphs(wording: dict, facts: dict) -> list[tuple[str, str]]:
    """(style, text) of the body, choosing the sentences the figures call for."""
    say = {key: text.format(**facts) for key, text in wording.items()}
    body = [("body", say["opening"]), ("heading", say["returns_heading"]),
            ("body", (say["returns_missing"] if facts["missing"] else say["returns_all"])
             + (say["returns_late"] if facts["late"] else "")),
            ("heading", say["completion_heading"]),
            ("body", say["completion"] + (say["completion_over"] if facts["over"] else "")
             + (say["completion_best"] if facts["best"] else "") + (say["completion_lagging"] if facts["lagging"] else "")),
            ("heading", say["hygiene_heading"]), ("body", say["hygiene"] if facts["nine_no"] else say["hygiene_none"]),
            ("heading", say["veto_heading"]),
            ("body", (say["veto"] if facts["veto_list"] else say["veto_none"])
             + (say["veto_pending"] if facts["pending"] else ""))]
    if facts["plan_due"] is not None:
        body += [("heading", say["plan_heading"]),
                 ("body", (say["plan"] if facts["plan_due"] else say["plan_none"])
                  + (say["plan_undone"] if facts["plan_undone"] else "")
                  + (say["plan_overdue"] if facts["plan_overdue"] else ""))]
    body.append(("body", say["closing"]))
    return body


def _run(paragraph, text: str):
    """A run of `text` as XML can hold it (lxml refuses a vertical tab or another control character)."""
    return paragraph.add_run(xml_text(text))


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name, run.font.size, run.font.bold = name, Pt(size), bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)  # Chinese text needs eastAsia


def docx_paragraph(document, text: str, font: str, size: float, align=None, bold=False, indent=True) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.line_spacing = Pt(28)
    paragraph.paragraph_format.keep_with_next = font == HEADING_FONT   # a heading never ends a page alone
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _font(_run(paragraph, text), font, size, bold)


def docx_table(document, caption: str, frame: pd.DataFrame, widths: tuple, one_line: set) -> None:
    """A captioned table of fixed column widths (cm), its header row repeated on every page; the columns headed
    `one_line` (科室, 月份) never break inside a name."""
    docx_paragraph(document, caption, HEADING_FONT, 14, indent=False)
    table = document.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    table.autofit = False
    for cell, column in zip(table.rows[0].cells, frame.columns):
        _font(_run(cell.paragraphs[0], str(column)), HEADING_FONT, 11)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for values in frame.itertuples(index=False):
        for cell, value in zip(table.add_row().cells, values):
            _font(_run(cell.paragraphs[0], "" if value is None or value != value else str(value)), BODY_FONT, 11)
    for heading, column, width in zip(frame.columns, table.columns, widths):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)   # Word reads the cell's width, LibreOffice the grid's: both are set
            if heading in one_line:
                cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))


def page_numbers(section) -> None:
    """The footer: — 1 — style page numbers, centred, as Word's PAGE field (updated by Word and LibreOffice)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, after = labels.BULLETIN_PAGE_NUMBER
    _font(_run(paragraph, before), BODY_FONT, 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    field.append(run)
    paragraph._p.append(field)
    number = Run(run, paragraph)
    number.text = "1"   # shown until the field is updated
    _font(number, BODY_FONT, 14)
    _font(_run(paragraph, after), BODY_FONT, 14)


def a4_document() -> Document:
    """An empty A4 document with the official margins and page numbers."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
    page_numbers(section)
    return document


def veto_table(summary, month: str) -> pd.DataFrame:
    """The year's vetoes so far and the events still pending: 科室, 月份, 事项, 状态."""
    reasons = summary.reasons[(summary.reasons["month"].str[:4] == month[:4]) & (summary.reasons["month"] <= month)]
    events = veto.event_list(summary.events[summary.events["month"] <= month])  # as things stood that month
    pending = events[(events["latest_status"] == "pending") & (events["first_month"].str[:4] == month[:4])]
    columns = ["section", "month", "matter", "state"]
    vetoed = reasons.assign(matter=reasons["reason"], state=labels.VETOED)
    waiting = pending.assign(month=pending["first_month"], matter=pending["category"], state=vocab.STATUS_NAMES["pending"])
    return labels.headed(pd.concat([vetoed[columns], waiting[columns]], ignore_index=True), columns, labels.FIGURE_NAMES)


def bulletin_docx(summary, inspections: pd.DataFrame, month: str, pictures: dict | None = None,
                  template: Path = TEMPLATE, today: dt.date | None = None, plan_status: pd.DataFrame | None = None) -> bytes:
    """The bulletin for `month`; `pictures` (name → PNG bytes) are added as 附图 when given, the plan's status
    (bulletin_facts) as its fifth part and 附表3 when `plan_status` is."""
    wording = _wording(template)
    facts = bulletin_facts(summary, inspections, month, today, template, plan_status)
    document = a4_document()
    docx_paragraph(document, wording["issuing_line"].format(**facts), BODY_FONT, 16, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    docx_paragraph(document, wording["title"].format(**facts), TITLE_FONT, 22, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    docx_paragraph(document, wording["recipients"].format(**facts), BODY_FONT, 16, indent=False)
    for style, text in _paragraphs(wording, facts):
        docx_paragraph(document, text, HEADING_FONT if style == "heading" else BODY_FONT, 16)
    docx_paragraph(document, wording["issuer"], BODY_FONT, 16, WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    docx_paragraph(document, facts["date"], BODY_FONT, 16, WD_ALIGN_PARAGRAPH.RIGHT, indent=False)

    rows = summary.section_months[summary.section_months["month"] == month].sort_values(["rank", "section"])
    missing, vetoed = labels.RETURN_STATES["missing"], labels.VETOED
    ranking = rows.assign(
        completion_rate=rows["completion_rate"].map(percent), nine_no_score=rows["nine_no_score"].map(score),
        score=rows["score"].map("{:.2f}".format),
        remark=[labels.NAME_SEPARATOR.join(note for note, flag in ((missing, not s), (vetoed, v)) if flag)
                for s, v in zip(rows["submitted"], rows["veto"])])
    one_line = {labels.heading(column, labels.FIGURE_NAMES) for column in ("section", "month")}
    docx_table(document, wording["ranking_table"].format(**facts),
           labels.headed(ranking, ["rank", "section", "completion_rate", "nine_no_score", "score", "remark"], labels.FIGURE_NAMES),
           RANKING_WIDTHS, one_line)
    docx_table(document, wording["veto_table"].format(**facts), veto_table(summary, month), VETO_WIDTHS, one_line)
    if plan_status is not None:
        due = headed(plan_status[plan_status["month"] == month])
        docx_table(document, wording["plan_table"].format(**facts),
               due[[PLAN_COLUMNS[column] for column in ("item", "when", "who", "state", "missing")]], PLAN_WIDTHS,
               {PLAN_COLUMNS[column] for column in ("when", "who", "state")})
    if pictures:
        docx_paragraph(document, wording["charts_heading"], HEADING_FONT, 14, indent=False)
        for name, png in pictures.items():
            document.add_picture(io.BytesIO(png), width=Cm(15.5))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

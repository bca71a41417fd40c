"""The monthly bulletin (月度通报) as .docx in the usual official style; its wording is
bulletin_template.toml, which a clerk can edit; the figures come from the summary."""
import datetime as dt
import io
import tomllib
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from analytics import hygiene, veto
from analytics.charts import percent
from analytics.intake.normalize import xml_text
from analytics.periods import month_label

TEMPLATE = Path(__file__).with_name("bulletin_template.toml")
TITLE_FONT, BODY_FONT, HEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"


def _change(value, unit: str) -> str:
    if value != value:
        return "无可比数据"
    return "持平" if round(value, 1) == 0 else f"{'上升' if value > 0 else '下降'}{abs(value):.1f}{unit}"


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _names(values, limit: int = 5) -> str:
    values = list(values)
    return "、".join(values[:limit]) + ("等" if len(values) > limit else "")


def bulletin_facts(summary, inspections: pd.DataFrame, month: str, today: dt.date | None = None) -> dict:
    """Every figure and name the wording may use, for `month`."""
    bureau = summary.bureau_months.set_index("month").loc[month]
    rows = summary.section_months[summary.section_months["month"] == month]
    submitted = rows[rows["submitted"]]
    ranked = submitted.dropna(subset=["completion_rate"]).sort_values("completion_rate", ascending=False)
    items = hygiene.item_fail_rates(inspections[inspections["month"] == month], ["month"])
    worst = items[items["fails"] > 0].sort_values("fails", ascending=False)["item"].head(3)
    new_vetoes = rows[rows["veto_reasons"].map(bool)]
    return {
        "year": month[:4], "month_number": int(month[5:]), "month_label": month_label(month),
        "expected": int(bureau["expected"]), "received": int(bureau["received"]),
        "missing": _names(rows.loc[~rows["submitted"], "section"], 20),
        "late": _names(rows.loc[rows["submitted"] & rows["late"], "section"], 20),
        "planned": int(bureau["planned"]) if bureau["planned"] == bureau["planned"] else 0,
        "achieved": int(bureau["achieved"]) if bureau["achieved"] == bureau["achieved"] else 0,
        "over": int(bureau["over"]) if bureau["over"] == bureau["over"] else 0,
        "rate": percent(bureau["completion_rate"]), "rate_change": _change(bureau["completion_rate_change"], "个百分点"),
        "ytd_rate": percent(bureau["ytd_completion_rate"]),
        "best": _names(f"{s}（{percent(r)}）" for s, r in zip(ranked["section"], ranked["completion_rate"]) if r >= 1)
                or _names(f"{s}（{percent(r)}）" for s, r in zip(ranked["section"][:3], ranked["completion_rate"][:3])),
        "lagging": _names(f"{s}（{percent(r)}）" for s, r in zip(ranked["section"][::-1][:3], ranked["completion_rate"][::-1][:3])
                          if r < 0.9),
        "nine_no": f"{bureau['nine_no_score']:.1f}" if bureau["nine_no_score"] == bureau["nine_no_score"] else "",
        "nine_change": _change(bureau["nine_no_score_change"], "分"), "worst_items": _names(worst),
        "veto_list": "；".join(f"{s}（{'、'.join(r)}）" for s, r in zip(new_vetoes["section"], new_vetoes["veto_reasons"])),
        "pending": int(rows["pending_vetoes"].sum()),
        "date": _date(today or dt.date.today()),
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
             + (say["veto_pending"] if facts["pending"] else "")),
            ("body", say["closing"])]
    return body


def _run(paragraph, text: str):
    """A run of `text` as XML can hold it (lxml refuses a vertical tab or another control character)."""
    return paragraph.add_run(xml_text(text))


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name, run.font.size, run.font.bold = name, Pt(size), bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)  # Chinese text needs eastAsia


def _paragraph(document, text: str, font: str, size: float, align=None, bold=False, indent=True) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.line_spacing = Pt(28)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _font(_run(paragraph, text), font, size, bold)


def _table(document, caption: str, frame: pd.DataFrame) -> None:
    _paragraph(document, caption, HEADING_FONT, 14, indent=False)
    table = document.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    for cell, column in zip(table.rows[0].cells, frame.columns):
        _font(_run(cell.paragraphs[0], str(column)), HEADING_FONT, 11)
    for values in frame.itertuples(index=False):
        for cell, value in zip(table.add_row().cells, values):
            _font(_run(cell.paragraphs[0], "" if value is None or value != value else str(value)), BODY_FONT, 11)


def veto_table(summary, month: str) -> pd.DataFrame:
    """The year's vetoes so far and the events still pending: 科室, 月份, 事项, 状态."""
    reasons = summary.reasons[(summary.reasons["month"].str[:4] == month[:4]) & (summary.reasons["month"] <= month)]
    events = veto.event_list(summary.events[summary.events["month"] <= month])  # as things stood that month
    pending = events[(events["latest_status"] == "pending") & (events["first_month"].str[:4] == month[:4])]
    return pd.concat([
        pd.DataFrame({"科室": reasons["section"], "月份": reasons["month"], "事项": reasons["reason"], "状态": "一票否决"}),
        pd.DataFrame({"科室": pending["section"], "月份": pending["first_month"], "事项": pending["category"], "状态": "待核实"}),
    ], ignore_index=True)


def bulletin_docx(summary, inspections: pd.DataFrame, month: str, pictures: dict | None = None,
                  template: Path = TEMPLATE, today: dt.date | None = None) -> bytes:
    """The bulletin for `month`; `pictures` (name → PNG bytes) are added as 附图 when given."""
    wording = tomllib.loads(template.read_text(encoding="utf-8"))
    facts = bulletin_facts(summary, inspections, month, today)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
    _paragraph(document, wording["issuing_line"].format(**facts), BODY_FONT, 16, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(document, wording["title"].format(**facts), TITLE_FONT, 22, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(document, wording["recipients"].format(**facts), BODY_FONT, 16, indent=False)
    for style, text in _paragraphs(wording, facts):
        _paragraph(document, text, HEADING_FONT if style == "heading" else BODY_FONT, 16)
    _paragraph(document, wording["issuer"], BODY_FONT, 16, WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _paragraph(document, facts["date"], BODY_FONT, 16, WD_ALIGN_PARAGRAPH.RIGHT, indent=False)

    rows = summary.section_months[summary.section_months["month"] == month].sort_values(["rank", "section"])
    _table(document, wording["ranking_table"].format(**facts), pd.DataFrame({
        "名次": rows["rank"], "科室": rows["section"], "任务完成率": rows["completion_rate"].map(percent),
        "九无得分": rows["nine_no_score"].map(lambda v: "—" if v != v else f"{v:.1f}"),
        "得分": rows["score"].map("{:.2f}".format),
        "备注": ["、".join(note for note, flag in (("未报送", not s), ("一票否决", v)) if flag)
               for s, v in zip(rows["submitted"], rows["veto"])]}))
    _table(document, wording["veto_table"].format(**facts), veto_table(summary, month))
    if pictures:
        _paragraph(document, wording["charts_heading"], HEADING_FONT, 14, indent=False)
        for name, png in pictures.items():
            document.add_picture(io.BytesIO(png), width=Cm(15.5))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

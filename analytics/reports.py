"""Everything for a month's meeting and mailing, made in one go: Excel summary, pictures of the key charts,
the bulletin and the offline HTML report. Shared by the 报表下载 page and `python -m analytics report`."""
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics.export_bulletin import bulletin_docx, bulletin_facts
from analytics.export_excel import summary_workbook
from analytics.export_html import html_report
from analytics.export_images import NoBrowser, key_figures, render, zip_bytes

STEPS = ("Excel 汇总", "图表图片", "月度通报", "网页报告")


@dataclass
class MonthReport:
    files: dict                 # file name → bytes
    pictures_missing: str = ""  # why there are no pictures (no browser), or ""


def month_report(summary, inspections: pd.DataFrame, month: str, progress=None) -> MonthReport:
    """All files for `month`. `progress(step, total, label)` is called before each step."""
    def step(n: int) -> None:
        if progress:
            progress(n, len(STEPS), STEPS[n])

    figures = key_figures(summary, inspections, month)
    files, no_pictures = {}, ""
    step(0)
    files[f"文明创建汇总_{month}.xlsx"] = summary_workbook(summary, inspections, month)
    step(1)
    try:
        pictures = render(figures)
        files[f"月度图表_{month}.zip"] = zip_bytes(pictures)
    except NoBrowser as error:
        pictures, no_pictures = {}, str(error)
    step(2)
    pngs = {name: data for name, data in pictures.items() if name.endswith(".png")}
    files[f"月度通报_{month}.docx"] = bulletin_docx(summary, inspections, month, pngs)
    step(3)
    facts = bulletin_facts(summary, inspections, month)
    missing = f"，未报送：{facts['missing']}" if facts["missing"] else ""
    notes = [f"月报：应报 {facts['expected']} 份，实报 {facts['received']} 份{missing}",
             f"任务完成率 {facts['rate']}（较上月{facts['rate_change']}），年初以来 {facts['ytd_rate']}",
             f"九无卫生得分 {facts['nine_no'] or '—'}（较上月{facts['nine_change']}）",
             f"本月新增一票否决：{facts['veto_list'] or '无'}；待核实 {facts['pending']} 项",
             f"计分规则：{summary.rules.label}"]
    files[f"月度报告_{month}.html"] = html_report(f"{facts['month_label']}文明单位创建工作情况", figures, notes).encode()
    return MonthReport(files, no_pictures)


def write(report: MonthReport, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in report.files.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    return written

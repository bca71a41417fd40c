"""Issue 12, printed files: the validation report and the 操作记录 .xlsx print on A4 one page wide with wrapped text
and the header row on every page; every Excel summary sheet names its month and rules file; the bulletin has page
numbers and keeps each section's name on one line. Read back with openpyxl / python-docx, and printed with
LibreOffice where it is installed."""
import io
import shutil
import subprocess

import docx
import openpyxl
import pandas as pd
import pytest
from docx.oxml.ns import qn

from analytics import audit, load_returns, workspace
from analytics.config import SAMPLE_RETURNS, SAMPLE_ROSTER
from analytics.export_bulletin import bulletin_docx
from analytics.export_excel import summary_workbook
from analytics.export_tables import WIDEST, workbook_bytes
from analytics.intake.issues import issues_frame, reports_frame
from analytics.intake.roster import load_roster
from analytics.rules import load_rules
from analytics.summary import summarize
from tests.conftest import ROOT

MONTH = "2024-09"
LONGEST_NAME = "政府采购监督管理科"
needs_office = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                  reason="LibreOffice (soffice) and poppler (pdftotext) are not installed")


@pytest.fixture(scope="module")
def loaded():
    """The bad sample returns and the sample year, read in one batch (the bad ones are all rejected)."""
    return load_returns([ROOT / "sample_data" / "bad", SAMPLE_RETURNS], load_roster(SAMPLE_ROSTER))


@pytest.fixture(scope="module")
def sample(loaded):
    return summarize(loaded, load_roster(SAMPLE_ROSTER).sections, load_rules()), loaded.inspections


@pytest.fixture(scope="module")
def validation_report(loaded) -> bytes:
    """The upload page's download for that batch: a 校验结果 sheet several pages long."""
    return workbook_bytes({"校验结果": reports_frame(loaded.reports), "问题明细": issues_frame(loaded.reports)})


@pytest.fixture
def audit_log(sample_url) -> bytes:
    """The 操作记录 download of the sample database's history, with a long 说明 of the kind a decision carries."""
    log = workspace.open_store(sample_url).log(limit=None)
    log.loc[log.index[0], "detail"] = "经核实，该科室在9月份的义务洁城日活动中未按要求组织人员参加，情况属实，按规定认定为一票否决事项" * 2
    return workbook_bytes(audit.workbook_sheets(log))


def assert_prints_one_page_wide(sheet, landscape: bool) -> None:
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation) == (9, "landscape" if landscape else "portrait")
    # fitToWidth left out means 1 (the OOXML default, as xlsxwriter writes it); fitToHeight 0: as many pages as it takes.
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.oddFooter.center.text == "&P / &N"


def test_the_validation_report_prints_a4_one_page_wide_with_wrapped_text(validation_report):
    workbook = openpyxl.load_workbook(io.BytesIO(validation_report))
    for sheet in workbook:
        assert_prints_one_page_wide(sheet, landscape=True)
        # Excel's stored width adds the cell padding (under one unit) to the width set.
        assert max(sheet.column_dimensions[c].width for c in sheet.column_dimensions) < WIDEST + 1
    issues = workbook["问题明细"]
    message = [cell.value for cell in issues[1]].index("说明") + 1
    long = [row for row in issues.iter_rows(min_row=2) if len(row[message - 1].value) > WIDEST // 2]
    assert long, "the bad samples have long messages"
    for row in long:
        assert row[message - 1].alignment.wrap_text
        assert issues.row_dimensions[row[0].row].height >= 32  # two lines or more, not cut off


def test_the_audit_log_prints_one_page_wide(audit_log):
    sheet = openpyxl.load_workbook(io.BytesIO(audit_log))["操作记录"]
    assert_prints_one_page_wide(sheet, landscape=True)
    assert sheet.column_dimensions["F"].width == pytest.approx(WIDEST, abs=1) and sheet["F2"].alignment.wrap_text
    assert sheet.row_dimensions[2].height >= 48


def test_a_narrow_table_prints_portrait():
    data = workbook_bytes({"催报名单": pd.DataFrame({"科室": ["预算科"], "负责人": ["张伟"]})})
    assert_prints_one_page_wide(openpyxl.load_workbook(io.BytesIO(data))["催报名单"], landscape=False)


def test_every_summary_sheet_names_its_month_and_rules_file(sample):
    summary, inspections = sample
    workbook = openpyxl.load_workbook(io.BytesIO(summary_workbook(summary, inspections, MONTH)))
    caption = f"2024年9月 · 计分规则 {summary.rules.label}"
    assert summary.rules.label.startswith("default_rules.toml（")
    for sheet in workbook:
        assert sheet.oddHeader.left.text == caption and sheet.oddHeader.right.text == sheet.title
        beside = sheet.cell(row=1, column=sheet.max_column)
        assert beside.value == caption and beside.font.b
        assert (sheet.page_setup.paperSize, sheet.page_setup.orientation, sheet.print_title_rows) == (9, "landscape", "$1:$1")


def test_the_bulletin_has_page_numbers_and_section_names_on_one_line(sample):
    summary, inspections = sample
    document = docx.Document(io.BytesIO(bulletin_docx(summary, inspections, MONTH)))
    footer = document.sections[0].footer.paragraphs[0]
    assert [field.get(qn("w:instr")) for field in footer._p.iter(qn("w:fldSimple"))] == ["PAGE"]
    for table in document.tables:
        headings = [cell.text for cell in table.rows[0].cells]
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None   # repeated on every page
        assert round(sum(column.width.cm for column in table.columns), 1) == 15.6
        for cell in table.columns[headings.index("科室")].cells[1:]:
            assert cell._tc.tcPr.find(qn("w:noWrap")) is not None and round(cell.width.cm, 1) == 5.0


def pdf_pages(tmp_path, name: str, data: bytes) -> list[str]:
    """The file printed by LibreOffice (its own profile, so runs side by side do not clash): each page's text."""
    (tmp_path / name).write_bytes(data)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / name)], check=True, capture_output=True, timeout=180)
    pdf = (tmp_path / name).with_suffix(".pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


@needs_office
def test_printed_the_validation_report_is_one_page_wide_with_its_header_on_every_page(tmp_path, validation_report):
    pages = pdf_pages(tmp_path, "校验报告.xlsx", validation_report)
    assert len(pages) >= 4
    for page in pages:   # a second page across would lack the first column's heading, or the last one's
        first_line = next(line for line in page.splitlines() if line.strip())
        assert first_line.split()[0] == "文件" and first_line.split()[-1] in ("提示数", "说明"), first_line


@needs_office
def test_printed_the_bulletin_numbers_its_pages_and_keeps_names_whole(tmp_path, sample):
    summary, inspections = sample
    pages = pdf_pages(tmp_path, "通报.docx", bulletin_docx(summary, inspections, MONTH))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert page.splitlines()[-1].replace(" ", "") == f"—{number}—"
    text = "\n".join(pages)
    for section in summary.section_months["section"].unique():
        assert section in text, section   # a name broken across two lines of its cell would not be found whole
    assert LONGEST_NAME in text

"""Names as typed become text, files and zip members: control characters never reach an export, and no name
ever becomes a path (issue 9, findings 5 and 6)."""
import csv
import io
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
import xlsxwriter
from plotly.offline import get_plotlyjs

from analytics import load_returns
from analytics.config import SAMPLE_RETURNS, SAMPLE_ROSTER
from analytics.intake.loader import load_uploaded
from analytics.intake.roster import build_roster, load_roster
from analytics.rules import load_rules
from analytics.summary import summarize
from tests.conftest import ROOT, ROSTER_ROWS
from tests.returns import default_content, write_return

MONTH = "2024-03"
LONG = "某" * 300
HOSTILE = [  # typed, as the roster is read
    ("预算科\x0b", "预算科"),
    ("办\t公室", "办 公室"),
    ("国库\x0b科", "国库 科"),  # Word's Shift+Enter inside a name
    ("../X", "../X"),
    ("a/b", "a/b"),
    ("CON", "CON"),
    (LONG, LONG),
]
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{p}{n}" for p in ("COM", "LPT") for n in range(10))}


def assert_safe_file_name(name: str) -> None:
    """One file name, safe on Windows, macOS and Linux, and not one the loader would skip."""
    assert name and not re.search(r'[/\\<>:"|?*]', name), name
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in name), name
    assert ".." not in name and not name.startswith((".", "~$")) and not name.endswith((".", " ")), name
    assert name.split(".")[0].rstrip(" ").upper() not in RESERVED, name
    assert len(name.encode("utf-8")) <= 255, name


def write_roster(path: Path, names) -> Path:
    rows = [["科室", "别名", "负责人", "类别"], *[[name, "", "张伟", "科室"] for name in names]]
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as file:
            csv.writer(file).writerows(rows)
    else:  # as Excel saves a control character: _x000B_ (openpyxl refuses to write one at all)
        workbook = xlsxwriter.Workbook(str(path))
        sheet = workbook.add_worksheet("名册")
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value)
        workbook.close()
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_roster_with_control_characters_and_path_like_names_loads_normalised(tmp_path, suffix):
    roster = load_roster(write_roster(tmp_path / f"名册{suffix}", [typed for typed, _ in HOSTILE]))
    assert list(roster.sections["section"]) == [read for _, read in HOSTILE]
    assert roster.match("办公室") == roster.match("办 公室") == roster.match("办\t公室") == "办 公室"
    assert roster.match("国库科") == roster.match("国库\x0b科") == "国库 科"
    assert roster.match("市财政局预算科\x0b") == "预算科"
    assert [note[note.index("第"):note.index("行") + 1] for note in roster.notes] == ["第3行", "第4行"]
    assert not any(XML_ILLEGAL.search(name) for name in roster.sections["section"])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_template_command_writes_every_file_inside_out_and_each_loads(tmp_path, suffix):
    roster = write_roster(tmp_path / f"名册{suffix}", [typed for typed, _ in HOSTILE])
    out = tmp_path / "out" / "D"
    done = subprocess.run([sys.executable, "-m", "analytics", "template", "--roster", str(roster), "--month", MONTH,
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    written = sorted(p for p in (tmp_path / "out").rglob("*"))
    assert all(p.parent == out and p.is_file() for p in written if p != out), written
    assert sorted(p for p in tmp_path.iterdir()) == sorted([roster, tmp_path / "out"])
    names = [p.name for p in written if p != out]
    assert len(names) == len(HOSTILE)
    for name in names:
        assert_safe_file_name(name)
    assert "办 公室_2024年3月.xlsx" in names and "CON__2024年3月.xlsx" in names
    validated = subprocess.run([sys.executable, "-m", "analytics", "validate", str(out), "--roster", str(roster)],
                               cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert validated.returncode == 0, validated.stdout + validated.stderr


def test_the_settings_pages_template_zip_has_only_safe_members():
    from analytics.intake.template import templates_zip

    roster = build_roster([["科室"], *[[typed] for typed, _ in HOSTILE], ["A/B"], ["a_b"]], "名册.csv")
    archive = zipfile.ZipFile(io.BytesIO(templates_zip(roster.sections["section"], MONTH)))
    names = archive.namelist()
    assert len(names) == len(HOSTILE) + 2 and len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert_safe_file_name(name)
    blocks = [openpyxl.load_workbook(io.BytesIO(archive.read(name)))["任务完成情况"]["A2"].value for name in names]
    assert blocks == [f"填报单位：{section}" for section in roster.sections["section"]]


def sample_roster_with(path: Path, old: str, new: str) -> Path:
    text = SAMPLE_ROSTER.with_suffix(".csv").read_bytes().decode("gb18030")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_report_command_with_a_vertical_tab_in_a_roster_name(tmp_path):
    roster = sample_roster_with(tmp_path / "名册.csv", "预算科,预算股,张伟", "预算\x0b科,预算股,张\x0b伟")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "analytics", "report", "--month", MONTH, str(SAMPLE_RETURNS),
                           "--roster", str(roster), "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    workbook = openpyxl.load_workbook(out / f"文明创建汇总_{MONTH}.xlsx")
    assert "预算 科" in [cell.value for cell in workbook["科室排名"]["B"]]
    assert "张 伟" in [cell.value for cell in workbook["年度考评"]["C"]]
    bulletin = docx.Document(str(out / f"月度通报_{MONTH}.docx"))
    assert "预算 科" in [cell.text for table in bulletin.tables for cell in table.columns[1].cells]
    page = (out / f"月度报告_{MONTH}.html").read_text(encoding="utf-8")
    assert "预算 科" in page and not XML_ILLEGAL.search(page.replace(get_plotlyjs(), ""))
    for name in ("文明创建汇总", "月度通报"):
        with zipfile.ZipFile(next(out.glob(f"{name}_*"))) as part:
            assert not any(XML_ILLEGAL.search(part.read(n).decode("utf-8", "replace")) or b"_x000B_" in part.read(n)
                           for n in part.namelist() if n.endswith(".xml"))


@pytest.fixture(scope="module")
def hostile_summary():
    """The sample month with a control character in every name the exports write (as in a database filled
    before names were cleaned at intake)."""
    roster = load_roster(SAMPLE_ROSTER)
    result = load_returns([SAMPLE_RETURNS / MONTH], roster)
    summary = summarize(result, roster.sections, load_rules())
    dirty = {"预算科": "预算\x0b科\x00\ufffe", "办公室": "办\x01公室\x1f"}  # (pandas' str cannot hold a surrogate)
    for frame in (summary.section_months, summary.annual, summary.reasons, summary.events):
        frame["section"] = frame["section"].replace(dirty)
    summary.annual["head"] = summary.annual["head"] + "\x0c"
    return summary, result.inspections


def test_every_export_writes_only_xml_legal_text(hostile_summary):
    from analytics.export_bulletin import bulletin_docx
    from analytics.export_excel import summary_workbook
    from analytics.export_html import html_report
    from analytics.export_images import browser_path, key_figures, render
    from analytics.export_tables import workbook_bytes

    summary, inspections = hostile_summary
    workbook = openpyxl.load_workbook(io.BytesIO(summary_workbook(summary, inspections, MONTH)))
    assert "预算科" in [cell.value for cell in workbook["科室排名"]["B"]]
    table = openpyxl.load_workbook(io.BytesIO(workbook_bytes({"名\x0b单": summary.section_months[["section"]]})))
    assert table.sheetnames == ["名单"] and "办公室" in [cell.value for cell in table["名单"]["A"]]
    bulletin = docx.Document(io.BytesIO(bulletin_docx(summary, inspections, MONTH)))
    assert "预算科" in [cell.text for t in bulletin.tables for cell in t.columns[1].cells]
    figures = key_figures(summary, inspections, MONTH)
    page = html_report("月度\x0b报告", figures, ["未报送：预算\x0b科"])
    assert not XML_ILLEGAL.search(page.replace(get_plotlyjs(), "")) and "未报送：预算科" in page
    if browser_path():
        svg = render({"ranking": figures["02_科室完成率排名"]}, formats=("svg",))["ranking.svg"].decode("utf-8")
        assert "预算科" in svg and not XML_ILLEGAL.search(svg)


@pytest.mark.parametrize("header, typed, imported", [
    ("工作任务", "业务知识_x000B_学习", "业务知识\n学习"),   # Excel stores a vertical tab as _x000B_
    ("说明", "见附件_x0001_", "见附件"),
])
def test_a_control_character_in_a_return_is_imported_with_a_warning(tmp_path, header, typed, imported):
    path = write_return(tmp_path / "预算科_2024年3月.xlsx", cells={("任务完成情况", 5, header): typed})
    sheet = openpyxl.load_workbook(path)["任务完成情况"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == typed)
    result = load_returns([path], build_roster(ROSTER_ROWS))
    report, = result.reports
    assert report.status == "imported"
    assert [(i.sheet, i.row, i.column, i.cell, i.code) for i in report.warnings] == [
        ("任务完成情况", cell.row, header, cell.coordinate, "control-characters")]
    assert report.warnings[0].message.startswith(f"任务完成情况 第{cell.row}行「{header}」含不可见的控制字符")
    column = {"工作任务": "task", "说明": "note"}[header]
    row = result.tasks[result.tasks["source_row"] == cell.row]
    assert row[column].tolist() == [imported]
    assert report.to_dict(10)["warnings"][0]["code"] == "control-characters"


def test_zip_members_with_unsafe_paths_are_listed_as_rejected(tmp_path):
    good = write_return(tmp_path / "预算科_2024年3月.xlsx").read_bytes()
    other = write_return(tmp_path / "国库科_2024年3月.xlsx", default_content("国库科")).read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("预算科_2024年3月.xlsx", good)
        for name in ("../evil.xlsx", "/abs.xlsx", "月报/../../up.xlsx", "C:\\drive.xlsx", "..\\back.xlsx"):
            archive.writestr(name, other)
    result = load_uploaded([("月报.zip", buffer.getvalue())], build_roster(ROSTER_ROWS))
    by_file = {report.file: report for report in result.reports}
    unsafe = ["月报.zip//abs.xlsx", "月报.zip/../evil.xlsx", "月报.zip/..\\back.xlsx", "月报.zip/C:\\drive.xlsx",
              "月报.zip/月报/../../up.xlsx"]
    assert sorted(by_file) == sorted(["月报.zip/预算科_2024年3月.xlsx", *unsafe])
    assert by_file["月报.zip/预算科_2024年3月.xlsx"].status == "imported"
    for name in unsafe:
        error, = by_file[name].errors
        assert error.code == "unsafe-member" and name.removeprefix("月报.zip/") in error.message
    assert list(result.returns["section"]) == ["预算科"]

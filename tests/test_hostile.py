"""Hostile or broken files are refused in bounded time and memory, and the process survives."""
import io
import itertools
import json
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from streamlit.testing.v1 import AppTest

from analytics import load_returns
from analytics.config import SAMPLE_ROSTER
from analytics.intake.limits import Limits
from tests.conftest import ROOT
from tests.returns import default_content, write_return

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CELL = b"<c><v>1</v></c>"  # a cell without r=: legal SpreadsheetML, placed after the previous one


def handmade_xlsx(path: Path, rows, strings=()) -> Path:
    """An .xlsx written part by part with zipfile, as any tool may: one sheet 任务完成情况 whose <sheetData> is
    `rows` (XML pieces, streamed), and shared strings from `strings` (XML pieces of <si> items)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                               '<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="任务完成情况" sheetId="1" r:id="rId1"/>'
                           '</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                      f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                                      '</Relationships>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        for name, (head, pieces, tail) in {"xl/worksheets/sheet1.xml": (f"<worksheet {ns}><sheetData>", rows,
                                                                        "</sheetData></worksheet>"),
                                           "xl/sharedStrings.xml": (f"<sst {ns}>", strings, "</sst>")}.items():
            with archive.open(name, "w") as part:
                part.write(head.encode())
                for piece in pieces:
                    part.write(piece)
                part.write(tail.encode())
    return path


def wide_then_long_xlsx(path: Path) -> Path:
    """~65 KB: one row of 16 384 cells, then a million one-cell rows, none with r=. calamine places them by
    position: an XFD1000001 grid, 549 GB it cannot allocate, and the whole process aborts."""
    return handmade_xlsx(path, [b"<row>" + CELL * 16384 + b"</row>",
                                *itertools.repeat((b"<row>" + CELL + b"</row>") * 10_000, 100)])


def million_tasks_xlsx(path: Path) -> Path:
    """~0.65 MB: a real task table's header, then a million ten-cell tasks without r= (166 MB of XML). Read, it
    took 22 s and 1.6 GB (minutes and 3 GB through the page), and `validate` accepted a million tasks: the row
    limit had looked at r= alone."""
    def text(value: str) -> bytes:
        return f'<c t="inlineStr"><is><t>{value}</t></is></c>'.encode()
    header = [b"<row>" + text("填报单位：预算科") + text("报表月份：2024年3月") + b"</row>",
              b"<row>" + b"".join(map(text, ["序号", "创建内容", "工作任务", "计划数", "完成数", "是否市文明办部署", "说明"]))
              + b"</row>"]
    task = b"<row>" + CELL * 5 + b'<c t="s"><v>0</v></c>' + CELL * 4 + b"</row>"  # 序号 1, 创建内容 一, ..., 否
    return handmade_xlsx(path, [*header, *itertools.repeat(task * 10_000, 100)], ["<si><t>否</t></si>".encode()])


def slow_strings_xlsx(path: Path) -> Path:
    """~0.2 MB that passes every guard (one cell) but holds 5 million shared strings: seconds to read."""
    return handmade_xlsx(path, [b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'],
                         itertools.repeat(b"<si><t>x</t></si>" * 10_000, 500))


def far_cell_xlsx(path: Path) -> Path:
    """4 KB on disk; calamine would allocate 16384 x 1048576 cells and abort the process."""
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "任务"
    workbook.active["XFD1048576"] = 1
    workbook.save(path)
    return path


def far_cell_xls(path: Path) -> Path:
    """An .xls reaching IV65536: calamine would take seconds and over a gigabyte for it."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("任务完成情况")
    sheet.write(0, 0, "任务")
    sheet.write(65535, 255, 1)
    workbook.save(str(path))
    return path


def repeated_rows_ods(path: Path) -> Path:
    """An .ods whose one filled row repeats 2 million times (calamine expands repeats that hold content)."""
    write_return(path.with_suffix(".tmp.ods"))
    source = zipfile.ZipFile(path.with_suffix(".tmp.ods"))
    content = source.read("content.xml").decode()
    content = content.replace("<table:table-row>", '<table:table-row table:number-rows-repeated="2000000">', 1)
    with zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == "content.xml" else source.read(info))
    path.with_suffix(".tmp.ods").unlink()
    return path


def patched_xls(path: Path, patch) -> Path:
    """An .xls (xlwt) whose Workbook stream `patch(stream: bytearray, records)` rewrites in place;
    records: (offset, type, length) of each BIFF record."""
    import olefile
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("任务完成情况")
    sheet.write(0, 0, "任务")
    sheet.write(1, 0, "x" * 200)
    workbook.save(str(path))
    with olefile.OleFileIO(str(path)) as ole:
        stream = bytearray(ole.openstream("Workbook").read())
    records, position = [], 0
    while position + 4 <= len(stream):
        record, length = struct.unpack_from("<HH", stream, position)
        records.append((position, record, length))
        position += 4 + length
    patch(stream, records)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        ole.write_stream("Workbook", bytes(stream))
    return path


def lying_dimensions_xls(path: Path) -> Path:
    """A 6 KB .xls whose DIMENSIONS record claims 4 billion rows x 65 535 columns: calamine reserves that many
    cells up front and the process aborts, whatever the cells say."""
    def patch(stream, records):
        offset = next(offset for offset, record, _ in records if record == 0x0200)
        struct.pack_into("<IIHH", stream, offset + 4, 0, 0xFFFFFFF0, 0, 0xFFFF)
    return patched_xls(path, patch)


def hidden_sheet_xls(path: Path) -> Path:
    """An .xls whose sheet offset (BOUNDSHEET) points inside the shared strings, at a sheet that holds a cell
    at IV65536: calamine reads from the offset (a gigabyte), a walk of the records in order never sees it."""
    def patch(stream, records):
        at = stream.find(b"x" * 200)
        sheet = (struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0010, 0, 0, 0, 0)  # BOF, NUMBER at IV65536, EOF
                 + struct.pack("<HHHHHd", 0x0203, 14, 65535, 255, 0, 1.0) + struct.pack("<HH", 0x000A, 0))
        stream[at:at + len(sheet)] = sheet
        offset = next(offset for offset, record, _ in records if record == 0x0085)
        struct.pack_into("<I", stream, offset + 4, at)
    return patched_xls(path, patch)


def formula_columns_ods(path: Path) -> Path:
    """An .ods whose first sheet ends with a row of a formula-only cell (no value, no text) repeated 16 384
    times, a million times over: calamine expands formula cells like filled ones."""
    write_return(path.with_suffix(".tmp.ods"))
    source = zipfile.ZipFile(path.with_suffix(".tmp.ods"))
    content = source.read("content.xml").decode()
    content = content.replace("</table:table>", '<table:table-row table:number-rows-repeated="1000000">'
                              '<table:table-cell table:formula="of:=1" table:number-columns-repeated="16384"/>'
                              "</table:table-row></table:table>", 1)
    with zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == "content.xml" else source.read(info))
    path.with_suffix(".tmp.ods").unlink()
    return path


def encrypted_xlsx(path: Path, tmp: Path) -> Path:
    plain = write_return(tmp / "plain.xlsx")
    with open(plain, "rb") as source, open(path, "wb") as target:
        OOXMLFile(source).encrypt("123456", target)
    plain.unlink()
    return path


def zip_with(path: Path, members: dict) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.fixture(scope="module")
def unreferenced(tmp_path_factory) -> list[Path]:
    """The two returns whose cells have no r= (issue 9), built once."""
    folder = tmp_path_factory.mktemp("unreferenced")
    return [wide_then_long_xlsx(folder / "预算科_2024年3月_无引用宽表.xlsx"),
            million_tasks_xlsx(folder / "预算科_2024年3月_百万行.xlsx")]


@pytest.fixture
def hostile(tmp_path, unreferenced) -> dict:
    """File → the issue code it must be refused with."""
    good = write_return(tmp_path / "good.xlsx").read_bytes()
    files = {
        far_cell_xlsx(tmp_path / "预算科_2024年3月_远端单元格.xlsx"): "sheet-too-large",
        far_cell_xls(tmp_path / "预算科_2024年3月_远端单元格.xls"): "sheet-too-large",
        repeated_rows_ods(tmp_path / "预算科_2024年3月_重复行.ods"): "sheet-too-large",
        **dict.fromkeys(unreferenced, "sheet-too-large"),
        lying_dimensions_xls(tmp_path / "预算科_2024年3月_虚报范围.xls"): "sheet-too-large",
        hidden_sheet_xls(tmp_path / "预算科_2024年3月_隐藏偏移.xls"): "sheet-too-large",
        formula_columns_ods(tmp_path / "预算科_2024年3月_公式列.ods"): "sheet-too-large",
        encrypted_xlsx(tmp_path / "预算科_2024年3月_加密.xlsx", tmp_path): "encrypted",
        tmp_path / "改了扩展名.xlsx": "not-a-spreadsheet",
        tmp_path / "空文件.xlsx": "not-a-spreadsheet",
        tmp_path / "截断.xlsx": "not-a-spreadsheet",
        tmp_path / "图片.xls": "not-a-spreadsheet",
        tmp_path / "预算科.et": "wps-et",
        tmp_path / "说明.docx": "unsupported-type",
        zip_with(tmp_path / "套娃.zip", {"内层.zip": zip_with(tmp_path / "inner.zip", {"a.xlsx": good}).read_bytes()}):
            "nested-zip",
        tmp_path / "损坏.zip": "bad-zip",
    }
    (tmp_path / "改了扩展名.xlsx").write_text("这不是表格", encoding="utf-8")
    (tmp_path / "空文件.xlsx").write_bytes(b"")
    (tmp_path / "截断.xlsx").write_bytes(good[: len(good) // 2])
    (tmp_path / "图片.xls").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (tmp_path / "预算科.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (tmp_path / "说明.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "损坏.zip").write_bytes(b"PK\x03\x04 broken")
    (tmp_path / "good.xlsx").unlink()
    (tmp_path / "inner.zip").unlink()
    return files


def test_hostile_files_are_refused_and_the_process_survives(tmp_path, hostile):
    """Run as a child process: had a guard failed, calamine would abort it (exit -6) rather than pytest."""
    out = tmp_path / "report.json"
    done = subprocess.run([sys.executable, "-m", "analytics", "validate", *map(str, hostile),
                           "--roster", str(SAMPLE_ROSTER), "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    files = json.loads(out.read_text(encoding="utf-8"))["files"]
    refused = {f["file"]: [e["code"] for e in f["errors"]] for f in files}
    nested = f"{tmp_path / '套娃.zip'}/内层.zip"
    expected = {(nested if code == "nested-zip" else str(path)): [code] for path, code in hostile.items()}
    assert refused == expected


def test_far_cell_message_names_the_sheet_and_extent(tmp_path, roster):
    (report,) = load_returns([far_cell_xlsx(tmp_path / "r.xlsx")], roster).reports
    assert report.errors[0].message == ("Sheet 的数据范围延伸到 XFD1048576，超过上限（20000 行 × 200 列）："
                                        "请删除表格以外多余的行列后另存再上传")


def test_far_cell_in_an_xls_names_its_sheet(tmp_path, roster):
    (report,) = load_returns([far_cell_xls(tmp_path / "r.xls")], roster).reports
    assert [(i.code, i.sheet, i.value) for i in report.errors] == [("sheet-too-large", "任务完成情况", "IV65536")]


def test_zip_bomb_is_refused_before_it_is_inflated(tmp_path, roster):
    bomb = tmp_path / "bomb.xlsx"
    good = zipfile.ZipFile(write_return(tmp_path / "g.xlsx"))
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in good.infolist():
            archive.writestr(info.filename, good.read(info))
        archive.writestr("xl/media/padding.bin", bytes(3 * 2**20))  # 3 MB of zeros, a few KB packed
    (report,) = load_returns([bomb], roster, Limits(max_unpacked_mb=2)).reports
    assert [i.code for i in report.errors] == ["unpacked-too-large"]


def test_size_limits_are_checked_before_reading(tmp_path, roster):
    path = write_return(tmp_path / "预算科_2024年3月.xlsx")
    archive = zip_with(tmp_path / "月报.zip", {"预算科_2024年3月.xlsx": path.read_bytes()})
    limits = Limits(max_file_mb=0.001)
    reports = load_returns([path, archive], roster, limits).reports
    assert [[i.code for i in r.errors] for r in reports] == [["file-too-large"], ["file-too-large"]]
    assert "超过上限 0.001 MB" in reports[0].errors[0].message


def test_too_many_zip_members(tmp_path, roster):
    archive = zip_with(tmp_path / "月报.zip", {f"{n}.xlsx": b"x" for n in range(5)})
    (report,) = load_returns([archive], roster, Limits(max_zip_members=3)).reports
    assert [i.code for i in report.errors] == ["too-many-members"]


def test_an_encrypted_file_opened_with_its_password_loads(tmp_path, roster, hostile):
    """The refusal is about the password, not the content: decrypted, the same file is accepted."""
    path = next(p for p, code in hostile.items() if code == "encrypted")
    office = msoffcrypto.OfficeFile(io.BytesIO(path.read_bytes()))
    office.load_key(password="123456")
    plain = io.BytesIO()
    office.decrypt(plain)
    (tmp_path / "plain.xlsx").write_bytes(plain.getvalue())
    result = load_returns([tmp_path / "plain.xlsx"], roster)
    assert result.reports[0].status == "imported" and len(result.tasks) == len(default_content().tasks)


def test_cells_without_references_are_refused_in_bounded_time(unreferenced, tmp_path):
    """Issue 9: the extent guard counted r= alone. Run as a child process (a server would have aborted)."""
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "analytics", "validate", *map(str, unreferenced),
                           "--roster", str(SAMPLE_ROSTER), "--json", str(tmp_path / "report.json")], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr[-2000:]
    assert time.monotonic() - start < 60
    files = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["files"]
    assert [(f["file"], [(e["code"], e["sheet"]) for e in f["errors"]]) for f in files] == [
        (str(path), [("sheet-too-large", "任务完成情况")]) for path in unreferenced]
    assert all("任务完成情况 的数据范围延伸到" in f["errors"][0]["message"] for f in files)


CRASH = """
import json, sys
from analytics import load_returns, load_roster
from analytics.intake.limits import Limits
# The guard off, on purpose: a far cell reaches calamine, which aborts the process that reads it.
limits = Limits(max_sheet_rows=2_000_000, max_sheet_columns=20_000)
result = load_returns(sys.argv[2:], load_roster(sys.argv[1]), limits)
print(json.dumps([[r.status, [(i.code, i.message) for i in r.errors]] for r in result.reports], ensure_ascii=False))
"""


def test_a_crash_while_reading_rejects_that_file_and_the_batch_goes_on(tmp_path):
    """The caller is a child process standing in for the server: it must exit normally, with the report."""
    paths = [far_cell_xlsx(tmp_path / "综合科_2024年3月_远端.xlsx"),
             write_return(tmp_path / "预算科_2024年3月.xlsx", default_content("预算科"))]
    done = subprocess.run([sys.executable, "-c", CRASH, str(SAMPLE_ROSTER), *map(str, paths)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    (crashed, imported) = json.loads(done.stdout)
    assert crashed[0] == "rejected" and [code for code, _ in crashed[1]] == ["reader-crashed"]
    assert crashed[1][0][1].startswith("读取此文件时读取程序意外退出")
    assert imported == ["imported", []]


def test_a_file_over_the_time_limit_is_rejected_and_the_batch_goes_on(tmp_path, roster):
    paths = [write_return(tmp_path / "预算科_2024年3月.xlsx", default_content("预算科")),
             slow_strings_xlsx(tmp_path / "国库科_2024年3月.xlsx"),
             write_return(tmp_path / "综合科_2024年3月.xlsx", default_content("综合科"))]
    start = time.monotonic()
    reports = load_returns(paths, roster, Limits(reader_seconds=0.5)).reports
    assert time.monotonic() - start < 60
    assert [(r.status, [i.code for i in r.errors]) for r in reports] == [
        ("imported", []), ("rejected", ["reader-timeout"]), ("imported", [])]
    assert "超过 0.5 秒" in reports[1].errors[0].message
    assert load_returns(paths[:1], roster).reports[0].status == "imported"  # a fresh reader took over


def test_the_upload_page_rejects_them_and_keeps_answering(sample_url, unreferenced, tmp_path):
    """Through the page (the server's own process): 退回 with the message, and the app renders again."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    at.switch_page("pages/upload.py").run()
    good = write_return(tmp_path / "预算科_2024年3月.xlsx", default_content("预算科"))
    at.file_uploader[0].set_value([(path.name, path.read_bytes(), XLSX) for path in [*unreferenced, good]]).run()
    assert not at.exception, at.exception
    assert [m.value for m in at.metric] == ["3", "1", "2"]
    results = at.dataframe[0].value.set_index("文件")["结果"]
    assert [results[path.name] for path in unreferenced] == ["退回", "退回"]
    issues = at.dataframe[1].value
    messages = issues[issues["文件"].isin([path.name for path in unreferenced])]["说明"].tolist()
    assert len(messages) == 2 and all(m.startswith("任务完成情况 的数据范围延伸到") for m in messages)
    at.run()
    assert not at.exception and at.title[0].value == "数据上传"
    at.switch_page("pages/overview.py").run()
    assert not at.exception and at.title[0].value == "总览"


def test_a_hostile_roster_is_refused_like_a_return(unreferenced):
    """The roster is read through the same guard and worker: a far extent without references is refused."""
    from analytics.intake.roster import RosterError, load_roster
    for path in unreferenced:
        with pytest.raises(RosterError, match="超过上限"):
            load_roster(path)

"""Hostile or broken files are refused in bounded time and memory, and the process survives."""
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from analytics import load_returns
from analytics.settings import Limits
from tests.returns import default_content, write_return

ROOT = Path(__file__).resolve().parents[1]


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


@pytest.fixture
def hostile(tmp_path) -> dict:
    """File → the issue code it must be refused with."""
    good = write_return(tmp_path / "good.xlsx").read_bytes()
    files = {
        far_cell_xlsx(tmp_path / "预算科_2024年3月_远端单元格.xlsx"): "sheet-too-large",
        far_cell_xls(tmp_path / "预算科_2024年3月_远端单元格.xls"): "sheet-too-large",
        repeated_rows_ods(tmp_path / "预算科_2024年3月_重复行.ods"): "sheet-too-large",
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
                           "--roster", str(ROOT / "sample_data" / "roster.xlsx"), "--json", str(out)],
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

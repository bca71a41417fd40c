"""Paths into files: folders read recursively, zips opened once, junk skipped, everything else listed."""
from analytics import load_returns
from analytics.intake.limits import Limits
from analytics.intake.sources import collect, from_bytes
from tests.returns import default_content, write_gbk_zip, write_return


def test_folders_are_read_recursively_skipping_lock_and_hidden_files(tmp_path, roster):
    (tmp_path / "三月" / "科室").mkdir(parents=True)
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / ".git").mkdir()
    write_return(tmp_path / "三月" / "预算科_2024年3月.xlsx")
    write_return(tmp_path / "三月" / "科室" / "国库科_2024年3月.xls", default_content("国库科"))
    for junk in ("三月/~$预算科_2024年3月.xlsx", "三月/.预算科.xlsx", "__MACOSX/._a.xlsx", ".git/config"):
        (tmp_path / junk).write_bytes(b"junk")
    (tmp_path / "三月" / "说明.txt").write_text("请于5日前报送", encoding="utf-8")
    result = load_returns([tmp_path], roster)
    assert [(r.file.removeprefix(str(tmp_path)), r.status) for r in result.reports] == [
        ("/三月/科室/国库科_2024年3月.xls", "imported"), ("/三月/说明.txt", "rejected"),
        ("/三月/预算科_2024年3月.xlsx", "imported")]
    assert result.reports[1].errors[0].message == "文件类型「.txt」不是月报表：请上传 .xlsx、.xlsm、.xls 或 .ods 文件"


def test_zip_member_names_and_a_non_spreadsheet_inside(tmp_path):
    archive = write_gbk_zip(tmp_path / "月报.zip", {"三月/预算科_2024年3月.xlsx": b"x", "三月/通知.pdf": b"%PDF"})
    members = collect([archive], Limits())
    assert [(m.name.removeprefix(str(tmp_path)), m.stem, m.refused and m.refused.code) for m in members] == [
        ("/月报.zip/三月/通知.pdf", "通知", "unsupported-type"), ("/月报.zip/三月/预算科_2024年3月.xlsx", "预算科_2024年3月", None)]


def test_uploaded_bytes_and_windows_paths():
    (member,) = from_bytes("C:\\Users\\clerk\\预算科_2024年3月.xlsx", b"data", Limits())
    assert (member.stem, member.data) == ("预算科_2024年3月", b"data")
    (member,) = from_bytes("预算科.xlsx", b"x" * 2000, Limits(max_file_mb=0.001))
    assert member.refused.code == "file-too-large"


def test_only_the_files_own_name_is_a_source_never_its_folder(tmp_path, roster):
    (tmp_path / "国库科_2024年4月").mkdir()
    path = write_return(tmp_path / "国库科_2024年4月" / "月报.xlsx")
    (report,) = load_returns([path], roster).reports
    assert (report.status, report.sections, report.months) == ("imported", ["预算科"], ["2024-03"])

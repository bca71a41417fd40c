"""The dashboard runs (Streamlit AppTest): the sample returns' validation, and checking an uploaded file."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.returns import write_return

ROOT = Path(__file__).resolve().parents[1]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def run_app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    return at


def test_app_lists_sample_returns_and_their_validation():
    at = run_app()
    assert at.title[0].value == "月报校验"
    assert [s.value for s in at.subheader] == ["示例月报（2024 年）", "需要退回的示例报表"]
    assert [m.value for m in at.metric] == ["204", "204", "0", "6", "0", "6"]
    year_issues = at.dataframe[1].value  # the April return repeats a March event: a warning, not an error
    assert year_issues[["文件", "类型", "行"]].values.tolist() == [["returns/2024-04/月报_5633.xlsx", "提示", 5]]
    assert "bad/国库科_2024年4月.xlsx" in at.dataframe[2].value["文件"].tolist()


def test_an_uploaded_return_is_checked_and_its_errors_shown(tmp_path):
    at = run_app()
    bad = write_return(tmp_path / "预算科_2024年3月.xlsx", cells={("任务完成情况", 7, "完成数"): -2})
    at.file_uploader[0].set_value([(bad.name, bad.read_bytes(), XLSX)]).run()
    assert not at.exception
    assert at.subheader[0].value == "本次上传"
    assert [m.value for m in at.metric[:3]] == ["1", "0", "1"]
    issues = at.dataframe[1].value
    assert issues[["工作表", "行", "列", "单元格"]].values.tolist() == [["任务完成情况", 7, "完成数", "E7"]]
    assert issues["说明"].tolist() == ["任务完成情况 第7行「完成数」为 -2：应为 0 或正整数"]

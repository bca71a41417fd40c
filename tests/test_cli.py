"""`python -m analytics`: exit 0 all accepted, 1 a file rejected, 2 cannot run, one line, no traceback."""
import json
import os
import subprocess
import sys

import pytest

from analytics.cli import main
from analytics.config import DATABASE_URL_VARIABLE, SAMPLE_BAD_RETURNS, SAMPLE_RETURNS, SAMPLE_ROSTER
from analytics.store import Store
from tests.conftest import ROOT
from tests.returns import write_return


def test_validate_all_accepted(capsys):
    assert main(["validate", str(SAMPLE_RETURNS / "2024-03"), "--roster", str(SAMPLE_ROSTER)]) == 0
    assert capsys.readouterr().out.endswith("通过 17 个，退回 0 个\n")


def test_validate_some_rejected_lists_every_error(tmp_path, capsys):
    out = tmp_path / "report.json"
    assert main(["validate", str(SAMPLE_BAD_RETURNS), "--roster", str(SAMPLE_ROSTER), "--json", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "错误 E5 任务完成情况 第5行「完成数」为 -2：应为 0 或正整数" in printed
    files = json.loads(out.read_text(encoding="utf-8"))["files"]
    assert {f["status"] for f in files} == {"rejected"}
    for issue in (i for f in files for i in f["errors"] + f["warnings"]):
        assert set(issue) == {"sheet", "row", "column", "cell", "code", "message"}


def test_max_file_size_can_be_set(tmp_path, capsys):
    path = write_return(tmp_path / "预算科_2024年3月.xlsx")
    assert main(["validate", str(path), "--roster", str(SAMPLE_ROSTER), "--max-file-mb", "0.001"]) == 1
    assert "超过上限 0.001 MB" in capsys.readouterr().out


@pytest.mark.parametrize("argv, reason", [
    (["validate", "nowhere.xlsx", "--roster", str(SAMPLE_ROSTER)], "找不到文件或文件夹：nowhere.xlsx"),
    (["validate", str(SAMPLE_RETURNS), "--roster", "none.csv"], "组织名册「none.csv」无法读取"),
    (["validate", str(SAMPLE_RETURNS)], "参数错误"),
    (["frobnicate"], "参数错误"),
    (["template", "--roster", str(SAMPLE_ROSTER), "--month", "三月", "--out", "x"], "月份「三月」无法识别"),
])
def test_cannot_run_is_exit_2_with_one_line(argv, reason):
    done = subprocess.run([sys.executable, "-m", "analytics", *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and reason in done.stderr and "Traceback" not in done.stderr


def test_commands_that_read_the_database_never_bring_the_sample_into_it(tmp_path):
    """`summarize` and `report` without PATH read the dashboard's database: an empty one stays empty."""
    env = {**os.environ, DATABASE_URL_VARIABLE: f"sqlite:///{tmp_path / 'empty.sqlite'}"}
    report = subprocess.run([sys.executable, "-m", "analytics", "report", "--month", "2024-09", "--out", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert report.returncode == 2 and "2024-09 没有已导入的月报" in report.stderr, report.stderr
    summary = subprocess.run([sys.executable, "-m", "analytics", "summarize", "--json", str(tmp_path / "s.json")],
                             cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert summary.returncode == 0 and json.loads((tmp_path / "s.json").read_text())["section_months"] == []
    assert Store(env[DATABASE_URL_VARIABLE]).counts()["versions"] == 0


def test_template_for_one_section_and_for_all(tmp_path):
    assert main(["template", "--roster", str(SAMPLE_ROSTER), "--month", "2024-03", "--section", "预算股",
                 "--out", str(tmp_path / "one")]) == 0
    assert [p.name for p in (tmp_path / "one").iterdir()] == ["预算科_2024年3月.xlsx"]
    assert main(["template", "--roster", str(SAMPLE_ROSTER), "--month", "2024-03", "--out", str(tmp_path / "all")]) == 0
    assert len(list((tmp_path / "all").iterdir())) == 20  # 绩效评价科 is set up in 2024-07: no March template
    assert main(["validate", str(tmp_path / "all"), "--roster", str(SAMPLE_ROSTER)]) == 0


def test_analytics_imports_without_streamlit():
    code = "import analytics, analytics.cli, analytics.intake.template, sys; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)

"""`python -m analytics summarize` end to end on the sample data, against the contract in RETURN_FORMAT.md."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.config import SAMPLE_BAD_RETURNS, SAMPLE_RETURNS, SAMPLE_ROSTER
from tests.conftest import ROOT

SECTION_MONTH_KEYS = {"section", "month", "submitted", "completion_rate", "nine_no_score", "veto", "veto_reasons",
                      "pending_vetoes", "score"}


def summarize(*args, out: Path):
    done = subprocess.run([sys.executable, "-m", "analytics", "summarize", *map(str, args), "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    return done.returncode, (json.loads(out.read_text(encoding="utf-8")) if out.exists() else None), done.stderr


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("summary") / "out.json"
    code, document, stderr = summarize(SAMPLE_RETURNS, "--roster", SAMPLE_ROSTER, out=out)
    assert code == 0, stderr
    return document


def find(document, section, month):
    (entry,) = [e for e in document["section_months"] if (e["section"], e["month"]) == (section, month)]
    return entry


def test_every_roster_section_for_every_month_in_range(sample):
    assert sample["months"] == [f"2024-{m:02d}" for m in range(1, 13)]
    pairs = {(e["section"], e["month"]) for e in sample["section_months"]}
    assert len(pairs) == len(sample["section_months"]) == 21 * 12 - 6 - 3  # 绩效评价科 from July, 农业农村科 to September
    assert ("绩效评价科", "2024-06") not in pairs and ("农业农村科", "2024-10") not in pairs
    for entry in sample["section_months"]:
        assert entry.keys() >= SECTION_MONTH_KEYS
        assert entry["completion_rate"] is None or 0 <= entry["completion_rate"] <= 1
        assert entry["nine_no_score"] is None or 0 <= entry["nine_no_score"] <= 100


def test_the_years_story(sample):
    assert sample["rules"]["file"] == "default_rules.toml" and len(sample["rules"]["hash"]) == 8
    missing = find(sample, "金融科", "2024-05")
    assert (missing["submitted"], missing["completion_rate"], missing["score"]) == (False, None, 0)
    assert (find(sample, "国库科", "2024-03")["pending_vetoes"], find(sample, "国库科", "2024-03")["veto"]) == (1, False)
    assert find(sample, "国库科", "2024-04")["veto_reasons"] == ["公务接待/会议/差旅费违规"]
    assert [find(sample, "国库科", m)["veto"] for m in ("2024-05", "2024-12")] == [True, True]
    assert find(sample, "金融科", "2024-09")["veto_reasons"] == ["未完成市文明办部署任务：义务洁城日活动"]
    assert find(sample, "办公室", "2024-06")["veto"] is False
    annual = {entry["section"]: entry for entry in sample["annual"]}
    assert annual["国库科"]["collective"] is False and annual["国库科"]["reason"].startswith("一票否决")
    assert sum(entry["collective"] for entry in sample["annual"]) == 3


def test_rejected_files_are_listed_and_never_widen_the_range(tmp_path, sample):
    code, document, _ = summarize(SAMPLE_RETURNS / "2024-03", SAMPLE_BAD_RETURNS, "--roster", SAMPLE_ROSTER,
                                  out=tmp_path / "out.json")
    assert code == 1
    assert document["months"] == ["2024-03"]  # the rejected 2024年4月 file adds no month
    assert sum(f["status"] == "rejected" for f in document["files"]) == 6
    assert {f["file"] for f in document["files"] if f["status"] == "rejected"} == {
        str(p) for p in SAMPLE_BAD_RETURNS.iterdir()}


@pytest.mark.parametrize("args, reason", [
    (["--roster", str(SAMPLE_ROSTER), "--rules", "none.toml"], "规则文件「none.toml」无法读取"),
    (["--roster", "none.xlsx"], "组织名册「none.xlsx」无法读取"),
])
def test_cannot_run_exits_2(tmp_path, args, reason):
    code, document, stderr = summarize(SAMPLE_RETURNS / "2024-03", *args, out=tmp_path / "out.json")
    assert (code, document) == (2, None)
    assert reason in stderr and "Traceback" not in stderr

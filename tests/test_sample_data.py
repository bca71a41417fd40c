"""The bundled sample data: the dashboard's default and the tests' main corpus."""
from pathlib import Path

import pandas as pd
import pytest

from analytics import load_returns, load_roster
from analytics.config import SAMPLE_BAD_RETURNS, SAMPLE_RETURNS, SAMPLE_ROSTER
from sample_data import make_samples


@pytest.fixture(scope="module")
def sample():
    return load_returns([SAMPLE_RETURNS], load_roster(SAMPLE_ROSTER))


def test_every_sample_return_is_imported(sample):
    assert [r.file for r in sample.rejected] == []
    assert sorted(sample.tasks["month"].unique()) == [f"2024-{m:02d}" for m in range(1, 13)]


def test_the_year_covers_every_variation(sample):
    files = [r.file for r in sample.reports]
    assert {Path(f).suffix for f in files} == {".xlsx", ".xls", ".ods"}
    assert sum("直属单位汇总" in f for f in files) == 12                     # layout B, every month
    assert sum(".zip/" in f for f in files) == 17                           # December, as a zip
    per_month = sample.tasks.groupby("month")["section"].nunique()
    assert per_month[["2024-01", "2024-02", "2024-07", "2024-10"]].tolist() == [20, 19, 21, 20]


def test_sample_story_vetoes_and_missing_returns(sample):
    events = sample.events.set_index(["section", "month"])["status"].to_dict()
    assert events == {("国库科", "2024-03"): "pending", ("国库科", "2024-04"): "confirmed",
                      ("办公室", "2024-06"): "dismissed", ("资产管理科", "2024-11"): "pending"}
    shortfall = sample.tasks.query("section == '金融科' and month == '2024-09' and deployed and done < planned")
    assert shortfall["task"].tolist() == ["义务洁城日活动"]
    submitted = set(zip(sample.tasks["section"], sample.tasks["month"]))
    assert ("金融科", "2024-05") not in submitted and ("绩效评价科", "2024-06") not in submitted


def test_bad_examples_are_rejected_with_their_reasons():
    reports = load_returns([SAMPLE_BAD_RETURNS], load_roster(SAMPLE_ROSTER)).reports
    reasons = {Path(r.file).name: sorted({i.code for i in r.errors}) for r in reports}
    assert reasons == {
        "会计科_2024年3月.xlsx": ["not-a-spreadsheet"],
        "国库科_2024年4月.xlsx": ["month-conflict"],
        "档案科_2024年3月.xlsx": ["unknown-section"],
        "监督检查科_2024年3月.et": ["wps-et"],
        "综合科_2024年3月_公式未保存.xlsx": ["unsaved-formula"],
        "预算科_2024年3月_负数和错误标记.xlsx": ["bad-mark", "negative-count"],
    }


def test_the_generator_is_deterministic(tmp_path, sample):
    make_samples.main(tmp_path)
    again = load_returns([tmp_path / "returns"], load_roster(tmp_path / "roster.xlsx"))
    for kind in ("tasks", "inspections", "events", "bonus"):
        ours, theirs = getattr(sample, kind), getattr(again, kind)
        theirs = theirs.assign(source_file=theirs["source_file"].str.replace(str(tmp_path), str(SAMPLE_RETURNS.parent)))
        pd.testing.assert_frame_equal(ours, theirs)

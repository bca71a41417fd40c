"""The dashboard runs (Streamlit AppTest) and shows the sample returns' validation."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def test_app_lists_sample_returns_and_their_validation():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "月报校验"
    metrics = {m.label: m.value for m in at.metric}
    assert len(at.metric) == 6
    assert [m.value for m in at.metric[:3]] == ["204", "204", "0"]
    assert [m.value for m in at.metric[3:]] == ["6", "0", "6"]
    assert "文件数" in metrics

"""Verdicts never depend on the batch: a file gets the same status, issues and records alone or with others.

The loader checks the combined rows of a whole batch at once (analytics/checks.py), so a value in one file
must never change what another file is told (RETURN_FORMAT.md: a batch only adds duplicate-return).
"""
import tempfile
from collections import Counter
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analytics.config import SAMPLE_BAD_RETURNS, SAMPLE_DATA, SAMPLE_RETURNS, SAMPLE_ROSTER
from analytics.intake.loader import load_uploaded
from analytics.intake.roster import load_roster
from analytics.records import KINDS
from tests.returns import default_content, layout_b_sheets, write_return, write_workbook

ROSTER = load_roster(SAMPLE_ROSTER)
MONTH = "2025-01"  # generated returns: a month the sample year has no return for (no duplicate-return)


def _sample_files() -> list[Path]:
    """A bounded subset of the sample year: the zip, the .ods, some .xls, some layout B and some .xlsx."""
    files = sorted(p for p in SAMPLE_RETURNS.rglob("*") if p.is_file())
    layout_b = [p for p in files if p.name.startswith("直属单位汇总")]
    xls = [p for p in files if p.suffix == ".xls"]
    xlsx = [p for p in files if p.suffix == ".xlsx" and p not in layout_b]
    return [*(p for p in files if p.suffix in (".zip", ".ods")), *xls[::3], *layout_b[::3], *xlsx[::12]]


def _generated() -> list[tuple[str, bytes]]:
    """Messy returns written the way clerks do: totals, layout B spellings, blank 创建内容, failed counts."""
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        paths = [
            write_return(here / "预算科_2025年1月.xlsx", default_content("预算科", MONTH), total=True,
                         subtotals=True, carry_area="merge"),
            write_return(here / "国库科_2025年1月.xls", default_content("国库科", MONTH), total=True,
                         carry_area="blank", count_style="unit"),
            write_return(here / "人事教育科_2025年1月.xlsx", default_content("人事教育科", MONTH), total=True,
                         total_off_by=1),
            write_return(here / "会计科_2025年1月.xlsx", default_content("会计科", MONTH), total=True,
                         cells={("任务完成情况", 5, "完成数"): "很多"}),
            write_return(here / "金融科_2025年1月.xls", default_content("金融科", MONTH), total=True,
                         cells={("任务完成情况", 6, "计划数"): "2.5"}),
            write_return(here / "综合科_2025年1月.xlsx", default_content("综合科", MONTH), total=True,
                         cells={("任务完成情况", 4, "创建内容"): ""}),
            # Marks as numbers 1 / 0, and elsewhere a TRUE cell: never one value when parsed once per distinct value.
            write_return(here / "经济建设科_2025年1月.xlsx", default_content("经济建设科", MONTH), mark_style="number"),
            write_return(here / "绩效评价科_2025年1月.xlsx", default_content("绩效评价科", MONTH), mark_style="number",
                         cells={("九无卫生检查", 5, "无烟头"): True}),
        ]
        sheets = layout_b_sheets([default_content(s, MONTH) for s in ("办公室", "财政投资评审中心", "资产管理科")],
                                 carry_area="blank", total=True, unit_names={"财政投资评审中心": "市财政局（评审中心）"})
        for row in sheets["任务完成情况"].rows[4:9]:  # 办公室's rows after its first: the prefixed spelling
            row[0] = "县财政局办公室"
        paths.append(write_workbook(here / "直属单位汇总_2025年1月.xlsx", sheets))
        return [(f"generated/{p.name}", p.read_bytes()) for p in paths]


CORPUS = [*((str(p.relative_to(SAMPLE_DATA)), p.read_bytes()) for p in _sample_files()),
          *((str(p.relative_to(SAMPLE_DATA)), p.read_bytes()) for p in sorted(SAMPLE_BAD_RETURNS.iterdir())),
          *_generated()]


def _plain(value):
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def verdicts(files: list[tuple[str, bytes]]) -> dict:
    """file → (status, issues other than duplicate-return, the file's records of every table, sorted)."""
    result = load_uploaded(files, ROSTER)
    tables = {kind: getattr(result, kind) for kind in KINDS}
    out = {}
    for report in result.reports:
        issues = [(i.code, i.sheet, i.row, i.column, i.cell, i.message) for i in report.issues
                  if i.code != "duplicate-return"]
        records = {kind: sorted((tuple(_plain(v) for v in row) for row in
                                 frame[frame["source_file"] == report.file].itertuples(index=False, name=None)),
                                key=repr)
                   for kind, frame in tables.items()}
        out[report.file] = (report.status, issues, records)
    return out


@cache
def verdicts_alone() -> dict:
    return {file: verdict for upload in CORPUS for file, verdict in verdicts([upload]).items()}


@st.composite
def partitions(draw, size: int) -> list[list[int]]:
    """The corpus's indices in any order, cut into consecutive batches."""
    order = draw(st.permutations(range(size)))
    cuts = draw(st.lists(st.booleans(), min_size=size - 1, max_size=size - 1))
    batches = [[order[0]]]
    for index, cut in zip(order[1:], cuts):
        if cut:
            batches.append([])
        batches[-1].append(index)
    return batches


def test_the_corpus_holds_one_good_file_per_section_month_and_every_kind_of_verdict():
    alone = verdicts_alone()
    together = load_uploaded(CORPUS, ROSTER).reports  # two good files for one section-month would say so here
    assert [(r.file, i.value) for r in together for i in r.issues if i.code == "duplicate-return"] == []
    assert [i[0] for i in alone["generated/人事教育科_2025年1月.xlsx"][1]] == ["total-mismatch"]  # a true warning
    statuses = Counter(status for status, _, _ in alone.values())
    assert statuses["imported"] >= 30 and statuses["rejected"] >= 8
    generated = {file[len("generated/"):]: status for file, (status, _, _) in alone.items()
                 if file.startswith("generated/")}
    assert generated == {"预算科_2025年1月.xlsx": "imported", "国库科_2025年1月.xls": "imported",
                         "人事教育科_2025年1月.xlsx": "imported",
                         "会计科_2025年1月.xlsx": "rejected", "金融科_2025年1月.xls": "rejected",
                         "综合科_2025年1月.xlsx": "rejected", "直属单位汇总_2025年1月.xlsx": "imported",
                         "经济建设科_2025年1月.xlsx": "imported", "绩效评价科_2025年1月.xlsx": "rejected"}


@settings(max_examples=12)
@given(batches=partitions(len(CORPUS)))
@example(batches=[list(range(len(CORPUS)))])
def test_a_file_gets_the_same_verdict_in_any_batch(batches):
    alone = verdicts_alone()
    for batch in batches:
        got = verdicts([CORPUS[i] for i in batch])
        assert got == {file: alone[file] for file in got}, [CORPUS[i][0] for i in batch]

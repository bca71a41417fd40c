"""Normalisers: what clerks type, side by side with what it means (RETURN_FORMAT.md "Must be accepted")."""
import datetime as dt

import pytest

from analytics.intake import normalize

D = dt.date


@pytest.mark.parametrize("typed, expected", [
    (3, (3, None)), (3.0, (3, None)), ("3", (3, None)), (" 3 ", (3, None)), ("３", (3, None)),
    ("3次", (3, None)), ("2 人", (2, None)), ("0", (0, None)), (0, (0, None)), ("\u00a04\u00a0", (4, None)),
    ("2.5", (None, "fraction-count")), (2.5, (None, "fraction-count")), ("-2", (None, "negative-count")),
    (-2, (None, "negative-count")), ("", (None, "empty-count")), ("  ", (None, "empty-count")),
    ("三", (None, "not-a-number")), ("约3", (None, "not-a-number")), (True, (None, "not-a-number")),
])
def test_parse_count(typed, expected):
    assert normalize.parse_count(typed) == expected


@pytest.mark.parametrize("typed, expected", [
    *[(m, 1) for m in ("√", "✓", "✔", "是", "达标", "合格", "1", "Y", "y", 1, 1.0, " √ ")],
    *[(m, 0) for m in ("×", "✗", "✘", "x", "X", "否", "不达标", "不合格", "0", "N", "n", 0, 0.0)],
    *[(m, None) for m in ("—", "-", "/", "无此项", "不适用", "N/A", "－")],
])
def test_parse_mark(typed, expected):
    assert normalize.parse_mark(typed) == (expected, None)


@pytest.mark.parametrize("typed, code", [("", "empty-mark"), ("  ", "empty-mark"), ("?", "bad-mark"),
                                         ("好", "bad-mark"), (2, "bad-mark")])
def test_parse_mark_rejects(typed, code):
    assert normalize.parse_mark(typed) == (None, code)


@pytest.mark.parametrize("typed, expected", [
    ("宣传教育与干部培训", "宣传教育与干部培训"), ("（五）", "文明城市创建"), ("(五)", "文明城市创建"),
    (5, "文明城市创建"), (5.0, "文明城市创建"), ("5", "文明城市创建"), ("五", "文明城市创建"), ("５", "文明城市创建"),
    ("文明城市创建", "文明城市创建"), ("环境卫生", "环境卫生与硬件建设"), ("（七）环境卫生与硬件建设", "环境卫生与硬件建设"),
    ("第三项", "党风廉政建设"), ("六、", "志愿服务"), (" 思想道德建设 ", "思想道德建设"),
    ("（五）积极开展文明城市创建", "文明城市创建"),
])
def test_parse_area(typed, expected):
    assert normalize.parse_area(typed) == (expected, None)


@pytest.mark.parametrize("typed", ["八", "8", "（八）", "扶贫", "（五）环境卫生", "0"])
def test_parse_area_rejects(typed):
    assert normalize.parse_area(typed) == (None, "unknown-area")


@pytest.mark.parametrize("typed, month, expected", [
    (D(2024, 3, 5), "2024-03", D(2024, 3, 5)), (dt.datetime(2024, 3, 5, 8, 30), "2024-03", D(2024, 3, 5)),
    ("2024-03-05", "2024-03", D(2024, 3, 5)), ("2024/3/5", "2024-03", D(2024, 3, 5)),
    ("2024年3月5日", "2024-03", D(2024, 3, 5)), ("2024.3.5", "2024-03", D(2024, 3, 5)),
    ("3月5日", "2024-03", D(2024, 3, 5)), ("12月28日", "2024-01", D(2023, 12, 28)),
    ("1月3日", "2024-01", D(2024, 1, 3)), (45356, "2024-03", D(2024, 3, 5)), (45356.0, None, D(2024, 3, 5)),
])
def test_parse_date(typed, month, expected):
    assert normalize.parse_date(typed, month) == (expected, None)


@pytest.mark.parametrize("typed, code", [("2024-02-30", "bad-date"), ("三月初", "bad-date"), ("", "empty-date"),
                                         ("3月5日", "bad-date"), (dt.time(8, 30), "bad-date")])
def test_parse_date_rejects(typed, code):
    assert normalize.parse_date(typed, None) == (None, code)


@pytest.mark.parametrize("typed, expected", [
    ("2024年3月", "2024-03"), ("2024年03月", "2024-03"), ("2024-03", "2024-03"), ("2024.3", "2024-03"),
    ("202403", "2024-03"), (202403, "2024-03"), (D(2024, 3, 1), "2024-03"), ("2024年3月份", "2024-03"),
    (" 2024 年 3 月 ", "2024-03"), ("2024年13月", None), ("三月", None), ("", None),
])
def test_parse_month(typed, expected):
    assert normalize.parse_month(typed) == expected


@pytest.mark.parametrize("stem, expected", [
    ("预算科_2024年3月", {"2024-03"}), ("预算科2024-03", {"2024-03"}), ("预算科202403", {"2024-03"}),
    ("月报_1251", set()), ("预算科", set()), ("2024年3月-2024年4月", {"2024-03", "2024-04"}),
    ("2024-03国库科月报", {"2024-03"}), ("预算科_20240305", set()),
])
def test_months_in_file_name(stem, expected):
    assert normalize.months_in_file_name(stem) == expected


@pytest.mark.parametrize("typed, expected", [
    ("计划数（次）", "计划数"), ("计划\n完成数", "计划完成数"), (" 完成数 ", "完成数"), ("完成(人)", "完成"),
    ("完成情况说明", "完成情况说明"), ("＊计划数", "计划数"),
])
def test_header_key(typed, expected):
    assert normalize.header_key(typed) == expected


@pytest.mark.parametrize("typed, expected", [
    ("市财政局预算科", "预算科"), ("某某新区财政局 预算科", "预算科"), (" 预算科\u00a0", "预算科"), ("财政局", "财政局"),
])
def test_name_key(typed, expected):
    assert normalize.name_key(typed) == expected

"""Progress text, month headers and period cells, without the database."""

import datetime
from decimal import Decimal

import pytest

from tongtui.dispatch.importing.cells import (
    Month,
    is_ratio_column,
    month_prefix,
    parse_date,
    parse_month,
    parse_percent,
    parse_progress,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("完成60%,已开工建设", 60),
        ("完成60%，已开工建设", 60),
        ("项目形象进度达到75.5%", Decimal("75.5")),
        ("完成投资1.2亿元，占年度计划的45%", 45),
        ("累计完成比例 30 %", 30),
        ("完成进度80%（新区实验幼儿园进度滞后）", 80),
        ("已完成", 100),
        ("已全部完成全年任务。", 100),
        ("已竣工", 100),
        ("尚未完成", None),
        ("建成38个厢房,70个分类亭", None),
        ("", None),
    ],
)
def test_it_reads_the_progress_a_text_claims(text, value):
    assert parse_progress(text).value == (None if value is None else Decimal(value))


def test_a_named_percentage_wins_over_other_percentages():
    assert parse_progress("增速12%，形象进度40%").value == 40


def test_two_unnamed_percentages_are_too_ambiguous_to_read():
    assert parse_progress("增长12%，占比30%").value is None


def test_more_than_100_percent_is_kept_as_100_and_flagged():
    parsed = parse_progress("完成年度目标的119%")
    assert parsed.value == 100
    assert parsed.over


@pytest.mark.parametrize(
    ("text", "value"),
    [("60", 60), ("60%", 60), ("0.6", 60), ("60.5 %", Decimal("60.5")), ("1", 1), ("六十", None)],
)
def test_a_percentage_cell_is_read_as_a_number(text, value):
    assert parse_percent(text) == (None if value is None else Decimal(value))


@pytest.mark.parametrize(
    ("header", "month", "rest"),
    [
        ("1月进展", Month(None, 1), "进展"),
        ("12月份进展情况", Month(None, 12), "进展情况"),
        ("1-3月推进情况", Month(None, 3, 1), "推进情况"),
        ("1-11月推进情况", Month(None, 11, 1), "推进情况"),
        ("2026年3月进度(%)", Month(2026, 3), "进度(%)"),
        ("十一月进展", Month(None, 11), "进展"),
        ("3月", Month(None, 3), ""),
    ],
)
def test_it_reads_the_month_a_header_starts_with(header, month, rest):
    assert month_prefix(header) == (month, rest)


@pytest.mark.parametrize("header", ["编号", "13月进展", "3-1月进展", "全年目标"])
def test_a_header_without_a_month_is_not_a_month_column(header):
    assert month_prefix(header) is None


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("3月", datetime.date(2026, 3, 1)),
        ("2026年3月", datetime.date(2026, 3, 1)),
        ("2026-03", datetime.date(2026, 3, 1)),
        ("2026.3", datetime.date(2026, 3, 1)),
        ("2026-03-25", datetime.date(2026, 3, 1)),
        ("1-3月", datetime.date(2026, 3, 1)),
        ("2025年12月", datetime.date(2025, 12, 1)),
        ("第一季度", None),
        ("3月进展", None),
    ],
)
def test_it_reads_a_period_cell_as_its_month(text, first):
    assert parse_month(text, 2026) == first


def test_it_reads_dates_as_offices_write_them():
    assert parse_date("2026年3月25日") == datetime.date(2026, 3, 25)
    assert parse_date("2026/3/25") == datetime.date(2026, 3, 25)
    assert parse_date("2026-02-30") is None


def test_a_column_of_excel_ratios_reads_1_as_100_percent():
    assert is_ratio_column(["0.6", "1", "0", "0.35", ""])
    assert parse_percent("1", ratios=True) == 100
    assert parse_percent("0", ratios=True) == 0


@pytest.mark.parametrize("cells", [["60", "100"], ["1", "0"], ["0.6", "60%"], ["", ""]])
def test_a_column_of_percent_numbers_is_not_a_ratio_column(cells):
    assert not is_ratio_column(cells)

import datetime
from decimal import Decimal

import pytest

from tongtui.plans.importing.deadlines import (
    is_plain_date,
    parse_date,
    parse_deadline,
    parse_schedule,
    split_steps,
    spread,
)

D = datetime.date


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("12月底前", D(2026, 12, 31)),
        ("6月底", D(2026, 6, 30)),
        ("9月投入使用", D(2026, 9, 30)),
        ("2024年", D(2024, 12, 31)),
        ("2024", D(2024, 12, 31)),
        ("全年", D(2026, 12, 31)),
        ("年底前", D(2026, 12, 31)),
        ("2023年6月底前", D(2023, 6, 30)),
        ("10月15日前", D(2026, 10, 15)),
        ("2026-05-31", D(2026, 5, 31)),
        ("2026/5/31", D(2026, 5, 31)),
        ("第三季度", D(2026, 9, 30)),
        ("三季度末", D(2026, 9, 30)),
        ("上半年", D(2026, 6, 30)),
        ("下半年", D(2026, 12, 31)),
        ("5月底前动工", D(2026, 5, 31)),
        ("十二月底前", D(2026, 12, 31)),
        ("2月底前", D(2026, 2, 28)),
        ("6月中旬", D(2026, 6, 20)),
        ("11月前全面完成、12月查漏补缺和完善提升", D(2026, 12, 31)),
        ("２０２６年３月３１日", D(2026, 3, 31)),
    ],
)
def test_it_reads_the_deadline_forms_documents_use(text, due):
    parsed = parse_deadline(text, 2026)
    assert parsed.due == due
    assert parsed.text == text
    assert parsed.understood


def test_a_month_followed_by_before_means_the_month_before():
    assert parse_deadline("11月前", 2026).due == D(2026, 10, 31)


@pytest.mark.parametrize("text", ["持续推进", "长期坚持", "常态化推进", "于每月28日前"])
def test_open_ended_deadlines_have_no_date_but_keep_their_text(text):
    parsed = parse_deadline(text, 2026)
    assert parsed.due is None
    assert parsed.open_ended
    assert parsed.text == text


@pytest.mark.parametrize("text", ["2024115", "2022121日", "尽快"])
def test_garbled_deadlines_are_not_understood(text):
    parsed = parse_deadline(text, 2026)
    assert parsed.due is None
    assert not parsed.understood


def test_an_empty_deadline_is_simply_empty():
    parsed = parse_deadline("  ", 2026)
    assert parsed.due is None and parsed.understood and parsed.text == ""


def test_a_start_is_the_first_day_of_the_period_it_names():
    assert parse_date("3月", 2026) == D(2026, 3, 1)
    assert parse_date("2026-02-15", 2026) == D(2026, 2, 15)
    assert parse_date("第二季度", 2026) == D(2026, 4, 1)
    assert parse_date("无", 2026) is None


def test_plain_dates_are_told_from_written_deadlines():
    assert is_plain_date("2026-03-31")
    assert not is_plain_date("2026-03-31前")
    assert not is_plain_date("3月底前")


def test_a_schedule_becomes_steps_with_progress_spread_evenly():
    steps, undated = parse_schedule("3月底前完成立项;6月底前开工建设;12月底前竣工投用", 2026)
    assert undated == []
    assert [(s.title, s.due, s.planned_progress) for s in steps] == [
        ("完成立项", D(2026, 3, 31), Decimal("33.33")),
        ("开工建设", D(2026, 6, 30), Decimal("66.67")),
        ("竣工投用", D(2026, 12, 31), Decimal("100.00")),
    ]
    assert not any(s.given for s in steps)


def test_written_progress_is_kept_and_the_rest_spread_around_it():
    steps, _ = parse_schedule("3月底前完成立项;6月底前完成30%;年底前竣工", 2026)
    assert [s.planned_progress for s in steps] == [Decimal("15.00"), Decimal("30.00"), Decimal("100.00")]
    assert [s.given for s in steps] == [False, True, False]


def test_the_ledger_form_of_a_schedule_reads_back_exactly():
    text = "3月31日前完成立项(30%);\n6月30日前开工建设(60%);\n2027年3月31日前竣工投用(100%)"
    steps, _ = parse_schedule(text, 2026)
    assert [(s.title, s.due, s.planned_progress) for s in steps] == [
        ("完成立项", D(2026, 3, 31), Decimal(30)),
        ("开工建设", D(2026, 6, 30), Decimal(60)),
        ("竣工投用", D(2027, 3, 31), Decimal(100)),
    ]


def test_steps_split_on_a_comma_only_where_a_date_follows():
    assert split_steps("11月前全面完成、12月查漏补缺和完善提升") == [
        "11月前全面完成",
        "12月查漏补缺和完善提升",
    ]
    assert split_steps("完成立项、可研和初设") == ["完成立项、可研和初设"]


def test_steps_without_a_date_are_reported():
    steps, undated = parse_schedule("3月底前完成立项;加强调度", 2026)
    assert len(steps) == 1 and undated == ["加强调度"]


def test_spread_fills_between_anchors():
    assert spread([None, None, None, None]) == [Decimal(25), Decimal(50), Decimal(75), Decimal(100)]
    assert spread([Decimal(40), None, Decimal(90)]) == [Decimal(40), Decimal(65), Decimal(90)]
    assert spread([]) == []

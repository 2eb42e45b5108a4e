from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongtui.supervision.signals.days import CALENDAR, WorkdayAxis, add_days, days_between

from .helpers import D, weekday_axis, weekdays


def test_calendar_axis_counts_days():
    assert days_between(CALENDAR, D(2026, 1, 1), D(2026, 3, 1)) == 59


def test_working_days_skip_weekends():
    axis = weekday_axis()
    # Friday 2026-01-02 to Friday 2026-01-09: five working days in (a, b]
    assert days_between(axis, D(2026, 1, 2), D(2026, 1, 9)) == 5
    assert days_between(axis, D(2026, 1, 9), D(2026, 1, 2)) == -5


def test_a_weekend_day_sits_at_the_position_of_the_friday_before():
    axis = weekday_axis()
    assert axis.pos(D(2026, 1, 10)) == axis.pos(D(2026, 1, 9))


def test_adding_working_days_lands_on_a_working_day():
    axis = weekday_axis()
    assert add_days(axis, D(2026, 1, 9), 1) == D(2026, 1, 12)  # Friday + 1 = Monday
    assert add_days(axis, D(2026, 1, 10), 1) == D(2026, 1, 12)  # Saturday + 1 = Monday
    assert add_days(axis, D(2026, 1, 12), -1) == D(2026, 1, 9)


def test_statutory_holidays_come_from_the_callable():
    holidays = {D(2026, 10, d) for d in range(1, 8)}
    axis = WorkdayAxis(lambda d: weekdays(d) and d not in holidays, D(2026, 1, 1), D(2026, 12, 31))
    assert days_between(axis, D(2026, 9, 30), D(2026, 10, 8)) == 1


def test_the_index_grows_both_ways_beyond_its_range():
    axis = WorkdayAxis(weekdays, D(2026, 1, 1), D(2026, 1, 31))
    assert days_between(axis, D(2020, 1, 3), D(2020, 1, 10)) == 5
    assert days_between(axis, D(2031, 1, 3), D(2031, 1, 10)) == 5
    assert add_days(axis, D(2019, 12, 31), 1) == D(2020, 1, 1)


def test_an_axis_without_working_days_refuses_instead_of_looping():
    axis = WorkdayAxis(lambda d: False, D(2026, 1, 1), D(2026, 1, 31))
    with pytest.raises(ValueError):
        axis.date_at(axis.pos(D(2026, 1, 1)) + 1)


@given(st.dates(date(2024, 1, 1), date(2028, 12, 31)), st.integers(1, 400))
def test_working_day_positions_agree_with_counting(start, n):
    axis = WorkdayAxis(weekdays, D(2026, 1, 1), D(2026, 2, 1))
    end = start + timedelta(days=n)
    counted = sum(weekdays(start + timedelta(days=i)) for i in range(1, n + 1))
    assert days_between(axis, start, end) == counted


@given(st.dates(date(2024, 1, 1), date(2028, 12, 31)), st.integers(-300, 300))
def test_date_at_inverts_pos_on_working_days(d, n):
    axis = weekday_axis()
    target = axis.pos(d) + n
    found = axis.date_at(target)
    assert axis.pos(found) >= target
    assert axis.pos(found - timedelta(days=1)) < target

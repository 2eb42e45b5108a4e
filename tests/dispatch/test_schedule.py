import datetime

import pytest

from tongtui.core.workdays import WorkCalendar
from tongtui.dispatch import schedule
from tongtui.dispatch.schedule import DueRule, Period

D = datetime.date
CAL = WorkCalendar()
ON_25TH = DueRule(schedule.DAY_OF_MONTH, day_of_month=25)
FRIDAY = DueRule(schedule.WEEKDAY, weekday=4)


def test_a_year_has_12_months_24_half_months_4_quarters():
    assert len(schedule.periods_of_year(2026, schedule.MONTHLY)) == 12
    halves = schedule.periods_of_year(2026, schedule.SEMIMONTHLY)
    assert len(halves) == 24
    assert halves[2:4] == [(D(2026, 2, 1), D(2026, 2, 15)), (D(2026, 2, 16), D(2026, 2, 28))]
    assert schedule.periods_of_year(2026, schedule.QUARTERLY)[3] == (D(2026, 10, 1), D(2026, 12, 31))


def test_weekly_periods_are_the_iso_weeks_monday_to_sunday():
    weeks = schedule.periods_of_year(2026, schedule.WEEKLY)
    assert len(weeks) == 53
    assert weeks[0] == (D(2025, 12, 29), D(2026, 1, 4))
    assert weeks[-1] == (D(2026, 12, 28), D(2027, 1, 3))
    assert all(start.weekday() == 0 and (end - start).days == 6 for start, end in weeks)
    assert len(schedule.periods_of_year(2025, schedule.WEEKLY)) == 52


def test_periods_follow_each_other_without_gaps():
    for frequency in schedule.FREQUENCIES:
        periods = schedule.periods_of_year(2025, frequency)
        for (_s1, end), (start, _e2) in zip(periods, periods[1:], strict=False):
            assert start == end + datetime.timedelta(days=1)


def test_period_containing_a_day():
    assert schedule.period_containing(D(2026, 2, 16), schedule.SEMIMONTHLY) == (
        D(2026, 2, 16),
        D(2026, 2, 28),
    )
    assert schedule.period_containing(D(2026, 5, 20), schedule.QUARTERLY) == (D(2026, 4, 1), D(2026, 6, 30))
    assert schedule.period_containing(D(2026, 1, 1), schedule.WEEKLY) == (D(2025, 12, 29), D(2026, 1, 4))


def test_the_25th_on_a_sunday_moves_to_friday():
    # 25 January 2026 is a Sunday
    assert schedule.due_date(D(2026, 1, 1), D(2026, 1, 31), ON_25TH, CAL) == D(2026, 1, 23)


def test_the_25th_can_move_to_the_next_working_day_instead():
    rule = DueRule(schedule.DAY_OF_MONTH, day_of_month=25, shift=schedule.NEXT)
    assert schedule.due_date(D(2026, 1, 1), D(2026, 1, 31), rule, CAL) == D(2026, 1, 26)


def test_a_working_saturday_stays_the_due_day():
    # 28 February 2026 is a Saturday worked in lieu of the Spring Festival
    rule = DueRule(schedule.DAY_OF_MONTH, day_of_month=28)
    assert schedule.due_date(D(2026, 2, 1), D(2026, 2, 28), rule, CAL) == D(2026, 2, 28)


def test_the_31st_is_the_last_day_of_a_short_month():
    rule = DueRule(schedule.DAY_OF_MONTH, day_of_month=31)
    # 30 April 2026 is a Thursday
    assert schedule.due_date(D(2026, 4, 1), D(2026, 4, 30), rule, CAL) == D(2026, 4, 30)


def test_a_quarterly_day_of_month_falls_in_the_quarters_last_month():
    # 25 September 2026 is the Mid-Autumn Festival; 24 September is a Thursday
    assert schedule.due_date(D(2026, 7, 1), D(2026, 9, 30), ON_25TH, CAL) == D(2026, 9, 24)


def test_friday_in_the_national_day_week_moves_back_to_the_last_working_day():
    # week of 29 September 2025: Friday 3 October is a holiday, Tuesday 30 September the last working day
    assert schedule.due_date(D(2025, 9, 29), D(2025, 10, 5), FRIDAY, CAL) == D(2025, 9, 30)


def test_a_due_day_never_moves_before_its_period():
    # the Spring Festival week of 16 February 2026 is all off; Saturday 14 February is in the week before
    assert schedule.due_date(D(2026, 2, 16), D(2026, 2, 22), FRIDAY, CAL) == D(2026, 2, 24)


def test_n_working_days_before_the_period_end():
    rule = DueRule(schedule.BEFORE_END, workdays_before_end=2)
    # March 2026 ends on Tuesday the 31st: two working days before is Friday the 27th
    assert schedule.due_date(D(2026, 3, 1), D(2026, 3, 31), rule, CAL) == D(2026, 3, 27)
    last = DueRule(schedule.BEFORE_END, workdays_before_end=0)
    # September 2025 ends on a Tuesday: the last working day is that day
    assert schedule.due_date(D(2025, 9, 1), D(2025, 9, 30), last, CAL) == D(2025, 9, 30)
    # January 2026 ends on a Saturday: the last working day is Friday the 30th
    assert schedule.due_date(D(2026, 1, 1), D(2026, 1, 31), last, CAL) == D(2026, 1, 30)


def test_overrides_move_a_due_date():
    cal = WorkCalendar({D(2026, 3, 25): False})
    assert schedule.due_date(D(2026, 3, 1), D(2026, 3, 31), ON_25TH, cal) == D(2026, 3, 24)


def test_schedule_lists_periods_with_due_dates_from_a_start_date():
    periods = schedule.schedule(2026, schedule.MONTHLY, ON_25TH, CAL, starts_on=D(2026, 3, 10))
    assert periods[0] == Period(D(2026, 3, 1), D(2026, 3, 31), D(2026, 3, 25))
    assert len(periods) == 10
    assert periods[-1].due == D(2026, 12, 25)


@pytest.mark.parametrize(
    ("frequency", "rule", "field"),
    [
        (schedule.WEEKLY, ON_25TH, "due_kind"),
        (schedule.SEMIMONTHLY, ON_25TH, "due_kind"),
        (schedule.MONTHLY, FRIDAY, "due_kind"),
        (schedule.MONTHLY, DueRule(schedule.DAY_OF_MONTH, day_of_month=32), "day_of_month"),
        (schedule.WEEKLY, DueRule(schedule.WEEKDAY), "weekday"),
        (schedule.MONTHLY, DueRule(schedule.BEFORE_END, workdays_before_end=40), "workdays_before_end"),
    ],
)
def test_rule_errors_name_the_wrong_field(frequency, rule, field):
    assert field in schedule.rule_errors(frequency, rule)


def test_sensible_rules_have_no_errors():
    assert schedule.rule_errors(schedule.MONTHLY, ON_25TH) == {}
    assert schedule.rule_errors(schedule.WEEKLY, FRIDAY) == {}
    assert schedule.rule_errors(schedule.SEMIMONTHLY, DueRule(schedule.BEFORE_END)) == {}


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (D(2026, 3, 1), D(2026, 3, 31), "2026-03"),
        (D(2026, 4, 1), D(2026, 6, 30), "Q2 2026"),
        (D(2026, 2, 1), D(2026, 2, 15), "2026-02, first half"),
        (D(2026, 2, 16), D(2026, 2, 28), "2026-02, second half"),
        (D(2026, 3, 16), D(2026, 3, 22), "week 12 of 2026 (03-16–03-22)"),
        (D(2026, 3, 3), D(2026, 3, 9), "2026-03-03 – 2026-03-09"),
    ],
)
def test_period_labels(start, end, label):
    from django.utils import translation

    with translation.override("en"):
        assert schedule.period_label(start, end) == label

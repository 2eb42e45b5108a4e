"""Report periods and their due dates: pure functions over dates and a working-day calendar.

Periods: weekly (Monday to Sunday, ISO weeks of the year), semi-monthly (1st–15th, 16th–month end),
monthly, quarterly. Due rules:

- day of month: day N of the period's last month (monthly and quarterly), e.g. the 25th;
- weekday: that day of the period's week (weekly), e.g. Friday;
- before end: N working days before the period's last working day (any frequency; N = 0 is the last
  working day itself).

A day-of-month or weekday due date that is not a working day moves to the previous working day (or the
next one, if the rule says so); it never moves before the period starts.
"""

import calendar as pycalendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tongtui.core.workdays import WorkCalendar

WEEKLY, SEMIMONTHLY, MONTHLY, QUARTERLY = "weekly", "semimonthly", "monthly", "quarterly"
FREQUENCIES = (WEEKLY, SEMIMONTHLY, MONTHLY, QUARTERLY)
DAY_OF_MONTH, WEEKDAY, BEFORE_END = "day_of_month", "weekday", "before_end"
PREVIOUS, NEXT = "previous", "next"

D = datetime.date


@dataclass(frozen=True)
class DueRule:
    kind: str
    day_of_month: int | None = None
    weekday: int | None = None  # 0 = Monday
    workdays_before_end: int = 0
    shift: str = PREVIOUS


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date
    end: datetime.date
    due: datetime.date

    @property
    def key(self) -> tuple[datetime.date, datetime.date]:
        return (self.start, self.end)


def rule_errors(frequency: str, rule: DueRule) -> dict[str, str]:
    """Why this rule does not fit this frequency (field name -> message), empty when it does."""
    errors: dict[str, str] = {}
    if frequency not in FREQUENCIES:
        errors["frequency"] = _("unknown frequency")
    if rule.kind == DAY_OF_MONTH:
        if frequency not in (MONTHLY, QUARTERLY):
            errors["due_kind"] = _("A day of the month fits monthly and quarterly cycles only.")
        if rule.day_of_month is None or not 1 <= rule.day_of_month <= 31:
            errors["day_of_month"] = _("Give a day of the month from 1 to 31.")
    elif rule.kind == WEEKDAY:
        if frequency != WEEKLY:
            errors["due_kind"] = _("A weekday fits weekly cycles only.")
        if rule.weekday is None or not 0 <= rule.weekday <= 6:
            errors["weekday"] = _("Choose a weekday.")
    elif rule.kind == BEFORE_END:
        if rule.workdays_before_end < 0 or rule.workdays_before_end > 30:
            errors["workdays_before_end"] = _("Give a number of working days from 0 to 30.")
    else:
        errors["due_kind"] = _("unknown due rule")
    if rule.shift not in (PREVIOUS, NEXT):
        errors["shift"] = _("unknown shift")
    return errors


def _month_end(year: int, month: int) -> datetime.date:
    return D(year, month, pycalendar.monthrange(year, month)[1])


def period_containing(day: datetime.date, frequency: str) -> tuple[datetime.date, datetime.date]:
    if frequency == WEEKLY:
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    if frequency == SEMIMONTHLY:
        if day.day <= 15:
            return D(day.year, day.month, 1), D(day.year, day.month, 15)
        return D(day.year, day.month, 16), _month_end(day.year, day.month)
    if frequency == MONTHLY:
        return D(day.year, day.month, 1), _month_end(day.year, day.month)
    if frequency == QUARTERLY:
        first = 3 * ((day.month - 1) // 3) + 1
        return D(day.year, first, 1), _month_end(day.year, first + 2)
    raise ValueError(f"unknown frequency {frequency!r}")


def periods_of_year(year: int, frequency: str) -> list[tuple[datetime.date, datetime.date]]:
    """The year's periods in order. Weekly periods are the ISO weeks of the year (Monday to Sunday)."""
    if frequency == WEEKLY:
        day = D.fromisocalendar(year, 1, 1)
        last = D.fromisocalendar(year, D(year, 12, 28).isocalendar()[1], 1)
    else:
        day, last = D(year, 1, 1), D(year, 12, 31)
    periods = []
    while day <= last:
        start, end = period_containing(day, frequency)
        periods.append((start, end))
        day = end + datetime.timedelta(days=1)
    return periods


def due_date(start: datetime.date, end: datetime.date, rule: DueRule, cal: WorkCalendar) -> datetime.date:
    if rule.kind == BEFORE_END:
        last = cal.previous_workday(end, inclusive=True)
        return cal.add_workdays(last, -rule.workdays_before_end)
    if rule.kind == DAY_OF_MONTH:
        assert rule.day_of_month is not None
        month_end = _month_end(end.year, end.month)
        nominal = month_end.replace(day=min(rule.day_of_month, month_end.day))
    elif rule.kind == WEEKDAY:
        assert rule.weekday is not None
        nominal = start + datetime.timedelta(days=rule.weekday)
    else:
        raise ValueError(f"unknown due rule {rule.kind!r}")
    if rule.shift == NEXT:
        return cal.next_workday(nominal, inclusive=True)
    moved = cal.previous_workday(nominal, inclusive=True)
    return moved if moved >= start else cal.next_workday(nominal, inclusive=True)


def schedule(
    year: int, frequency: str, rule: DueRule, cal: WorkCalendar, starts_on: datetime.date | None = None
) -> list[Period]:
    """The year's periods with their due dates; with `starts_on`, only periods ending on or after it."""
    return [
        Period(start, end, due_date(start, end, rule, cal))
        for start, end in periods_of_year(year, frequency)
        if starts_on is None or end >= starts_on
    ]


def period_label(start: datetime.date, end: datetime.date) -> str:
    """A short name for a period: "2026-03", "Q1 2026", "2026-03, first half", "week 12 of 2026 (03-16–03-22)"."""
    month_end = _month_end(start.year, start.month)
    if start.day == 1 and end == month_end:
        return _("%(year)s-%(month)02d") % {"year": start.year, "month": start.month}
    if start.day == 1 and start.month % 3 == 1 and end == _month_end(start.year, start.month + 2):
        return _("Q%(quarter)s %(year)s") % {"quarter": (start.month - 1) // 3 + 1, "year": start.year}
    if start.day == 1 and end == start.replace(day=15):
        return _("%(year)s-%(month)02d, first half") % {"year": start.year, "month": start.month}
    if start.day == 16 and end == month_end:
        return _("%(year)s-%(month)02d, second half") % {"year": start.year, "month": start.month}
    if start.weekday() == 0 and (end - start).days == 6:
        year, week, _day = start.isocalendar()
        return _("week %(week)s of %(year)s (%(start)s–%(end)s)") % {
            "week": week,
            "year": year,
            "start": f"{start:%m-%d}",
            "end": f"{end:%m-%d}",
        }
    return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"

"""Pure date arithmetic of the calendar pages: month and week ranges (weeks start on Monday, as in China),
the grid of a month, and what each day is — working day, statutory holiday (with its name) or adjusted
working day (调休). No database: give it a WorkCalendar and the office's override notes."""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import chinese_calendar
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongtui.core.workdays import WorkCalendar, official_year_known

ONE_DAY = datetime.timedelta(days=1)
T = TypeVar("T")


@dataclass(frozen=True)
class Day:
    date: datetime.date
    is_workday: bool
    holiday: str = ""  # the festival's name on a day off that is not a plain weekend, e.g. 春节
    note: str = ""  # the office's note on an override

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def is_adjusted_workday(self) -> bool:
        """调休: a Saturday or Sunday that is worked."""
        return self.is_workday and self.is_weekend

    @property
    def is_holiday(self) -> bool:
        """A day off other than a plain weekend: a statutory holiday, or a weekday the office declared off."""
        return not self.is_workday and (bool(self.holiday) or not self.is_weekend)


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, n: int) -> datetime.date:
    """The first of the month n months from day's month."""
    index = day.year * 12 + day.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(day: datetime.date) -> datetime.date:
    return add_months(day, 1) - ONE_DAY


def month_grid(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day shown by a month page: whole weeks, Monday to Sunday, around day's month."""
    first = week_start(month_start(day))
    last = week_start(month_end(day)) + datetime.timedelta(days=6)
    return first, last


def dates(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]


def weeks(days: list[T]) -> list[list[T]]:
    return [days[i : i + 7] for i in range(0, len(days), 7)]


# The names chinesecalendar gives, for the translation catalogue (the Chinese names are the package's too).
HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),
    "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "National Day": _("National Day"),
    "Mid-autumn Festival": _("Mid-autumn Festival"),
}


def official_holiday(day: datetime.date) -> str:
    """The name of the statutory holiday period day falls in (also on its 调休 days), translated, or ''."""
    if not official_year_known(day.year):
        return ""
    try:
        _on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return ""
    return str(HOLIDAY_NAMES.get(name, name)) if name else ""


def describe(
    first: datetime.date,
    last: datetime.date,
    cal: WorkCalendar,
    notes: Mapping[datetime.date, str] | None = None,
    holiday_name: Callable[[datetime.date], str] = official_holiday,
) -> list[Day]:
    """Each day from first to last with what it is."""
    notes = notes or {}
    result = []
    for d in dates(first, last):
        workday = cal.is_workday(d)
        name = holiday_name(d)
        result.append(Day(date=d, is_workday=workday, holiday=name, note=notes.get(d, "")))
    return result


WEEKDAY_LABELS = [
    pgettext_lazy("weekday", "Mon"),
    pgettext_lazy("weekday", "Tue"),
    pgettext_lazy("weekday", "Wed"),
    pgettext_lazy("weekday", "Thu"),
    pgettext_lazy("weekday", "Fri"),
    pgettext_lazy("weekday", "Sat"),
    pgettext_lazy("weekday", "Sun"),
]

"""Time axes: positions of dates in calendar days or in working days.

Every signal measures durations as differences of axis positions, so the same code counts
calendar days or working days depending on the axis it is given. A working-day axis is built
from any `is_workday(date) -> bool` callable (for instance `WorkCalendar.is_workday` from
`tongtui.core.workdays`) and precomputes a cumulative index, so positions cost one list lookup.
"""

from bisect import bisect_left
from collections.abc import Callable
from datetime import date
from typing import Protocol

# How far beyond the asked date an index grows at once, and how far it may grow looking for a workday.
_GROW = 400
_MAX_SPAN = 40 * 366


class TimeAxis(Protocol):
    working: bool

    def pos(self, d: date) -> int:
        """Position of a date; pos(b) - pos(a) is the number of days in (a, b] on this axis."""
        ...

    def date_at(self, x: int) -> date:
        """The earliest date whose position is at least x."""
        ...


class CalendarAxis:
    working = False

    def pos(self, d: date) -> int:
        return d.toordinal()

    def date_at(self, x: int) -> date:
        return date.fromordinal(x)


CALENDAR = CalendarAxis()


class WorkdayAxis:
    """Positions count working days: pos(b) - pos(a) is the number of working days in (a, b]."""

    working = True

    def __init__(self, is_workday: Callable[[date], bool], first: date, last: date) -> None:
        if last < first:
            raise ValueError("last must not be before first")
        self._is_workday = is_workday
        self._lo = first.toordinal()  # ordinal of _cum[0]
        self._cum = [0]  # _cum[i] = position of date.fromordinal(_lo + i); the first date sits at 0
        self._grow_to(last.toordinal())

    @classmethod
    def for_years(cls, is_workday: Callable[[date], bool], first_year: int, last_year: int) -> "WorkdayAxis":
        return cls(is_workday, date(first_year, 1, 1), date(last_year, 12, 31))

    def _grow_to(self, ordinal: int) -> None:
        cum, is_workday = self._cum, self._is_workday
        hi = self._lo + len(cum) - 1
        if ordinal > hi:
            if ordinal - self._lo > _MAX_SPAN:
                raise ValueError("date too far from the axis' range")
            value = cum[-1]
            for o in range(hi + 1, ordinal + 1):
                value += is_workday(date.fromordinal(o))
                cum.append(value)
        elif ordinal < self._lo:
            if hi - ordinal > _MAX_SPAN:
                raise ValueError("date too far from the axis' range")
            # pos(d - 1) = pos(d) - [d is a workday]
            value = cum[0]
            before = []
            for o in range(self._lo, ordinal, -1):
                value -= is_workday(date.fromordinal(o))
                before.append(value)
            before.reverse()
            self._cum = before + cum
            self._lo = ordinal

    def pos(self, d: date) -> int:
        i = d.toordinal() - self._lo
        if i < 0 or i >= len(self._cum):
            self._grow_to(d.toordinal() + (_GROW if i >= 0 else -_GROW))
            i = d.toordinal() - self._lo
        return self._cum[i]

    def date_at(self, x: int) -> date:
        while self._cum[-1] < x:
            self._grow_to(self._lo + len(self._cum) - 1 + _GROW)
        while self._cum[0] >= x:  # the answer may lie before the index: make sure it starts below x
            self._grow_to(self._lo - _GROW)
        return date.fromordinal(self._lo + bisect_left(self._cum, x))


def days_between(axis: TimeAxis, a: date, b: date) -> int:
    """Days in (a, b] on the axis; negative when b is before a."""
    return axis.pos(b) - axis.pos(a)


def add_days(axis: TimeAxis, d: date, n: int) -> date:
    """The date n axis days after d (before it when n < 0); on a working-day axis a working day."""
    return d if n == 0 else axis.date_at(axis.pos(d) + n)

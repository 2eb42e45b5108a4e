"""Chinese working days (工作日): weekdays, minus statutory holidays, plus adjusted working days (调休).

The official calendar comes from the chinesecalendar package; the office's WorkdayOverride rows win over
it. For a year the package does not know yet, weekdays count as working days, again with overrides on top.

`WorkCalendar` is pure: give it overrides (or a loader that returns one year's overrides) and ask it
questions. The module-level functions build one that reads overrides from the database, one query per
year touched; for a batch of questions make one calendar with `calendar()` and reuse it.
"""

import datetime
from collections.abc import Callable, Mapping
from functools import cache, lru_cache

import chinese_calendar
from django.utils.translation import gettext as _

ONE_DAY = datetime.timedelta(days=1)
# Longest run of days off we are prepared to walk through before deciding the calendar is broken.
MAX_WALK_DAYS = 3660

Overrides = Mapping[datetime.date, bool]


@cache
def official_year_known(year: int) -> bool:
    """Whether the chinesecalendar package has the State Council's calendar for this year."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:  # what the package raises for a year outside its data
        return False
    return True


@lru_cache(maxsize=8192)
def official_is_workday(day: datetime.date) -> bool:
    """The official answer, or Monday to Friday for a year the package does not know. Cached per date: the
    package scans its holiday tables on every call (~40 µs), and a report's submission asks a thousand times."""
    if official_year_known(day.year):
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


class WorkCalendar:
    """Answers working-day questions: official calendar, overridden day by day."""

    def __init__(
        self, overrides: Overrides | None = None, loader: Callable[[int], Overrides] | None = None
    ) -> None:
        self._overrides: dict[datetime.date, bool] = dict(overrides or {})
        self._loader = loader
        self._loaded: set[int] = set()

    def _override(self, day: datetime.date) -> bool | None:
        if self._loader is not None and day.year not in self._loaded:
            self._overrides.update(self._loader(day.year))
            self._loaded.add(day.year)
        return self._overrides.get(day)

    def is_workday(self, day: datetime.date) -> bool:
        override = self._override(day)
        return official_is_workday(day) if override is None else override

    def _walk(self, day: datetime.date, step: datetime.timedelta) -> datetime.date:
        for _i in range(MAX_WALK_DAYS):
            day += step
            if self.is_workday(day):
                return day
        raise ValueError(f"no working day within {MAX_WALK_DAYS} days of {day}")

    def next_workday(self, day: datetime.date, *, inclusive: bool = False) -> datetime.date:
        """The first working day after `day` (or `day` itself if inclusive and it is one)."""
        if inclusive and self.is_workday(day):
            return day
        return self._walk(day, ONE_DAY)

    def previous_workday(self, day: datetime.date, *, inclusive: bool = False) -> datetime.date:
        """The last working day before `day` (or `day` itself if inclusive and it is one)."""
        if inclusive and self.is_workday(day):
            return day
        return self._walk(day, -ONE_DAY)

    def add_workdays(self, day: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `day` (before it for negative n); `day` itself for 0."""
        step = ONE_DAY if n >= 0 else -ONE_DAY
        for _i in range(abs(n)):
            day = self._walk(day, step)
        return day

    def workdays_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end` (negative if end is before start).

        A report due on Friday and filed on the next Monday is late by 1 working day.
        """
        if end < start:
            return -self.workdays_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_workday(day)
        return count


def _load_overrides(year: int) -> dict[datetime.date, bool]:
    from tongtui.core.models import WorkdayOverride

    rows = WorkdayOverride.objects.filter(date__year=year).values_list("date", "is_workday")
    return dict(rows)


def calendar() -> WorkCalendar:
    """A calendar that reads the office's overrides from the database, once per year it touches."""
    return WorkCalendar(loader=_load_overrides)


def is_workday(day: datetime.date, cal: WorkCalendar | None = None) -> bool:
    return (cal or calendar()).is_workday(day)


def next_workday(
    day: datetime.date, cal: WorkCalendar | None = None, *, inclusive: bool = False
) -> datetime.date:
    return (cal or calendar()).next_workday(day, inclusive=inclusive)


def previous_workday(
    day: datetime.date, cal: WorkCalendar | None = None, *, inclusive: bool = False
) -> datetime.date:
    return (cal or calendar()).previous_workday(day, inclusive=inclusive)


def add_workdays(day: datetime.date, n: int, cal: WorkCalendar | None = None) -> datetime.date:
    return (cal or calendar()).add_workdays(day, n)


def workdays_between(start: datetime.date, end: datetime.date, cal: WorkCalendar | None = None) -> int:
    return (cal or calendar()).workdays_between(start, end)


def calendar_warnings(today: datetime.date) -> list[str]:
    """Messages for the office when this year or next has neither an official calendar nor overrides."""
    from tongtui.core.models import WorkdayOverride

    years = [today.year, today.year + 1]
    unknown = [y for y in years if not official_year_known(y)]
    if not unknown:
        return []
    with_overrides = set(
        WorkdayOverride.objects.filter(date__year__in=unknown).values_list("date__year", flat=True).distinct()
    )
    return [
        _(
            "The official holiday calendar for %(year)s is not known to the system and no working days "
            "have been entered for it: deadlines in %(year)s count Monday to Friday only. Enter the "
            "holidays and adjusted working days under working-day overrides, or update chinesecalendar."
        )
        % {"year": year}
        for year in unknown
        if year not in with_overrides
    ]

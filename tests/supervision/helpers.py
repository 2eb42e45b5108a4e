"""Small builders for the pure supervision tests."""

from datetime import date

from tongtui.supervision.signals.days import WorkdayAxis
from tongtui.supervision.signals.facts import MilestoneFact, ReportFact

D = date


def weekdays(d: date) -> bool:
    return d.weekday() < 5


def weekday_axis() -> WorkdayAxis:
    return WorkdayAxis.for_years(weekdays, 2025, 2027)


def ms(due: date, planned: float | None, done_on: date | None = None, **kw) -> MilestoneFact:
    return MilestoneFact(due=due, planned_progress=planned, done_on=done_on, **kw)


def rep(period_end: date, progress: float | None, submitted: date | None = None, **kw) -> ReportFact:
    return ReportFact(
        period_end=period_end,
        progress=progress,
        submitted_at=submitted if submitted is not None else period_end,
        **kw,
    )

"""The demo's light history: the lights of every past day of the plan year, as they were known that day.

The demo writes a year of reports in a few seconds, so the worker never saw those days; replaying them with
supervision's loaders (facts as known at the end of each day) gives the charts their year. Derived rows only:
`LightHistory`, one per task and day, the same rows the worker's daily run writes.
"""

import datetime

from tongtui.plans.models import Plan, Task
from tongtui.supervision import recompute
from tongtui.supervision.signals.days import WorkdayAxis
from tongtui.supervision.signals.lights import LightResult


def replay_history(plan: Plan, today: datetime.date, *, step: int = 1) -> int:
    """Store the lights as known on each `step`-th day from the plan year's first day to yesterday (today's
    come from the ordinary recompute); returns the number of days replayed."""
    ids = list(Task.objects.filter(plan=plan).order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    setups = recompute.Setups()  # rules, axis and calendar read once for the whole replay
    day = datetime.date(plan.year, 1, 1)
    end = min(today, datetime.date(plan.year, 12, 31) + datetime.timedelta(days=1))
    days = 0
    results: list[LightResult] = []
    while day < end:
        if results and _still(setups, plan.pk, day):
            recompute.store(results, day)  # a weekend or holiday: on a working-day axis nothing moved
        else:
            _loaded, results = recompute.evaluate(ids, day, setups=setups)
            recompute.store(results, day)
        days += 1
        day += datetime.timedelta(days=step)
    return days


def _still(setups: recompute.Setups, plan_id: int, day: datetime.date) -> bool:
    """True on a day off when the plan measures in working days (the demo files nothing on days off), so the
    lights are the last working day's: evaluating again would cost a third of the replay for the same rows."""
    return isinstance(setups[plan_id].axis, WorkdayAxis) and not setups.cal.is_workday(day)

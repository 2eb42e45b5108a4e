"""Background jobs of supervision and the periodic ones the worker schedules (see dispatch.tasks.PERIODIC)."""

import datetime

from django_tasks import task

from tongtui.dispatch.tasks import Periodic
from tongtui.notify.tasks import (
    InWorker,  # the daily recompute is itself a batch: it runs where it is claimed
)
from tongtui.supervision import recompute


@task()
def lights_daily() -> dict[str, int]:
    """红黄绿灯: recompute every task's light and record today's row of its light history."""
    return recompute.recompute_all()


@task()
def lights_stale() -> int:
    """The lights that reports filed since the last round marked stale (core.stale)."""
    from tongtui.supervision.listeners import refresh_lights

    return refresh_lights()


@task()
def repeats_stale() -> int:
    """The reports submitted since the last round, checked for a repeated text (integrity_db.flag_repeat)."""
    from tongtui.supervision.listeners import refresh_repeats

    return refresh_repeats()


PERIODIC = [
    Periodic("supervision.lights_daily", datetime.timedelta(days=1), InWorker(lights_daily)),
    Periodic("supervision.repeats_stale", datetime.timedelta(seconds=1), InWorker(repeats_stale)),
    # every round of the worker (its --interval, 5 s by default)
    Periodic("supervision.lights_stale", datetime.timedelta(seconds=1), InWorker(lights_stale)),
]


def register() -> None:
    """Add supervision's periodic jobs to the worker's list (dispatch sits below and cannot import us)."""
    from tongtui.dispatch import tasks as dispatch_tasks

    names = {job.name for job in dispatch_tasks.PERIODIC}
    dispatch_tasks.PERIODIC.extend(job for job in PERIODIC if job.name not in names)

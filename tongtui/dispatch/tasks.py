"""Background jobs (Django's Tasks API, django-tasks backport) and the periodic ones the worker schedules."""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django_tasks import task

from tongtui.dispatch import reminders
from tongtui.notify import tasks as notify_tasks
from tongtui.notify.tasks import InWorker

logger = logging.getLogger(__name__)


def _also(job: Callable[[], int]) -> None:
    """Run a follow-up sweep; its failure is logged and retried next hour, never lost to the reminders."""
    try:
        job()
    except Exception:
        logger.exception("dispatch sweep: %s failed; the next run retries", job.__name__)


@task()
def reminder_sweep() -> int:
    """催办: send the reminders due now (idempotent); then escalate overdue problems and build the packs of
    meetings starting within 48 hours (both idempotent too)."""
    from tongtui.dispatch.actions_meetings import packs_due
    from tongtui.dispatch.actions_problems import escalate_overdue

    created = reminders.sweep()
    _also(escalate_overdue)
    _also(packs_due)
    return created


@dataclass(frozen=True)
class Periodic:
    name: str
    every: datetime.timedelta
    job: Any  # a django_tasks Task


@task()
def assignment_notices() -> int:
    """交办: tell lead units of the tasks just assigned to them (idempotent)."""
    from tongtui.dispatch import assigned

    return assigned.sweep()


PERIODIC = [
    Periodic("dispatch.reminder_sweep", datetime.timedelta(hours=1), reminder_sweep),
    Periodic("dispatch.assignment_notices", datetime.timedelta(minutes=1), InWorker(assignment_notices)),
    *(Periodic(name, every, job) for name, every, job in notify_tasks.JOBS),
]

"""Background jobs (Django's Tasks API, django-tasks backport) and the periodic ones the worker schedules."""

import datetime
from dataclasses import dataclass
from typing import Any

from django_tasks import task

from tongtui.dispatch import reminders


@task()
def reminder_sweep() -> int:
    """催办: send the reminders due now (idempotent)."""
    return reminders.sweep()


@dataclass(frozen=True)
class Periodic:
    name: str
    every: datetime.timedelta
    job: Any  # a django_tasks Task


PERIODIC = [Periodic("dispatch.reminder_sweep", datetime.timedelta(hours=1), reminder_sweep)]

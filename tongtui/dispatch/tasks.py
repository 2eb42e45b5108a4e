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


@task()
def problem_escalation() -> int:
    """Open problems past their requested date: tell the office and the task's leader, once."""
    from tongtui.dispatch.actions_problems import escalate_overdue

    return escalate_overdue()


@task()
def meeting_packs() -> int:
    """Build the pack of each meeting starting within 48 hours that has none yet (idempotent)."""
    from tongtui.dispatch.actions_meetings import packs_due

    return packs_due()


@dataclass(frozen=True)
class Periodic:
    name: str
    every: datetime.timedelta
    job: Any  # a django_tasks Task


PERIODIC = [
    Periodic("dispatch.reminder_sweep", datetime.timedelta(hours=1), reminder_sweep),
    Periodic("dispatch.problem_escalation", datetime.timedelta(hours=1), problem_escalation),
    Periodic("dispatch.meeting_packs", datetime.timedelta(minutes=30), meeting_packs),
]

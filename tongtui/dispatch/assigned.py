"""交办 notices: tell the lead unit's head and liaisons that a task was handed to them.

Tasks are assigned in plans, which sits below notify and cannot send; this sweep, run by the worker every
minute, finds the tasks assigned in the last two days and sends each assignment once (the event key holds the
moment of assignment, so a task assigned again after a return to draft is announced again).
"""

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.dispatch.acknowledging import ACKNOWLEDGEABLE
from tongtui.dispatch.rules import UNIT_ACTORS
from tongtui.notify.actions import send
from tongtui.notify.kinds import Kind
from tongtui.notify.models import Event
from tongtui.orgs.models import Membership
from tongtui.plans.models import Task

WINDOW = datetime.timedelta(days=2)


def key(task: Task) -> str:
    return f"task-assigned:{task.pk}:{task.assigned_at:%Y%m%d%H%M%S}" if task.assigned_at else ""


def sweep(now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    tasks = list(
        Task.objects.filter(
            status__in=ACKNOWLEDGEABLE, assigned_at__gte=now - WINDOW, lead_unit__isnull=False
        )
        .select_related("lead_unit")
        .order_by("pk")
    )
    done = set(Event.objects.filter(key__in=[key(t) for t in tasks]).values_list("key", flat=True))
    todo = [t for t in tasks if key(t) not in done]
    people = defaultdict(list)
    rows = Membership.objects.filter(
        unit_id__in={t.lead_unit_id for t in todo}, role__in=UNIT_ACTORS, person__user__isnull=False
    ).select_related("person__user")
    for m in rows:
        people[m.unit_id].append(m.person.user)
    for task in todo:
        due = f"{task.ack_due:%Y-%m-%d}" if task.ack_due else "—"
        send(
            Kind.TASK_ASSIGNED,
            people[task.lead_unit_id],
            _("Task assigned to your unit, acknowledge by %(day)s: %(code)s %(title)s")
            % {"day": due, "code": task.code, "title": task.title},
            url=reverse("task-detail", args=[task.pk]),
            key=key(task),
            unit=task.lead_unit_id,
            plan=task.plan_id,
        )
    return len(todo)

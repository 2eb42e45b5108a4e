"""Read scope for plans and tasks: what a user may see."""

from typing import Any, cast

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from tongtui.orgs.roles import roles_of
from tongtui.plans.models import CoUnit, Indicator, Milestone, Task, TaskQuerySet


def tasks_visible_to(user: Any, qs: QuerySet[Task] | None = None) -> QuerySet[Task]:
    qs = Task.objects.all() if qs is None else qs
    roles = roles_of(user)
    if roles.sees_all:
        return qs
    units = roles.unit_ids
    if not units:
        return qs.none()
    co = CoUnit.objects.filter(task=OuterRef("pk"), unit_id__in=units)
    return qs.filter(Q(lead_unit_id__in=units) | Q(Exists(co)))


def may_see_task(user: Any, task: Task) -> bool:
    """`tasks_visible_to`'s rule for one task already read: for a request that looks one row up by its key, where
    building the scope's subquery costs more than the lookup (a co-unit's membership is one more query)."""
    roles = roles_of(user)
    if roles.sees_all:
        return True
    units = roles.unit_ids
    if not units:
        return False
    return task.lead_unit_id in units or CoUnit.objects.filter(task_id=task.pk, unit_id__in=units).exists()


def get_task_for(user: Any, pk: Any) -> Task:
    """The task if the user may see it; 404 for a missing and a hidden task alike."""
    try:
        return cast(TaskQuerySet, tasks_visible_to(user)).with_related().get(pk=pk)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404("No such task") from None


def milestones_visible_to(user: Any) -> QuerySet[Milestone]:
    return Milestone.objects.filter(task__in=tasks_visible_to(user).values("pk"))


def indicators_visible_to(user: Any) -> QuerySet[Indicator]:
    return Indicator.objects.filter(task__in=tasks_visible_to(user).values("pk"))

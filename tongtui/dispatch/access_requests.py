"""Read scope for requests about tasks (lead-unit disputes, extensions): whoever sees the task sees its
requests, exactly as for tasks; hidden and missing look the same (404)."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from tongtui.orgs.roles import roles_of
from tongtui.plans.access import tasks_visible_to
from tongtui.plans.models import ChangeRequest


def requests_visible_to(user: Any, qs: QuerySet[ChangeRequest] | None = None) -> QuerySet[ChangeRequest]:
    qs = ChangeRequest.objects.all() if qs is None else qs
    if roles_of(user).sees_all:
        return qs
    return qs.filter(task__in=tasks_visible_to(user).values("pk"))


def get_request_for(user: Any, pk: Any) -> ChangeRequest:
    try:
        return (
            requests_visible_to(user)
            .select_related(
                "task__lead_unit",
                "milestone",
                "unit",
                "proposed_unit",
                "requested_by__person",
                "decided_by__person",
            )
            .get(pk=pk)
        )
    except (ChangeRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such request") from None

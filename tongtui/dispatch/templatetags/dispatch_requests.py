"""Assignment follow-through on other pages: the task page's panel (acknowledgement per unit, requests
waiting for a decision, what the user may ask or decide) and the counts a menu shows."""

from typing import Any

from django import template
from django.utils import timezone

from tongtui.core.workdays import calendar
from tongtui.dispatch.acknowledging import ACKNOWLEDGEABLE, Deadline, owed
from tongtui.dispatch.actions_requests import asked_late, may_ask, may_decide, may_withdraw
from tongtui.dispatch.rules import UNIT_ACTORS
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import ChangeRequest, CoUnit, RequestKind, RequestStatus, Task, TaskStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def task_followup(context: template.Context, task: Task) -> dict[str, Any]:
    """{% task_followup task as fu %}: fu.deadline (the acknowledgement deadline, while one runs),
    fu.units (each unit's acknowledgement), fu.pending (requests waiting, with .late and .can_withdraw),
    fu.decided (how many were decided or withdrawn), fu.can_ask, fu.can_decide."""
    user = context.get("user")
    roles = roles_of(user)
    links = context.get("co_links")
    if links is None:
        links = list(CoUnit.objects.filter(task=task).select_related("unit", "acknowledged_by"))
    requests = list(
        ChangeRequest.objects.filter(task=task)
        .select_related("milestone", "unit", "proposed_unit", "requested_by__person")
        .order_by("-requested_at", "-pk")
    )
    pending = [c for c in requests if c.status == RequestStatus.PENDING]
    disputing = {c.unit_id for c in pending if c.kind == RequestKind.LEAD}
    for change in pending:
        change.late = asked_late(change)  # type: ignore[attr-defined]
        change.can_withdraw = may_withdraw(roles, user, change)  # type: ignore[attr-defined]
    units: list[dict[str, Any]] = []
    if task.lead_unit is not None:
        units.append(
            {
                "unit": task.lead_unit,
                "lead": True,
                "acknowledged_at": task.lead_acknowledged_at,
                "disputed": task.lead_unit_id in disputing,
            }
        )
    units += [
        {
            "unit": link.unit,
            "lead": False,
            "acknowledged_at": link.acknowledged_at,
            "by": link.acknowledged_by,
        }
        for link in links
    ]
    assigned = task.status != TaskStatus.DRAFT
    chased = task.status in ACKNOWLEDGEABLE  # a closed, cancelled or suspended task has no deadline running
    return {
        "deadline": Deadline.of(task.ack_due, timezone.localdate(), calendar()) if chased else None,
        "assigned": assigned,
        "units": units if assigned else [],
        "pending": pending,
        "decided": len(requests) - len(pending),
        "can_ask": may_ask(roles, task),
        "can_decide": may_decide(roles),
    }


@register.simple_tag(takes_context=True)
def followup_counts(context: template.Context) -> dict[str, int]:
    """{% followup_counts as fc %}: fc.to_acknowledge (acknowledgements the user's units owe; every unit's
    for the office) and fc.requests_waiting (requests waiting for a decision: all for the office, the
    user's units' own otherwise). For the menu."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"to_acknowledge": 0, "requests_waiting": 0}
    roles = roles_of(user)
    waiting = ChangeRequest.objects.filter(status=RequestStatus.PENDING)
    if roles.is_office:
        return {"to_acknowledge": owed().count(), "requests_waiting": waiting.count()}
    units = roles.units_with(*UNIT_ACTORS)
    if not units:
        return {"to_acknowledge": 0, "requests_waiting": 0}
    return {
        "to_acknowledge": owed(units).count(),
        "requests_waiting": waiting.filter(unit_id__in=units).count(),
    }


@register.filter
def request_status_class(status: str | None) -> str:
    classes: dict[str, str] = {
        RequestStatus.PENDING: "text-bg-warning",
        RequestStatus.APPROVED: "text-bg-success",
        RequestStatus.REFUSED: "text-bg-danger",
        RequestStatus.WITHDRAWN: "text-bg-secondary",
    }
    return classes.get(status or "", "text-bg-light border")

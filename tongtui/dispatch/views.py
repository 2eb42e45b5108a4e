"""Lists: my reports due, the office's review queue, a task's reports."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tongtui.core.paging import Paginator
from tongtui.core.workdays import calendar_warnings
from tongtui.dispatch import access
from tongtui.dispatch.due import LEAD, due_for
from tongtui.dispatch.models import ReportStatus
from tongtui.orgs.roles import roles_of
from tongtui.plans.access import get_task_for


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    items = due_for(request.user)
    to_sign = access.awaiting_sign_off(request.user).select_related("task", "unit").order_by("submitted_at")
    return render(
        request,
        "dispatch/my_reports.html",
        {
            "nav": "reports",
            "lead_items": [i for i in items if i.role == LEAD],
            "co_items": [i for i in items if i.role != LEAD],
            "to_sign": list(to_sign[:100]),
            "has_units": bool(roles_of(request.user).by_unit),
        },
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    if not roles_of(request.user).is_office:
        raise Http404("Only the supervision office has a review queue")
    queue = (
        access.review_queue(request.user)
        .select_related("task", "unit", "submitted_by__person")
        .order_by("signed_off_at", "pk")
    )
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    waiting_for_heads = access.reports_visible_to(request.user).filter(status=ReportStatus.SUBMITTED).count()
    return render(
        request,
        "dispatch/review_queue.html",
        {
            "nav": "review",
            "page": page,
            "waiting_for_heads": waiting_for_heads,
            "calendar_warnings": calendar_warnings(timezone.localdate()),
        },
    )


@login_required
def task_reports(request: HttpRequest, task_pk: int) -> HttpResponse:
    task = get_task_for(request.user, task_pk)
    reports = (
        access.reports_visible_to(request.user)
        .filter(task=task)
        .select_related("submitted_by__person")
        .order_by("-period_end")
    )
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(request, "dispatch/task_reports.html", {"task": task, "page": page})

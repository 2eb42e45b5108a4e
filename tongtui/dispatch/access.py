"""Read scope for dispatch: who sees which reports, evidence and cycles. Hidden and missing look the same (404)."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from tongtui.dispatch.models import Attachment, ProgressReport, ReportCycle, ReportStatus
from tongtui.orgs.models import Role
from tongtui.orgs.roles import roles_of
from tongtui.plans.access import may_see_task, tasks_visible_to


def reports_visible_to(user: Any, qs: QuerySet[ProgressReport] | None = None) -> QuerySet[ProgressReport]:
    """The office and leaders see every report; a unit sees the reports of the tasks it leads or works on."""
    qs = ProgressReport.objects.all() if qs is None else qs
    if roles_of(user).sees_all:
        return qs
    return qs.filter(task__in=tasks_visible_to(user).values("pk"))


def get_report_for(user: Any, pk: Any) -> ProgressReport:
    try:
        return reports_visible_to(user).select_related("task__plan", "unit").get(pk=pk)
    except (ProgressReport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such report") from None


def get_report_to_act_on(user: Any, pk: Any) -> ProgressReport:
    """The report at this address, with its task, if the user may see it (`reports_visible_to`'s rule checked on
    the row read by its key: `plans.access.may_see_task`); 404 for a missing and a hidden report alike."""
    try:
        report = ProgressReport.objects.select_related("task").order_by().get(pk=pk)
    except (ProgressReport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such report") from None
    if not may_see_task(user, report.task):
        raise Http404("No such report")
    return report


def get_attachment_for(user: Any, pk: Any) -> Attachment:
    try:
        return Attachment.objects.select_related("report").get(
            pk=pk, report__in=reports_visible_to(user).values("pk")
        )
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such file") from None


def review_queue(user: Any) -> QuerySet[ProgressReport]:
    """Reports waiting for the office: signed off by the unit head. Empty for anyone but the office."""
    if not roles_of(user).is_office:
        return ProgressReport.objects.none()
    return ProgressReport.objects.filter(status=ReportStatus.SIGNED_OFF)


def awaiting_sign_off(user: Any) -> QuerySet[ProgressReport]:
    """Reports submitted by the user's units that wait for the user, their head, to sign off."""
    units = roles_of(user).units_with(Role.UNIT_HEAD)
    return ProgressReport.objects.filter(status=ReportStatus.SUBMITTED, unit_id__in=units)


def cycles_visible_to(user: Any) -> QuerySet[ReportCycle]:
    """Plan- and category-wide cycles are public to logged-in users; a task's own cycle follows the task."""
    qs = ReportCycle.objects.all()
    if roles_of(user).sees_all:
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(Q(task__isnull=True) | Q(task__in=tasks_visible_to(user).values("pk")))

"""Dispatch's piles for the home pages: reports due and returned, contributions, 签收, sign-off, review,
late reports by unit, requests waiting for a decision, problems put to a leader, on-time rates.

Set-based: each pile costs a fixed number of queries whatever the number of tasks or units.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tongtui.core.piles import TOP, Item, Pile
from tongtui.core.workdays import WorkCalendar
from tongtui.dispatch import access, access_problems, access_requests, acknowledging
from tongtui.dispatch.acknowledging import Deadline
from tongtui.dispatch.due import CO, LEAD, Scheduler, due_for, late_by_unit, reportable_tasks
from tongtui.dispatch.models import Problem, ProblemStatus, ProgressReport, ReportStatus
from tongtui.dispatch.models.problems import AddressedTo
from tongtui.orgs.models import Unit
from tongtui.plans.models import ChangeRequest, RequestKind, RequestStatus, Task


def _task_label(task: Task) -> str:
    return f"{task.code} {task.title}"


def _with_query(url: str, **params: Any) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def report_piles(user: Any, today: datetime.date, cal: WorkCalendar) -> tuple[Pile, Pile]:
    """The reports the user's units owe (due, overdue or returned) and the co-unit parts asked of them."""
    items = due_for(user, today)
    mine = reverse("dispatch:my-reports")
    lead, co = [], []
    for item in items:
        url = (
            reverse("dispatch:report-detail", args=[item.report_id])
            if item.report_id
            else reverse("dispatch:report-start", args=[item.task.pk, item.period.start])
        )
        row = Item(
            label=_task_label(item.task),
            url=url,
            detail=item.period_label,
            deadline=Deadline.of(item.period.due, today, cal),
        )
        if item.role == LEAD:
            if item.report_status == ReportStatus.RETURNED:
                row.tag, row.tag_css = _("Returned"), "text-bg-danger"
            elif item.report_status == ReportStatus.DRAFT:
                row.tag = _("Draft")
            lead.append(row)
        elif item.role == CO and not item.contributed:
            co.append(row)
    # Returned first (someone waits for the correction), then by deadline as due_for sorted them.
    lead.sort(key=lambda r: r.tag_css != "text-bg-danger")
    return (
        Pile(
            "reports", _("Reports due"), len(lead), mine, lead[:TOP],
            urgent=sum(1 for r in lead if r.deadline.passed or r.tag_css == "text-bg-danger"),
        ),
        Pile(
            "contributions", _("Contributions asked of your unit"), len(co), mine, co[:TOP],
            urgent=sum(1 for r in co if r.deadline.passed),
        ),
    )  # fmt: skip


def acknowledge_pile(unit_ids: Iterable[int], today: datetime.date, cal: WorkCalendar) -> Pile:
    """签收 still owed by the units: one count, one page of rows, their tasks and units (four queries)."""
    rows = acknowledging.owed(list(unit_ids))
    count = rows.count()
    items = acknowledging.items(rows[:TOP], today, cal) if count else []
    return Pile(
        "acknowledge",
        _("Tasks to acknowledge"),
        count,
        reverse("dispatch:acknowledge-list"),
        [
            Item(
                label=_task_label(a.task),
                url=reverse("task-detail", args=[a.task.pk]),
                detail=a.unit.label + (" · " + _("lead") if a.lead else " · " + _("co-unit")),
                deadline=a.deadline,
            )
            for a in items
        ],
        urgent=sum(1 for a in items if a.deadline.passed),
    )


def sign_off_pile(user: Any, today: datetime.date, cal: WorkCalendar) -> Pile:
    qs = access.awaiting_sign_off(user)
    reports = list(qs.select_related("task", "unit").order_by("due", "submitted_at", "pk")[: TOP + 1])
    count = len(reports) if len(reports) <= TOP else qs.count()
    return Pile(
        "sign_off",
        _("Reports to sign off"),
        count,
        reverse("dispatch:my-reports"),
        [
            Item(
                label=_task_label(r.task),
                url=reverse("dispatch:report-detail", args=[r.pk]),
                detail=f"{r.unit.label} · {r.period_label}",
                deadline=Deadline.of(r.due, today, cal) if r.due else None,
            )
            for r in reports[:TOP]
        ],
    )


def review_pile(user: Any, today: datetime.date, cal: WorkCalendar) -> Pile:
    qs = access.review_queue(user)
    reports = list(qs.select_related("task", "unit").order_by("signed_off_at", "pk")[: TOP + 1])
    count = len(reports) if len(reports) <= TOP else qs.count()
    return Pile(
        "review",
        _("Reports to review"),
        count,
        reverse("dispatch:review-queue"),
        [
            Item(
                label=_task_label(r.task),
                url=reverse("dispatch:report-detail", args=[r.pk]),
                detail=f"{r.unit.label} · {r.period_label}",  # the report's own deadline is not the office's
            )
            for r in reports[:TOP]
        ],
    )


def late_reports_by_unit(today: datetime.date, cal: WorkCalendar, plan_id: int | None = None) -> Pile:
    """Reports past their due date and not filed, counted by lead unit, most first (counted from the reports'
    keys: dispatch.due.late_by_unit). A province has ten thousand units in the count and shows the first few."""
    tasks: QuerySet[Task] = reportable_tasks()
    if plan_id is not None:
        tasks = tasks.filter(plan_id=plan_id)
    late = late_by_unit(tasks, today, Scheduler(cal))
    labels = {
        pk: Unit.label_of(short, name)
        for pk, short, name in Unit.objects.filter(pk__in=list(late)).values_list("pk", "short_name", "name")
    }
    worst: dict[datetime.date, int] = {}  # the working days since each earliest due date, counted once each
    for _count, earliest in late.values():
        if earliest not in worst:
            worst[earliest] = cal.workdays_between(earliest, today)
    ranked = sorted(late.items(), key=lambda item: (-item[1][0], -worst[item[1][1]], labels[item[0]]))
    tasks_url = reverse("task-list")
    rows: list[dict[str, Any]] = [
        {
            "unit": labels[u],
            "count": count,
            "worst": worst[earliest],
            "url": _with_query(tasks_url, plan=plan_id, lead_unit=u),
        }
        for u, (count, earliest) in ranked[:TOP]
    ]
    total = sum(count for count, _earliest in late.values())
    return Pile(
        "late_reports",
        _("Overdue reports by unit"),
        total,
        _with_query(tasks_url, plan=plan_id),
        rows=rows,
        urgent=total,
    )


def requests_pile(user: Any, today: datetime.date, cal: WorkCalendar) -> Pile:
    """Disputes of the lead unit and extension requests waiting for the office's decision."""
    qs = access_requests.requests_visible_to(user, ChangeRequest.objects.filter(status=RequestStatus.PENDING))
    counts = dict(qs.values_list("kind").annotate(n=Count("pk")).order_by())
    waiting = list(qs.select_related("task", "unit").order_by("requested_at", "pk")[:TOP])
    base = reverse("dispatch:request-list")
    return Pile(
        "requests",
        _("Requests waiting for a decision"),
        sum(counts.values()),
        _with_query(base, tab="waiting"),
        [
            Item(
                label=_task_label(r.task),
                url=reverse("dispatch:request-detail", args=[r.pk]),
                detail=f"{r.unit.label if r.unit_id else ''} · {r.get_kind_display()}",
            )
            for r in waiting
        ],
        rows=[
            {"unit": label, "count": counts[kind], "url": _with_query(base, tab="waiting", kind=kind)}
            for kind, label in RequestKind.choices
            if counts.get(kind)
        ],
    )


def escalated_pile(user: Any, today: datetime.date, cal: WorkCalendar, leader_id: int | None = None) -> Pile:
    """Problems put to the leader (or to `leader_id`), not yet resolved: escalated first, then by date."""
    if leader_id is None:
        qs = access_problems.problems_addressed_to(user).filter(addressed_to=AddressedTo.LEADER)
    else:
        qs = access_problems.problems_visible_to(
            user, Problem.objects.filter(addressed_to=AddressedTo.LEADER, addressed_leader_id=leader_id)
        )
    qs = qs.filter(status=ProblemStatus.OPEN)
    problems = list(qs.select_related("task", "unit").order_by("escalated_at", "answer_by", "pk")[: TOP + 1])
    count = len(problems) if len(problems) <= TOP else qs.count()
    return Pile(
        "escalated",
        _("Problems put to the leader"),
        count,
        _with_query(reverse("dispatch:problem-list"), tab="to_me" if leader_id is None else "all"),
        [
            Item(
                label=p.title,
                url=reverse("dispatch:problem-detail", args=[p.pk]),
                detail=f"{p.unit.label} · {p.task.code}",
                deadline=Deadline.of(p.answer_by, today, cal),
                tag=_("Escalated") if p.escalated_at else "",
                tag_css="text-bg-danger",
            )
            for p in problems[:TOP]
        ],
        urgent=sum(1 for p in problems[:TOP] if p.escalated_at or p.answer_by < today),
    )


def on_time_rates(
    plan_id: int | None, unit_ids: Iterable[int] | None = None, leader_id: int | None = None
) -> list[dict[str, Any]]:
    """Per lead unit: reports filed, filed on time, the rate (None with nothing filed); only the units in
    `unit_ids`, only the tasks of the leader `leader_id` when given. One query."""
    qs = ProgressReport.objects.filter(first_submitted_at__isnull=False)
    tasks = Task.objects.all()
    if plan_id is not None:
        tasks = tasks.filter(plan_id=plan_id)
    if leader_id is not None:
        tasks = tasks.filter(leader_id=leader_id)
    if plan_id is not None or leader_id is not None:
        qs = qs.filter(task_id__in=tasks.values("pk"))
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    # grouped by the unit's id alone, the names read after: a province's 2,000,000 reports aggregate in a third
    # of the time it took grouped by the joined names
    rows = list(
        qs.values("unit_id")
        .annotate(
            filed=Count("pk"), on_time=Count("pk", filter=Q(late_workdays=0)), worst=Max("late_workdays")
        )
        .order_by()
    )
    names = {pk: short or name for pk, name, short in
             Unit.objects.filter(pk__in=[r["unit_id"] for r in rows]).values_list("pk", "name", "short_name")}  # fmt: skip
    result = [
        {
            "unit_id": r["unit_id"],
            "unit": names.get(r["unit_id"], ""),
            "filed": r["filed"],
            "on_time": r["on_time"],
            "late": r["filed"] - r["on_time"],
            "rate": round(100 * r["on_time"] / r["filed"]) if r["filed"] else None,
            "worst": r["worst"] or 0,
        }
        for r in rows
    ]
    result.sort(key=lambda r: (r["rate"] if r["rate"] is not None else 101, -r["filed"], r["unit"]))
    return result

"""Load the facts the scoring reads, set-based: one query per kind of record, never one per task or unit.

With `units`, only what concerns those units is loaded (their tasks as lead or co-unit, the records that
name them), which is all `compute_ledger` needs to give their entries exactly as a full run would.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import F, Q
from django.utils import timezone

from tongtui.assessment.models import ManualEntry
from tongtui.assessment.rules_data import RuleKind
from tongtui.assessment.scoring import Event, Facts, TaskFact
from tongtui.core.workdays import WorkCalendar, calendar
from tongtui.dispatch.models import ProgressReport, ReportStatus
from tongtui.plans.models import CoUnit, Milestone, Plan, Task, TaskStatus
from tongtui.supervision.models import Admonition, RectificationOrder, SpotCheckItem

SCORED = [s for s in TaskStatus.values if s not in (TaskStatus.DRAFT, TaskStatus.CANCELLED)]


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def load_facts(
    plan: Plan,
    as_of: datetime.date,
    units: Iterable[int] | None = None,
    cal: WorkCalendar | None = None,
) -> Facts:
    cal = cal or calendar()
    unit_ids = None if units is None else set(units)
    tasks_q = Task.objects.filter(plan=plan, status__in=SCORED)
    if unit_ids is not None:
        on_co = CoUnit.objects.filter(unit_id__in=unit_ids, task__plan=plan).values("task_id")
        tasks_q = tasks_q.filter(Q(lead_unit_id__in=unit_ids) | Q(pk__in=on_co))
    rows = list(tasks_q.values_list("pk", "code", "title", "lead_unit_id", "weight", "start", "assigned_at"))
    task_ids = [r[0] for r in rows]
    co: dict[int, list[int]] = defaultdict(list)
    for task_id, unit_id in CoUnit.objects.filter(task_id__in=tasks_q.values("pk")).values_list(
        "task_id", "unit_id"
    ):
        co[task_id].append(unit_id)
    jan1 = datetime.date(plan.year, 1, 1)
    tasks = {
        pk: TaskFact(pk, code, title, lead, tuple(sorted(co[pk])), weight, _day(assigned) or start or jan1)
        for pk, code, title, lead, weight, start, assigned in rows
    }
    events: list[Event] = []
    unit_filter = Q() if unit_ids is None else Q(unit_id__in=unit_ids)
    plan_tasks = Task.objects.filter(plan=plan).values("pk")

    # Late reports: filed late (the working days counted at first submission), or still not filed past due.
    reports = ProgressReport.objects.filter(
        unit_filter, task_id__in=plan_tasks, due__isnull=False, due__lt=as_of
    )
    for pk, task_id, unit_id, due, first, late, label in reports.filter(
        Q(late_workdays__gt=0) | Q(first_submitted_at__isnull=True) | Q(first_submitted_at__date__gt=as_of)
    ).values_list("pk", "task_id", "unit_id", "due", "first_submitted_at", "late_workdays", "period_end"):
        filed = _day(first)
        if filed is not None and filed <= as_of:
            events.append(_late(pk, task_id, unit_id, filed, late, label))
        elif due is not None:
            days = cal.workdays_between(due, as_of)
            if days > 0:
                events.append(_late(pk, task_id, unit_id, due, days, label))

    # Returned reports: every return is one history row that moved the report to returned (its own reviewed_at).
    hist = ProgressReport.history.model.objects.filter(  # type: ignore[attr-defined]
        unit_filter,
        task_id__in=plan_tasks,
        status=ReportStatus.RETURNED,
        reviewed_at__isnull=False,
    )
    seen: set[tuple[int, datetime.datetime]] = set()
    for pk, task_id, unit_id, reviewed, label in hist.values_list(
        "id", "task_id", "unit_id", "reviewed_at", "period_end"
    ).order_by("id", "reviewed_at"):
        if (pk, reviewed) in seen:
            continue
        seen.add((pk, reviewed))
        events.append(Event(RuleKind.RETURNED_REPORT, f"r{pk}@{int(reviewed.timestamp())}", _day(reviewed) or as_of,
                            task_id, unit_id, ("dispatch.progressreport", pk), f"{label:%Y-%m-%d}"))  # fmt: skip

    # Overdue milestones: not done by their due date (done later, or not yet), dated the day after.
    for pk, task_id, title, due, done in Milestone.objects.filter(
        Q(done_on__isnull=True) | Q(done_on__gt=F("due")),
        task_id__in=task_ids,
        due__lt=as_of,
    ).values_list("pk", "task_id", "title", "due", "done_on"):
        if done is not None and done <= due:
            continue
        events.append(Event(RuleKind.OVERDUE_MILESTONE, f"m{pk}", due + datetime.timedelta(days=1), task_id, None,
                            ("plans.milestone", pk), f"{due:%Y-%m-%d} {title}"))  # fmt: skip

    for pk, unit_id, task_id, verified, deadline, problem in RectificationOrder.objects.filter(
        unit_filter,
        plan=plan,
        for_assessment=True,
    ).values_list("pk", "unit_id", "task_id", "verified_at", "deadline", "problem"):
        events.append(Event(RuleKind.ORDER_NOT_PASSED, f"o{pk}", _day(verified) or deadline, task_id, unit_id,
                            ("supervision.rectificationorder", pk), problem[:200]))  # fmt: skip

    spot_q = SpotCheckItem.objects.filter(
        spot_check__plan=plan, for_assessment=True, checked_on__isnull=False
    )
    if unit_ids is not None:
        spot_q = spot_q.filter(task_id__in=task_ids)
    for pk, task_id, checked, title in spot_q.values_list("pk", "task_id", "checked_on", "spot_check__title"):
        events.append(Event(RuleKind.SPOT_NOT_CONFIRMED, f"s{pk}", checked or as_of, task_id, None,
                            ("supervision.spotcheckitem", pk), title))  # fmt: skip

    for pk, unit_id, held, reason in Admonition.objects.filter(
        unit_filter,
        plan=plan,
        held_on__isnull=False,
    ).values_list("pk", "unit_id", "held_on", "reason"):
        events.append(Event(RuleKind.ADMONITION, f"a{pk}", held or as_of, None, unit_id, ("supervision.admonition", pk),
                            reason[:200]))  # fmt: skip

    for pk, unit_id, task_id, kind, points, reason, on in ManualEntry.objects.filter(
        unit_filter,
        plan=plan,
        withdrawn=False,
    ).values_list("pk", "unit_id", "task_id", "kind", "points", "reason", "on"):
        events.append(Event(kind, f"e{pk}", on, task_id, unit_id, ("assessment.manualentry", pk), reason[:200],
                            points=points))  # fmt: skip
    return Facts(as_of, tasks, tuple(events))


def _late(
    pk: int, task_id: int, unit_id: int, on: datetime.date, days: int, period_end: datetime.date
) -> Event:
    return Event(RuleKind.LATE_REPORT, f"r{pk}", on, task_id, unit_id, ("dispatch.progressreport", pk),
                 f"{period_end:%Y-%m-%d}", quantity=Decimal(days))  # fmt: skip

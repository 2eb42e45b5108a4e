"""The deductions a unit can still avoid: open rectification orders, milestones of its tasks not yet due,
reports it has started and not yet filed; each with the points it would cost under the scheme."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from tongtui.assessment.rules_data import RuleKind, SchemeData
from tongtui.dispatch.models import EDITABLE, ProgressReport
from tongtui.plans.models import Milestone, Plan
from tongtui.supervision.models import OPEN_ORDER, RectificationOrder

LIMIT = 20


@dataclass(frozen=True)
class Avoidable:
    kind: str
    label: str
    due: datetime.date
    points: Decimal  # what it costs if missed (a late report: per working day)
    url_name: str
    pk: int


def avoidable(plan: Plan, unit_id: int, scheme: SchemeData, today: datetime.date) -> list[Avoidable]:
    out: list[Avoidable] = []
    rule = scheme.rule(RuleKind.ORDER_NOT_PASSED)
    for pk, problem, deadline in RectificationOrder.objects.filter(
        plan=plan, unit_id=unit_id, status__in=OPEN_ORDER
    ).values_list("pk", "problem", "deadline")[:LIMIT]:
        out.append(Avoidable(RuleKind.ORDER_NOT_PASSED, problem[:120], deadline, rule.points if rule else Decimal(0),
                             "supervision:order-detail", pk))  # fmt: skip
    rule = scheme.rule(RuleKind.OVERDUE_MILESTONE)
    for _pk, title, due, task_id in (
        Milestone.objects.filter(
            task__plan=plan, task__lead_unit_id=unit_id, done_on__isnull=True, due__gte=today
        )
        .order_by("due")
        .values_list("pk", "title", "due", "task_id")[:LIMIT]
    ):
        out.append(Avoidable(RuleKind.OVERDUE_MILESTONE, title, due, rule.points if rule else Decimal(0),
                             "task-detail", task_id))  # fmt: skip
    rule = scheme.rule(RuleKind.LATE_REPORT)
    for _pk, period_end, report_due, task_id in (
        ProgressReport.objects.filter(task__plan=plan, unit_id=unit_id, status__in=EDITABLE, due__gte=today)
        .order_by("due")
        .values_list("pk", "period_end", "due", "task_id")[:LIMIT]
    ):
        out.append(Avoidable(RuleKind.LATE_REPORT, f"{period_end:%Y-%m-%d}", report_due or today,
                             rule.points if rule else Decimal(0), "task-detail", task_id))  # fmt: skip
    return sorted(out, key=lambda a: (a.due, a.kind))

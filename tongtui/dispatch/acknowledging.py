"""签收 follow-through: which units still owe an acknowledgement of which assigned task, and by when.

`Deadline.of` is the pure rule (working days left, due today, working days late). `owed` is the one
set-based source of the acknowledgements still owed, most urgent first, shared by the 待签收 list, the
task page and the acknowledgement reminders; `items` turns one page of it into rows.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, DateField, Exists, F, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tongtui.core.workdays import WorkCalendar
from tongtui.orgs.models import Unit
from tongtui.plans.models import ChangeRequest, CoUnit, Plan, RequestKind, RequestStatus, Task, TaskStatus

# Open, handed-out tasks: a suspended task is not chased, a draft has not been assigned.
ACKNOWLEDGEABLE = (
    TaskStatus.ASSIGNED,
    TaskStatus.ACKNOWLEDGED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.COMPLETION_REQUESTED,
)
NO_DEADLINE = datetime.date.max  # sorts tasks assigned before deadlines were kept last


@dataclass(frozen=True)
class Deadline:
    due: datetime.date | None
    left: int = 0  # working days left before the due date (0 on the day or after)
    late: int = 0  # working days late (0 on the day or before)
    today: bool = False  # the due date is today
    passed: bool = False  # the due date is behind us (on a day off right after it, `late` is still 0)

    @classmethod
    def of(cls, due: datetime.date | None, today: datetime.date, cal: WorkCalendar) -> "Deadline":
        if due is None or due == NO_DEADLINE:
            return cls(None)
        if today < due:
            return cls(due, left=cal.workdays_between(today, due))
        if today == due:
            return cls(due, today=True)
        return cls(due, late=max(0, cal.workdays_between(due, today)), passed=True)

    @property
    def label(self) -> str:
        if self.due is None:
            return _("No deadline")
        if self.late:
            return ngettext("%(n)s working day overdue", "%(n)s working days overdue", self.late) % {
                "n": self.late
            }
        if self.passed:
            return _("Past the deadline")
        if self.today:
            return _("Due today")
        return ngettext("%(n)s working day left", "%(n)s working days left", self.left) % {"n": self.left}

    @property
    def css(self) -> str:
        """A Bootstrap badge class: red once late, amber on the day or the day before, grey otherwise."""
        if self.passed:
            return "text-bg-danger"
        if self.today or (self.due is not None and self.left <= 1):
            return "text-bg-warning"
        return "text-bg-light border"


def disputing() -> Exists:
    """Whether the task's lead unit disputes it (申请调整牵头单位) and the office has not decided yet."""
    return Exists(
        ChangeRequest.objects.filter(
            task=OuterRef("pk"),
            unit=OuterRef("lead_unit_id"),
            kind=RequestKind.LEAD,
            status=RequestStatus.PENDING,
        )
    )


def owed(
    unit_ids: Iterable[int] | None = None,
    *,
    due_by: datetime.date | None = None,
    paused: bool = False,
    task_ids: Iterable[int] | None = None,
) -> QuerySet[Any]:
    """Rows (task_id, unit_id, is_lead, due, number, disputed) of every acknowledgement still owed by the
    lead unit or a co-unit of an open, assigned task of an active plan, most urgent first.

    `unit_ids` limits to those units, `due_by` to deadlines on or before that day (and leaves out tasks
    without one), `paused` leaves out lead units disputing the task, `task_ids` limits to those tasks.
    One SQL query (a UNION), so that it can be counted and paged in the database.
    """
    tasks = Task.objects.filter(status__in=ACKNOWLEDGEABLE, plan__status=Plan.Status.ACTIVE)
    lead = tasks.filter(lead_unit__isnull=False, lead_acknowledged_at__isnull=True)
    co = CoUnit.objects.filter(
        acknowledged_at__isnull=True, task__status__in=ACKNOWLEDGEABLE, task__plan__status=Plan.Status.ACTIVE
    )
    if unit_ids is not None:
        units = list(unit_ids)
        lead, co = lead.filter(lead_unit_id__in=units), co.filter(unit_id__in=units)
    if task_ids is not None:
        ids = list(task_ids)
        lead, co = lead.filter(pk__in=ids), co.filter(task_id__in=ids)
    if due_by is not None:
        lead, co = lead.filter(ack_due__lte=due_by), co.filter(task__ack_due__lte=due_by)
    if paused:
        lead = lead.exclude(disputing())
    far = Value(NO_DEADLINE, output_field=DateField())
    lead_rows = (
        lead.annotate(
            r_task=F("pk"),
            r_unit=F("lead_unit_id"),
            r_lead=Value(True, output_field=BooleanField()),
            r_due=Coalesce("ack_due", far),
            r_no=Coalesce("assignment_no", 0),
            r_disputed=disputing(),
        )
        .values_list("r_task", "r_unit", "r_lead", "r_due", "r_no", "r_disputed")
        .order_by()
    )
    co_rows = (
        co.annotate(
            r_task=F("task_id"),
            r_unit=F("unit_id"),
            r_lead=Value(False, output_field=BooleanField()),
            r_due=Coalesce("task__ack_due", far),
            r_no=Coalesce("task__assignment_no", 0),
            r_disputed=Value(False, output_field=BooleanField()),
        )
        .values_list("r_task", "r_unit", "r_lead", "r_due", "r_no", "r_disputed")
        .order_by()
    )
    return lead_rows.union(co_rows, all=True).order_by("r_due", "r_no", "r_task", "-r_lead", "r_unit")


@dataclass
class AckItem:
    """One unit's acknowledgement still owed on one task."""

    task: Task
    unit: Unit
    lead: bool
    deadline: Deadline
    disputed: bool = False


def items(rows: Iterable[tuple[Any, ...]], today: datetime.date, cal: WorkCalendar) -> list[AckItem]:
    """Rows of `owed` (one page of them) as items with their task and unit: two queries, whatever the rows."""
    rows = list(rows)
    tasks = Task.objects.select_related("plan").in_bulk({r[0] for r in rows})
    units = Unit.objects.in_bulk({r[1] for r in rows})
    return [
        AckItem(tasks[task_id], units[unit_id], bool(lead), Deadline.of(due, today, cal), bool(disputed))
        for task_id, unit_id, lead, due, _no, disputed in rows
    ]

"""Which (task, period) reports are due: for a user's units ("my reports due") and for the reminder sweep.

Set-based: one query for the tasks, one for their cycles, one for the reports already there; the periods
are computed once per cycle in Python. Never one query per task.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.errors import ActionError
from tongtui.core.workdays import WorkCalendar, calendar
from tongtui.dispatch import rules, schedule
from tongtui.dispatch.cycles import TaskKey, cycles_for
from tongtui.dispatch.models import FILED, ProgressReport, ReportContribution, ReportCycle
from tongtui.dispatch.schedule import Period
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import CoUnit, Plan, Task, TaskStatus

REPORTABLE = (
    TaskStatus.ASSIGNED,
    TaskStatus.ACKNOWLEDGED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.COMPLETION_REQUESTED,
)
LEAD, CO = "lead", "co"


@dataclass
class DueItem:
    task: Task
    period: Period
    role: str  # LEAD: the user's unit writes the report; CO: it adds its part
    report_id: int | None = None
    report_status: str | None = None
    contributed: bool = False
    overdue_workdays: int = 0
    unit_ids: set[int] = field(default_factory=set)

    @property
    def is_overdue(self) -> bool:
        return self.overdue_workdays > 0

    @property
    def period_label(self) -> str:
        return schedule.period_label(self.period.start, self.period.end)


def horizon_days() -> int:
    """How far ahead a coming deadline shows up in "my reports due"."""
    return int(getattr(settings, "DISPATCH_DUE_HORIZON_DAYS", 7))


def reportable_tasks(qs: QuerySet[Task] | None = None) -> QuerySet[Task]:
    """Open, assigned tasks of active plans without sub-tasks (a parent is reported through its sub-tasks)."""
    qs = Task.objects.all() if qs is None else qs
    children = Task.objects.filter(parent=OuterRef("pk"))
    return (
        qs.filter(status__in=REPORTABLE, plan__status=Plan.Status.ACTIVE, lead_unit__isnull=False)
        .exclude(Exists(children))
        .select_related("plan", "lead_unit")
    )


class Scheduler:
    """Periods of each cycle, computed once per (cycle, year) and shared by every task on that cycle."""

    def __init__(self, cal: WorkCalendar | None = None) -> None:
        self.cal = cal or calendar()
        self._cache: dict[tuple[int, int], list[Period]] = {}
        # looked up once: Django finds the current zone through a context-local on every call (tens of µs), and
        # the office's home asks for thousands of tasks' hand-out days
        self.zone = timezone.get_current_timezone()
        self._due: dict[tuple[int, int, datetime.date | None, datetime.date], list[Period]] = {}

    def periods(self, cycle: ReportCycle, year: int) -> list[Period]:
        key = (cycle.pk, year)
        if key not in self._cache:
            self._cache[key] = schedule.schedule(
                year, cycle.frequency, cycle.rule(), self.cal, cycle.starts_on
            )
        return self._cache[key]

    def task_periods(self, task: "Task | Scheduled", cycle: ReportCycle, until: datetime.date) -> list[Period]:
        """The task's periods of its plan year due on or before `until`, from when it was handed out. Tasks on
        one cycle handed out on the same day share one list (not to be changed by the caller)."""
        begin = task.start
        if task.assigned_at is not None:
            assigned = task.assigned_at.astimezone(self.zone).date()
            begin = max(begin, assigned) if begin else assigned
        year = task.year if isinstance(task, Scheduled) else task.plan.year
        key = (cycle.pk, year, begin, until)
        if key not in self._due:
            self._due[key] = [
                p
                for p in self.periods(cycle, year)
                if p.due <= until and (begin is None or p.end >= begin)
            ]
        return self._due[key]


class Scheduled(NamedTuple):
    """What `outstanding` needs of a task, read as a row and not as a model instance (the office's count over
    every task of a province's year: 50,000 instances took a second): its cycle's key, when it was handed out,
    its plan's year, and its lead unit for the count."""

    pk: int
    category_id: int | None
    plan_id: int
    start: datetime.date | None
    assigned_at: datetime.datetime | None
    year: int
    lead_unit_id: int | None


# What `outstanding` reads of a task, as the fields of Scheduled
SCHEDULED = ("id", "category_id", "plan_id", "start", "assigned_at", "plan__year", "lead_unit_id")


def _key(task: "Task | Scheduled") -> TaskKey:
    return TaskKey(task.pk, task.category_id, task.plan_id)


T = TypeVar("T", Task, Scheduled)


def outstanding(
    tasks: Iterable[T],
    today: datetime.date,
    *,
    ahead: int = 0,
    scheduler: Scheduler | None = None,
    drafts: bool = True,
) -> list[tuple[T, Period, ProgressReport | None]]:
    """(task, period, draft-or-returned report) for each period due by today + `ahead` days not yet filed. The
    tasks are model instances or `Scheduled` rows. With `drafts=False` the report is always None (a caller that
    only counts does not read the drafts)."""
    tasks = list(tasks)
    scheduler = scheduler or Scheduler()
    cycles = cycles_for(_key(t) for t in tasks)
    until = today + datetime.timedelta(days=ahead)
    # per task, not per (task, period): the office's home asks this of every task of the year, a city's tens of
    # thousands of periods, nearly all of them filed
    wanted = []
    for task in tasks:
        cycle = cycles.get(task.pk)
        periods = scheduler.task_periods(task, cycle, until) if cycle is not None else []
        if periods:
            wanted.append((task, periods))
    if not wanted:
        return []
    lists = {id(periods): periods for _t, periods in wanted}  # shared by the tasks of a cycle and hand-out day
    earliest = min(p.start for periods in lists.values() for p in periods)
    # A filed report only takes its period off the list: its key is enough. Over a year of a district's reports
    # (the office's home) that is tens of thousands of rows, which as model instances, texts and time stamps
    # included, took a second; the drafts and returned reports the callers show are few and read whole after.
    # Unordered: the model's ordering would join the task and plan and sort every row.
    rows = ProgressReport.objects.filter(
        task_id__in=[t.pk for t, _p in wanted], period_start__gte=earliest
    ).order_by()
    filed: dict[int, set[tuple[datetime.date, datetime.date]]] = defaultdict(set)
    unfiled_pks: dict[tuple[int, datetime.date, datetime.date], int] = {}
    if drafts:
        for pk, task_id, start, end, status in rows.values_list(
            "pk", "task_id", "period_start", "period_end", "status"
        ):
            if status in FILED:
                filed[task_id].add((start, end))
            else:
                unfiled_pks[(task_id, start, end)] = pk
    else:  # a count: the filed reports' periods alone (a province's two million reports, three columns each)
        for task_id, start, end in rows.filter(status__in=FILED).values_list(
            "task_id", "period_start", "period_end"
        ):
            filed[task_id].add((start, end))
    read = ProgressReport.objects.in_bulk(list(unfiled_pks.values())) if unfiled_pks else {}
    unfiled = {key: read[pk] for key, pk in unfiled_pks.items() if pk in read}
    keys = {n: frozenset((p.start, p.end) for p in periods) for n, periods in lists.items()}
    result = []
    for task, periods in wanted:
        done = filed.get(task.pk, set())
        if keys[id(periods)] <= done:  # every period filed: the common case, checked in one set operation
            continue
        for period in periods:
            if (period.start, period.end) not in done:
                result.append((task, period, unfiled.get((task.pk, period.start, period.end))))
    return result


def late_by_unit(
    tasks: QuerySet[Task], today: datetime.date, scheduler: Scheduler | None = None
) -> dict[int, tuple[int, datetime.date]]:
    """Per lead unit of these tasks: how many of their periods due before `today` have no filed report, and the
    earliest due date among them (the office's home asks it of every reportable task of the year).

    Reads of each task only what its schedule needs, the plans once each, and the reports as keys. Counting in
    the database instead (a part per cycle and period due, the tasks handed out by then without a filed report)
    was twice as fast for a city but five times slower for a province on a weekly cycle: 48 anti-joins over
    50,000 tasks. A province wants these counts kept as derived rows."""
    rows = [Scheduled._make(row) for row in tasks.select_related(None).values_list(*SCHEDULED)]
    late: dict[int, tuple[int, datetime.date]] = {}
    task, unit = None, None
    for row, period, _report in outstanding(rows, today, scheduler=scheduler, drafts=False):
        if row is not task:  # a task's periods come together; its unit read once (a province: 300,000 periods)
            task, unit = row, row.lead_unit_id
        if period.due >= today or unit is None:
            continue
        before = late.get(unit)
        late[unit] = (1, period.due) if before is None else (before[0] + 1, min(before[1], period.due))
    return late


def due_for(user: Any, today: datetime.date | None = None) -> list[DueItem]:
    """My reports due: the reports the user's units owe (lead) or can add to (co-unit), due or overdue."""
    today = today or timezone.localdate()
    roles = roles_of(user)
    units = roles.units_with(*rules.UNIT_ACTORS)
    if not units:
        return []
    co = CoUnit.objects.filter(task=OuterRef("pk"), unit_id__in=units)
    tasks = list(reportable_tasks().filter(Q(lead_unit_id__in=units) | Q(Exists(co))))
    co_units: dict[int, set[int]] = {}
    for task_id, unit_id in CoUnit.objects.filter(
        task__in=[t.pk for t in tasks], unit_id__in=units
    ).values_list("task_id", "unit_id"):
        co_units.setdefault(task_id, set()).add(unit_id)
    scheduler = Scheduler()
    pending = outstanding(tasks, today, ahead=horizon_days(), scheduler=scheduler)
    contributed = set(
        ReportContribution.objects.filter(
            report_id__in=[r.pk for _t, _p, r in pending if r is not None], unit_id__in=units
        ).values_list("report_id", "unit_id")
    )
    items = []
    for task, period, report in pending:
        lead = task.lead_unit_id in units
        mine: set[int] = {task.lead_unit_id} if lead and task.lead_unit_id else co_units.get(task.pk, set())
        report_id = report.pk if report is not None else None
        items.append(
            DueItem(
                task=task,
                period=period,
                role=LEAD if lead else CO,
                report_id=report_id,
                report_status=report.status if report is not None else None,
                contributed=any((report_id, u) in contributed for u in mine),
                overdue_workdays=max(0, scheduler.cal.workdays_between(period.due, today)),
                unit_ids=mine,
            )
        )
    items.sort(key=lambda i: (i.period.due, i.task.plan_id, i.task.code_sort, i.task.code))
    return items


def period_for(task: Task, start: datetime.date, cal: WorkCalendar | None = None) -> Period:
    """The task's report period starting on `start`, with its due date; refuses a date that starts none."""
    cycle = cycles_for([_key(task)]).get(task.pk)
    if cycle is None:
        raise ActionError(_("No report cycle is set for this task."))
    for period in Scheduler(cal).periods(cycle, task.plan.year):
        if period.start == start:
            return period
    raise ActionError(
        _("%(date)s does not start a report period of this task.") % {"date": start.isoformat()}
    )

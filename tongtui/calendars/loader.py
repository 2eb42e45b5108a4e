"""Set-based loading of the calendar's entries for a user, a selection and a date range.

One query per kind (milestones; reportable tasks, their cycles and their reports; meetings; orders;
chases), whatever the number of tasks: the report periods are computed in Python once per cycle and year.
Read scope comes from the access modules of plans, dispatch and supervision."""

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _

from tongtui.calendars.events import CHASE, MEETING, MILESTONE, ORDER, REPORT, Event, Selection, sort
from tongtui.core.workdays import WorkCalendar, calendar
from tongtui.dispatch import rules, schedule
from tongtui.dispatch.access_problems import meetings_visible_to
from tongtui.dispatch.cycles import TaskKey, cycles_for
from tongtui.dispatch.due import Scheduler, reportable_tasks
from tongtui.dispatch.models import FILED, Decision, Meeting, MeetingStatus, ProgressReport
from tongtui.orgs.roles import roles_of
from tongtui.plans.access import tasks_visible_to
from tongtui.plans.models import CoUnit, Milestone, Task
from tongtui.supervision.access_chases import chases_visible_to
from tongtui.supervision.access_orders import orders_visible_to
from tongtui.supervision.models import ChaseNotice, ChaseStatus, RectificationOrder
from tongtui.supervision.models.orders import WAITING_FOR_UNIT


class Paths:
    """reverse() once per URL name, then the ids are formatted in: a month of a city is thousands of entries,
    and reverse() costs a fraction of a millisecond each time."""

    def __init__(self) -> None:
        self._templates: dict[tuple[str, str], str] = {}

    def __call__(self, name: str, *args: int | datetime.date) -> str:
        key = (get_script_prefix(), name)
        template = self._templates.get(key)
        if template is None:
            marks = [
                987654300 + i if isinstance(a, int) else datetime.date(1111, 11, 11 + i)
                for i, a in enumerate(args)
            ]
            template = reverse(name, args=marks)
            for i, mark in enumerate(marks):
                text = mark.isoformat() if isinstance(mark, datetime.date) else str(mark)
                template = template.replace(text, "{" + str(i) + "}", 1)
            self._templates[key] = template
        return template.format(*(a.isoformat() if isinstance(a, datetime.date) else a for a in args))


PATHS = Paths()


def _task_q(sel: Selection, prefix: str = "") -> Q:
    """The selection as conditions on a task (`prefix` reaches the task from another model)."""
    pk = OuterRef(f"{prefix}pk" if prefix else "pk")
    q = Q()
    if sel.unit_id is not None:
        co = CoUnit.objects.filter(task=pk, unit_id=sel.unit_id)
        q &= Q(**{f"{prefix}lead_unit_id": sel.unit_id}) | Q(Exists(co))
    if sel.leader_id is not None:
        q &= Q(**{f"{prefix}leader_id": sel.leader_id})
    if sel.category_id is not None:
        q &= Q(**{f"{prefix}category_id": sel.category_id})
    if sel.mine is not None:
        m = sel.mine
        co = CoUnit.objects.filter(task=pk, unit_id__in=m.unit_ids)
        own = Q(**{f"{prefix}lead_unit_id__in": m.unit_ids}) | Q(Exists(co))
        if m.person_id is not None:
            own |= Q(**{f"{prefix}leader_id": m.person_id}) | Q(**{f"{prefix}owner_id": m.person_id})
        q &= own
    return q


def tasks_selected(user: Any, sel: Selection) -> QuerySet[Task]:
    return tasks_visible_to(user).filter(_task_q(sel))


def _subject(task: Task) -> str:
    return f"{task.code} {task.title}"


def milestones(
    user: Any, sel: Selection, first: datetime.date, last: datetime.date, today: datetime.date
) -> list[Event]:
    rows = (
        Milestone.objects.filter(due__range=(first, last), task__in=tasks_selected(user, sel).values("pk"))
        .select_related("task__lead_unit")
        .only("pk", "title", "due", "done_on", "task__code", "task__title", "task__lead_unit__short_name")
    )
    return [
        Event(
            kind=MILESTONE,
            uid=f"milestone-{m.pk}",
            day=m.due,
            title=m.title,
            subject=_subject(m.task),
            url=PATHS("task-detail", m.task_id) + "#roadmap",
            unit=m.task.lead_unit.short_name if m.task.lead_unit else "",
            done=m.done_on is not None,
            overdue=m.done_on is None and m.due < today,
        )
        for m in rows
    ]


def reports(
    user: Any,
    sel: Selection,
    first: datetime.date,
    last: datetime.date,
    today: datetime.date,
    cal: WorkCalendar,
) -> list[Event]:
    """The report deadlines of the selected open tasks' periods due in the range, and whether each was filed."""
    tasks = list(reportable_tasks(tasks_selected(user, sel)))
    if not tasks:
        return []
    cycles = cycles_for(TaskKey(t.pk, t.category_id, t.plan_id) for t in tasks)
    scheduler = Scheduler(cal)
    wanted = [
        (t, p)
        for t in tasks
        if t.pk in cycles
        for p in scheduler.task_periods(t, cycles[t.pk], last)
        if p.due >= first
    ]
    if not wanted:
        return []
    earliest = min(p.start for _t, p in wanted)
    filed = {
        (task_id, start, end): (pk, status)
        for pk, task_id, start, end, status in ProgressReport.objects.filter(
            task_id__in={t.pk for t, _p in wanted}, period_start__gte=earliest
        ).order_by().values_list("pk", "task_id", "period_start", "period_end", "status")  # keys: no join, no sort
    }
    roles = roles_of(user)
    labels: dict[tuple[datetime.date, datetime.date], str] = {}
    events = []
    for task, period in wanted:
        label = labels.get(period.key)
        if label is None:
            label = labels[period.key] = _("Progress report for %(period)s") % {
                "period": schedule.period_label(period.start, period.end)
            }
        report = filed.get((task.pk, period.start, period.end))
        done = report is not None and report[1] in FILED
        if report is not None:
            url = PATHS("dispatch:report-detail", report[0])
        elif rules.may_file(roles, task.lead_unit_id):
            url = PATHS("dispatch:report-start", task.pk, period.start)
        else:
            url = PATHS("dispatch:task-reports", task.pk)
        events.append(
            Event(
                kind=REPORT,
                uid=f"report-{task.pk}-{period.start:%Y%m%d}",
                day=period.due,
                title=label,
                subject=_subject(task),
                url=url,
                unit=task.lead_unit.short_name if task.lead_unit else "",
                done=done,
                overdue=not done and period.due < today,
            )
        )
    return events


def meetings(user: Any, sel: Selection, first: datetime.date, last: datetime.date) -> list[Event]:
    qs = meetings_visible_to(user).filter(date__range=(first, last))
    named = Decision.objects.filter(meeting=OuterRef("pk"))
    if sel.unit_id is not None:
        qs = qs.filter(Exists(named.filter(Q(lead_unit_id=sel.unit_id) | Q(co_units=sel.unit_id))))
    if sel.leader_id is not None:
        qs = qs.filter(Q(chair_id=sel.leader_id) | Q(leader_id=sel.leader_id))
    if sel.category_id is not None:
        qs = qs.filter(category_id=sel.category_id)
    if sel.mine is not None and not sel.mine.office:
        m = sel.mine
        own = Q(Exists(named.filter(Q(lead_unit_id__in=m.unit_ids) | Q(co_units__in=m.unit_ids))))
        if m.person_id is not None:
            own |= Q(chair_id=m.person_id) | Q(leader_id=m.person_id)
        qs = qs.filter(own)
    rows: QuerySet[Meeting] = qs.select_related("chair").only(
        "pk", "date", "time", "title", "status", "chair__name", "chair__title"
    )
    return [
        Event(
            kind=MEETING,
            uid=f"meeting-{m.pk}",
            day=m.date,
            time=m.time,
            title=m.title,
            subject=_("Chaired by %(chair)s") % {"chair": m.chair},
            url=PATHS("dispatch:meeting-detail", m.pk),
            done=m.status == MeetingStatus.HELD,
        )
        for m in rows
    ]


def _unit_q(sel: Selection, through: QuerySet | None = None) -> Q:
    """The selection on a supervision record that has a unit and a task (orders) or tasks (chases)."""
    q = Q()
    if sel.unit_id is not None:
        q &= Q(unit_id=sel.unit_id)
    task_sel = Selection(leader_id=sel.leader_id, category_id=sel.category_id)
    if sel.leader_id is not None or sel.category_id is not None:
        if through is None:
            q &= _task_q(task_sel, "task__")
        else:
            q &= Q(Exists(through.filter(_task_q(task_sel, "task__"))))
    if sel.mine is not None and not sel.mine.office:
        m = sel.mine
        own = Q(unit_id__in=m.unit_ids)
        if m.person_id is not None:
            mine_led = Selection(leader_id=m.person_id)
            own |= (
                Q(Exists(through.filter(_task_q(mine_led, "task__"))))
                if through is not None
                else Q(task__leader_id=m.person_id)
            )
        q &= own
    return q


def orders(
    user: Any, sel: Selection, first: datetime.date, last: datetime.date, today: datetime.date
) -> list[Event]:
    rows: QuerySet[RectificationOrder] = (
        orders_visible_to(user)
        .filter(_unit_q(sel), deadline__range=(first, last))
        .select_related("unit")
        .only("pk", "deadline", "problem", "status", "unit__short_name", "unit__name")
    )
    return [
        Event(
            kind=ORDER,
            uid=f"order-{o.pk}",
            day=o.deadline,
            title=_clip(o.problem),
            subject=o.unit.name,
            url=PATHS("supervision:order-detail", o.pk),
            unit=o.unit.short_name,
            done=o.status not in WAITING_FOR_UNIT,
            overdue=o.is_overdue(today),
        )
        for o in rows
    ]


def chases(
    user: Any, sel: Selection, first: datetime.date, last: datetime.date, today: datetime.date
) -> list[Event]:
    through = ChaseNotice.tasks.through.objects.filter(chasenotice_id=OuterRef("pk"))
    rows: QuerySet[ChaseNotice] = (
        chases_visible_to(user)
        .filter(_unit_q(sel, through), reply_due__range=(first, last))
        .select_related("unit")
        .only("pk", "year", "seq", "reply_due", "subject", "status", "unit__short_name", "unit__name")
    )
    return [
        Event(
            kind=CHASE,
            uid=f"chase-{c.pk}",
            day=c.reply_due,
            title=f"{c.number} {c.subject}",
            subject=c.unit.name,
            url=PATHS("supervision:chase-detail", c.pk),
            unit=c.unit.short_name,
            done=c.status != ChaseStatus.ISSUED,
            overdue=c.is_overdue(today),
        )
        for c in rows
    ]


def _clip(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def load(
    user: Any,
    sel: Selection,
    first: datetime.date,
    last: datetime.date,
    today: datetime.date,
    cal: WorkCalendar | None = None,
) -> list[Event]:
    """Every entry of the selected kinds from first to last (both included) that the user may see, sorted."""
    cal = cal or calendar()
    events: list[Event] = []
    if MILESTONE in sel.kinds:
        events += milestones(user, sel, first, last, today)
    if REPORT in sel.kinds:
        events += reports(user, sel, first, last, today, cal)
    if MEETING in sel.kinds:
        events += meetings(user, sel, first, last)
    if ORDER in sel.kinds:
        events += orders(user, sel, first, last, today)
    if CHASE in sel.kinds:
        events += chases(user, sel, first, last, today)
    return sort(events)

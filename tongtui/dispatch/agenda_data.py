"""Read what a meeting's agenda needs from the database, as the plain facts `agenda.build_agenda` takes.

A fixed number of queries whatever the number of tasks: tasks with their milestones, their stored lights
(through `dispatch.lights`, which supervision fills), problems, recent reports and earlier decisions.

The agenda is as of the day it is read (or its pack built): the lights are the ones stored today, and
milestones, problems and late units are judged on the same day, so the agenda and the task pages agree.
"""

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone, translation

from tongtui.core.workdays import calendar
from tongtui.dispatch.agenda import (
    Agenda,
    DecisionFact,
    MilestoneFact,
    ProblemFact,
    ReportFact,
    TaskFact,
    build_agenda,
)
from tongtui.dispatch.lights import lights_of
from tongtui.dispatch.models import Decision, Meeting, MeetingScope, Problem, ProblemStatus, ProgressReport
from tongtui.plans.models import Milestone, Task, TaskStatus

ACTIVE = (
    TaskStatus.ASSIGNED,
    TaskStatus.ACKNOWLEDGED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.COMPLETION_REQUESTED,
    TaskStatus.SUSPENDED,
)
REPORT_WINDOW = datetime.timedelta(days=200)


def scope_tasks(meeting: Meeting) -> QuerySet[Task]:
    qs = Task.objects.filter(plan_id=meeting.plan_id, status__in=ACTIVE)
    if meeting.scope == MeetingScope.CATEGORY:
        qs = qs.filter(category_id=meeting.category_id)
    elif meeting.scope == MeetingScope.LEADER:
        qs = qs.filter(leader_id=meeting.leader_id)
    return qs


def task_facts(meeting: Meeting, lang: str | None = None) -> list[TaskFact]:
    tasks = list(
        scope_tasks(meeting)
        .select_related("lead_unit")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("due", "seq")))
        .order_by("code_sort", "pk")
    )
    lights = lights_of([t.pk for t in tasks], lang or translation.get_language() or "zh-hans")
    return [
        TaskFact(
            id=t.pk,
            code=t.code,
            title=t.title,
            lead_unit=t.lead_unit.label if t.lead_unit else "",
            progress=t.progress,
            start=t.start,
            due=t.due,
            milestones=tuple(
                MilestoneFact(m.title, m.due, m.planned_progress, m.done_on) for m in t.milestones.all()
            ),
            note=t.progress_note,
            light=lights.get(t.pk),
        )
        for t in tasks
    ]


def problem_facts(meeting: Meeting) -> list[ProblemFact]:
    rows = (
        Problem.objects.filter(task__in=scope_tasks(meeting).values("pk"))
        .exclude(status=ProblemStatus.RESOLVED)
        .select_related("task", "unit", "addressed_unit", "addressed_leader")
    )
    return [
        ProblemFact(
            id=p.pk,
            task_code=p.task.code,
            title=p.title,
            unit=p.unit.label,
            addressee=p.addressee_label,
            answer_by=p.answer_by,
            answered=p.status == ProblemStatus.ANSWERED,
        )
        for p in rows
    ]


def report_facts(meeting: Meeting, day: datetime.date | None = None) -> list[ReportFact]:
    day = day or meeting.date
    rows = (
        ProgressReport.objects.filter(
            task__in=scope_tasks(meeting).values("pk"),
            period_end__lt=day,
            period_end__gte=day - REPORT_WINDOW,
        )
        .filter(Q(due__lt=day) | Q(first_submitted_at__isnull=False))
        .values_list(
            "unit_id", "unit__short_name", "unit__name", "period_end", "late_workdays", "first_submitted_at"
        )
    )
    return [
        ReportFact(unit_id, short or name, end, bool(late) or submitted is None)
        for unit_id, short, name, end, late, submitted in rows
    ]


def earlier_decisions(meeting: Meeting) -> QuerySet[Decision]:
    earlier = Meeting.objects.filter(plan_id=meeting.plan_id).filter(
        Q(date__lt=meeting.date) | Q(date=meeting.date, pk__lt=meeting.pk)
    )
    return (
        Decision.objects.filter(meeting__in=earlier.values("pk"))
        .select_related("lead_unit", "created_task", "created_milestone__task", "meeting")
        .order_by("deadline", "seq")
    )


def decision_facts(decisions: QuerySet[Decision]) -> list[DecisionFact]:
    facts = []
    for d in decisions:
        if not d.is_open:
            continue
        if d.created_milestone is not None:
            tracked = f"{d.created_milestone.task.code}: {d.created_milestone.title}"
        else:
            tracked = d.created_task.code if d.created_task is not None else ""
        facts.append(DecisionFact(d.pk, d.seq, d.text, d.lead_unit.label, d.deadline, tracked))
    return facts


def agenda_for(meeting: Meeting, *, today: datetime.date | None = None, lang: str | None = None) -> Agenda:
    """The meeting's agenda as of `today` (default: the local date), its reasons in `lang` (default: the
    active language; the pack asks for Chinese)."""
    day = today or timezone.localdate()
    return build_agenda(
        day,
        tasks=task_facts(meeting, lang),
        problems=problem_facts(meeting),
        reports=report_facts(meeting, day),
        open_decisions=decision_facts(earlier_decisions(meeting)),
        late_by=calendar().workdays_between,
        working_days=True,
    )

"""Fill `signals.facts.TaskFacts` for many tasks in a handful of queries, as known on any date.

One query per kind of row (tasks, their past status from history, milestones, filed reports, report
cycles, escalated problems), grouped by task in Python; never one query per task. With `as_of` only
what was known that day counts: reports first submitted by then, milestones done by then, and, for a
past date, the task's status, dates, closure and roadmap as history recorded them at the end of that
day (a task whose history starts later but which was assigned by then is taken in its first recorded
state, with its roadmap as it stands).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Case, F, Q, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from tongtui.core.workdays import WorkCalendar, calendar
from tongtui.dispatch import schedule
from tongtui.dispatch.cycles import TaskKey, resolve
from tongtui.dispatch.models import FILED, ProgressReport, ReportCycle
from tongtui.plans.models import Milestone, Task
from tongtui.supervision.signals.facts import (
    ACKNOWLEDGED,
    ASSIGNED,
    CLOSED,
    COMPLETION_REQUESTED,
    DRAFT,
    IN_PROGRESS,
    CycleFact,
    EscalationFact,
    MilestoneFact,
    ReportFact,
    TaskFacts,
)

# Above this many ids, rows are fetched by id range and filtered in Python (no huge IN lists).
IN_LIMIT = 500
REPORTING = frozenset({ASSIGNED, ACKNOWLEDGED, IN_PROGRESS, COMPLETION_REQUESTED})


@dataclass
class TaskRow:
    """What the loader read about a task besides its facts: for rules, exports and charts."""

    task_id: int
    plan_id: int
    year: int
    lead_unit_id: int | None


@dataclass
class Loaded:
    facts: list[TaskFacts] = field(default_factory=list)
    rows: dict[int, TaskRow] = field(default_factory=dict)


def today() -> datetime.date:
    return timezone.localdate()


def local_day(moment: datetime.datetime | None, zone: datetime.tzinfo | None = None) -> datetime.date | None:
    """The local date of a moment; a loop over many rows passes the time zone it looked up once."""
    return None if moment is None else timezone.localtime(moment, zone).date()


def _scope(ids: Sequence[int], prefix: str = "") -> Q:
    key = f"{prefix}id" if not prefix else f"{prefix}_id"
    if len(ids) <= IN_LIMIT:
        return Q(**{f"{key}__in": list(ids)})
    return Q(**{f"{key}__gte": min(ids), f"{key}__lte": max(ids)})


def end_of_day(as_of: datetime.date) -> datetime.datetime:
    moment = datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _task_rows(ids: Sequence[int], as_of: datetime.date, past: bool) -> dict[int, dict[str, Any]]:
    wanted = set(ids)
    fields = (
        "id",
        "plan_id",
        "plan__year",
        "category_id",
        "lead_unit_id",
        "status",
        "start",
        "due",
        "closed_on",
        "assigned_at",
        "progress",
        "progress_on",
    )
    rows = {r["id"]: r for r in Task.objects.filter(_scope(ids)).values(*fields) if r["id"] in wanted}
    if not past:
        return rows
    # The task as history recorded it at the end of `as_of`: the latest historical row up to then.
    historical = Task.history.model.objects.filter(_scope(ids), history_date__lt=end_of_day(as_of))  # type: ignore[attr-defined]
    seen: set[int] = set()
    then = historical.order_by("id", "-history_date", "-history_id").values(
        "id", "status", "start", "due", "closed_on", "assigned_at", "lead_unit_id", "progress", "progress_on"
    )
    for h in then.iterator(chunk_size=5000):
        tid = h["id"]
        if tid in seen or tid not in rows:
            continue
        seen.add(tid)
        rows[tid].update(h)
    unseen = [tid for tid in rows if tid not in seen]
    if unseen:
        _before_history(rows, unseen, as_of)
    for tid in seen:
        rows[tid]["as_recorded"] = True
    return rows


def _before_history(rows: dict[int, dict[str, Any]], unseen: list[int], as_of: datetime.date) -> None:
    """Tasks whose history starts after `as_of` (entered or imported after the fact).

    A task assigned by then (its `assigned_at`) is taken in its first recorded state past draft, and as not
    closed yet if it closed later; any other task did not exist or was still a draft.
    """
    assigned = [
        tid for tid in unseen if (day := local_day(rows[tid]["assigned_at"])) is not None and day <= as_of
    ]
    first: dict[int, dict[str, Any]] = {}
    if assigned:
        historical = Task.history.model.objects.filter(_scope(assigned)).exclude(status=DRAFT)  # type: ignore[attr-defined]
        wanted = set(assigned)
        for h in historical.order_by("id", "history_date", "history_id").values(
            "id", "status", "start", "due"
        ):
            if h["id"] in wanted and h["id"] not in first:
                first[h["id"]] = h
    for tid in unseen:
        row = rows[tid]
        h = first.get(tid)
        if h is None:
            row.update(status=DRAFT, closed_on=None, assigned_at=None)
            continue
        row.update(h)
        if row["status"] == CLOSED and (row["closed_on"] is None or row["closed_on"] > as_of):
            row.update(status=IN_PROGRESS, closed_on=None)


def _milestone_fact(row: tuple[Any, ...], as_of: datetime.date) -> MilestoneFact:
    mid, due, planned, done_on, evidence, title = row
    return MilestoneFact(
        due=due,
        planned_progress=None if planned is None else float(planned),
        done_on=done_on if done_on is not None and done_on <= as_of else None,
        evidence_required=evidence,
        milestone_id=mid,
        title=title,
    )


MILESTONE_FIELDS = ("id", "due", "planned_progress", "done_on", "evidence_required", "title")


def _milestones(
    ids: Sequence[int], wanted: set[int], as_of: datetime.date, as_recorded: set[int]
) -> dict[int, list[MilestoneFact]]:
    """The roadmap of each task: as history recorded it at the end of `as_of` for the tasks in `as_recorded`
    (a milestone added later is left out, one deleted since is back, with its date and planned progress then),
    as it stands now for the others (today, or a task entered after the fact)."""
    out: dict[int, list[MilestoneFact]] = defaultdict(list)
    current = [tid for tid in ids if tid in wanted and tid not in as_recorded]
    if current:
        keep = set(current)
        rows = Milestone.objects.filter(_scope(current, "task")).values_list("task_id", *MILESTONE_FIELDS)
        for row in rows.order_by("task_id", "due", "seq").iterator(chunk_size=10000):
            if row[0] in keep:
                out[row[0]].append(_milestone_fact(row[1:], as_of))
    if as_recorded:
        recorded = sorted(as_recorded)
        historical = Milestone.history.model.objects.filter(  # type: ignore[attr-defined]
            _scope(recorded, "task"), history_date__lt=end_of_day(as_of)
        )
        seen: set[int] = set()
        then = historical.order_by("id", "-history_date", "-history_id").values_list(
            "task_id", "history_type", *MILESTONE_FIELDS
        )
        for row in then.iterator(chunk_size=10000):
            tid, kind, mid = row[0], row[1], row[2]
            if mid in seen:
                continue
            seen.add(mid)
            if tid in as_recorded and kind != "-":
                out[tid].append(_milestone_fact(row[2:], as_of))
        for tid in recorded:
            out[tid].sort(key=lambda m: m.due)
    return out


def _reports(ids: Sequence[int], wanted: set[int], as_of: datetime.date) -> dict[int, list[ReportFact]]:
    """Filed reports known by the end of `as_of` (first submission counts: that is when the office saw it).

    The database gives each submission's local day (a date): a province's lights read millions of reports,
    and a time stamp costs Python far more to load than a date (Django loads it in Python, not in the
    driver's C code), then more again to turn into a local day."""
    out: dict[int, list[ReportFact]] = defaultdict(list)
    zone = timezone.get_current_timezone()
    edited = Q(submitted_at__isnull=False) & ~Q(submitted_at=F("first_submitted_at"))
    rows = (
        ProgressReport.objects.filter(
            _scope(ids, "task"), status__in=FILED, first_submitted_at__lt=end_of_day(as_of)
        )
        .annotate(
            submitted_day=TruncDate("first_submitted_at", tzinfo=zone),
            edited_day=Case(When(edited, then=TruncDate("submitted_at", tzinfo=zone)), default=None),
        )
        .values_list("task_id", "id", "unit_id", "period_end", "progress", "submitted_day", "edited_day")
        # each task's newest first, as the model's ordering gave, without its join of the task and plan to sort
        # every report of the plan by the tasks' codes
        .order_by("task_id", "-period_end")
    )
    for tid, rid, unit_id, period_end, progress, submitted, edited_on in rows.iterator(chunk_size=10000):
        if tid not in wanted:
            continue
        out[tid].append(
            ReportFact(
                period_end=period_end,
                progress=None if progress is None else float(progress),
                submitted_at=submitted,
                edited_at=edited_on,
                report_id=rid,
                task_id=tid,
                unit_id=unit_id,
            )
        )
    return out


def _escalations(
    ids: Sequence[int], wanted: set[int], as_of: datetime.date
) -> dict[int, list[EscalationFact]]:
    """Problems raised to a leader or the office (or escalated) by `as_of`, with when they were answered."""
    out: dict[int, list[EscalationFact]] = defaultdict(list)
    try:
        problem = apps.get_model("dispatch", "Problem")
    except LookupError:
        return out
    names = {f.name for f in problem._meta.get_fields()}
    if not {"raised_at", "answered_at", "addressed_to", "escalated_at"} <= names:
        return out
    escalated = Q(addressed_to__in=("leader", "office")) | Q(escalated_at__isnull=False)
    rows = problem.objects.filter(
        _scope(ids, "task"), escalated, raised_at__lt=end_of_day(as_of)
    ).values_list("task_id", "id", "raised_at", "escalated_at", "answered_at")
    for tid, pid, raised_at, escalated_at, answered_at in rows:
        if tid not in wanted:
            continue
        raised = local_day(escalated_at or raised_at)
        if raised is None or raised > as_of:
            continue
        out[tid].append(EscalationFact(raised_on=raised, answered_on=local_day(answered_at), problem_id=pid))
    return out


def _cycles(
    tasks: dict[int, dict[str, Any]], as_of: datetime.date, cal: WorkCalendar
) -> dict[int, tuple[CycleFact, ...]]:
    """The report periods each reporting task owed by `as_of`, from the cycle that applies to it."""
    keys = [
        TaskKey(tid, row["category_id"], row["plan_id"])
        for tid, row in tasks.items()
        if row["status"] in REPORTING
    ]
    if not keys:
        return {}
    plan_ids = {k.plan_id for k in keys}
    cycles = list(ReportCycle.objects.filter(plan_id__in=plan_ids))
    applied = resolve(keys, cycles)
    schedules: dict[tuple[int, int], list[CycleFact]] = {}
    out: dict[int, tuple[CycleFact, ...]] = {}
    shared: dict[tuple[int, int, datetime.date | None], tuple[CycleFact, ...]] = {}
    for tid, cycle in applied.items():
        row = tasks[tid]
        year = row["plan__year"]
        key = (cycle.pk, year)
        if key not in schedules:
            periods = schedule.schedule(year, cycle.frequency, cycle.rule(), cal, cycle.starts_on)
            schedules[key] = [CycleFact(p.end, p.due) for p in periods if p.due < as_of]
        begun = max(
            (d for d in (row["start"], local_day(row["assigned_at"])) if d is not None),
            default=None,
        )
        skey = (cycle.pk, year, begun)
        if skey not in shared:
            shared[skey] = tuple(c for c in schedules[key] if begun is None or c.period_end >= begun)
        out[tid] = shared[skey]
    return out


def _recorded_progress(
    row: dict[str, Any], reports: list[ReportFact], as_of: datetime.date
) -> ReportFact | None:
    """The task's own recorded progress (记录进度 on the task page, or an import) as a reading.

    Progress can be stated without a report; the light must not call such a task "never reported".
    It counts only when it is newer than every filed report and was known by `as_of`.
    """
    on, progress = row.get("progress_on"), row.get("progress")
    if on is None or progress is None or on > as_of:
        return None
    if any(r.period_end >= on for r in reports):
        return None
    return ReportFact(
        period_end=on,
        progress=float(progress),
        submitted_at=on,
        task_id=row["id"],
        unit_id=row["lead_unit_id"],
    )


def _measured_from(row: dict[str, Any]) -> datetime.date:
    """Where a task without a start date is measured from: the day it was assigned (交办), not 1 January,
    so that a task assigned in December is not "92 points behind" on its first day; never before the plan year."""
    year_start = datetime.date(row["plan__year"], 1, 1)
    assigned = local_day(row["assigned_at"])
    return max(assigned, year_start) if assigned is not None else year_start


def load_facts(
    task_ids: Iterable[int],
    as_of: datetime.date | None = None,
    *,
    cal: WorkCalendar | None = None,
    include_recorded: bool = True,
) -> Loaded:
    """TaskFacts of these tasks as known at the end of `as_of` (today when None), in a handful of queries.

    With `include_recorded`, a task's progress recorded outside reports counts as its latest reading.
    """
    ids = sorted(set(task_ids))
    loaded = Loaded()
    if not ids:
        return loaded
    as_of = as_of or today()
    past = as_of < today()
    tasks = _task_rows(ids, as_of, past)
    wanted = set(tasks)
    as_recorded = {tid for tid, row in tasks.items() if row.get("as_recorded")}
    milestones = _milestones(ids, wanted, as_of, as_recorded)
    reports = _reports(ids, wanted, as_of)
    escalations = _escalations(ids, wanted, as_of)
    cycles = _cycles(tasks, as_of, cal or calendar())
    for tid in ids:
        row = tasks.get(tid)
        if row is None:
            continue
        closed_on = row["closed_on"]
        task_reports = list(reports.get(tid, ()))
        if include_recorded and (recorded := _recorded_progress(row, task_reports, as_of)) is not None:
            task_reports.append(recorded)
        loaded.facts.append(
            TaskFacts(
                task_id=tid,
                status=row["status"],
                start=row["start"],
                due=row["due"],
                milestones=tuple(milestones.get(tid, ())),
                reports=tuple(task_reports),
                escalations=tuple(escalations.get(tid, ())),
                cycles=cycles.get(tid, ()),
                closed_on=closed_on if closed_on is None or closed_on <= as_of else None,
                default_start=_measured_from(row),
                unit_id=row["lead_unit_id"],
            )
        )
        loaded.rows[tid] = TaskRow(tid, row["plan_id"], row["plan__year"], row["lead_unit_id"])
    return loaded

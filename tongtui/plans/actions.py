"""Every write to plans, tasks, milestones and indicators. One transaction each; history names the actor."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.history import clip_reason, save_with_history
from tongtui.core.workdays import add_workdays
from tongtui.orgs.models import Unit
from tongtui.orgs.roles import roles_of
from tongtui.plans import rules
from tongtui.plans.codes_db import refresh_code_sort
from tongtui.plans.models import (
    Category,
    CoUnit,
    Indicator,
    IndicatorValue,
    Milestone,
    Plan,
    Task,
    TaskStatus,
)
from tongtui.plans.rollup import weighted_progress

TASK_FIELDS = {
    "parent",
    "code",
    "title",
    "category",
    "goal",
    "measures",
    "deliverables",
    "lead_unit",
    "leader",
    "owner",
    "start",
    "due",
    "deadline_text",
    "weight",
    "source",
    "is_public",
    "note",
}


OPEN_STATES = tuple(s for s in TaskStatus.values if s not in (TaskStatus.CLOSED, TaskStatus.CANCELLED))


def _require_office(by: Any) -> None:
    if not rules.may_manage(roles_of(by)):
        raise Forbidden(_("Only the supervision office can do this."))


def _require_status(task: Task, *allowed: str) -> None:
    if task.status not in allowed:
        raise ActionError(
            _("This is not possible while the task is “%(status)s”.") % {"status": task.get_status_display()}
        )


@transaction.atomic
def create_plan(*, by: Any, year: int, title: str = "", categories: Iterable[str] = ()) -> Plan:
    _require_office(by)
    plan = Plan(year=year, title=title or _("%(year)s key tasks") % {"year": year})
    save_with_history(plan, by=by)
    for order, name in enumerate(categories, start=1):
        create_category(plan, name, by=by, order=order)
    return plan


@transaction.atomic
def create_category(plan: Plan, name: str, *, by: Any, order: int | None = None) -> Category:
    _require_office(by)
    if order is None:
        order = plan.categories.count() + 1
    category = Category(plan=plan, name=name.strip(), order=order)
    save_with_history(category, by=by)
    return category


def _set_co_units(task: Task, units: Iterable[Unit], *, by: Any, reason: str) -> None:
    wanted = {u.pk: u for u in units if u.pk != task.lead_unit_id}
    links = {link.unit_id: link for link in task.co_unit_links.all()}
    for unit_id, link in links.items():
        if unit_id not in wanted:
            link._history_user = by  # type: ignore[attr-defined]
            link._change_reason = clip_reason(reason)  # type: ignore[attr-defined]
            link.delete()
    for unit_id, unit in wanted.items():
        if unit_id not in links:
            save_with_history(CoUnit(task=task, unit=unit), by=by, reason=reason)


@transaction.atomic
def create_task(
    *, by: Any, plan: Plan, co_units: Iterable[Unit] = (), reason: str = "", **fields: Any
) -> Task:
    _require_office(by)
    unknown = set(fields) - TASK_FIELDS
    if unknown:
        raise TypeError(f"unknown task fields: {sorted(unknown)}")
    task = Task(plan=plan, **fields)
    save_with_history(task, by=by, reason=reason)
    _set_co_units(task, co_units, by=by, reason=reason)
    if task.parent is not None:
        recompute_rollup(task.parent, by=by)
    return task


@transaction.atomic
def update_task(
    task: Task,
    *,
    by: Any,
    version: int | None = None,
    co_units: Iterable[Unit] | None = None,
    reason: str = "",
    **fields: Any,
) -> Task:
    """Change a task's charter. With `version`, refuse if someone saved the task in between."""
    _require_office(by)
    unknown = set(fields) - TASK_FIELDS
    if unknown:
        raise TypeError(f"unknown task fields: {sorted(unknown)}")
    _claim_version(task, version)
    old_parent = task.parent
    old_code = task.code
    for key, value in fields.items():
        setattr(task, key, value)
    save_with_history(task, by=by, reason=reason)
    if (task.code != old_code or task.parent != old_parent) and task.children.exists():
        refresh_code_sort([task.plan_id])  # the sub-tasks sort under the new code
    if co_units is not None:
        _set_co_units(task, co_units, by=by, reason=reason)
    for parent in {p for p in (old_parent, task.parent) if p is not None}:
        recompute_rollup(parent, by=by)
    return task


def _claim_version(task: Task, version: int | None) -> None:
    """Bump the task's version; with an expected version, only if nobody else bumped it first."""
    qs = Task.objects.filter(pk=task.pk)
    if version is not None:
        qs = qs.filter(version=version)
    if qs.update(version=F("version") + 1) == 0:
        current = Task.objects.filter(pk=task.pk).values_list("version", flat=True).first() or 0
        raise Conflict(
            _("Someone else changed this task while you were editing it. Reload to see their changes."),
            current_version=current,
        )
    task.version = Task.objects.values_list("version", flat=True).get(pk=task.pk)


def _claim_state(task: Task, *allowed: str, **still: Any) -> None:
    """Take the task for a transition: a conditional UPDATE that succeeds only while the task is still in
    one of the `allowed` statuses (and matches `still`, e.g. lead_acknowledged_at__isnull=True).

    The UPDATE holds the row until the transaction ends, so of two clicks or two people at once exactly one
    gets here; the other finds the task moved on and is refused with a Conflict naming its state now. The
    task is then reloaded, so that the save that follows writes today's row and not the one the caller saw.
    """
    qs = Task.objects.filter(pk=task.pk, **still)
    if allowed:
        qs = qs.filter(status__in=allowed)
    if qs.update(version=F("version") + 1) == 0:
        row = Task.objects.filter(pk=task.pk).values("status", "version").first() or {"status": "", "version": 0}
        task.status = row["status"]
        raise Conflict(
            _("This was already done or the task has moved on: it is now “%(status)s”. Reload the page.")
            % {"status": task.get_status_display()},
            current_version=row["version"],
        )
    task.refresh_from_db()


def assignment_numbers(plan_id: int, count: int) -> list[int]:
    """The plan's next `count` assignment numbers. The plan row is locked until the transaction ends, so that
    tasks assigned at once (one by one or in a batch) never take the same number."""
    Plan.objects.select_for_update().filter(pk=plan_id).values_list("pk", flat=True).first()
    last = Task.objects.filter(plan_id=plan_id).aggregate(m=Max("assignment_no"))["m"] or 0
    return list(range(last + 1, last + 1 + count))


def _next_assignment_no(plan_id: int) -> int:
    return assignment_numbers(plan_id, 1)[0]


def acknowledge_due(plan: Plan, now: datetime.datetime) -> datetime.date:
    """The day units must acknowledge a task assigned now by: the plan's number of working days."""
    return add_workdays(timezone.localdate(now), plan.acknowledge_workdays)


def mark_assigned(task: Task, *, now: datetime.datetime, number: int | None, ack_due: datetime.date) -> None:
    """What 交办 writes on a task (in memory; the caller claims and saves): its status, when, its number in
    the plan (a task keeps the one it has) and the day its units must acknowledge by."""
    task.status = TaskStatus.ASSIGNED
    task.assigned_at = now
    if task.assignment_no is None:
        task.assignment_no = number
    task.ack_due = ack_due


def unassignable(missing: list[str]) -> ActionError:
    return ActionError(
        _("The task cannot be assigned without: %(missing)s.") % {"missing": "、".join(missing)}
    )


@transaction.atomic
def assign_task(task: Task, *, by: Any, reason: str = "") -> Task:
    """交办: hand the task to its units. Needs a lead unit, a responsible leader and a responsible person."""
    _require_office(by)
    _require_status(task, TaskStatus.DRAFT)
    missing = task.missing_for_assignment()
    if missing:
        raise unassignable(missing)
    _claim_state(task, TaskStatus.DRAFT)
    missing = task.missing_for_assignment()
    if missing:  # someone cleared a field since the caller loaded the task
        raise unassignable(missing)
    now = timezone.now()
    number = _next_assignment_no(task.plan_id) if task.assignment_no is None else None
    mark_assigned(task, now=now, number=number, ack_due=acknowledge_due(task.plan, now))
    save_with_history(task, by=by, reason=reason or _("assigned"))
    return task


@transaction.atomic
def acknowledge_task(task: Task, *, by: Any, unit: Unit | None = None) -> Task:
    """签收: a lead or co-unit accepts the assignment. The lead unit's acknowledgement moves the task on."""
    roles = roles_of(by)
    co_ids = set(task.co_unit_links.values_list("unit_id", flat=True))
    allowed = rules.acknowledgeable_units(roles, task.lead_unit_id, co_ids)
    if unit is None:
        if len(allowed) != 1:
            raise ActionError(_("Choose the unit you acknowledge for."))
        unit_id = next(iter(allowed))
    else:
        unit_id = unit.pk
    if unit_id not in allowed:
        raise Forbidden(_("You cannot acknowledge this task for that unit."))
    if task.status == TaskStatus.DRAFT:
        raise ActionError(_("The task has not been assigned yet."))
    now = timezone.now()
    if unit_id == task.lead_unit_id:
        if task.lead_acknowledged_at:
            raise ActionError(_("The lead unit has already acknowledged this task."))
        try:
            _claim_state(task, lead_unit_id=unit_id, lead_acknowledged_at__isnull=True)
        except Conflict:
            raise Conflict(
                _("The lead unit has already acknowledged this task."), current_version=task.version
            ) from None
        if task.status == TaskStatus.DRAFT:
            raise ActionError(_("The task has not been assigned yet."))
        task.lead_acknowledged_at = now
        if task.status == TaskStatus.ASSIGNED:
            task.status = TaskStatus.ACKNOWLEDGED
        save_with_history(task, by=by, reason=_("acknowledged by the lead unit"))
    else:
        claimed = CoUnit.objects.filter(task=task, unit_id=unit_id, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by_id=roles.person_id
        )
        if not claimed:
            raise Conflict(_("Your unit has already acknowledged this task."), current_version=task.version)
        link = task.co_unit_links.get(unit_id=unit_id)
        save_with_history(link, by=by, reason=_("acknowledged by a co-unit"))
    return task


@transaction.atomic
def record_progress(
    task: Task,
    *,
    by: Any,
    progress: Decimal,
    note: str = "",
    on: datetime.date | None = None,
    reason: str = "",
) -> Task:
    """The lead unit states the task's visible progress (形象进度) and what has been done."""
    if not rules.may_report(roles_of(by), task.lead_unit_id):
        raise Forbidden(_("Only the lead unit or the office can record progress."))
    open_states = (TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS, TaskStatus.ASSIGNED)
    _require_status(task, *open_states)
    if task.status == TaskStatus.ASSIGNED and not roles_of(by).is_office:
        raise ActionError(_("Acknowledge the task before reporting on it."))
    _claim_state(task, *open_states)
    task.progress = Decimal(progress)
    task.progress_note = note
    task.progress_on = on or timezone.localdate()
    task.status = TaskStatus.IN_PROGRESS
    save_with_history(task, by=by, reason=reason or _("progress recorded"))
    if task.parent is not None:
        recompute_rollup(task.parent, by=by)
    return task


@transaction.atomic
def request_completion(task: Task, *, by: Any, note: str = "") -> Task:
    if not rules.may_request_completion(roles_of(by), task.lead_unit_id):
        raise Forbidden(_("Only the lead unit's head can ask for the task to be closed."))
    _require_status(task, TaskStatus.IN_PROGRESS)
    _claim_state(task, TaskStatus.IN_PROGRESS)
    task.status = TaskStatus.COMPLETION_REQUESTED
    save_with_history(task, by=by, reason=note or _("completion requested"))
    return task


@transaction.atomic
def close_task(task: Task, *, by: Any, on: datetime.date | None = None, reason: str = "") -> Task:
    """销号: the office verifies and closes the task."""
    _require_office(by)
    _require_status(task, TaskStatus.COMPLETION_REQUESTED, TaskStatus.IN_PROGRESS)
    _claim_state(task, TaskStatus.COMPLETION_REQUESTED, TaskStatus.IN_PROGRESS)
    task.status = TaskStatus.CLOSED
    task.closed_on = on or timezone.localdate()
    task.progress = Decimal(100)
    save_with_history(task, by=by, reason=reason or _("closed"))
    if task.parent is not None:
        recompute_rollup(task.parent, by=by)
    return task


@transaction.atomic
def return_completion(task: Task, *, by: Any, reason: str) -> Task:
    _require_office(by)
    _require_status(task, TaskStatus.COMPLETION_REQUESTED)
    if not reason.strip():
        raise ActionError(_("Give the reason for sending the task back."))
    _claim_state(task, TaskStatus.COMPLETION_REQUESTED)
    task.status = TaskStatus.IN_PROGRESS
    save_with_history(task, by=by, reason=reason)
    return task


@transaction.atomic
def suspend_task(task: Task, *, by: Any, reason: str) -> Task:
    _require_office(by)
    _require_status(task, TaskStatus.ASSIGNED, TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS)
    _claim_state(task, TaskStatus.ASSIGNED, TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS)
    task.status = TaskStatus.SUSPENDED
    save_with_history(task, by=by, reason=reason)
    return task


@transaction.atomic
def resume_task(task: Task, *, by: Any, reason: str = "") -> Task:
    _require_office(by)
    _require_status(task, TaskStatus.SUSPENDED)
    _claim_state(task, TaskStatus.SUSPENDED)
    task.status = TaskStatus.IN_PROGRESS if task.lead_acknowledged_at else TaskStatus.ASSIGNED
    save_with_history(task, by=by, reason=reason or _("resumed"))
    return task


@transaction.atomic
def cancel_task(task: Task, *, by: Any, reason: str) -> Task:
    _require_office(by)
    if not task.is_open:
        raise ActionError(_("The task is already closed or cancelled."))
    if not reason.strip():
        raise ActionError(_("Give the reason for cancelling the task."))
    _claim_state(task, *OPEN_STATES)
    task.status = TaskStatus.CANCELLED
    save_with_history(task, by=by, reason=reason)
    if task.parent is not None:
        recompute_rollup(task.parent, by=by)
    return task


def recompute_rollup(task: Task, *, by: Any) -> None:
    """Set a parent's progress from its children's, then its parent's, up to the root."""
    node: Task | None = task
    seen: set[int] = set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        pairs = list(node.children.exclude(status=TaskStatus.CANCELLED).values_list("weight", "progress"))
        value = weighted_progress(pairs)
        if value is not None and value != node.progress:
            node.progress = value
            save_with_history(node, by=by, reason=_("progress rolled up from sub-tasks"))
        node = node.parent


@transaction.atomic
def add_milestone(
    task: Task,
    *,
    by: Any,
    title: str,
    due: datetime.date,
    planned_progress: Decimal,
    deliverable: str = "",
    evidence_required: bool = False,
    seq: int | None = None,
    reason: str = "",
) -> Milestone:
    _require_office(by)
    if seq is None:
        seq = task.milestones.count() + 1
    milestone = Milestone(
        task=task,
        title=title,
        due=due,
        planned_progress=planned_progress,
        deliverable=deliverable,
        evidence_required=evidence_required,
        seq=seq,
    )
    save_with_history(milestone, by=by, reason=reason)
    return milestone


@transaction.atomic
def update_milestone(milestone: Milestone, *, by: Any, reason: str = "", **fields: Any) -> Milestone:
    _require_office(by)
    for key, value in fields.items():
        setattr(milestone, key, value)
    save_with_history(milestone, by=by, reason=reason)
    return milestone


@transaction.atomic
def delete_milestone(milestone: Milestone, *, by: Any, reason: str = "") -> None:
    _require_office(by)
    milestone._history_user = by  # type: ignore[attr-defined]
    milestone._change_reason = clip_reason(reason)  # type: ignore[attr-defined]
    milestone.delete()


@transaction.atomic
def add_indicator(
    task: Task,
    *,
    by: Any,
    name: str,
    target: Decimal,
    unit_of_measure: str = "",
    baseline: Decimal | None = None,
    direction: str = Indicator.Direction.INCREASE,
    reason: str = "",
) -> Indicator:
    _require_office(by)
    indicator = Indicator(
        task=task,
        name=name,
        target=target,
        unit_of_measure=unit_of_measure,
        baseline=baseline,
        direction=direction,
    )
    save_with_history(indicator, by=by, reason=reason)
    return indicator


@transaction.atomic
def record_indicator_value(
    indicator: Indicator, *, by: Any, period: datetime.date, value: Decimal, note: str = "", reason: str = ""
) -> IndicatorValue:
    """Record (or correct) an indicator's actual value for a period. The lead unit or the office."""
    if not rules.may_report(roles_of(by), indicator.task.lead_unit_id):
        raise Forbidden(_("Only the lead unit or the office can record indicator values."))
    row = IndicatorValue.objects.filter(indicator=indicator, period=period).first()
    if row is None:
        row = IndicatorValue(indicator=indicator, period=period)
    row.value = Decimal(value)
    row.note = note
    save_with_history(row, by=by, reason=reason)
    return row

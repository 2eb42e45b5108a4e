"""年终评估 writes: the office records what became of each task of a plan year — closed (办结), carried over (结转)
or cancelled (撤销) — and carries the unfinished ones into the next plan year with their history linked.

`record_outcomes` decides many tasks at once, all or nothing: when one task cannot take the outcome, nothing is
written and every refusal is named with its task. Rules, per outcome:

- closed: a closed task as it is; a task whose completion was requested is closed (销号) now; any other open,
  assigned task is closed by the office only with a reason; a draft (never assigned) or cancelled task cannot
  be closed — carry it over or cancel it.
- cancelled: always with a reason; an open task (draft included) is cancelled now; a cancelled task as it is;
  a closed task cannot be cancelled.
- carried over: always with a reason; only an open task (draft included). It keeps its status in its own year
  and is copied into the next plan year as a draft when that year exists (else later, by `carry_over`).

Each task is claimed inside the transaction (its row locked, or a conditional UPDATE on its status where the
status changes) and the outcome is unique per task, so a double submit records it once; the loser gets a
Conflict. Carrying over is idempotent: a task has at most one copy (`Task.carried_from` is one-to-one).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.errors import ActionError, Conflict
from tongtui.core.history import save_with_history
from tongtui.plans.actions import OPEN_STATES, _claim_state, _require_office, recompute_rollup
from tongtui.plans.models import (
    NEEDS_REASON,
    Category,
    CoGroup,
    CoUnit,
    Milestone,
    Outcome,
    Plan,
    Task,
    TaskOutcome,
    TaskStatus,
)

# a task whose completion was requested closes without a further reason; other open, assigned states need one
CLOSABLE_PLAIN = (TaskStatus.COMPLETION_REQUESTED,)
CLOSABLE_WITH_REASON = (
    TaskStatus.ASSIGNED,
    TaskStatus.ACKNOWLEDGED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.SUSPENDED,
)


class Refused(ActionError):
    """Some of the tasks cannot take the outcome: nothing was written. `refusals` maps task id to why."""

    def __init__(self, refusals: dict[int, str], labels: dict[int, str]) -> None:
        super().__init__({"tasks": [f"{labels[pk]}: {why}" for pk, why in refusals.items()]})
        self.refusals = refusals


def refusal(task: Task, outcome: str, reason: str) -> str | None:
    """Why this task cannot take this outcome (None: it can). Pure over the task's status."""
    status = task.status
    if outcome == Outcome.CLOSED:
        if status == TaskStatus.DRAFT:
            return _("A draft task was never assigned: carry it over or cancel it.")
        if status == TaskStatus.CANCELLED:
            return _("The task is cancelled: record it as cancelled.")
        if status in CLOSABLE_WITH_REASON and not reason.strip():
            return _("The task is “%(status)s”, not completed: give the reason for closing it.") % {
                "status": task.get_status_display()
            }
        return None
    if outcome in NEEDS_REASON and not reason.strip():
        return _("Give the reason.")
    if outcome == Outcome.CANCELLED and status == TaskStatus.CLOSED:
        return _("The task is closed: record it as closed.")
    if outcome == Outcome.CARRIED_OVER and status not in OPEN_STATES:
        return _("Only an unfinished task can be carried over.")
    if outcome not in Outcome.values:
        return _("Unknown outcome.")
    return None


def next_plan(plan: Plan) -> Plan | None:
    return Plan.objects.filter(year=plan.year + 1).first()


@dataclass(frozen=True)
class Recorded:
    outcomes: list[TaskOutcome]
    carried: int  # copies made in the next year now
    waiting: int  # carried over, but the next year is not open yet


@transaction.atomic
def record_outcomes(
    plan: Plan, task_ids: Iterable[int], *, by: Any, outcome: str, reason: str = ""
) -> Recorded:
    """Give these tasks of the plan one year-end outcome, all or nothing (see the module's rules)."""
    _require_office(by)
    ids = sorted(set(task_ids))
    if not ids:
        raise ActionError(_("Choose at least one task."))
    if outcome not in Outcome.values:
        raise ActionError(_("Unknown outcome."))
    reason = reason.strip()
    # The rows are locked in id order (two batches at once cannot deadlock); the loser of a race waits here and
    # then finds the outcomes recorded.
    tasks = list(Task.objects.select_for_update(of=("self",)).filter(plan=plan, pk__in=ids).order_by("pk"))
    if len(tasks) != len(ids):
        raise ActionError(_("Some of the tasks are not in the plan year %(year)s.") % {"year": plan.year})
    labels = {t.pk: f"{t.code} {t.title}" for t in tasks}
    done = set(TaskOutcome.objects.filter(task_id__in=ids).values_list("task_id", flat=True))
    if done:
        names = "、".join(labels[pk] for pk in sorted(done))
        raise Conflict(
            _("Already decided: %(tasks)s. Reload the page.") % {"tasks": names}, current_version=0
        )
    refusals = {t.pk: why for t in tasks if (why := refusal(t, outcome, reason)) is not None}
    if refusals:
        raise Refused(refusals, labels)
    now = timezone.now()
    rows = []
    for task in _parents_first(tasks):
        _apply(task, outcome, reason, by=by, on=timezone.localdate(now))
        row = TaskOutcome(plan=plan, task=task, outcome=outcome, reason=reason, decided_by=by, decided_at=now)
        try:
            with transaction.atomic():
                save_with_history(row, by=by, reason=reason or row.get_outcome_display())
        except IntegrityError:  # recorded by another request between our check and now
            raise Conflict(_("Already decided: %(tasks)s. Reload the page.") % {"tasks": labels[task.pk]},
                           current_version=0) from None  # fmt: skip
        rows.append(row)
    carried = waiting = 0
    if outcome == Outcome.CARRIED_OVER:
        target = next_plan(plan)
        if target is None:
            waiting = len(rows)
        else:
            carried = sum(1 for row in rows if _carry(row, target, by=by))
    return Recorded(rows, carried, waiting)


def _parents_first(tasks: list[Task]) -> list[Task]:
    return sorted(tasks, key=lambda t: (t.code_sort, t.code))


def _apply(task: Task, outcome: str, reason: str, *, by: Any, on: datetime.date) -> None:
    """What the outcome does to the task itself: closing or cancelling an open one; carrying keeps it."""
    if outcome == Outcome.CLOSED and task.status != TaskStatus.CLOSED:
        _claim_state(task, *CLOSABLE_PLAIN, *CLOSABLE_WITH_REASON)
        task.status = TaskStatus.CLOSED
        task.closed_on = on
        save_with_history(task, by=by, reason=reason or _("closed at the year-end review"))
    elif outcome == Outcome.CANCELLED and task.status != TaskStatus.CANCELLED:
        _claim_state(task, *OPEN_STATES)
        task.status = TaskStatus.CANCELLED
        save_with_history(task, by=by, reason=reason)
    else:
        return
    if task.parent is not None:
        recompute_rollup(task.parent, by=by)


@dataclass(frozen=True)
class CarriedOver:
    made: int
    already: int


@transaction.atomic
def carry_over(plan: Plan, *, by: Any) -> CarriedOver:
    """Copy every task of the plan recorded as carried over and not copied yet into the next plan year.
    Idempotent: run twice (or twice at once), each task has one copy."""
    _require_office(by)
    target = next_plan(plan)
    if target is None:
        raise ActionError(
            _("Open the plan year %(year)s first: the carried-over tasks go into it.")
            % {"year": plan.year + 1}
        )
    Plan.objects.select_for_update().filter(pk=target.pk).first()  # one carry-over into a year at a time
    rows = list(
        TaskOutcome.objects.filter(plan=plan, outcome=Outcome.CARRIED_OVER)
        .select_related("task")
        .order_by("task__code_sort", "task__code")
    )
    made = sum(1 for row in rows if row.carried_to_id is None and _carry(row, target, by=by))
    return CarriedOver(made, len(rows) - made)


def _free_code(target: Plan, old: Task) -> str:
    taken = set(Task.objects.filter(plan=target).filter(
        Q(code=old.code) | Q(code__startswith=f"{old.plan.year}-")).values_list("code", flat=True))  # fmt: skip
    if old.code not in taken:
        return old.code
    code = f"{old.plan.year}-{old.code}"[:40]
    n = 2
    while code in taken:
        code = f"{old.plan.year}-{old.code}-{n}"[:40]
        n += 1
    return code


def _carry(row: TaskOutcome, target: Plan, *, by: Any) -> bool:
    """Make (or find) the copy of row's task in `target` and link both ways. True when a copy was made."""
    old = (
        Task.objects.select_for_update(of=("self",))
        .select_related("category", "parent", "plan")
        .get(pk=row.task_id)
    )
    existing = Task.objects.filter(carried_from=old).first()
    made = existing is None
    if existing is None:
        existing = _copy(old, target, by=by)
    TaskOutcome.objects.filter(pk=row.pk).update(carried_to=existing)
    row.carried_to = existing
    if made:
        save_with_history(row, by=by, reason=_("carried over to %(year)s: %(code)s") % {
            "year": target.year, "code": existing.code})  # fmt: skip
    return made


def _copy(old: Task, target: Plan, *, by: Any) -> Task:
    category = None
    if old.category is not None:
        category = Category.objects.filter(plan=target, name=old.category.name).first()
    parent = None
    if old.parent is not None:
        parent = Task.objects.filter(carried_from=old.parent, plan=target).first()
    task = Task(
        plan=target, parent=parent, code=_free_code(target, old), title=old.title, category=category,
        goal=old.goal, measures=old.measures, deliverables=old.deliverables,
        lead_unit=old.lead_unit, lead_text=old.lead_text, leader=old.leader, owner=old.owner,
        leader_post=old.leader_post, owner_post=old.owner_post, leader_text=old.leader_text,
        owner_text=old.owner_text, deadline_text=old.deadline_text, weight=old.weight, source=old.source,
        is_public=old.is_public, note=old.note, carried_from=old, status=TaskStatus.DRAFT,
    )  # fmt: skip
    why = _("carried over from %(year)s: %(code)s %(title)s") % {
        "year": old.plan.year, "code": old.code, "title": old.title}  # fmt: skip
    try:
        with transaction.atomic():
            save_with_history(task, by=by, reason=why)
    except IntegrityError:  # copied by another request at the same moment
        raise Conflict(
            _("This task was carried over meanwhile. Reload the page."), current_version=0
        ) from None
    for link in CoUnit.objects.filter(task=old).order_by("pk"):
        save_with_history(
            CoUnit(task=task, unit_id=link.unit_id, via_group_id=link.via_group_id), by=by, reason=why
        )
    for group in CoGroup.objects.filter(task=old).order_by("pk"):
        save_with_history(
            CoGroup(task=task, group_id=group.group_id, written=group.written), by=by, reason=why
        )
    for m in Milestone.objects.filter(task=old, done_on__isnull=True).order_by("due", "seq"):
        copy = Milestone(task=task, seq=m.seq, title=m.title, due=m.due, original_due=m.original_due,
                         deliverable=m.deliverable, planned_progress=m.planned_progress,
                         evidence_required=m.evidence_required)  # fmt: skip
        save_with_history(copy, by=by, reason=why)
    # the old task's own history says where it went; its status stays what it was
    save_with_history(old, by=by, reason=_("carried over to %(year)s: %(code)s") % {
        "year": target.year, "code": task.code})  # fmt: skip
    return task


def undecided(plan: Plan) -> QuerySet[Task]:
    """The plan's tasks without a year-end outcome (a queryset)."""
    return Task.objects.filter(plan=plan, outcome__isnull=True)


@transaction.atomic
def settle_finished(plan: Plan, *, by: Any) -> int:
    """Record the outcome of every task already closed (办结) or cancelled during the year, the cancelled ones
    with the reason given when they were cancelled. Idempotent: tasks with an outcome are left alone."""
    _require_office(by)
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    now = timezone.now()
    finished = list(
        undecided(plan).filter(status__in=(TaskStatus.CLOSED, TaskStatus.CANCELLED)).order_by("pk")
    )
    why = _cancel_reasons([t.pk for t in finished if t.status == TaskStatus.CANCELLED])
    for task in finished:
        outcome = Outcome.CLOSED if task.status == TaskStatus.CLOSED else Outcome.CANCELLED
        reason = why.get(task.pk) or (_("cancelled during the year") if outcome == Outcome.CANCELLED else "")
        row = TaskOutcome(plan=plan, task=task, outcome=outcome, reason=reason, decided_by=by, decided_at=now)
        try:
            with transaction.atomic():
                save_with_history(row, by=by, reason=_("recorded as it ended during the year"))
        except IntegrityError:  # decided by another request at the same moment
            raise Conflict(_("Already decided: %(tasks)s. Reload the page.") % {"tasks": f"{task.code} {task.title}"},
                           current_version=0) from None  # fmt: skip
    return len(finished)


def _cancel_reasons(task_ids: list[int]) -> dict[int, str]:
    """The reason written when each task was cancelled (its first history row with status cancelled)."""
    out: dict[int, str] = {}
    rows = (
        Task.history.filter(id__in=task_ids, status=TaskStatus.CANCELLED)
        .order_by("id", "history_date")
        .values_list("id", "history_change_reason")
    )
    for pk, reason in rows:
        out.setdefault(pk, reason or "")
    return out

"""Bulk work on many tasks at once, for the office's selection on the task list and the API: 交办 (assign),
the responsible leader, the responsible person, the category.

The same rules as the per-task actions, over the whole selection in one transaction: the office only; the
selected rows locked (in one order, so two batches never wait on each other in a circle) and read afresh; a
task is assigned only by a conditional UPDATE that finds it still in draft; assignment numbers under the
plan's lock; one history entry per changed task naming the actor; the changed tasks announced to the lights.
A task the rules refuse is left as it is and listed with the reason; the others are done.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from tongtui.core.errors import Conflict
from tongtui.core.history import clip_reason
from tongtui.plans.actions import (
    _require_office,
    acknowledge_due,
    assignment_numbers,
    mark_assigned,
)
from tongtui.plans.actions_bulk import _field_errors, _mark_changed
from tongtui.plans.models import Task, TaskStatus

# The task fields a batch may set, each to one value for every selected task.
FIELDS = ("leader", "owner", "category")
ENDED = (TaskStatus.CLOSED, TaskStatus.CANCELLED)
BATCH = 500  # rows per UPDATE … CASE and per history insert


@dataclass
class Outcome:
    """What a batch did (or, as a preview, would do) to each selected task, in code order."""

    done: list[Task] = field(default_factory=list)
    unchanged: list[Task] = field(default_factory=list)  # already so: nothing written
    refused: list[tuple[Task, str]] = field(default_factory=list)  # left as they are, with the reason

    @property
    def total(self) -> int:
        return len(self.done) + len(self.unchanged) + len(self.refused)


def in_code_order(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.order_by("plan_id", "code_sort", "code", "pk")


def selected(tasks: QuerySet[Task] | Iterable[int]) -> QuerySet[Task]:
    """The selection as one query on tasks: a queryset (a filter re-run on the server) or a list of ids."""
    if isinstance(tasks, QuerySet):
        return Task.objects.filter(pk__in=tasks.order_by().values("pk"))
    return Task.objects.filter(pk__in=list(tasks))


def load(tasks: QuerySet[Task] | Iterable[int], *, lock: bool = False) -> list[Task]:
    """The selected tasks in code order, with what the rules, clean() and the bulk pages read. With `lock`,
    the rows are locked until the transaction ends and read afresh (a row another batch changed in the
    meantime is read as it now is); every batch locks in this same order, so two never wait on each other."""
    qs = selected(tasks).select_related(
        "plan", "category", "parent", "lead_unit", "leader", "owner", "owner_post__unit", "leader_post__unit"
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    return list(in_code_order(qs))


def assignment_gaps(task: Task) -> str:
    """Why the task cannot be assigned yet, in words ("" when nothing is missing): the fields
    Task.missing_for_assignment() names, and a post named instead of a person said as such."""
    missing = task.missing_for_assignment()
    if not missing:
        return ""
    posts = {
        str(_("responsible leader")): task.leader_post if task.leader_id is None else None,
        str(_("responsible person")): task.owner_post if task.owner_id is None else None,
    }
    plain = [name for name in missing if posts.get(name) is None]
    parts = [_("lacks %(fields)s") % {"fields": _(", ").join(plain)}] if plain else []
    for name in missing:
        post = posts.get(name)
        if post is not None:
            parts.append(
                _("the %(field)s is the post “%(post)s”, which has no person named yet")
                % {"field": name, "post": post.label}
            )
    return _("; ").join(parts)


def plan_assignment(tasks: Iterable[Task]) -> Outcome:
    """Which tasks 交办 would assign, and why it would leave each of the others: not in draft, or missing
    what assigning needs."""
    outcome = Outcome()
    for task in tasks:
        if task.status != TaskStatus.DRAFT:
            outcome.refused.append(
                (task, _("not in draft, it is “%(status)s”") % {"status": task.get_status_display()})
            )
        elif gaps := assignment_gaps(task):
            outcome.refused.append((task, gaps))
        else:
            outcome.done.append(task)
    return outcome


def left_alone(task: Task) -> str:
    return _("it is “%(status)s”") % {"status": task.get_status_display()}


def plan_field(tasks: Iterable[Task], name: str, value: Any = None) -> Outcome:
    """Which tasks setting `name` to `value` would change. Closed and cancelled tasks are left as they are;
    a task that already has the value is unchanged (without a value: every open task would change)."""
    if name not in FIELDS:
        raise TypeError(f"not a field for bulk work: {name}")
    outcome = Outcome()
    for task in tasks:
        if task.status in ENDED:
            outcome.refused.append((task, left_alone(task)))
        elif value is not None and getattr(task, f"{name}_id") == value.pk:
            outcome.unchanged.append(task)
        else:
            outcome.done.append(task)
    return outcome


def _refuse_invalid(outcome: Outcome, order: list[Task]) -> None:
    """full_clean over the tasks about to be written (clean() and the fields' own rules, without a query):
    a task the model refuses moves to the refused ones with the model's messages, as it is stored."""
    kept = []
    for task in outcome.done:
        messages: list[str] = []
        _field_errors(task, messages)
        if messages:
            task.refresh_from_db()
            outcome.refused.append((task, " ".join(messages)))
        else:
            kept.append(task)
    if len(kept) < len(outcome.done):
        place = {t.pk: i for i, t in enumerate(order)}
        outcome.refused.sort(key=lambda item: place[item[0].pk])
    outcome.done = kept


def _history(tasks: list[Task], *, by: Any, reason: str) -> None:
    """One "changed" history entry per task, as the task now is, naming the actor: inserted together."""
    bulk_update_with_history(
        tasks, Task, [], batch_size=BATCH, default_user=by, default_change_reason=clip_reason(reason)
    )


@transaction.atomic
def assign_tasks(tasks: QuerySet[Task] | Iterable[int], *, by: Any, reason: str = "") -> Outcome:
    """交办 for every selected task that is in draft and has its lead unit, leader and person; the rules and
    writes of plans.actions.assign_task, set-based. Of two batches (or a batch and a single assign) over the
    same task at once, exactly one assigns it; the other finds it assigned and lists it as not in draft."""
    _require_office(by)
    rows = load(tasks, lock=True)
    outcome = plan_assignment(rows)
    now = timezone.now()
    due_by_plan: dict[int, datetime.date] = {}
    for task in outcome.done:
        if task.plan_id not in due_by_plan:
            due_by_plan[task.plan_id] = acknowledge_due(task.plan, now)
        mark_assigned(task, now=now, number=None, ack_due=due_by_plan[task.plan_id])
    _refuse_invalid(outcome, rows)
    if not outcome.done:
        return outcome
    claimed = 0
    for plan_id, due in due_by_plan.items():  # one conditional UPDATE per plan year: the tasks still in draft
        ids = [t.pk for t in outcome.done if t.plan_id == plan_id]
        claimed += Task.objects.filter(pk__in=ids, status=TaskStatus.DRAFT).update(
            status=TaskStatus.ASSIGNED, assigned_at=now, ack_due=due, version=F("version") + 1, updated_at=now
        )
    # The rows are locked, so all of them are still in draft; were one not, nothing would be written.
    if claimed != len(outcome.done):
        raise Conflict(
            _("Some of these tasks were assigned by someone else just now. Reload the page and try again."),
            current_version=0,
        )
    unnumbered: dict[int, list[Task]] = {}
    for task in outcome.done:
        task.version += 1
        task.updated_at = now
        if task.assignment_no is None:
            unnumbered.setdefault(task.plan_id, []).append(task)
    for plan_id in sorted(unnumbered):
        for task, number in zip(
            unnumbered[plan_id], assignment_numbers(plan_id, len(unnumbered[plan_id])), strict=True
        ):
            task.assignment_no = number
    numbered = [t for group in unnumbered.values() for t in group]
    if numbered:
        Task.objects.bulk_update(numbered, ["assignment_no"], batch_size=BATCH)
    _history(outcome.done, by=by, reason=reason or _("assigned"))
    _mark_changed({t.pk for t in outcome.done})
    return outcome


@transaction.atomic
def set_field(
    tasks: QuerySet[Task] | Iterable[int], name: str, value: Any, *, by: Any, reason: str = ""
) -> Outcome:
    """Set the responsible leader, the responsible person or the category of every selected open task, as
    plans.actions.update_task would one by one: the version bumped, clean() checked, one history entry each."""
    _require_office(by)
    if value is None:
        raise TypeError(f"bulk work sets {name} to a value")
    rows = load(tasks, lock=True)
    outcome = plan_field(rows, name, value)
    now = timezone.now()
    for task in outcome.done:
        setattr(task, name, value)
        task.version += 1
        task.updated_at = now
    _refuse_invalid(outcome, rows)
    if not outcome.done:
        return outcome
    ids = [t.pk for t in outcome.done]
    Task.objects.filter(pk__in=ids).update(**{name: value, "version": F("version") + 1, "updated_at": now})
    _history(outcome.done, by=by, reason=reason)
    _mark_changed(set(ids))
    return outcome

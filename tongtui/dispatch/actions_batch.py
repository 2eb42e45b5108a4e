"""Bulk work that needs dispatch: a task-scoped report cycle (报送周期) for every selected task at once.

The rules of actions_cycles.set_report_cycle over the whole selection in one transaction: the office only; the
cycle's frequency and due rule checked once; the selected tasks locked so that two batches never create the
same task's cycle twice; new cycles inserted together and changed ones updated, one history entry each
naming the actor; the tasks announced to the lights (a cycle decides when a report is late).
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from tongtui.core.history import clip_reason
from tongtui.dispatch.actions_cycles import CYCLE_FIELDS, _check_fields, _require_office
from tongtui.dispatch.models import ReportCycle
from tongtui.plans.actions_batch import BATCH, ENDED, Outcome, left_alone, load
from tongtui.plans.actions_bulk import _mark_changed
from tongtui.plans.models import Task


def complete_rule(fields: dict[str, Any]) -> dict[str, Any]:
    """Every field of a cycle's rule: the given ones, the model's defaults for the others. A batch gives each
    task exactly this cycle, whatever it had before."""
    _check_fields(fields, CYCLE_FIELDS)
    blank = ReportCycle()
    return {name: fields.get(name, getattr(blank, name)) for name in sorted(CYCLE_FIELDS)}


def check_rule(fields: dict[str, Any]) -> None:
    """The frequency and due rule, checked once for the whole batch: ValidationError by field."""
    ReportCycle(**fields).full_clean(
        exclude=["plan", "category", "task"], validate_unique=False, validate_constraints=False
    )


def plan_cycles(tasks: Iterable[Task], existing: dict[int, ReportCycle], fields: dict[str, Any]) -> Outcome:
    """Which tasks would get this cycle: closed and cancelled ones are left as they are, a task whose own
    cycle is already this one is unchanged."""
    outcome = Outcome()
    for task in tasks:
        cycle = existing.get(task.pk)
        if task.status in ENDED:
            outcome.refused.append((task, left_alone(task)))
        elif cycle is not None and all(getattr(cycle, k) == v for k, v in fields.items()):
            outcome.unchanged.append(task)
        else:
            outcome.done.append(task)
    return outcome


def task_cycles(task_ids: Iterable[int]) -> dict[int, ReportCycle]:
    """The tasks' own cycles (not the plan's or the category's), by task id, in one query."""
    return {c.task_id: c for c in ReportCycle.objects.filter(task_id__in=list(task_ids))}  # type: ignore[misc]


@transaction.atomic
def set_report_cycles(tasks: Any, *, by: Any, reason: str = "", **fields: Any) -> Outcome:
    """Give every selected open task its own report cycle with these fields (CYCLE_FIELDS), creating it or
    changing the one it has. `tasks` is a queryset or a list of task ids."""
    _require_office(by)
    fields = complete_rule(fields)
    check_rule(fields)
    rows = load(tasks, lock=True)
    existing = task_cycles(t.pk for t in rows)
    outcome = plan_cycles(rows, existing, fields)
    if not outcome.done:
        return outcome
    created = [
        ReportCycle(plan=task.plan, task=task, **fields) for task in outcome.done if task.pk not in existing
    ]
    changed = [existing[task.pk] for task in outcome.done if task.pk in existing]
    for cycle in changed:
        for name, value in fields.items():
            setattr(cycle, name, value)
    why = clip_reason(reason or _("report cycle set for the selected tasks"))
    if created:
        bulk_create_with_history(
            created, ReportCycle, batch_size=BATCH, default_user=by, default_change_reason=why
        )
    if changed:
        ReportCycle.objects.filter(pk__in=[c.pk for c in changed]).update(**fields)
        bulk_update_with_history(
            changed, ReportCycle, [], batch_size=BATCH, default_user=by, default_change_reason=why
        )
    _mark_changed({t.pk for t in outcome.done})
    return outcome

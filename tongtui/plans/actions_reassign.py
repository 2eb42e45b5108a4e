"""Task writes the office makes when it grants a unit's request on an assigned task: another lead unit
(申请调整牵头单位) and a later due date for the task or one of its milestones (延期申请).

The requests live in dispatch, which notifies people; these functions only change the task, with history.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.errors import ActionError
from tongtui.core.history import save_with_history
from tongtui.orgs.models import Unit
from tongtui.plans.actions import OPEN_STATES, _claim_state, _require_office, _set_co_units, acknowledge_due
from tongtui.plans.models import CoUnit, Milestone, Task, TaskStatus


@transaction.atomic
def change_lead_unit(task: Task, unit: Unit, *, by: Any, keep_old_as_co_unit: bool, reason: str) -> Task:
    """Make `unit` the lead unit. The new lead acknowledges afresh, within a new acknowledgement deadline;
    the old lead becomes a co-unit (keeping its acknowledgement) or leaves the task."""
    _require_office(by)
    if not task.is_open:
        raise ActionError(_("The task is already closed or cancelled."))
    if unit.pk == task.lead_unit_id:
        raise ActionError(_("%(unit)s is already the lead unit.") % {"unit": unit})
    _claim_state(task, *OPEN_STATES)
    if unit.pk == task.lead_unit_id:  # changed by someone else since the caller loaded the task
        raise ActionError(_("%(unit)s is already the lead unit.") % {"unit": unit})
    old, acknowledged = task.lead_unit, task.lead_acknowledged_at
    reason = reason or _("lead unit changed")
    task.lead_unit = unit
    task.lead_acknowledged_at = None
    if task.status == TaskStatus.ACKNOWLEDGED:
        task.status = TaskStatus.ASSIGNED
    if task.status != TaskStatus.DRAFT:
        task.ack_due = acknowledge_due(task.plan, timezone.now())
    save_with_history(task, by=by, reason=reason)
    co_units = [link.unit for link in task.co_unit_links.select_related("unit") if link.unit_id != unit.pk]
    if keep_old_as_co_unit and old is not None:
        co_units.append(old)
    _set_co_units(task, co_units, by=by, reason=reason)
    if keep_old_as_co_unit and old is not None and acknowledged is not None:
        link = CoUnit.objects.get(task=task, unit=old)
        if link.acknowledged_at is None:
            link.acknowledged_at = acknowledged
            save_with_history(link, by=by, reason=reason)
    return task


@transaction.atomic
def extend_due(target: Task | Milestone, new_due: datetime.date, *, by: Any, reason: str) -> Task | Milestone:
    """Move the due date of a task or a milestone later. The first extension keeps the date it replaces in
    `original_due`; later ones leave it, so the page can always show the date first set."""
    _require_office(by)
    if isinstance(target, Milestone):
        milestone = Milestone.objects.select_for_update().select_related("task").get(pk=target.pk)
        task = milestone.task
        if not task.is_open:
            raise ActionError(_("The task is already closed or cancelled."))
        if milestone.done_on is not None:
            raise ActionError(_("This milestone is done already."))
        if task.due is not None and new_due > task.due:
            raise ActionError(
                _("The milestone would fall after the task's due date (%(due)s). Extend the task first.")
                % {"due": f"{task.due:%Y-%m-%d}"}
            )
        _move(milestone, new_due)
        save_with_history(milestone, by=by, reason=reason or _("milestone extended"))
        target.due, target.original_due = milestone.due, milestone.original_due
        return target
    _claim_state(target, *OPEN_STATES)
    _move(target, new_due)
    save_with_history(target, by=by, reason=reason or _("due date extended"))
    return target


def _move(obj: Task | Milestone, new_due: datetime.date) -> None:
    if obj.due is None:
        raise ActionError(_("There is no due date to extend."))
    if new_due <= obj.due:
        raise ActionError(
            _("The new date must be later than the current one (%(due)s).") % {"due": f"{obj.due:%Y-%m-%d}"}
        )
    if obj.original_due is None:
        obj.original_due = obj.due
    obj.due = new_due

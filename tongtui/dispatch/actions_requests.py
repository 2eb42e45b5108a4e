"""Every write to a unit's requests about an assigned task, and the acknowledgement of many tasks at once.

A lead unit asks for another lead unit (申请调整牵头单位) or for a later date for the task or one of its
milestones (延期申请); the office approves or refuses; the unit may withdraw while the request waits.
Life: pending → approved | refused | withdrawn. Each decision claims the request with a conditional UPDATE
on status = pending inside its transaction, so of two clerks deciding at once exactly one wins; the task
write it brings (plans.actions_reassign) happens in the same transaction.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.claims import claim
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.history import save_with_history
from tongtui.dispatch.rules import UNIT_ACTORS
from tongtui.notify.actions import send
from tongtui.notify.kinds import Kind
from tongtui.orgs.models import Unit
from tongtui.orgs.recipients import office_users, users_with
from tongtui.orgs.roles import Roles, roles_of
from tongtui.plans import actions as plan_actions
from tongtui.plans import actions_reassign
from tongtui.plans.models import ChangeRequest, Milestone, RequestKind, RequestStatus, Task, TaskStatus

PENDING = RequestStatus.PENDING


def may_ask(roles: Roles, task: Task) -> bool:
    """The lead unit's head or liaison, on a task that has been assigned and is still open."""
    return roles.has(task.lead_unit_id, *UNIT_ACTORS) and task.is_open and task.status != TaskStatus.DRAFT


def may_decide(roles: Roles) -> bool:
    return roles.is_office


def may_withdraw(roles: Roles, user: Any, change: ChangeRequest) -> bool:
    """Who asked, or the head or liaison of the unit that asked, while the request waits."""
    if change.status != PENDING:
        return False
    mine = user is not None and user.is_authenticated and change.requested_by_id == user.pk
    return mine or roles.has(change.unit_id, *UNIT_ACTORS)


def asked_late(change: ChangeRequest) -> bool:
    """Asked after the date it is about had passed: the acknowledgement deadline for a change of lead unit,
    the due date for an extension. Asking for an extension after the deadline counts as overdue."""
    if change.current_due is None or change.requested_at is None:
        return False
    return timezone.localdate(change.requested_at) > change.current_due


def _url(change: ChangeRequest) -> str:
    return reverse("dispatch:request-detail", args=[change.pk])


def _subject(change: ChangeRequest) -> str:
    task = change.task
    if change.milestone_id is not None and change.milestone is not None:
        return f"{task.code} {task.title} · {change.milestone.title}"
    return f"{task.code} {task.title}"


def _lock_and_check(task: Task, by: Any, kind: str, milestone: Milestone | None) -> Task:
    """The task, locked for the rest of the transaction, so that two clicks make one request."""
    if not may_ask(roles_of(by), task):
        raise Forbidden(_("Only the lead unit's head or liaison can ask this, once the task is assigned."))
    locked = Task.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=task.pk)
    if not may_ask(roles_of(by), locked):
        raise Forbidden(_("Only the lead unit's head or liaison can ask this, once the task is assigned."))
    waiting = ChangeRequest.objects.filter(task=locked, kind=kind, status=PENDING)
    if kind == RequestKind.EXTENSION:
        waiting = waiting.filter(milestone=milestone)
    if waiting.exists():
        raise ActionError(_("The same request is already waiting for the office's decision."))
    return locked


@transaction.atomic
def ask_lead_change(task: Task, *, by: Any, reason: str, proposed_unit: Unit | None = None) -> ChangeRequest:
    """申请调整牵头单位: the lead unit says the task is not its to lead, and may name who should."""
    if not reason.strip():
        raise ActionError(_("Say why your unit should not lead this task."))
    task = _lock_and_check(task, by, RequestKind.LEAD, None)
    if proposed_unit is not None and proposed_unit.pk == task.lead_unit_id:
        raise ActionError(_("Propose another unit than the present lead unit."))
    assert task.lead_unit is not None  # may_ask needs a lead unit
    change = ChangeRequest(
        kind=RequestKind.LEAD,
        task=task,
        unit=task.lead_unit,
        reason=reason.strip(),
        proposed_unit=proposed_unit,
        current_due=task.ack_due,
        requested_by=by,
    )
    save_with_history(change, by=by, reason=_("asked"))
    send(
        Kind.REQUEST,
        office_users(),
        _("%(unit)s asks to change the lead unit: %(task)s")
        % {"unit": change.unit, "task": _subject(change)},
        body=change.reason,
        url=_url(change),
        plan=change.task.plan_id,
    )
    return change


@transaction.atomic
def ask_extension(
    task: Task,
    *,
    by: Any,
    reason: str,
    proposed_due: datetime.date | None,
    milestone: Milestone | None = None,
) -> ChangeRequest:
    """延期申请: the lead unit asks for a later date for the task or one of its milestones."""
    if not reason.strip():
        raise ActionError(_("Say why more time is needed."))
    if proposed_due is None:
        raise ActionError(_("Give the date you ask for."))
    task = _lock_and_check(task, by, RequestKind.EXTENSION, milestone)
    if milestone is not None:
        milestone = Milestone.objects.filter(pk=milestone.pk, task=task).first()
        if milestone is None:
            raise ActionError(_("The milestone belongs to another task."))
        if milestone.done_on is not None:
            raise ActionError(_("This milestone is done already."))
    current = milestone.due if milestone is not None else task.due
    if current is None:
        raise ActionError(_("There is no due date to extend."))
    if proposed_due <= current:
        raise ActionError(
            _("The new date must be later than the current one (%(due)s).") % {"due": f"{current:%Y-%m-%d}"}
        )
    assert task.lead_unit is not None
    change = ChangeRequest(
        kind=RequestKind.EXTENSION,
        task=task,
        milestone=milestone,
        unit=task.lead_unit,
        reason=reason.strip(),
        current_due=current,
        proposed_due=proposed_due,
        requested_by=by,
    )
    save_with_history(change, by=by, reason=_("asked"))
    late = _(" (asked after the deadline)") if asked_late(change) else ""
    send(
        Kind.REQUEST,
        office_users(),
        _("%(unit)s asks for an extension to %(day)s%(late)s: %(task)s")
        % {"unit": change.unit, "day": f"{proposed_due:%Y-%m-%d}", "late": late, "task": _subject(change)},
        body=change.reason,
        url=_url(change),
        plan=change.task.plan_id,
    )
    return change


def _refused(now: ChangeRequest | None) -> str:
    """What the loser of a race is told: someone decided or withdrew the request a moment ago."""
    if now is None:
        return _("This request no longer exists. Reload the page.")
    return _(
        "This request has already been decided or withdrawn: it is now “%(status)s”. Reload the page."
    ) % {"status": now.get_status_display()}


def _claim(change: ChangeRequest, status: str, *, by: Any, note: str) -> None:
    """Take the request out of pending (core.claims): of several deciders at once only the first gets here."""
    decided = {"status": status, "decided_by": by, "decided_at": timezone.now(), "decision_note": note}
    claim(change, _refused, update=decided, status=PENDING)


def _require_pending(change: ChangeRequest) -> None:
    if change.status != PENDING:
        raise ActionError(
            _("This request has already been decided or withdrawn: it is now “%(status)s”.")
            % {"status": change.get_status_display()}
        )


def _tell_unit(change: ChangeRequest, by: Any, title: str) -> None:
    users = {change.requested_by, *users_with(*UNIT_ACTORS, units=[change.unit_id])}
    send(
        Kind.REQUEST_DECIDED,
        [u for u in users if u is not None and u != by],
        title,
        body=change.decision_note,
        url=_url(change),
        key=f"request-decided:{change.pk}",
        unit=change.unit_id,
        plan=change.task.plan_id,
    )


@transaction.atomic
def approve_request(
    change: ChangeRequest,
    *,
    by: Any,
    note: str = "",
    unit: Unit | None = None,
    keep_old_as_co_unit: bool = True,
    due: datetime.date | None = None,
) -> ChangeRequest:
    """The office grants the request. A change of lead goes to `unit` (by default the one proposed); an
    extension to `due` (by default the date asked for). The task changes in the same transaction."""
    if not may_decide(roles_of(by)):
        raise Forbidden(_("Only the supervision office can decide on requests."))
    _require_pending(change)
    note = note.strip()
    if change.kind == RequestKind.LEAD:
        new_unit = unit or change.proposed_unit
        if new_unit is None:
            raise ActionError(_("Choose the new lead unit."))
        _claim(change, RequestStatus.APPROVED, by=by, note=note)
        task = actions_reassign.change_lead_unit(
            change.task,
            new_unit,
            by=by,
            keep_old_as_co_unit=keep_old_as_co_unit,
            reason=_("lead unit changed on request: %(note)s") % {"note": note or change.reason},
        )
        outcome = _("approved: %(unit)s leads") % {"unit": new_unit}
        save_with_history(change, by=by, reason=outcome)
        send(
            Kind.TASK_ASSIGNED,
            users_with(*UNIT_ACTORS, units=[new_unit.pk]),
            _("Your unit now leads a task; acknowledge it by %(day)s: %(task)s")
            % {"day": f"{task.ack_due:%Y-%m-%d}" if task.ack_due else "—", "task": _subject(change)},
            url=reverse("task-detail", args=[task.pk]),
            key=f"request-new-lead:{change.pk}",
            unit=new_unit.pk,
            plan=task.plan_id,
        )
    else:
        new_due = due or change.proposed_due
        if new_due is None:
            raise ActionError(_("Give the new date."))
        _claim(change, RequestStatus.APPROVED, by=by, note=note)
        target: Task | Milestone = change.milestone if change.milestone is not None else change.task
        actions_reassign.extend_due(
            target,
            new_due,
            by=by,
            reason=_("extended on request: %(note)s") % {"note": note or change.reason},
        )
        outcome = _("approved: due %(day)s") % {"day": f"{new_due:%Y-%m-%d}"}
        save_with_history(change, by=by, reason=outcome)
    _tell_unit(
        change,
        by,
        _("Your request was approved (%(outcome)s): %(kind)s, %(task)s")
        % {"outcome": outcome, "kind": change.get_kind_display(), "task": _subject(change)},
    )
    return change


@transaction.atomic
def refuse_request(change: ChangeRequest, *, by: Any, note: str) -> ChangeRequest:
    """The office refuses the request, saying why. Nothing changes on the task."""
    if not may_decide(roles_of(by)):
        raise Forbidden(_("Only the supervision office can decide on requests."))
    _require_pending(change)
    if not note.strip():
        raise ActionError(_("Say why the request is refused."))
    _claim(change, RequestStatus.REFUSED, by=by, note=note.strip())
    save_with_history(change, by=by, reason=_("refused"))
    _tell_unit(
        change,
        by,
        _("Your request was refused: %(kind)s, %(task)s")
        % {"kind": change.get_kind_display(), "task": _subject(change)},
    )
    return change


@transaction.atomic
def withdraw_request(change: ChangeRequest, *, by: Any, note: str = "") -> ChangeRequest:
    """The unit that asked takes the request back while it waits."""
    if not may_withdraw(roles_of(by), by, change):
        if change.status != PENDING:
            _require_pending(change)
        raise Forbidden(_("Only the unit that asked can withdraw this request."))
    _claim(change, RequestStatus.WITHDRAWN, by=by, note=note.strip())
    save_with_history(change, by=by, reason=_("withdrawn"))
    send(
        Kind.REQUEST,
        office_users(),
        _("%(unit)s withdrew its request: %(kind)s, %(task)s")
        % {"unit": change.unit, "kind": change.get_kind_display(), "task": _subject(change)},
        url=_url(change),
    )
    return change


@transaction.atomic
def acknowledge_all(unit: Unit, tasks: Iterable[Task], *, by: Any) -> int:
    """签收 every one of these tasks for the unit, in one go; returns how many were acknowledged now.

    Each is `plans.actions.acknowledge_task`, which claims its own state: a task someone acknowledged
    meanwhile is skipped, not an error. A task the unit disputes is left for the office to decide.
    """
    done = 0
    for task in tasks:
        disputed = ChangeRequest.objects.filter(
            task=task, unit=unit, kind=RequestKind.LEAD, status=PENDING
        ).exists()
        if disputed and task.lead_unit_id == unit.pk:
            continue
        try:
            plan_actions.acknowledge_task(task, by=by, unit=unit)
        except (Conflict, ActionError):
            continue
        done += 1
    return done

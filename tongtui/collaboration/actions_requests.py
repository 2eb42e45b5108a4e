"""Every write to coordination requests (协调事项): ask, accept, answer, decline, withdraw, and the sweep that
tells the office and the unit asked once a request is past its reply date. Each step claims the row on the
status the user saw (`core.claims.claim`), so a double click or two people at once run it once."""

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.collaboration import rules, targets
from tongtui.collaboration.actions import office_users
from tongtui.collaboration.models import OPEN_REQUEST_STATES, CoordinationRequest, RequestStatus
from tongtui.core.claims import claim, same_as_seen
from tongtui.core.errors import ActionError, Forbidden
from tongtui.core.history import save_with_history
from tongtui.core.workdays import add_workdays
from tongtui.notify.actions import send
from tongtui.notify.kinds import Kind
from tongtui.orgs.models import Person, Unit
from tongtui.orgs.roles import roles_of
from tongtui.plans.access import tasks_visible_to
from tongtui.plans.models import Task

DEFAULT_REPLY_WORKDAYS = 5


def url(req: CoordinationRequest) -> str:
    return reverse("collaboration:request-detail", args=[req.pk])


def asking_units(by: Any, task: Task) -> set[int]:
    """The units of the task (lead or co-unit) on whose behalf the user may ask: their liaison or head."""
    mine = roles_of(by).units_with(*rules.UNIT_ACTORS)
    if not mine:  # the office, a leader: no unit to ask for, and no need to read the task's co-units
        return set()
    units = {task.lead_unit_id, *task.co_unit_ids()}
    return mine & {u for u in units if u}


def _refusal(current: CoordinationRequest | None) -> str:
    if current is None:
        return _("This request no longer exists.")
    said: dict[str, str] = {
        RequestStatus.ACCEPTED: _("This request has just been accepted. Reload the page."),
        RequestStatus.ANSWERED: _("This request has just been answered. Reload the page to read the answer."),
        RequestStatus.DECLINED: _("This request has just been declined. Reload the page to read why."),
        RequestStatus.WITHDRAWN: _("This request has just been withdrawn."),
    }
    return said.get(current.status, _("Someone else changed this request a moment ago. Reload the page."))


def _addressees(req: CoordinationRequest) -> list[Any]:
    if req.to_unit_id is not None:
        return targets.unit_people({req.to_unit_id}, *rules.UNIT_ACTORS)
    leader = req.to_leader
    return [leader.user] if leader is not None and leader.user_id else []


def _askers(req: CoordinationRequest) -> list[Any]:
    return [req.requested_by, *targets.unit_people({req.from_unit_id}, *rules.UNIT_ACTORS)]


@transaction.atomic
def ask(
    task: Task,
    *,
    by: Any,
    subject: str,
    body: str = "",
    to_unit: Unit | None = None,
    to_leader: Person | None = None,
    from_unit: Unit | None = None,
    reply_within: int = DEFAULT_REPLY_WORKDAYS,
    today: datetime.date | None = None,
) -> CoordinationRequest:
    """A unit of the task asks another unit (or a leader) for what the task needs, by a date in working days."""
    mine = asking_units(by, task)
    if not mine:
        raise Forbidden(_("Only the task's units ask for coordination on it."))
    if from_unit is not None and from_unit.pk not in mine:
        raise Forbidden(_("You cannot ask for this unit."))
    from_id = from_unit.pk if from_unit is not None else (task.lead_unit_id if task.lead_unit_id in mine
                                                           else min(mine))  # fmt: skip
    if to_leader is not None and not to_leader.memberships.filter(role="leader").exists():
        raise ActionError(_("Ask a district leader."))
    if not 1 <= reply_within <= 60:
        raise ActionError(_("Give between 1 and 60 working days to reply."))
    today = today or timezone.localdate()
    req = CoordinationRequest(
        task=task, from_unit_id=from_id, to_unit=to_unit, to_leader=to_leader, subject=subject.strip(),
        body=body.strip(), reply_by=add_workdays(today, reply_within), requested_by=by,
    )  # fmt: skip
    save_with_history(req, by=by, reason=_("asked"))
    send(
        Kind.COORDINATION,
        _addressees(req),
        _("%(unit)s asks for coordination by %(day)s: %(subject)s")
        % {"unit": req.from_unit.label, "day": f"{req.reply_by:%Y-%m-%d}", "subject": req.subject},
        body=f"{task.code} {task.title}\n{req.body}".strip(),
        url=url(req),
        key=f"coordination:{req.pk}",
        unit=req.to_unit_id,
        plan=task.plan_id,
    )
    return req


def _step_allowed(by: Any, req: CoordinationRequest) -> None:
    if not rules.may_answer_request(roles_of(by), req):
        raise Forbidden(_("Only the unit or the leader asked can answer this request."))


def _tell_askers(req: CoordinationRequest, by: Any, title: str, body: str) -> None:
    send(
        Kind.COORDINATION_ANSWERED,
        [u for u in _askers(req) if u is not None and u != by],
        title,
        body=body,
        url=url(req),
        key=f"coordination-answered:{req.pk}:{req.status}",
        unit=req.from_unit_id,
        plan=req.task.plan_id,
    )


@transaction.atomic
def accept(req: CoordinationRequest, *, by: Any, related_task: Task | None = None,
           note: str = "") -> CoordinationRequest:  # fmt: skip
    """接受: the side asked takes it on; it may name its own task the request bears on, so that both tasks
    show each other's progress."""
    _step_allowed(by, req)
    if req.status != RequestStatus.PENDING:
        raise ActionError(_refusal(req))
    if related_task is not None:
        if not tasks_visible_to(by).filter(pk=related_task.pk).exists():
            raise ActionError(_("Choose a task you can see."))
        if related_task.pk == req.task_id:
            raise ActionError(_("Choose another task than the one that asks."))
    claim(req, _refusal, update={"status": RequestStatus.ACCEPTED}, status=RequestStatus.PENDING)
    req.related_task = related_task
    req.answer = note.strip()
    req.answered_by, req.answered_at = by, timezone.now()
    save_with_history(req, by=by, reason=_("accepted"))
    _tell_askers(req, by, _("%(who)s accepted your request: %(subject)s")
                 % {"who": req.addressee_label, "subject": req.subject}, req.answer)  # fmt: skip
    return req


@transaction.atomic
def answer(req: CoordinationRequest, *, by: Any, text: str) -> CoordinationRequest:
    """答复: what the side asked did or decided; the request is done."""
    _step_allowed(by, req)
    if req.status not in OPEN_REQUEST_STATES:
        raise ActionError(_refusal(req))
    if not text.strip():
        raise ActionError(_("Write the answer."))
    claim(req, _refusal, update={"status": RequestStatus.ANSWERED}, status__in=OPEN_REQUEST_STATES,
          **same_as_seen(req, "status"))  # fmt: skip
    req.answer = text.strip()
    req.answered_by, req.answered_at = by, timezone.now()
    save_with_history(req, by=by, reason=_("answered"))
    _tell_askers(req, by, _("%(who)s answered your request: %(subject)s")
                 % {"who": req.addressee_label, "subject": req.subject}, req.answer)  # fmt: skip
    return req


@transaction.atomic
def decline(req: CoordinationRequest, *, by: Any, reason: str) -> CoordinationRequest:
    """拒绝: the side asked cannot do it, and says why."""
    _step_allowed(by, req)
    if req.status not in OPEN_REQUEST_STATES:
        raise ActionError(_refusal(req))
    if not reason.strip():
        raise ActionError(_("Say why the request is declined."))
    claim(req, _refusal, update={"status": RequestStatus.DECLINED}, status__in=OPEN_REQUEST_STATES,
          **same_as_seen(req, "status"))  # fmt: skip
    req.decline_reason = reason.strip()
    req.answered_by, req.answered_at = by, timezone.now()
    save_with_history(req, by=by, reason=_("declined"))
    _tell_askers(req, by, _("%(who)s declined your request: %(subject)s")
                 % {"who": req.addressee_label, "subject": req.subject}, req.decline_reason)  # fmt: skip
    return req


@transaction.atomic
def withdraw(req: CoordinationRequest, *, by: Any) -> CoordinationRequest:
    """撤回: the asking unit no longer needs it."""
    if not rules.may_withdraw_request(roles_of(by), req):
        raise Forbidden(_("Only the asking unit withdraws its request."))
    if req.status not in OPEN_REQUEST_STATES:
        raise ActionError(_refusal(req))
    claim(req, _refusal, update={"status": RequestStatus.WITHDRAWN}, status__in=OPEN_REQUEST_STATES,
          **same_as_seen(req, "status"))  # fmt: skip
    save_with_history(req, by=by, reason=_("withdrawn"))
    return req


def chase_overdue(today: datetime.date | None = None) -> int:
    """Once per request waiting past its reply date: the side asked, the asking unit and the office are told.
    Claimed on chased_on IS NULL and keyed, so reruns and parallel workers tell once."""
    today = today or timezone.localdate()
    rows = (
        CoordinationRequest.objects.filter(status=RequestStatus.PENDING, reply_by__lt=today,
                                           chased_on__isnull=True)  # fmt: skip
        .select_related("task", "from_unit", "to_unit", "to_leader__user", "requested_by")
        .order_by("pk")[:1000]
    )
    office = office_users()
    count = 0
    for req in rows:
        with transaction.atomic():
            if not CoordinationRequest.objects.filter(pk=req.pk, chased_on__isnull=True).update(chased_on=today):
                continue
            send(
                Kind.COORDINATION_OVERDUE,
                [*_addressees(req), *[u for u in _askers(req) if u is not None], *office],
                _("A coordination request is past its reply date (%(day)s): %(subject)s")
                % {"day": f"{req.reply_by:%Y-%m-%d}", "subject": req.subject},
                body=f"{req.from_unit.label} → {req.addressee_label} · {req.task.code} {req.task.title}",
                url=url(req),
                key=f"coordination-overdue:{req.pk}",
                unit=req.to_unit_id,
                plan=req.task.plan_id,
            )
            count += 1
    return count

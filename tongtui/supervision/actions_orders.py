"""Every write to admonitions, rectification orders and accountability records. One transaction each.

Rectification order: issued → rectification reported (by the unit, with evidence) → verified passed, or
not passed → extended (a new deadline in working days) or escalated. An order waiting for the unit may
also be extended or escalated when it runs late. Deadlines count working days (core.workdays).
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.claims import claim, same_as_seen
from tongtui.core.errors import ActionError, Forbidden
from tongtui.core.history import save_with_history
from tongtui.core.workdays import WorkCalendar, add_workdays, calendar
from tongtui.dispatch.evidence import check_upload
from tongtui.dispatch.rules import UNIT_ACTORS
from tongtui.notify.actions import send
from tongtui.notify.kinds import Kind
from tongtui.orgs.models import Role, Unit
from tongtui.orgs.recipients import office_users, users_with
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Plan, Task
from tongtui.supervision.models import (
    Accountability,
    Admonition,
    AdmonitionStatus,
    OrderStatus,
    RectificationOrder,
    SupervisionFile,
)
from tongtui.supervision.models.orders import OPEN_ORDER, WAITING_FOR_UNIT

MAX_FILES = 30
APPROACH_WORKDAYS = 2  # notify the unit this many working days before the deadline


def require_office(by: Any) -> None:
    if not roles_of(by).is_office:
        raise Forbidden(_("Only the supervision office can do this."))


def order_url(order: RectificationOrder) -> str:
    return reverse("supervision:order-detail", args=[order.pk])


def _today() -> datetime.date:
    return timezone.localdate()


def _order_refusal(order: RectificationOrder | None) -> str:
    """What the loser of a race is told: what happened to the order meanwhile, in the user's words."""
    if order is None:
        return _("This rectification order no longer exists. Reload the page.")
    said: dict[str, str] = {
        OrderStatus.REPORTED: _("The rectification has already been reported. Reload the page to see it."),
        OrderStatus.PASSED: _(
            "The rectification has already been verified as passed. Reload the page to see it."
        ),
        OrderStatus.NOT_PASSED: _(
            "The rectification has already been verified as not passed. Reload the page to see it."
        ),
        OrderStatus.EXTENDED: _("The deadline has already been extended. Reload the page to see it."),
        OrderStatus.ESCALATED: _("This order has already been escalated. Reload the page to see it."),
    }
    return said.get(
        order.status, _("Someone else changed this order a moment ago. Reload the page to see it.")
    )


def _admonition_refusal(adm: Admonition | None) -> str:
    if adm is None:
        return _("This admonition no longer exists. Reload the page.")
    if adm.status == AdmonitionStatus.CLOSED:
        return _("The follow-up of this admonition has already been recorded. Reload the page to see it.")
    return _("The record of this talk has already been saved. Reload the page to see it.")


# Rectification orders


@transaction.atomic
def issue_order(
    *,
    by: Any,
    plan: Plan,
    unit: Unit,
    problem: str,
    requirement: str,
    workdays: int,
    task: Task | None = None,
    issued_on: datetime.date | None = None,
    for_assessment: bool = False,
    cal: WorkCalendar | None = None,
) -> RectificationOrder:
    """限期整改: the deadline is `workdays` working days after the day of issue."""
    require_office(by)
    if workdays < 1:
        raise ActionError(_("Allow at least one working day."))
    if task is not None and task.plan_id != plan.pk:
        raise ActionError(_("The task belongs to another plan."))
    issued_on = issued_on or _today()
    deadline = add_workdays(issued_on, workdays, cal or calendar())
    order = RectificationOrder(
        plan=plan,
        unit=unit,
        task=task,
        problem=problem.strip(),
        requirement=requirement.strip(),
        issued_on=issued_on,
        workdays=workdays,
        deadline=deadline,
        first_deadline=deadline,
        issued_by=by,
        for_assessment=for_assessment,
    )
    save_with_history(order, by=by, reason=_("issued"))
    send(
        Kind.ORDER,
        users_with(*UNIT_ACTORS, units=[unit.pk]),
        _("Rectification order: fix by %(deadline)s") % {"deadline": f"{deadline:%Y-%m-%d}"},
        body=order.problem,
        url=order_url(order),
        key=f"order-issued:{order.pk}",
        unit=unit.pk,
        plan=order.plan_id,
    )
    return order


def _require_unit_actor(order: RectificationOrder, by: Any) -> None:
    if not roles_of(by).has(order.unit_id, *UNIT_ACTORS):
        raise Forbidden(_("Only the unit's liaison or head can report on this order."))


def add_order_file(order: RectificationOrder, *, by: Any, file: UploadedFile) -> SupervisionFile:
    """An evidence file for the rectification report, checked like a report's evidence."""
    _require_unit_actor(order, by)
    if order.status not in WAITING_FOR_UNIT:
        raise ActionError(_("The rectification has been reported; files can no longer be added."))
    if order.files.count() >= MAX_FILES:
        raise ActionError(_("At most %(n)s evidence files.") % {"n": MAX_FILES})
    return _save_file(by, file, order=order)


def _save_file(by: Any, file: UploadedFile, **owner: Any) -> SupervisionFile:
    checked = check_upload(file)
    row = SupervisionFile(
        original_name=(file.name or "")[-255:],
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
        **owner,
    )
    row.file.save(file.name or "evidence", file, save=False)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def report_rectification(
    order: RectificationOrder, *, by: Any, text: str, files: Iterable[UploadedFile] = ()
) -> RectificationOrder:
    """The unit reports what it fixed, with evidence; the office then verifies."""
    _require_unit_actor(order, by)
    if order.status not in WAITING_FOR_UNIT:
        raise ActionError(_("This order is not waiting for a rectification report."))
    if not text.strip():
        raise ActionError(_("Describe what was rectified."))
    claim(order, _order_refusal, status__in=WAITING_FOR_UNIT)  # held: the files are counted under it
    for f in files:
        add_order_file(order, by=by, file=f)
    order.report_text = text.strip()
    order.reported_at, order.reported_by = timezone.now(), by
    order.status = OrderStatus.REPORTED
    save_with_history(order, by=by, reason=_("rectification reported"))
    send(
        Kind.ORDER,
        office_users(),
        _("Rectification reported: %(order)s") % {"order": order},
        url=order_url(order),
    )
    return order


@transaction.atomic
def verify_order(order: RectificationOrder, *, by: Any, passed: bool, note: str = "") -> RectificationOrder:
    require_office(by)
    if order.status != OrderStatus.REPORTED:
        raise ActionError(_("Only a reported rectification can be verified."))
    if not passed and not note.strip():
        raise ActionError(_("Say why the rectification did not pass."))
    verdict = OrderStatus.PASSED if passed else OrderStatus.NOT_PASSED
    claim(order, _order_refusal, update={"status": verdict}, status=OrderStatus.REPORTED)
    order.status = verdict
    order.verified_at, order.verified_by = timezone.now(), by
    order.verification_note = note.strip()
    save_with_history(order, by=by, reason=_("verified"))
    title = _("Rectification passed: %(order)s") if passed else _("Rectification not passed: %(order)s")
    send(
        Kind.ORDER,
        users_with(*UNIT_ACTORS, units=[order.unit_id]),
        title % {"order": order},
        body=note,
        url=order_url(order),
        unit=order.unit_id,
    )
    return order


@transaction.atomic
def extend_order(
    order: RectificationOrder,
    *,
    by: Any,
    workdays: int,
    note: str = "",
    today: datetime.date | None = None,
    cal: WorkCalendar | None = None,
) -> RectificationOrder:
    """A new deadline, `workdays` working days from today, for an order that did not pass or runs late."""
    require_office(by)
    if order.status not in (OrderStatus.NOT_PASSED, OrderStatus.ISSUED, OrderStatus.EXTENDED):
        raise ActionError(_("Only an order still waiting for rectification can be extended."))
    if workdays < 1:
        raise ActionError(_("Allow at least one working day."))
    deadline = add_workdays(today or _today(), workdays, cal or calendar())
    if order.status == OrderStatus.EXTENDED and deadline == order.deadline:  # a second click, seen
        raise ActionError(
            _("The deadline has already been extended to %(deadline)s.")
            % {"deadline": f"{deadline:%Y-%m-%d}"}
        )
    # An extended order may be extended again, but only by someone who saw the last extension.
    claim(
        order,
        _order_refusal,
        update={"status": OrderStatus.EXTENDED, "extensions": F("extensions") + 1},
        status__in=(OrderStatus.NOT_PASSED, OrderStatus.ISSUED, OrderStatus.EXTENDED),
        **same_as_seen(order, "status", "extensions"),
    )
    order.deadline = deadline
    order.approach_notified_on = order.overdue_notified_on = None
    if note.strip():
        order.verification_note = note.strip()
    save_with_history(order, by=by, reason=_("extended"))
    send(
        Kind.ORDER_DEADLINE,
        users_with(*UNIT_ACTORS, units=[order.unit_id]),
        _("Rectification deadline extended to %(deadline)s") % {"deadline": f"{order.deadline:%Y-%m-%d}"},
        body=note,
        url=order_url(order),
        unit=order.unit_id,
    )
    return order


@transaction.atomic
def escalate_order(order: RectificationOrder, *, by: Any, note: str) -> RectificationOrder:
    """Hand the order up (to the leader in charge and, if need be, for accountability)."""
    require_office(by)
    if not order.is_open:
        raise ActionError(_("This order is already settled."))
    if not note.strip():
        raise ActionError(_("Say why the order is escalated."))
    claim(order, _order_refusal, update={"status": OrderStatus.ESCALATED}, status__in=OPEN_ORDER)
    order.verification_note = note.strip()
    order.for_assessment = True
    save_with_history(order, by=by, reason=_("escalated"))
    leader = getattr(order.task, "leader", None) if order.task_id else None
    users = [leader.user] if leader is not None and leader.user_id else []
    send(Kind.ORDER, users + users_with(Role.UNIT_HEAD, units=[order.unit_id]), _("Rectification order escalated: %(order)s")
           % {"order": order}, body=note, url=order_url(order))  # fmt: skip
    return order


def deadline_sweep(today: datetime.date | None = None, cal: WorkCalendar | None = None) -> dict[str, int]:
    """Notify the unit when an order's deadline is near, and unit and office once it is overdue. Idempotent:
    each notice is claimed with a conditional UPDATE, so two workers never send it twice."""
    today = today or _today()
    cal = cal or calendar()
    soon = add_workdays(today, APPROACH_WORKDAYS, cal)
    sent = {"approach": 0, "overdue": 0}
    waiting = RectificationOrder.objects.filter(status__in=WAITING_FOR_UNIT)
    for order in waiting.filter(deadline__gte=today, deadline__lte=soon, approach_notified_on__isnull=True):
        if RectificationOrder.objects.filter(pk=order.pk, approach_notified_on__isnull=True).update(
            approach_notified_on=today
        ):
            send(
                Kind.ORDER_DEADLINE,
                users_with(*UNIT_ACTORS, units=[order.unit_id]),
                _("Rectification due on %(deadline)s: %(order)s")
                % {"deadline": f"{order.deadline:%Y-%m-%d}", "order": order},
                url=order_url(order),
                key=f"order-approach:{order.pk}:{order.deadline}",
                unit=order.unit_id,
            )
            sent["approach"] += 1
    for order in waiting.filter(deadline__lt=today, overdue_notified_on__isnull=True):
        if RectificationOrder.objects.filter(pk=order.pk, overdue_notified_on__isnull=True).update(
            overdue_notified_on=today
        ):
            send(
                Kind.ORDER_DEADLINE,
                users_with(*UNIT_ACTORS, units=[order.unit_id]) + office_users(),
                _("Rectification overdue since %(deadline)s: %(order)s")
                % {"deadline": f"{order.deadline:%Y-%m-%d}", "order": order},
                url=order_url(order),
                key=f"order-overdue:{order.pk}:{order.deadline}",
                unit=order.unit_id,
            )
            sent["overdue"] += 1
    return sent


# Admonitions


@transaction.atomic
def schedule_admonition(
    *,
    by: Any,
    plan: Plan,
    unit: Unit,
    reason: str,
    scheduled_for: datetime.date,
    talked_by: str,
    talked_with: str,
    tasks: Iterable[Task] = (),
) -> Admonition:
    """约谈提醒: arrange a talk with a lagging unit; the unit's head and liaison are told when and with whom."""
    require_office(by)
    tasks = list(tasks)
    if any(t.plan_id != plan.pk for t in tasks):
        raise ActionError(_("A task belongs to another plan."))
    adm = Admonition(
        plan=plan,
        unit=unit,
        reason=reason.strip(),
        scheduled_for=scheduled_for,
        talked_by=talked_by.strip(),
        talked_with=talked_with.strip(),
        created_by=by,
    )
    save_with_history(adm, by=by, reason=_("scheduled"))
    adm.tasks.set(tasks)
    send(
        Kind.ADMONITION,
        users_with(*UNIT_ACTORS, units=[unit.pk]),
        _("Admonition talk on %(day)s with %(who)s")
        % {"day": f"{scheduled_for:%Y-%m-%d}", "who": adm.talked_by},
        body=adm.reason,
        url=reverse("supervision:admonition-detail", args=[adm.pk]),
        key=f"admonition:{adm.pk}",
        unit=unit.pk,
        plan=plan,
    )
    return adm


@transaction.atomic
def record_admonition(
    adm: Admonition,
    *,
    by: Any,
    held_on: datetime.date,
    record: str,
    commitments: str,
    follow_up_due: datetime.date | None = None,
) -> Admonition:
    require_office(by)
    if adm.status == AdmonitionStatus.CLOSED:
        raise ActionError(_("This admonition is closed."))
    if not record.strip():
        raise ActionError(_("Write the record of the talk."))
    given = (held_on, record.strip(), commitments.strip(), follow_up_due)
    if adm.status == AdmonitionStatus.HELD and given == (
        adm.held_on,
        adm.record,
        adm.commitments,
        adm.follow_up_due,
    ):
        raise ActionError(_("This record of the talk is saved already: nothing has changed."))
    # A held talk's record may be corrected, but only over the record the user loaded.
    claim(
        adm,
        _admonition_refusal,
        update={"status": AdmonitionStatus.HELD},
        status__in=(AdmonitionStatus.SCHEDULED, AdmonitionStatus.HELD),
        **same_as_seen(adm, "status", "record"),
    )
    adm.held_on, adm.record, adm.commitments = held_on, record.strip(), commitments.strip()
    adm.follow_up_due = follow_up_due
    save_with_history(adm, by=by, reason=_("held"))
    return adm


@transaction.atomic
def follow_up_admonition(adm: Admonition, *, by: Any, follow_up: str) -> Admonition:
    require_office(by)
    if adm.status != AdmonitionStatus.HELD:
        raise ActionError(_("Record the talk before following up its commitments."))
    if not follow_up.strip():
        raise ActionError(_("Write how the commitments were kept."))
    claim(adm, _admonition_refusal, update={"status": AdmonitionStatus.CLOSED}, status=AdmonitionStatus.HELD)
    adm.follow_up = follow_up.strip()
    save_with_history(adm, by=by, reason=_("followed up"))
    return adm


# Accountability


@transaction.atomic
def record_accountability(
    *,
    by: Any,
    plan: Plan,
    unit: Unit,
    kind: str,
    persons: str,
    decided_by: str,
    decided_on: datetime.date,
    decision: str,
    task: Task | None = None,
    order: RectificationOrder | None = None,
) -> Accountability:
    """问责: record the competent body's decision. Nobody outside the office and leaders sees it yet."""
    require_office(by)
    acc = Accountability(
        plan=plan,
        unit=unit,
        task=task,
        order=order,
        kind=kind,
        persons=persons.strip(),
        decided_by=decided_by.strip(),
        decided_on=decided_on,
        decision=decision.strip(),
        recorded_by=by,
    )
    save_with_history(acc, by=by, reason=_("recorded"))
    return acc


@transaction.atomic
def publish_accountability(acc: Accountability, *, by: Any) -> Accountability:
    """Show the record to the unit's people (the office decides when)."""
    require_office(by)
    if acc.published_to_unit:
        return acc
    claim(
        acc,
        lambda now: _("This record has already been published to the unit. Reload the page to see it."),
        update={"published_to_unit": True, "published_at": timezone.now()},
        published_to_unit=False,
    )
    save_with_history(acc, by=by, reason=_("published to the unit"))
    send(
        Kind.ACCOUNTABILITY,
        users_with(Role.UNIT_HEAD, units=[acc.unit_id]),
        _("Accountability decision published to your unit"),
        url=reverse("supervision:accountability-detail", args=[acc.pk]),
        key=f"accountability:{acc.pk}",
    )
    return acc

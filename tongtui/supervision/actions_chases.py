"""Every write to chase notices (督办通知). One transaction each.

issued (by the office) → replied (by the unit's head or liaison) → closed (the office read the reply), or the
office reissues a notice (the old one is closed, a new number is given). The reply is due a number of working
days after the day of issue (core.workdays); the sweep tells the unit and the office once when it is late.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.claims import claim
from tongtui.core.errors import ActionError, Forbidden
from tongtui.core.history import save_with_history
from tongtui.core.workdays import WorkCalendar, add_workdays, calendar
from tongtui.dispatch.rules import UNIT_ACTORS
from tongtui.notify.actions import send
from tongtui.notify.kinds import Kind
from tongtui.orgs.models import Unit
from tongtui.orgs.recipients import office_users, users_with
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Plan, Task
from tongtui.supervision.actions_orders import require_office
from tongtui.supervision.models import OPEN_CHASE, ChaseNotice, ChaseStatus

DEFAULT_WORKDAYS = 3


def chase_url(chase: ChaseNotice) -> str:
    return reverse("supervision:chase-detail", args=[chase.pk])


def _today() -> datetime.date:
    return timezone.localdate()


def _next_seq(year: int) -> int:
    # Numbers run per year, across plans. The year's first notice has no rows to lock, so the plan rows are
    # locked instead, which always exist (one a year, in one order): two issues at once wait for each other
    # and never take the same number.
    list(Plan.objects.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))
    last = ChaseNotice.objects.filter(year=year).aggregate(m=Max("seq"))["m"]
    return (last or 0) + 1


def _refusal(chase: ChaseNotice | None) -> str:
    """What the loser of a race is told: what happened to the notice meanwhile, in the user's words."""
    if chase is None:
        return _("This notice no longer exists. Reload the page.")
    if chase.status == ChaseStatus.REPLIED:
        return _("This notice has already been replied to. Reload the page to read the reply.")
    if chase.status == ChaseStatus.CLOSED:
        if chase.reissues.exists():
            return _("This notice has already been reissued. Reload the page to see the new one.")
        return _("This notice has already been closed. Reload the page to see it.")
    return _("Someone else changed this notice a moment ago. Reload the page to see it.")


@transaction.atomic
def issue_chase(
    *,
    by: Any,
    plan: Plan,
    unit: Unit,
    subject: str,
    content: str,
    tasks: Iterable[Task] = (),
    workdays: int = DEFAULT_WORKDAYS,
    issued_on: datetime.date | None = None,
    reissued_from: ChaseNotice | None = None,
    cal: WorkCalendar | None = None,
) -> ChaseNotice:
    """督办: the reply is due `workdays` working days after the day of issue."""
    require_office(by)
    tasks = list(tasks)
    if any(t.plan_id != plan.pk for t in tasks):
        raise ActionError(_("A task belongs to another plan."))
    if workdays < 1:
        raise ActionError(_("Allow at least one working day."))
    if not subject.strip() or not content.strip():
        raise ActionError(_("Say what is chased and why."))
    issued_on = issued_on or _today()
    chase = ChaseNotice(
        plan=plan,
        unit=unit,
        year=issued_on.year,
        seq=_next_seq(issued_on.year),
        subject=subject.strip(),
        content=content.strip(),
        issued_on=issued_on,
        workdays=workdays,
        reply_due=add_workdays(issued_on, workdays, cal or calendar()),
        reissued_from=reissued_from,
        issued_by=by,
    )
    save_with_history(chase, by=by, reason=_("issued"))
    chase.tasks.set(tasks)
    send(
        Kind.CHASE,
        users_with(*UNIT_ACTORS, units=[unit.pk]),
        _("Chase notice %(number)s: reply by %(due)s")
        % {"number": chase.number, "due": f"{chase.reply_due:%Y-%m-%d}"},
        body=f"{chase.subject}\n{chase.content}",
        url=chase_url(chase),
        key=f"chase-issued:{chase.pk}",
        unit=unit.pk,
        plan=chase.plan_id,
    )
    return chase


@transaction.atomic
def reply_chase(chase: ChaseNotice, *, by: Any, text: str) -> ChaseNotice:
    """The unit's head or liaison answers in writing; the office then reads and closes (or reissues)."""
    if not roles_of(by).has(chase.unit_id, *UNIT_ACTORS):
        raise Forbidden(_("Only the unit's liaison or head can reply to this notice."))
    if chase.status != ChaseStatus.ISSUED:
        raise ActionError(_("This notice is not waiting for a reply."))
    if not text.strip():
        raise ActionError(_("Write the reply."))
    claim(chase, _refusal, update={"status": ChaseStatus.REPLIED}, status=ChaseStatus.ISSUED)
    chase.reply_text = text.strip()
    chase.replied_at, chase.replied_by = timezone.now(), by
    save_with_history(chase, by=by, reason=_("replied"))
    send(Kind.CHASE, office_users(), _("Reply to chase notice %(number)s") % {"number": chase.number},
           body=chase.reply_text, url=chase_url(chase))  # fmt: skip
    return chase


@transaction.atomic
def close_chase(chase: ChaseNotice, *, by: Any, note: str = "") -> ChaseNotice:
    """The office has read the reply (or no longer needs one) and closes the notice."""
    require_office(by)
    if chase.status == ChaseStatus.CLOSED:
        raise ActionError(_("This notice is already closed."))
    claim(chase, _refusal, update={"status": ChaseStatus.CLOSED}, status__in=OPEN_CHASE)
    chase.closed_at = timezone.now()
    chase.close_note = note.strip()
    save_with_history(chase, by=by, reason=_("closed"))
    send(Kind.CHASE, users_with(*UNIT_ACTORS, units=[chase.unit_id]), _("Chase notice %(number)s closed") % {"number": chase.number},
           body=chase.close_note, url=chase_url(chase), unit=chase.unit_id)  # fmt: skip
    return chase


@transaction.atomic
def reissue_chase(
    chase: ChaseNotice,
    *,
    by: Any,
    content: str,
    workdays: int = DEFAULT_WORKDAYS,
    issued_on: datetime.date | None = None,
    cal: WorkCalendar | None = None,
) -> ChaseNotice:
    """The reply did not satisfy (or never came): close this notice and chase again under a new number."""
    require_office(by)
    if chase.status == ChaseStatus.CLOSED:
        raise ActionError(_("This notice is already closed."))
    if not content.strip():
        raise ActionError(_("Say why the notice is reissued."))
    claim(chase, _refusal, update={"status": ChaseStatus.CLOSED}, status__in=OPEN_CHASE)
    new = issue_chase(
        by=by, plan=chase.plan, unit=chase.unit, subject=chase.subject, content=content,
        tasks=chase.tasks.all(), workdays=workdays, issued_on=issued_on, reissued_from=chase, cal=cal,
    )  # fmt: skip
    chase.closed_at = timezone.now()
    chase.close_note = _("Reissued as %(number)s.") % {"number": new.number}
    save_with_history(chase, by=by, reason=_("reissued"))
    return new


def overdue_sweep(today: datetime.date | None = None) -> dict[str, int]:
    """Tell the unit and the office once when a reply is late. Idempotent: each notice is claimed with a
    conditional UPDATE, so two workers never send it twice."""
    today = today or _today()
    sent = 0
    late = ChaseNotice.objects.filter(
        status=ChaseStatus.ISSUED, reply_due__lt=today, overdue_notified_on__isnull=True
    )
    for chase in late:
        if ChaseNotice.objects.filter(pk=chase.pk, overdue_notified_on__isnull=True).update(
            overdue_notified_on=today
        ):
            send(
                Kind.CHASE,
                users_with(*UNIT_ACTORS, units=[chase.unit_id]) + office_users(),
                _("Reply to chase notice %(number)s overdue since %(due)s")
                % {"number": chase.number, "due": f"{chase.reply_due:%Y-%m-%d}"},
                url=chase_url(chase),
                key=f"chase-overdue:{chase.pk}",
            )
            sent += 1
    return {"overdue": sent}

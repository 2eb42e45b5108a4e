"""Every write to dispatch meetings (调度会): plan one, record minutes, add decisions, build the pack.

A decision (议定事项) becomes a tracked task (source: meeting decision) or a milestone on an existing task,
through the plans actions, so that it is reported on, reminded of and supervised like any other.
"""

import datetime
import logging
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.claims import claim, same_as_seen
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.history import save_with_history
from tongtui.core.system import system_user
from tongtui.dispatch import agenda
from tongtui.dispatch.models import Decision, DecisionKind, Meeting, MeetingStatus
from tongtui.notify.actions import send
from tongtui.notify.kinds import Kind
from tongtui.orgs.models import Membership, Role, Unit
from tongtui.orgs.roles import roles_of
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Source, Task

logger = logging.getLogger(__name__)
MEETING_FIELDS = {"date", "time", "title", "chair", "scope", "category", "leader"}
PACK_LEAD = datetime.timedelta(hours=48)


def _require_office(by: Any) -> None:
    if not roles_of(by).is_office:
        raise Forbidden(_("Only the supervision office can do this."))


def _refusal(meeting: Meeting | None) -> str:
    if meeting is None:
        return _("This meeting no longer exists. Reload the page.")
    return _("Someone else saved this meeting's minutes a moment ago. Reload the page to see them.")


@transaction.atomic
def create_meeting(*, by: Any, plan: Any, **fields: Any) -> Meeting:
    _require_office(by)
    unknown = set(fields) - MEETING_FIELDS
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    meeting = Meeting(plan=plan, created_by=by, **fields)
    save_with_history(meeting, by=by, reason=_("meeting planned"))
    return meeting


@transaction.atomic
def update_meeting(meeting: Meeting, *, by: Any, **fields: Any) -> Meeting:
    _require_office(by)
    unknown = set(fields) - MEETING_FIELDS
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(meeting, key, value)
    save_with_history(meeting, by=by, reason=_("meeting changed"))
    return meeting


@transaction.atomic
def record_minutes(meeting: Meeting, *, by: Any, minutes: str, held: bool = True) -> Meeting:
    """After the meeting: the minutes; the meeting is marked held."""
    _require_office(by)
    minutes = minutes.strip()
    status = MeetingStatus.HELD if held else meeting.status
    if minutes == meeting.minutes and status == meeting.status:
        raise ActionError(_("These minutes are saved already: nothing has changed."))
    # Only over the minutes the user loaded: a second click, or a colleague's minutes, is not overwritten.
    claim(
        meeting,
        _refusal,
        update={"minutes": minutes, "status": status},
        **same_as_seen(meeting, "status", "minutes"),
    )
    save_with_history(meeting, by=by, reason=_("minutes recorded"))
    return meeting


def _milestone_progress(task: Task, deadline: datetime.date) -> Decimal:
    """Where the task's roadmap stands on the deadline; a task without milestones: its progress now."""
    facts = [
        agenda.MilestoneFact(m.title, m.due, m.planned_progress, m.done_on) for m in task.milestones.all()
    ]
    planned = agenda.planned_at(deadline, task.start, facts)
    return max(planned if planned is not None else Decimal(0), task.progress)


def _decision_code(meeting: Meeting, seq: int) -> str:
    """DD<date>-<the meeting's number that day>-<decision>: the same on every database and every rebuild (a
    code never carries a row id)."""
    that_day = Meeting.objects.filter(plan_id=meeting.plan_id, date=meeting.date, pk__lte=meeting.pk).count()
    return f"DD{meeting.date:%Y%m%d}-{that_day}-{seq}"


@transaction.atomic
def add_decision(
    meeting: Meeting,
    *,
    by: Any,
    text: str,
    lead_unit: Unit,
    deadline: datetime.date,
    co_units: Iterable[Unit] = (),
    kind: str = DecisionKind.TASK,
    task: Task | None = None,
    planned_progress: Decimal | None = None,
) -> Decision:
    """议定事项: record a decision and track it, as a new task (under `task` if given) or a milestone on `task`."""
    _require_office(by)
    if not text.strip():
        raise ActionError(_("Write what the meeting decided."))
    if deadline < meeting.date:
        raise ActionError(_("The deadline is before the meeting."))
    if task is not None and task.plan_id != meeting.plan_id:
        raise ActionError(_("The task belongs to another plan year."))
    co = [u for u in co_units if u.pk != lead_unit.pk]
    # The meeting's row is held until the decision and its task are in: two clicks at once neither take
    # the same number nor track one decision twice.
    claim(meeting, _refusal)
    same = meeting.decisions.filter(
        text=text.strip(), kind=kind, lead_unit=lead_unit, task=task, deadline=deadline
    ).first()
    if same is not None:
        raise Conflict(
            _("This decision has already been recorded as No. %(seq)s. Reload the page to see it.")
            % {"seq": same.seq},
            current_version=0,
        )
    seq = (meeting.decisions.aggregate(n=Max("seq"))["n"] or 0) + 1
    decision = Decision(
        meeting=meeting,
        seq=seq,
        text=text.strip(),
        kind=kind,
        lead_unit=lead_unit,
        deadline=deadline,
        task=task,
        planned_progress=planned_progress,
    )
    save_with_history(decision, by=by, reason=_("decision recorded"))
    decision.co_units.set(co)
    reason = _("decided at %(meeting)s") % {"meeting": meeting}
    if kind == DecisionKind.MILESTONE:
        assert task is not None
        progress = planned_progress if planned_progress is not None else _milestone_progress(task, deadline)
        decision.created_milestone = plan_actions.add_milestone(
            task,
            by=by,
            title=text.strip()[:300],
            due=deadline,
            planned_progress=progress,
            reason=reason,
        )
    else:
        title = text.strip().splitlines()[0][:500]
        decision.created_task = plan_actions.create_task(
            by=by,
            plan=meeting.plan,
            co_units=co,
            reason=reason,
            parent=task,
            code=_decision_code(meeting, seq),
            title=title,
            goal=text.strip(),
            category=task.category if task is not None else meeting.category,
            lead_unit=lead_unit,
            leader=meeting.chair,
            start=meeting.date,
            due=deadline,
            source=Source.MEETING,
        )
    save_with_history(decision, by=by, reason=_("decision tracked"))
    return decision


def store_pack(meeting: Meeting, content: bytes, *, by: Any) -> Meeting:
    """Keep the pack through Django's storage (S3-compatible storage works the same)."""
    old = meeting.pack.name if meeting.pack else ""
    meeting.pack.save(f"meeting-{meeting.pk}.docx", ContentFile(content), save=False)
    meeting.pack_generated_at = timezone.now()
    save_with_history(meeting, by=by, reason=_("meeting pack generated"))
    office = Membership.objects.filter(role=Role.OFFICE, person__user__isnull=False).select_related(
        "person__user"
    )
    send(
        Kind.MEETING_PACK,
        [p.user for p in (meeting.chair, meeting.leader) if p is not None and p.user_id]
        + [m.person.user for m in office],
        _("Meeting pack ready: %(meeting)s on %(day)s")
        % {"meeting": meeting.title, "day": f"{meeting.date:%Y-%m-%d}"},
        url=reverse("dispatch:meeting-detail", args=[meeting.pk]),
        key=f"meeting-pack:{meeting.pk}:{meeting.pack_generated_at:%Y%m%d%H%M%S}",
        plan=meeting.plan_id,
    )
    if old and old != meeting.pack.name:
        meeting.pack.storage.delete(old)
    return meeting


@transaction.atomic
def generate_pack(meeting: Meeting, *, by: Any) -> Meeting:
    """Build (or rebuild) the meeting pack from today's data."""
    from tongtui.dispatch.meeting_pack import build_pack

    if not roles_of(by).is_office and by != system_user():
        raise Forbidden(_("Only the supervision office can do this."))
    # Two rebuilds at once: the second waits and replaces the first's file, so none is left behind. A held
    # meeting's pack is the record of what the meeting was given: it is never rebuilt.
    claim(meeting, _pack_refusal, status=MeetingStatus.PLANNED)
    return store_pack(meeting, build_pack(meeting), by=by)


def _pack_refusal(meeting: Meeting | None) -> str:
    if meeting is not None and meeting.status == MeetingStatus.HELD:
        return _("The meeting was held: its pack stays as it was given to the meeting.")
    return _refusal(meeting)


def starts_at(meeting: Meeting) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(meeting.date, meeting.time))


def packs_due(now: datetime.datetime | None = None) -> int:
    """Build the pack of every planned meeting starting within 48 hours that has none yet. Idempotent.

    Each meeting is claimed by a conditional UPDATE of pack_generated_at, so two workers never both build it.
    """
    from tongtui.dispatch.meeting_pack import build_pack

    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = Meeting.objects.filter(
        status=MeetingStatus.PLANNED,
        pack_generated_at__isnull=True,
        date__gte=today,
        date__lte=today + datetime.timedelta(days=3),
    )
    built = 0
    actor = None
    for meeting in candidates.select_related("plan", "chair", "category", "leader"):
        start = starts_at(meeting)
        if not (now >= start - PACK_LEAD and now < start):
            continue
        if not Meeting.objects.filter(pk=meeting.pk, pack_generated_at__isnull=True).update(
            pack_generated_at=now
        ):
            continue
        try:
            content = build_pack(meeting)
            actor = actor or system_user()
            with transaction.atomic():
                store_pack(meeting, content, by=actor)
        except Exception:
            logger.exception("meeting %s: pack failed; the next run retries", meeting.pk)
            Meeting.objects.filter(pk=meeting.pk).update(pack_generated_at=None)
            continue
        built += 1
    return built

"""催办: reminders before, on and after a report's deadline, escalating to the unit head and the leader.

`steps_due` is the pure rule: which reminders a period should have had by today. `sweep` applies it to
every outstanding report, set-based, and is idempotent: a reminder row is unique per (task, period,
recipient, kind, round), so running the sweep twice, or on two workers at once, sends nothing twice.
Each reminder goes out through `notify.actions.send` in the same transaction as its row: in-app at once, by
e-mail through the delivery worker (retried with back-off, within each person's daily cap or in their daily
digest, failures on the office's deliveries page). The event is one per step of one unit's reminder
(`event_key`), so persons reminded of the same step share it, and a group robot that the office set to post
reminders posts a unit's before / on-the-day / late reminders once; escalations stay personal.

The same sweep chases acknowledgements (签收): each unit of an assigned task that has not acknowledged it by
its `ack_due` is reminded by the same policy (before, on the day, then in rounds, escalating to the unit
head and, for the lead unit, to the leader in charge). These rows are of kind ACKNOWLEDGE, keyed on the
deadline (period_start = period_end = due = ack_due) with the step in `seq`, so they are idempotent in the
same way; a lead unit that disputes the task is not chased while the office decides.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.workdays import WorkCalendar, calendar
from tongtui.dispatch.acknowledging import owed
from tongtui.dispatch.due import Scheduler, outstanding, reportable_tasks
from tongtui.dispatch.models import Reminder, ReminderKind, ReminderPolicy
from tongtui.dispatch.schedule import Period, period_label
from tongtui.notify.actions import send
from tongtui.notify.kinds import Kind
from tongtui.orgs.models import Membership, Person, Role
from tongtui.plans.models import Task

K = ReminderKind
UNIT_KINDS = (K.BEFORE, K.ON_DAY, K.AFTER)  # go to the lead unit's liaisons


@dataclass(frozen=True)
class Policy:
    days_before: int = 2
    on_the_day: bool = True
    after_every: int = 2
    escalate_to_head_after: int = 3
    escalate_to_leader_after: int = 5
    max_per_period: int = 5
    by_email: bool = True

    @classmethod
    def of(cls, row: ReminderPolicy | None) -> "Policy":
        if row is None:
            return cls()
        return cls(
            row.days_before,
            row.on_the_day,
            row.after_every,
            row.escalate_to_head_after,
            row.escalate_to_leader_after,
            row.max_per_period,
            row.by_email,
        )


@dataclass(frozen=True)
class Step:
    kind: str
    seq: int = 0


def steps_due(policy: Policy, due: datetime.date, today: datetime.date, cal: WorkCalendar) -> list[Step]:
    """The reminders a report due on `due` should have by `today` (a working day), in the order to send them.

    Before: once, within `days_before` working days of the deadline. On the day: once. After: one per
    round of `after_every` working days late (round 0 on the first day late). Escalations: once each, the
    unit head from `escalate_to_head_after` working days late, the leader from `escalate_to_leader_after`.
    """
    if today < due:
        left = cal.workdays_between(today, due)
        return [Step(K.BEFORE)] if policy.days_before and 0 < left <= policy.days_before else []
    if today == due:
        return [Step(K.ON_DAY)] if policy.on_the_day else []
    late = cal.workdays_between(due, today)
    if late <= 0:
        return []
    steps = []
    if policy.after_every:
        steps.append(Step(K.AFTER, (late - 1) // policy.after_every))
    if policy.escalate_to_head_after and late >= policy.escalate_to_head_after:
        steps.append(Step(K.ESCALATED_HEAD))
    if policy.escalate_to_leader_after and late >= policy.escalate_to_leader_after:
        steps.append(Step(K.ESCALATED_LEADER))
    return steps


def _message(kind: str, task: Task, period: Period, late: int) -> str:
    values = {
        "task": f"{task.code} {task.title}",
        "period": period_label(period.start, period.end),
        "due": f"{period.due:%Y-%m-%d}",
        "late": late,
        "unit": task.lead_unit,
    }
    if kind == K.BEFORE:
        return _("Report due on %(due)s: %(task)s, %(period)s") % values
    if kind == K.ON_DAY:
        return _("Report due today: %(task)s, %(period)s") % values
    if kind == K.AFTER:
        return _("Report %(late)s working days late (due %(due)s): %(task)s, %(period)s") % values
    if kind == K.ESCALATED_HEAD:
        return (
            _("Your unit's report is %(late)s working days late (due %(due)s): %(task)s, %(period)s") % values
        )
    return (
        _(
            "A report on a task you are in charge of is %(late)s working days late: %(task)s, %(period)s, "
            "lead unit %(unit)s"
        )
        % values
    )


def _url(kind: str, task: Task, period: Period) -> str:
    if kind == K.ESCALATED_LEADER:
        return reverse("task-detail", args=[task.pk])
    return reverse("dispatch:report-start", args=[task.pk, period.start.isoformat()])


class _People:
    """The lead units' liaisons and heads, loaded once per batch of tasks."""

    def __init__(self, unit_ids: set[int]) -> None:
        self.by_unit: dict[tuple[int, str], list[Person]] = defaultdict(list)
        rows = Membership.objects.filter(unit_id__in=unit_ids, role__in=[Role.LIAISON, Role.UNIT_HEAD])
        for m in rows.select_related("person__user"):
            self.by_unit[(m.unit_id, m.role)].append(m.person)

    def recipients(self, kind: str, task: Task, unit_id: int | None = None) -> list[Person]:
        """Who gets a reminder of this kind: the liaisons (or, without one, the heads) of the unit — the
        lead unit unless another is given —, its heads when escalated, the task's leader at the end."""
        unit = unit_id or task.lead_unit_id or 0
        if kind == K.ESCALATED_LEADER:
            return [task.leader] if task.leader is not None else []
        heads = self.by_unit[(unit, Role.UNIT_HEAD)]
        if kind == K.ESCALATED_HEAD:
            return heads
        return self.by_unit[(unit, Role.LIAISON)] or heads


def event_key(task: Task, period: Period, unit_id: int | None, step: Step) -> str:
    """One notify event per step of one unit's reminder: running the sweep again finds it and sends nothing."""
    return f"reminder:{task.pk}:{unit_id or 0}:{period.start}:{period.end}:{step.kind}:{step.seq}"


@dataclass(frozen=True)
class Message:
    """What one step of one unit's reminder says, and where its link goes."""

    title: str
    url: str
    unit_id: int | None


def _create(
    task: Task, period: Period, person: Person, step: Step, policy: Policy, msg: Message
) -> Reminder | None:
    """Record one reminder and send it, or nothing when it was already sent (the row is unique)."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                task=task,
                period_start=period.start,
                period_end=period.end,
                due=period.due,
                recipient=person,
                kind=step.kind,
                seq=step.seq,
            )
            if person.user_id:  # a person without a login is named on the record but cannot be notified
                to_unit = _unit_step(step).kind in UNIT_KINDS  # escalations are personal: no group robot
                send(
                    Kind.REMINDER,
                    [person.user],
                    msg.title,
                    url=msg.url,
                    key=event_key(task, period, msg.unit_id, step),
                    unit=msg.unit_id if to_unit else None,
                    plan=task.plan_id if to_unit else None,
                    email=policy.by_email,
                )
    except IntegrityError:  # another worker sent it a moment ago
        return None
    return reminder


def _unit_step(step: Step) -> Step:
    return ack_step(step.seq) if step.kind == K.ACKNOWLEDGE else step


def sweep(now: datetime.datetime | None = None, *, batch: int = 2000) -> int:
    """Send the reminders due now. Returns how many were created. Does nothing on a day off."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cal = calendar()
    if not cal.is_workday(today):
        return 0
    policies = {row.plan_id: Policy.of(row) for row in ReminderPolicy.objects.all()}
    most_before = max([p.days_before for p in policies.values()] + [Policy().days_before])
    ahead = (cal.add_workdays(today, most_before) - today).days
    scheduler = Scheduler(cal)
    created = 0
    tasks = reportable_tasks().select_related("leader__user").order_by("pk")
    last_pk = 0
    while True:
        chunk = list(tasks.filter(pk__gt=last_pk)[:batch])
        if not chunk:
            break
        last_pk = chunk[-1].pk
        created += _sweep_tasks(chunk, today, ahead, scheduler, policies)
    created += _sweep_acknowledgements(today, today + datetime.timedelta(days=ahead), cal, policies, batch)
    return created


def _sweep_tasks(
    tasks: list[Task], today: datetime.date, ahead: int, scheduler: Scheduler, policies: dict[int, Policy]
) -> int:
    pending = outstanding(tasks, today, ahead=ahead, scheduler=scheduler)
    if not pending:
        return 0
    people = _People({t.lead_unit_id for t, _p, _r in pending if t.lead_unit_id})
    sent: set[tuple[int, datetime.date, int, str, int]] = set()
    counts: dict[tuple[int, datetime.date, int], int] = defaultdict(int)
    earliest = min(p.start for _t, p, _r in pending)
    for row in (
        Reminder.objects.filter(task_id__in={t.pk for t, _p, _r in pending}, period_start__gte=earliest)
        .exclude(kind=K.ACKNOWLEDGE)
        .values("task_id", "period_start", "recipient_id", "kind", "seq")
    ):
        sent.add((row["task_id"], row["period_start"], row["recipient_id"], row["kind"], row["seq"]))
        counts[(row["task_id"], row["period_start"], row["recipient_id"])] += 1
    created = 0
    for task, period, _report in pending:
        policy = policies.get(task.plan_id, Policy())
        late = max(0, scheduler.cal.workdays_between(period.due, today))
        for step in steps_due(policy, period.due, today, scheduler.cal):
            msg = Message(
                _message(step.kind, task, period, late), _url(step.kind, task, period), task.lead_unit_id
            )
            for person in people.recipients(step.kind, task):
                key = (task.pk, period.start, person.pk)
                if (*key, step.kind, step.seq) in sent or counts[key] >= policy.max_per_period:
                    continue
                reminder = _create(task, period, person, step, policy, msg)
                if reminder is None:
                    continue
                counts[key] += 1
                created += 1
    return created


# Acknowledgements (签收). One kind, ACKNOWLEDGE; the step is kept in `seq`.
ACK_SEQ: dict[str, int] = {K.BEFORE: 0, K.ON_DAY: 1, K.ESCALATED_HEAD: 2, K.ESCALATED_LEADER: 3}
ACK_AFTER = 10  # round n after the deadline is seq 10 + n


def ack_seq(step: Step) -> int:
    return ACK_AFTER + step.seq if step.kind == K.AFTER else ACK_SEQ[step.kind]


def ack_step(seq: int) -> Step:
    if seq >= ACK_AFTER:
        return Step(K.AFTER, seq - ACK_AFTER)
    return Step(next(kind for kind, n in ACK_SEQ.items() if n == seq))


def _ack_message(kind: str, task: Task, due: datetime.date, late: int) -> str:
    values = {
        "task": f"{task.code} {task.title}",
        "due": f"{due:%Y-%m-%d}",
        "late": late,
        "unit": task.lead_unit,
    }
    if kind == K.BEFORE:
        return _("Acknowledge by %(due)s: %(task)s") % values
    if kind == K.ON_DAY:
        return _("Acknowledge today: %(task)s") % values
    if kind == K.AFTER:
        return _("Acknowledgement %(late)s working days late (due %(due)s): %(task)s") % values
    if kind == K.ESCALATED_HEAD:
        return (
            _("Your unit has not acknowledged a task, %(late)s working days late (due %(due)s): %(task)s")
            % values
        )
    return (
        _(
            "A task you are in charge of is not acknowledged by its lead unit %(unit)s, "
            "%(late)s working days late: %(task)s"
        )
        % values
    )


def _ack_url(kind: str, task: Task) -> str:
    if kind == K.ESCALATED_LEADER:
        return reverse("task-detail", args=[task.pk])
    return reverse("dispatch:acknowledge-list")


def _sweep_acknowledgements(
    today: datetime.date, until: datetime.date, cal: WorkCalendar, policies: dict[int, Policy], batch: int
) -> int:
    """Remind every unit that owes an acknowledgement due by `until` (set-based, a batch at a time)."""
    rows = list(owed(due_by=until, paused=True))
    created = 0
    for start in range(0, len(rows), batch):
        created += _remind_acknowledgements(rows[start : start + batch], today, cal, policies)
    return created


def _remind_acknowledgements(
    rows: list[tuple], today: datetime.date, cal: WorkCalendar, policies: dict[int, Policy]
) -> int:
    tasks = Task.objects.select_related("leader__user", "lead_unit").in_bulk({r[0] for r in rows})
    people = _People({r[1] for r in rows})
    sent: set[tuple[int, datetime.date, int, int]] = set()
    counts: dict[tuple[int, datetime.date, int], int] = defaultdict(int)
    for row in Reminder.objects.filter(task_id__in=list(tasks), kind=K.ACKNOWLEDGE).values(
        "task_id", "period_start", "recipient_id", "seq"
    ):
        sent.add((row["task_id"], row["period_start"], row["recipient_id"], row["seq"]))
        counts[(row["task_id"], row["period_start"], row["recipient_id"])] += 1
    created = 0
    for task_id, unit_id, is_lead, due, _no, _disputed in rows:
        task = tasks[task_id]
        policy = policies.get(task.plan_id, Policy())
        late = max(0, cal.workdays_between(due, today))
        period = Period(due, due, due)
        for step in steps_due(policy, due, today, cal):
            if step.kind == K.ESCALATED_LEADER and not is_lead:
                continue  # the leader hears about the lead unit; co-units stay with their own heads
            seq = ack_seq(step)
            msg = Message(_ack_message(step.kind, task, due, late), _ack_url(step.kind, task), unit_id)
            for person in people.recipients(step.kind, task, unit_id):
                key = (task.pk, due, person.pk)
                if (*key, seq) in sent or counts[key] >= policy.max_per_period:
                    continue
                reminder = _create(task, period, person, Step(K.ACKNOWLEDGE, seq), policy, msg)
                sent.add((*key, seq))
                if reminder is None:
                    continue
                counts[key] += 1
                created += 1
    return created

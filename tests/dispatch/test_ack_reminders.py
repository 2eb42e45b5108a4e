"""催办 of acknowledgements (签收): each unit of an assigned task that has not acknowledged it by its deadline
is reminded by the plan's policy, escalating like report reminders, never twice for the same step; a lead
unit that disputes the task is not chased while the office decides."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from tongtui.dispatch import actions_cycles, actions_requests
from tongtui.dispatch.models import Notification, Reminder, ReminderKind
from tongtui.dispatch.reminders import ACK_SEQ, Step, ack_seq, ack_step, sweep
from tongtui.notify import delivery
from tongtui.orgs.models import Membership, Person, Role
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Task

D = datetime.date
TZ = ZoneInfo("Asia/Shanghai")
DUE = D(2026, 3, 25)  # a Wednesday
K = ReminderKind


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def acks(cast):
    """Both tasks assigned, to be acknowledged by Wednesday 25 March; no report cycle, so only acknowledgements
    are chased. liaison_c is the liaison of unit C, a co-unit of task_a and the lead unit of task_c."""
    office = cast.user("office")
    for task in (cast.task_a, cast.task_c):
        plan_actions.assign_task(task, by=office)
    Task.objects.filter(pk__in=[cast.task_a.pk, cast.task_c.pk]).update(ack_due=DUE)
    cast.task_a.refresh_from_db()
    cast.task_c.refresh_from_db()
    user = get_user_model().objects.create_user("liaison_c", password="pw-liaison_c", email="liaison_c@t.cn")
    cast.liaison_c = Person.objects.create(user=user, name="钱联络", unit=cast.unit_c)
    Membership.objects.create(person=cast.liaison_c, unit=cast.unit_c, role=Role.LIAISON)
    return cast


def sent(task) -> list[tuple[str, str]]:
    rows = Reminder.objects.filter(task=task, kind=K.ACKNOWLEDGE).order_by("sent_at", "pk")
    return [(r.recipient.name, ack_step(r.seq).kind) for r in rows.select_related("recipient")]


def test_the_step_is_kept_in_the_round_number_and_read_back():
    for step in [Step(K.BEFORE), Step(K.ON_DAY), Step(K.AFTER, 0), Step(K.AFTER, 7), Step(K.ESCALATED_HEAD)]:
        assert ack_step(ack_seq(step)) == step
    assert len(set(ACK_SEQ.values())) == len(ACK_SEQ)


def test_the_lead_and_the_co_unit_are_reminded_before_the_deadline_once(acks):
    assert sweep(at(D(2026, 3, 20))) == 0  # Friday: 3 working days left
    assert sweep(at(D(2026, 3, 23))) == 3  # liaison_a for task 1; liaison_c for task 1 (co-unit) and task 2
    assert sweep(at(D(2026, 3, 23), 15)) == 0
    assert sweep(at(D(2026, 3, 24))) == 0  # the "before" reminder is sent once
    assert sent(acks.task_a) == [("张联络", K.BEFORE), ("钱联络", K.BEFORE)]
    assert sent(acks.task_c) == [("钱联络", K.BEFORE)]
    notes = Notification.objects.filter(recipient=acks.user("liaison_c"))
    assert notes.count() == 2 and {n.url for n in notes} == {"/acknowledge/"}
    assert any(acks.task_c.code in n.title for n in notes)


def test_reminders_go_on_after_the_deadline_and_escalate_to_the_head_then_the_leader(acks):
    for day in [
        D(2026, 3, 23),
        DUE,
        D(2026, 3, 26),
        D(2026, 3, 27),
        D(2026, 3, 30),
        D(2026, 3, 31),
        D(2026, 4, 1),
    ]:
        sweep(at(day))
    lead = [row for row in sent(acks.task_a) if row[0] != "钱联络"]
    assert lead == [
        ("张联络", K.BEFORE),
        ("张联络", K.ON_DAY),
        ("张联络", K.AFTER),
        ("张联络", K.AFTER),
        ("李局长", K.ESCALATED_HEAD),
        ("张联络", K.AFTER),
        ("王副区长", K.ESCALATED_LEADER),
    ]
    note = Notification.objects.get(recipient=acks.user("leader"), title__contains=acks.task_a.code)
    assert note.url == f"/tasks/{acks.task_a.pk}/"


def test_the_leader_hears_about_the_lead_unit_only(acks):
    plan_actions.acknowledge_task(acks.task_a, by=acks.user("head_a"), unit=acks.unit_a)
    for day in [D(2026, 3, 26), D(2026, 4, 1)]:
        sweep(at(day))
    assert ("王副区长", K.ESCALATED_LEADER) not in sent(acks.task_a)  # unit C, a co-unit, is still late
    assert ("钱联络", K.AFTER) in sent(acks.task_a)
    assert ("王副区长", K.ESCALATED_LEADER) in sent(acks.task_c)  # unit C leads task 2


def test_acknowledging_stops_the_reminders_for_that_unit_only(acks):
    sweep(at(D(2026, 3, 23)))
    plan_actions.acknowledge_task(acks.task_a, by=acks.user("liaison_a"), unit=acks.unit_a)
    sweep(at(DUE))
    assert sent(acks.task_a) == [("张联络", K.BEFORE), ("钱联络", K.BEFORE), ("钱联络", K.ON_DAY)]


def test_a_pending_dispute_pauses_the_lead_unit_and_a_withdrawal_resumes(acks):
    change = actions_requests.ask_lead_change(
        acks.task_a, by=acks.user("liaison_a"), reason="不属于本单位职责"
    )
    sweep(at(D(2026, 3, 23)))
    assert sent(acks.task_a) == [("钱联络", K.BEFORE)]  # the co-unit is still reminded
    actions_requests.withdraw_request(change, by=acks.user("liaison_a"))
    sweep(at(DUE))
    assert ("张联络", K.ON_DAY) in sent(acks.task_a)


def test_a_new_lead_is_reminded_on_its_own_deadline(acks):
    change = actions_requests.ask_lead_change(
        acks.task_a, by=acks.user("liaison_a"), reason="应由城关街道牵头", proposed_unit=acks.unit_b
    )
    actions_requests.approve_request(change, by=acks.user("office"))
    task = Task.objects.get(pk=acks.task_a.pk)
    assert task.lead_unit == acks.unit_b and task.ack_due > DUE
    sweep(at(task.ack_due))
    assert ("赵联络", K.ON_DAY) in sent(task)
    assert Reminder.objects.get(task=task, recipient=acks.liaison_b).due == task.ack_due


def test_a_unit_without_a_liaison_reminds_its_head(acks):
    acks.liaison_a.memberships.all().delete()
    sweep(at(D(2026, 3, 23)))
    assert ("李局长", K.BEFORE) in sent(acks.task_a)


def test_the_policy_sets_the_days_and_the_maximum(acks):
    actions_cycles.set_reminder_policy(
        acks.plan,
        by=acks.user("office"),
        days_before=0,
        on_the_day=False,
        after_every=1,
        max_per_period=2,
        escalate_to_head_after=0,
        escalate_to_leader_after=0,
    )
    day = D(2026, 3, 20)
    while day <= D(2026, 4, 10):
        sweep(at(day))
        day += datetime.timedelta(days=1)
    assert [kind for name, kind in sent(acks.task_c)] == [K.AFTER, K.AFTER]


def test_a_suspended_task_is_not_chased(acks):
    plan_actions.suspend_task(acks.task_a, by=acks.user("office"), reason="暂缓")
    sweep(at(D(2026, 3, 23)))
    assert sent(acks.task_a) == []


def test_each_reminder_is_e_mailed_once_by_the_worker_and_a_failure_is_retried(acks, settings):
    settings.EMAIL_BACKEND = "tests.dispatch.test_reminders.BrokenBackend"
    sweep(at(D(2026, 3, 23)))
    now = timezone.now()
    assert delivery.deliver_due(now) == {"retry": 3}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sweep(at(D(2026, 3, 23), 11))
    sweep(at(D(2026, 3, 23), 12))
    assert delivery.deliver_due(now + datetime.timedelta(minutes=2)) == {"sent": 3}
    assert delivery.deliver_due(now + datetime.timedelta(hours=2)) == {}
    assert sorted(m.to[0] for m in mail.outbox) == ["liaison_a@t.cn", "liaison_c@t.cn", "liaison_c@t.cn"]
    assert all(acks.task_a.code in m.subject or acks.task_c.code in m.subject for m in mail.outbox)
    assert all("/acknowledge/" in m.body for m in mail.outbox)

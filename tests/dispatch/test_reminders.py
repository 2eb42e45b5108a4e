import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from tests.dispatch.conftest import MARCH
from tongtui.core.workdays import WorkCalendar
from tongtui.dispatch import actions, actions_cycles
from tongtui.dispatch.models import Notification, PeriodicJob, Reminder
from tongtui.dispatch.reminders import Policy, Step, steps_due, sweep
from tongtui.plans.models import Task

D = datetime.date
CAL = WorkCalendar()
TZ = ZoneInfo("Asia/Shanghai")
DUE = D(2026, 3, 25)  # a Wednesday


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def sent(d, task=None):
    rows = Reminder.objects.filter(task=task or d.task_a).order_by("sent_at", "pk")
    return [(r.recipient.name, r.kind, r.seq) for r in rows.select_related("recipient")]


@pytest.fixture
def march(d):
    """Only March is reported: the tasks were handed out on 1 March."""
    Task.objects.filter(pk__in=[d.task_a.pk, d.task_c.pk]).update(
        assigned_at=datetime.datetime(2026, 3, 1, 9, tzinfo=TZ)
    )
    return d


# the rule


def test_before_means_within_n_working_days():
    policy = Policy(days_before=2)
    assert steps_due(policy, DUE, D(2026, 3, 20), CAL) == []  # Friday: 3 working days left
    assert steps_due(policy, DUE, D(2026, 3, 23), CAL) == [Step("before")]
    assert steps_due(policy, DUE, D(2026, 3, 24), CAL) == [Step("before")]
    assert steps_due(Policy(days_before=0), DUE, D(2026, 3, 24), CAL) == []


def test_before_counts_working_days_across_a_holiday():
    # due Thursday 8 October 2026; 1–7 October are off, so Tuesday 29 September is 2 working days before
    assert steps_due(Policy(days_before=2), D(2026, 10, 8), D(2026, 9, 28), CAL) == []
    assert steps_due(Policy(days_before=2), D(2026, 10, 8), D(2026, 9, 29), CAL) == [Step("before")]


def test_on_the_day_and_after_in_rounds():
    policy = Policy(after_every=2, escalate_to_head_after=0, escalate_to_leader_after=0)
    assert steps_due(policy, DUE, DUE, CAL) == [Step("on_day")]
    assert steps_due(policy, DUE, D(2026, 3, 26), CAL) == [Step("after", 0)]  # 1 day late
    assert steps_due(policy, DUE, D(2026, 3, 27), CAL) == [Step("after", 0)]  # 2 days late
    assert steps_due(policy, DUE, D(2026, 3, 30), CAL) == [Step("after", 1)]  # 3 days late (Monday)


def test_escalation_goes_to_the_head_then_the_leader():
    policy = Policy(after_every=0, escalate_to_head_after=3, escalate_to_leader_after=5)
    assert steps_due(policy, DUE, D(2026, 3, 27), CAL) == []
    assert steps_due(policy, DUE, D(2026, 3, 30), CAL) == [Step("escalated_head")]
    assert steps_due(policy, DUE, D(2026, 4, 1), CAL) == [Step("escalated_head"), Step("escalated_leader")]


# the sweep


def test_running_the_sweep_twice_sends_one_reminder(march):
    assert sweep(at(D(2026, 3, 23))) == 2  # liaison_a for task 1, liaison_c for task 2
    assert sweep(at(D(2026, 3, 23), 15)) == 0
    assert sweep(at(D(2026, 3, 24))) == 0  # the "before" reminder is sent once
    assert sent(march) == [("张联络", "before", 0)]
    assert Notification.objects.filter(recipient=march.user("liaison_a")).count() == 1


def test_reminders_escalate_to_the_head_then_the_leader(march):
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
    assert sent(march) == [
        ("张联络", "before", 0),
        ("张联络", "on_day", 0),
        ("张联络", "after", 0),
        ("张联络", "after", 1),
        ("李局长", "escalated_head", 0),
        ("张联络", "after", 2),
        ("王副区长", "escalated_leader", 0),
    ]
    note = Notification.objects.get(recipient=march.user("leader"), title__contains=march.task_a.code)
    assert note.url == f"/tasks/{march.task_a.pk}/"


def test_no_person_gets_more_than_the_maximum_per_period(march):
    actions_cycles.set_reminder_policy(
        march.plan,
        by=march.user("office"),
        after_every=1,
        max_per_period=3,
        escalate_to_head_after=0,
        escalate_to_leader_after=0,
    )
    day = D(2026, 3, 20)
    while day <= D(2026, 4, 20):
        sweep(at(day))
        day += datetime.timedelta(days=1)
    assert sent(march) == [("张联络", "before", 0), ("张联络", "on_day", 0), ("张联络", "after", 0)]


def test_a_filed_report_stops_the_reminders(march):
    sweep(at(D(2026, 3, 23)))
    report = actions.start_or_get_draft(march.task_a, MARCH, by=march.user("liaison_a"))
    actions.save_draft(
        report, by=march.user("liaison_a"), version=report.version, progress=Decimal(5), done="x"
    )
    sweep(at(DUE))  # a draft is not filed
    actions.submit_report(report, by=march.user("liaison_a"))
    sweep(at(D(2026, 3, 26)))
    assert sent(march) == [("张联络", "before", 0), ("张联络", "on_day", 0)]


def test_nothing_is_sent_on_a_day_off(march):
    assert sweep(at(D(2026, 3, 28))) == 0  # Saturday, 2 working days late
    assert not Reminder.objects.exists()


def test_a_unit_without_a_liaison_reminds_its_head(march):
    march.liaison_a.memberships.all().delete()
    sweep(at(D(2026, 3, 23)))
    assert sent(march) == [("李局长", "before", 0)]


def test_each_reminder_is_e_mailed_once(march, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sweep(at(D(2026, 3, 23)))
        sweep(at(D(2026, 3, 23), 11))
    assert sorted(m.to[0] for m in mail.outbox) == ["liaison_a@t.cn", "liaison_c@t.cn"]
    assert all(r.emailed_at for r in Reminder.objects.all())
    assert "http" in mail.outbox[0].body


def test_no_e_mail_when_the_policy_says_so(march, django_capture_on_commit_callbacks):
    actions_cycles.set_reminder_policy(march.plan, by=march.user("office"), by_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        sweep(at(D(2026, 3, 23)))
    assert Reminder.objects.count() == 2 and mail.outbox == []


def test_a_failed_e_mail_is_retried_by_the_next_sweep(march, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.dispatch.test_reminders.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        sweep(at(D(2026, 3, 23)))
    assert not Reminder.objects.filter(emailed_at__isnull=False).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sweep(at(D(2026, 3, 23), 11))
    assert len(mail.outbox) == 2 and Reminder.objects.filter(emailed_at__isnull=False).count() == 2


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP server unreachable")


# the worker


# the queue worker closes its database connection between rounds: no wrapping transaction
@pytest.mark.django_db(transaction=True)
def test_the_worker_claims_the_hourly_sweep_once_and_runs_it(d):
    from django_tasks_db.models import DBTaskResult

    call_command("worker", "--once")
    job = PeriodicJob.objects.get(name="dispatch.reminder_sweep")
    assert job.next_run_at > job.last_claimed_at
    # other apps register periodic jobs of their own; each ran once and succeeded
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    ran = DBTaskResult.objects.count()
    assert ran >= 1
    call_command("worker", "--once")  # within the hour: nothing is claimed again
    assert DBTaskResult.objects.count() == ran


def test_only_one_of_two_claims_wins(d):
    from django.utils import timezone

    from tongtui.dispatch.management.commands.worker import claim
    from tongtui.dispatch.tasks import PERIODIC

    now = timezone.now()
    assert [claim(PERIODIC[0], now), claim(PERIODIC[0], now)] == [True, False]

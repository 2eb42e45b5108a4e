import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.dispatch.conftest import MARCH
from tongtui.core.workdays import WorkCalendar
from tongtui.dispatch import actions, actions_cycles
from tongtui.dispatch.models import PeriodicJob, Reminder
from tongtui.dispatch.reminders import Policy, Step, event_key, steps_due, sweep
from tongtui.notify import actions as notify_actions
from tongtui.notify import delivery
from tongtui.notify.kinds import Kind
from tongtui.notify.models import Channel, Delivery, Event, Mode, Notification, Robot, Status
from tongtui.orgs.models import Membership, Person, Role
from tongtui.plans.models import Task

D = datetime.date
CAL = WorkCalendar()
TZ = ZoneInfo("Asia/Shanghai")
User = get_user_model()
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


def emails(**kw):
    return Delivery.objects.filter(channel=Channel.EMAIL, event__kind=Kind.REMINDER, **kw)


def deliver(minutes: int = 0):
    return delivery.deliver_due(timezone.now() + datetime.timedelta(minutes=minutes))


def test_each_reminder_is_e_mailed_once_by_the_delivery_worker(march):
    sweep(at(D(2026, 3, 23)))
    sweep(at(D(2026, 3, 23), 11))
    assert mail.outbox == []  # the sweep only queues; the worker sends
    assert emails(status=Status.PENDING).count() == 2
    assert deliver() == {"sent": 2}
    assert deliver(60) == {}
    assert sorted(m.to[0] for m in mail.outbox) == ["liaison_a@t.cn", "liaison_c@t.cn"]
    assert all("http" in m.body and "/reports/" in m.body for m in mail.outbox)
    sweep(at(D(2026, 3, 24)))  # the same "before" step on the next day: nothing new
    assert deliver(120) == {} and len(mail.outbox) == 2


def test_one_event_per_step_keyed_so_a_second_sweep_finds_it(march):
    sweep(at(D(2026, 3, 23)))
    task_a = Event.objects.get(key=event_key(march.task_a, MARCH, march.unit_a.pk, Step("before")))
    assert task_a.kind == Kind.REMINDER and task_a.url.startswith("/")
    sweep(at(D(2026, 3, 23), 15))
    assert Event.objects.filter(kind=Kind.REMINDER).count() == 2
    assert Notification.objects.filter(event=task_a).count() == 1 and emails(event=task_a).count() == 1


def test_no_e_mail_when_the_policy_says_so(march):
    actions_cycles.set_reminder_policy(march.plan, by=march.user("office"), by_email=False)
    sweep(at(D(2026, 3, 23)))
    assert Reminder.objects.count() == 2 and not emails().exists()
    assert Notification.objects.filter(kind=Kind.REMINDER).count() == 2  # in-app still
    assert deliver() == {} and mail.outbox == []


def test_a_person_whose_login_has_no_address_is_e_mailed_at_the_one_on_the_person(march):
    User.objects.filter(username="liaison_a").update(email="")
    Person.objects.filter(pk=march.liaison_a.pk).update(email="zhang@unit-a.cn")
    sweep(at(D(2026, 3, 23)))
    deliver()
    assert sorted(m.to[0] for m in mail.outbox) == ["liaison_c@t.cn", "zhang@unit-a.cn"]


def test_a_failed_e_mail_is_retried_by_the_worker_and_a_lasting_failure_shows_to_the_office(march, settings):
    settings.EMAIL_BACKEND = "tests.dispatch.test_reminders.BrokenBackend"
    sweep(at(D(2026, 3, 23)))
    assert deliver() == {"retry": 2}
    assert emails(status=Status.PENDING, attempts=1).count() == 2
    sweep(at(D(2026, 3, 23), 11))  # the sweep does not send again: the worker retries
    assert emails().count() == 2
    for attempt in range(2, delivery.MAX_ATTEMPTS + 1):
        deliver(60 * 24 * attempt)
    assert emails(status=Status.FAILED).count() == 2
    page = march.client("office").get("/notifications/deliveries/?status=failed", HTTP_ACCEPT_LANGUAGE="en")
    assert march.task_a.code in page.content.decode() and "SMTP server unreachable" in page.content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    failed = emails(status=Status.FAILED, recipient=march.user("liaison_a")).get()
    assert notify_actions.retry(failed, by=march.user("office"))
    assert deliver() == {"sent": 1} and [m.to[0] for m in mail.outbox] == ["liaison_a@t.cn"]


def test_reminder_e_mails_count_toward_the_daily_cap_and_wait_for_the_digest(march, settings):
    settings.NOTIFY_DAILY_CAP = 1
    notify_actions.send(Kind.REPORT_RETURNED, [march.user("liaison_a")], "退回", key="returned-today")
    assert deliver() == {"sent": 1}
    sweep(at(D(2026, 3, 23)))
    assert deliver() == {"sent": 1, "held": 1}  # liaison_c's goes; liaison_a had today's one
    assert [m.to[0] for m in mail.outbox] == ["liaison_a@t.cn", "liaison_c@t.cn"]
    held = emails(recipient=march.user("liaison_a")).get()
    assert held.status == Status.HELD
    evening = timezone.localtime().replace(hour=18)
    assert delivery.build_digests(evening) == 1
    assert delivery.deliver_due(evening) == {"sent": 1}
    digest = mail.outbox[-1]
    assert digest.to == ["liaison_a@t.cn"] and march.task_a.code in digest.body
    held.refresh_from_db()
    assert held.status == Status.SENT and held.in_digest_id is not None


def test_a_person_who_chose_the_digest_gets_reminders_only_in_it(march):
    liaison = march.user("liaison_a")
    notify_actions.set_preference(liaison, email=True, mode=Mode.DIGEST, by=liaison)
    sweep(at(D(2026, 3, 23)))
    assert emails(recipient=liaison).get().status == Status.HELD
    deliver()
    assert [m.to[0] for m in mail.outbox] == ["liaison_c@t.cn"]


def test_a_unit_robot_set_to_post_reminders_posts_each_step_once_and_no_escalation(march):
    notify_actions.save_robot(
        Robot(name="甲局群", platform=Channel.WECOM, unit=march.unit_a, kinds=[Kind.REMINDER]),
        by=march.user("office"),
        webhook="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x",
    )
    second = Person.objects.create(
        user=User.objects.create_user("liaison_a2", email="a2@t.cn"), name="张二", unit=march.unit_a
    )
    Membership.objects.create(person=second, unit=march.unit_a, role=Role.LIAISON)
    sweep(at(D(2026, 3, 23)))
    assert [r for _n, r, _s in sent(march)] == ["before", "before"]
    assert Delivery.objects.filter(channel=Channel.WECOM).count() == 1
    actions_cycles.set_reminder_policy(
        march.plan,
        by=march.user("office"),
        after_every=0,
        escalate_to_head_after=1,
        escalate_to_leader_after=1,
    )
    sweep(at(D(2026, 3, 26)))  # one day late: the head and the leader are told, not the group
    assert {r for _n, r, _s in sent(march)} == {"before", "escalated_head", "escalated_leader"}
    assert Delivery.objects.filter(channel=Channel.WECOM).count() == 1


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
    # the run succeeded within the round: the claim's lease became a whole period
    assert job.next_run_at == job.last_claimed_at + datetime.timedelta(hours=1)
    assert job.result_id == "" and job.last_finished_at is not None
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


# the worker killed mid-run (kill -9): the run is not lost until the next period
@pytest.mark.django_db(transaction=True)
def test_a_run_left_running_by_a_killed_worker_is_run_again_once_its_lease_ends(d):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from tongtui.dispatch.management.commands.worker import LEASE, enqueue_due, run_queue, settle

    name = "dispatch.reminder_sweep"
    call_command("worker", "--once")
    now = timezone.now() + datetime.timedelta(hours=2)  # the next hour's sweep is due
    assert name in enqueue_due(now)
    row = PeriodicJob.objects.get(name=name)
    assert row.result_id and row.next_run_at == now + LEASE  # leased, not yet a period on
    # a worker picks the run and is killed: the result stays RUNNING
    DBTaskResult.objects.filter(pk=row.result_id).update(status="RUNNING", started_at=now)
    later = now + datetime.timedelta(minutes=5)
    assert settle(later)["waiting"] >= 1  # still within reason: the lease is kept alive
    assert name not in enqueue_due(later)
    much_later = now + datetime.timedelta(minutes=45)
    settled = settle(much_later)
    assert settled["reaped"] >= 1 and settled["failed"] >= 1
    assert DBTaskResult.objects.get(pk=row.result_id).status == "FAILED"  # not RUNNING for good
    assert name in enqueue_due(much_later)  # the lease has run out: another worker runs the sweep
    again = PeriodicJob.objects.get(name=name)
    assert again.result_id != row.result_id
    run_queue("second-worker")
    settle(much_later)
    done = PeriodicJob.objects.get(name=name)
    assert done.result_id == "" and done.next_run_at == much_later + datetime.timedelta(hours=1)
    assert DBTaskResult.objects.get(pk=again.result_id).status == "SUCCESSFUL"


def test_a_periodic_job_that_raises_is_retried_after_its_lease(d, monkeypatch):
    from django.utils import timezone

    from tongtui.dispatch import tasks as dispatch_tasks
    from tongtui.dispatch.management.commands.worker import LEASE, enqueue_due
    from tongtui.notify.tasks import InWorker

    def broken() -> int:
        raise RuntimeError("database went away")

    class Broken:
        call = staticmethod(broken)

    job = dispatch_tasks.Periodic("test.broken", datetime.timedelta(hours=1), InWorker(Broken()))
    monkeypatch.setattr(dispatch_tasks, "PERIODIC", [job])
    monkeypatch.setattr("tongtui.dispatch.management.commands.worker.PERIODIC", [job])
    now = timezone.now()
    assert enqueue_due(now) == []
    assert PeriodicJob.objects.get(name="test.broken").next_run_at == now + LEASE  # not an hour later
    assert enqueue_due(now + LEASE) == []
    # tried again once the lease ended (and failed again): claimed at that moment
    assert PeriodicJob.objects.get(name="test.broken").last_claimed_at == now + LEASE

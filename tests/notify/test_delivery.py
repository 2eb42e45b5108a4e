"""Sending through the one service and delivering with the worker: once per (event, recipient, channel), retries
with back-off, a worker killed mid-delivery, caps and the daily digest, preferences, group robots."""

import datetime
import json

import pytest
from django.core import mail
from django.utils import timezone

from tests.notify.test_channels import Recorder, dingtalk_accepts
from tongtui.notify import actions, delivery
from tongtui.notify.kinds import Kind
from tongtui.notify.models import Channel, Delivery, Event, Mode, Notification, Robot, Status

NOW = timezone.make_aware(datetime.datetime(2026, 3, 10, 9, 0))


def send(cast, who=("liaison_a",), key="k1", **kw):
    return actions.send(
        Kind.REPORT_RETURNED,
        [cast.user(w) for w in who],
        kw.pop("title", "退回"),
        url="/reports/1/",
        key=key,
        **kw,
    )


def emails(cast, who="liaison_a"):
    return Delivery.objects.filter(channel=Channel.EMAIL, recipient=cast.user(who))


def test_it_writes_in_app_at_once_and_an_email_for_the_worker(cast):
    send(cast, who=("liaison_a", "head_a"))
    assert Notification.objects.filter(kind=Kind.REPORT_RETURNED).count() == 2
    assert emails(cast).get().status == Status.PENDING
    assert mail.outbox == []


def test_the_same_key_twice_notifies_and_mails_once(cast):
    send(cast)
    send(cast, who=("liaison_a", "head_a"))
    assert Notification.objects.filter(recipient=cast.user("liaison_a")).count() == 1
    assert Notification.objects.filter(recipient=cast.user("head_a")).count() == 1  # a new recipient is added
    assert Delivery.objects.count() == 2 and Event.objects.count() == 1


def test_the_worker_sends_each_email_once(cast):
    send(cast)
    assert delivery.deliver_due(NOW + datetime.timedelta(days=400)) == {"sent": 1}
    assert delivery.deliver_due(NOW + datetime.timedelta(days=400)) == {}
    [message] = mail.outbox
    assert message.subject == "退回" and message.to == ["liaison_a@t.cn"] and "/reports/1/" in message.body


def test_a_worker_killed_mid_delivery_is_replaced_after_its_lease_and_the_message_goes_once(cast):
    send(cast)
    row = emails(cast).get()
    now = timezone.now()
    assert delivery.claim(row.pk, now) == 1  # a worker claims it … and dies before sending
    assert delivery.deliver_due(now + datetime.timedelta(minutes=1)) == {}  # the lease still holds
    assert delivery.deliver_due(now + delivery.LEASE + datetime.timedelta(seconds=1)) == {"sent": 1}
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 2
    later = now + datetime.timedelta(days=1)
    assert delivery.deliver_due(later) == {} and delivery.deliver_one(row.pk, later) == "skipped"
    assert len(mail.outbox) == 1


def test_a_late_worker_cannot_mark_a_delivery_someone_else_reclaimed(cast):
    send(cast)
    row = emails(cast).get()
    now = timezone.now()
    first = delivery.claim(row.pk, now)
    second = delivery.claim(row.pk, now + delivery.LEASE + datetime.timedelta(seconds=1))
    assert (first, second) == (1, 2)
    assert delivery._mine(row.pk, first).update(status=Status.SENT) == 0  # the first one's claim is gone


class Broken:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP server unreachable")


def test_a_failing_email_is_retried_with_back_off_then_failed_and_sent_again_by_the_office(cast, settings):
    settings.EMAIL_BACKEND = "tests.notify.test_delivery.Broken"
    send(cast)
    row = emails(cast).get()
    now = timezone.now()
    outcomes = []
    for _ in range(delivery.MAX_ATTEMPTS):
        row.refresh_from_db()
        outcomes.append(delivery.deliver_one(row.pk, max(now, row.next_attempt_at)))
    row.refresh_from_db()
    assert outcomes == ["retry"] * (delivery.MAX_ATTEMPTS - 1) + ["failed"]
    assert row.status == Status.FAILED and "SMTP server unreachable" in row.error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert actions.retry(row, by=cast.user("office")) is True
    assert actions.retry(row, by=cast.user("office")) is False  # a second click finds nothing to retry
    assert delivery.deliver_due() == {"sent": 1} and len(mail.outbox) == 1


def test_the_next_attempt_waits_longer_each_time(cast, settings):
    settings.EMAIL_BACKEND = "tests.notify.test_delivery.Broken"
    send(cast)
    row = emails(cast).get()
    delivery.deliver_one(row.pk, NOW.replace(year=2030))
    row.refresh_from_db()
    assert row.next_attempt_at == NOW.replace(year=2030) + datetime.timedelta(minutes=1)
    delivery.deliver_one(row.pk, row.next_attempt_at)
    wait = Delivery.objects.get(pk=row.pk).next_attempt_at - row.next_attempt_at
    assert wait == datetime.timedelta(minutes=2)


def test_emails_beyond_the_daily_cap_wait_for_the_digest_and_none_is_dropped(cast, settings):
    settings.NOTIFY_DAILY_CAP = 2
    settings.NOTIFY_DIGEST_HOUR = 17
    for n in range(4):
        send(cast, key=f"k{n}", title=f"消息{n}")
    now = timezone.now()
    assert delivery.deliver_due(now) == {"sent": 2, "held": 2}
    assert len(mail.outbox) == 2
    evening = timezone.localtime(now).replace(hour=18, minute=0)
    morning = evening.replace(hour=8)
    assert delivery.build_digests(morning) == 0  # not before the digest hour
    assert delivery.build_digests(evening) == 1
    assert delivery.build_digests(evening) == 0  # once a day
    assert delivery.deliver_due(evening) == {"sent": 1}
    digest = mail.outbox[-1]
    assert "消息2" in digest.body and "消息3" in digest.body and "消息0" not in digest.body
    assert not emails(cast).exclude(status=Status.SENT).exists()


def test_who_chose_the_digest_gets_one_email_a_day(cast, settings):
    settings.NOTIFY_DIGEST_HOUR = 17
    actions.set_preference(cast.user("liaison_a"), email=True, mode=Mode.DIGEST, by=cast.user("liaison_a"))
    send(cast, key="a")
    send(cast, key="b", title="第二条")
    assert set(emails(cast).values_list("status", flat=True)) == {Status.HELD}
    assert delivery.deliver_due() == {}
    evening = timezone.localtime(timezone.now()).replace(hour=17, minute=30)
    delivery.build_digests(evening)
    delivery.deliver_due(evening)
    assert len(mail.outbox) == 1 and "第二条" in mail.outbox[0].body


def test_who_turned_email_off_gets_in_app_only(cast):
    actions.set_preference(
        cast.user("liaison_a"), email=False, mode=Mode.IMMEDIATE, by=cast.user("liaison_a")
    )
    send(cast)
    assert Notification.objects.filter(recipient=cast.user("liaison_a")).exists()
    assert not emails(cast).exists()


def test_nobody_sets_another_persons_preferences(cast):
    from tongtui.core.errors import Forbidden

    with pytest.raises(Forbidden):
        actions.set_preference(cast.user("liaison_a"), email=False, mode=Mode.DIGEST, by=cast.user("office"))


def test_a_units_robot_posts_its_events_signed_and_once(cast):
    server = Recorder()
    try:
        robot = actions.save_robot(
            Robot(name="发改局群", platform=Channel.DINGTALK, unit=cast.unit_a, kinds=[Kind.REPORT_RETURNED]),
            by=cast.user("office"),
            webhook=server.url + "/robot/send?access_token=tok",
            secret="SECabc",
        )
        send(cast, unit=cast.unit_a)
        send(cast, unit=cast.unit_a)  # same key
        send(cast, key="other-unit", unit=cast.unit_b)
        assert Delivery.objects.filter(robot=robot).count() == 1
        assert delivery.deliver_due() == {"sent": 3}  # two e-mails and one robot post
        [req] = server.requests
        assert dingtalk_accepts(req["path"], "SECabc") and "退回" in json.dumps(
            req["body"], ensure_ascii=False
        )
    finally:
        server.close()


def test_a_robot_posts_only_the_kinds_chosen(cast):
    actions.save_robot(
        Robot(name="群", platform=Channel.WECOM, unit=cast.unit_a, kinds=[Kind.CHASE]),
        by=cast.user("office"),
        webhook="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x",
    )
    send(cast, unit=cast.unit_a)
    assert not Delivery.objects.filter(robot__isnull=False).exists()


def test_a_rolled_back_action_notifies_nobody(cast):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        send(cast)
        raise RuntimeError
    assert not Notification.objects.exists() and not Delivery.objects.exists()


def test_an_address_kept_on_the_person_is_found_without_a_query_when_read_with_the_login(
    cast, django_assert_num_queries
):
    from django.contrib.auth import get_user_model

    from tongtui.orgs.models import Person, Role
    from tongtui.orgs.recipients import users_with

    head = cast.user("head_a")
    get_user_model().objects.filter(pk=head.pk).update(email="")
    Person.objects.filter(user=head).update(email="head_a@unit.gov.cn")
    heads = users_with(Role.UNIT_HEAD, units=[cast.unit_a.pk])  # each login with its person
    with django_assert_num_queries(0):
        assert delivery.addresses(heads) == {head.pk: "head_a@unit.gov.cn"}
    alone = [get_user_model().objects.get(pk=head.pk)]  # a login read alone: its person is asked for
    with django_assert_num_queries(1):
        assert delivery.addresses(alone) == {head.pk: "head_a@unit.gov.cn"}
    Person.objects.filter(user=head).update(email="")
    heads = users_with(Role.UNIT_HEAD, units=[cast.unit_a.pk])
    with django_assert_num_queries(0):  # no address anywhere: nothing more to ask
        assert delivery.addresses(heads) == {head.pk: ""}


def test_the_settings_are_read_only_for_recipients_with_an_address(cast):
    """Nobody to mail, nothing to ask about mailing: the preferences are read for the recipients who have an
    address, and their choice still holds (liaison_a switched e-mail off; head_a has no address at all)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tongtui.orgs.models import Person
    from tongtui.orgs.recipients import users_with

    head = cast.user("head_a")
    get_user_model().objects.filter(pk=head.pk).update(email="")
    Person.objects.filter(user=head).update(email="")
    heads = users_with("unit_head", units=[cast.unit_a.pk])  # read with their people: no address query
    with CaptureQueriesContext(connection) as ctx:
        actions.send(Kind.SIGN_OFF, heads, "待审签", url="/reports/1/", key="s1")
    assert not [q for q in ctx.captured_queries if "notify_preference" in q["sql"]]
    assert Notification.objects.filter(recipient=head).exists() and not emails(cast, "head_a").exists()

    actions.set_preference(cast.user("liaison_a"), email=False, mode=Mode.IMMEDIATE, by=cast.user("liaison_a"))
    people = get_user_model().objects.filter(username__in=["liaison_a", "head_a", "liaison_b"]).order_by("pk")
    with CaptureQueriesContext(connection) as ctx:
        actions.send(Kind.REPORT_RETURNED, list(people), "退回", url="/reports/1/", key="s2")
    [read] = [q["sql"] for q in ctx.captured_queries if 'FROM "notify_preference"' in q["sql"]]
    assert str(head.pk) not in read.split(" IN ")[-1].strip("()").split(", ")  # head_a has no address
    assert not emails(cast).exists() and emails(cast, "liaison_b").get().status == Status.PENDING

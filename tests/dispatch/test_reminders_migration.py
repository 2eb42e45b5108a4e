"""Reminder e-mails move to notify: an e-mail the old sweep had not sent yet becomes a delivery for the worker,
once; one already sent does not; the migration runs backwards too."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("dispatch", "0006_notification_moves_to_notify"),
    ("notify", "0002_events_deliveries_robots_preferences"),
]
AFTER = [("dispatch", "0007_reminders_email_through_notify")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_unsent_reminder_e_mails_are_handed_to_the_worker_once():
    apps = migrate(BEFORE)
    user = apps.get_model("auth", "User").objects.create(username="zhang", email="zhang@t.cn")
    person = apps.get_model("orgs", "Person").objects.create(user_id=user.pk, name="张联络")
    plan = apps.get_model("plans", "Plan").objects.create(year=2026, title="2026")
    task = apps.get_model("plans", "Task").objects.create(plan_id=plan.pk, code="1", title="任务")
    Reminder = apps.get_model("dispatch", "Reminder")
    Event = apps.get_model("notify", "Event")
    day = datetime.date(2026, 3, 25)
    rows = {}
    for kind, emailed in [
        ("before", None),
        ("on_day", datetime.datetime(2026, 3, 25, 10, tzinfo=datetime.UTC)),
    ]:
        rows[kind] = Reminder.objects.create(
            task_id=task.pk, period_start=day, period_end=day, due=day, recipient_id=person.pk, kind=kind,
            email="zhang@t.cn", emailed_at=emailed,
        )  # fmt: skip
        Event.objects.create(key=f"reminder:{rows[kind].pk}", kind="reminder", title=kind)
    apps = migrate(AFTER)
    Delivery = apps.get_model("notify", "Delivery")
    [queued] = Delivery.objects.all()
    assert (queued.event.title, queued.channel, queued.status, queued.recipient_id) == (
        "before",
        "email",
        "pending",
        user.pk,
    )
    apps = migrate(BEFORE)
    assert (
        apps.get_model("dispatch", "Reminder").objects.filter(email="", emailed_at__isnull=True).count() == 2
    )
    migrate(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )  # leave the database as the suite expects

"""The move of Notification from dispatch to notify keeps the rows, forwards and backwards."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("dispatch", "0005_acknowledge_reminders"), ("notify", None)]
AFTER = [("notify", "0002_events_deliveries_robots_preferences")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_the_rows_move_with_the_model_and_back():
    apps = migrate(BEFORE)
    User = apps.get_model("auth", "User")
    user = User.objects.create(username="mover")
    Old = apps.get_model("dispatch", "Notification")
    Old.objects.create(recipient_id=user.pk, title="旧通知", url="/x/")
    apps = migrate(AFTER)
    New = apps.get_model("notify", "Notification")
    row = New.objects.get()
    assert (row.title, row.url, row.recipient_id, row.kind, row.event_id) == (
        "旧通知",
        "/x/",
        user.pk,
        "other",
        None,
    )
    New.objects.create(recipient_id=user.pk, title="新通知")
    apps = migrate(BEFORE)
    assert set(apps.get_model("dispatch", "Notification").objects.values_list("title", flat=True)) == {
        "旧通知",
        "新通知",
    }
    migrate(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )  # leave the database as the suite expects

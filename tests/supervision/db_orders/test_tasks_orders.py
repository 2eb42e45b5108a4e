import datetime

from tongtui.dispatch import tasks as dispatch_tasks
from tongtui.dispatch.models import Notification
from tongtui.supervision import tasks_orders


def test_registering_adds_the_deadline_sweep_once():
    tasks_orders.register()
    tasks_orders.register()
    names = [j.name for j in dispatch_tasks.PERIODIC]
    assert names.count("supervision.order_deadline_sweep") == 1


def test_the_job_runs_the_sweep(cast, order, monkeypatch):
    Notification.objects.all().delete()
    monkeypatch.setattr("tongtui.supervision.actions_orders._today", lambda: datetime.date(2026, 10, 12))
    assert tasks_orders.order_deadline_sweep.call() == {"approach": 0, "overdue": 1}
    assert Notification.objects.filter(recipient__username="liaison_a").count() == 1

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


def test_the_daily_job_stores_the_flags_of_active_plans(cast):
    from django.utils import timezone

    from tongtui.dispatch.models import ProgressReport, ReportStatus
    from tongtui.supervision.models import IntegrityFlag

    end = datetime.date(2026, 3, 31)
    sub = timezone.make_aware(datetime.datetime(2026, 4, 2, 9))
    ProgressReport.objects.create(task=cast.task_a, unit=cast.unit_a, period_start=end.replace(day=1), period_end=end,
                                  progress=100, status=ReportStatus.ACCEPTED, first_submitted_at=sub, submitted_at=sub)  # fmt: skip
    assert tasks_orders.integrity_daily.call()["new"] == 1
    assert tasks_orders.integrity_daily.call() == {"new": 0, "updated": 1, "removed": 0}
    assert IntegrityFlag.objects.get().kind == "completion_without_evidence"

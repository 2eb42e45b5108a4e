"""The cast, plus what the homes need: both tasks assigned in January with a monthly report cycle due on the
25th, a unit head's submitted report, a returned one, lights, an open rectification order and chase notice."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tongtui.dispatch import actions_cycles
from tongtui.dispatch.models import ProgressReport, ReportStatus
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Milestone, Task
from tongtui.supervision.models import ChaseNotice, LightHistory, RectificationOrder, TaskLight

D = datetime.date


def light(task: Task, colour: str, **fields) -> TaskLight:
    today = timezone.localdate()
    TaskLight.objects.filter(task=task).delete()
    LightHistory.objects.update_or_create(task=task, date=today, defaults={"light": colour})
    return TaskLight.objects.create(
        task=task, light=colour, as_of=today, computed_at=timezone.now(),
        reasons=fields.pop("reasons", []), **fields,
    )  # fmt: skip


@pytest.fixture
def h(cast):
    office = cast.user("office")
    for task in (cast.task_a, cast.task_c):
        plan_actions.assign_task(task, by=office)
    Task.objects.filter(pk__in=[cast.task_a.pk, cast.task_c.pk]).update(
        assigned_at=datetime.datetime(2026, 1, 5, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    cast.task_a.refresh_from_db()
    cast.task_c.refresh_from_db()
    cast.cycle = actions_cycles.set_report_cycle(by=office, plan=cast.plan, day_of_month=25)
    return cast


@pytest.fixture
def returned(h):
    """Unit A's October report, returned by the office."""
    return ProgressReport.objects.create(
        task=h.task_a, unit=h.unit_a, period_start=D(2026, 10, 1), period_end=D(2026, 10, 31),
        due=D(2026, 10, 23), status=ReportStatus.RETURNED, progress=40,
    )  # fmt: skip


@pytest.fixture
def submitted(h):
    """Unit A's September report, submitted and waiting for its head."""
    return ProgressReport.objects.create(
        task=h.task_a, unit=h.unit_a, period_start=D(2026, 9, 1), period_end=D(2026, 9, 30),
        due=D(2026, 9, 25), status=ReportStatus.SUBMITTED, progress=35,
        first_submitted_at=timezone.now(), submitted_at=timezone.now(), late_workdays=2,
    )  # fmt: skip


@pytest.fixture
def orders(h):
    today = timezone.localdate()
    order = RectificationOrder.objects.create(
        plan=h.plan, unit=h.unit_a, task=h.task_a, problem="进度滞后未说明原因", requirement="补报",
        issued_on=today - datetime.timedelta(days=20), workdays=5,
        deadline=today - datetime.timedelta(days=3), first_deadline=today - datetime.timedelta(days=3),
    )  # fmt: skip
    chase = ChaseNotice.objects.create(
        plan=h.plan, unit=h.unit_a, year=2026, seq=7, subject="连续两期未报送", content="请说明",
        issued_on=today, reply_due=today + datetime.timedelta(days=7),
    )  # fmt: skip
    return order, chase


@pytest.fixture
def lights(h):
    light(h.task_a, "red", actual_progress=20, planned_progress=80, forecast_slip=40,
          reasons=[{"code": "forecast_late", "figures": {"days": 40}}])  # fmt: skip
    light(h.task_c, "yellow", actual_progress=50, planned_progress=70, forecast_slip=5)
    Milestone.objects.create(task=h.task_a, seq=1, title="完成立项", due=D(2026, 11, 30), planned_progress=50)
    return h

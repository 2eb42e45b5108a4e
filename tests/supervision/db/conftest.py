"""The cast, plus what the lights need: both tasks assigned in January 2026, a monthly cycle due on the 25th,
task_a with four quarterly milestones (25/50/75/100 %) and helpers to file reports on given days."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tongtui.dispatch import actions as dispatch_actions
from tongtui.dispatch import actions_cycles
from tongtui.dispatch.models import ProgressReport
from tongtui.dispatch.schedule import Period
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Task
from tongtui.supervision import listeners

D = datetime.date
TZ = ZoneInfo("Asia/Shanghai")


def month(m: int) -> Period:
    end = (D(2026, m + 1, 1) if m < 12 else D(2027, 1, 1)) - datetime.timedelta(days=1)
    return Period(D(2026, m, 1), end, D(2026, m, 25))


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


class Lights:
    def __init__(self, cast) -> None:
        self.cast = cast
        office = cast.user("office")
        for task in (cast.task_a, cast.task_c):
            plan_actions.assign_task(task, by=office)
        Task.objects.filter(pk__in=[cast.task_a.pk, cast.task_c.pk]).update(assigned_at=at(D(2026, 1, 5)))
        cast.task_a.refresh_from_db()
        cast.task_c.refresh_from_db()
        actions_cycles.set_report_cycle(by=office, plan=cast.plan, day_of_month=25)
        self.milestones = [
            plan_actions.add_milestone(
                cast.task_a, by=office, title=f"第{q}季度节点", due=due, planned_progress=Decimal(25 * q)
            )
            for q, due in enumerate(
                (D(2026, 3, 31), D(2026, 6, 30), D(2026, 9, 30), D(2026, 12, 31)), start=1
            )
        ]
        listeners._pending().clear()  # the set-up stands for earlier requests, committed long ago

    def report(
        self, task: Task, m: int, progress: int, *, submitted: datetime.date, accept: bool = False
    ) -> ProgressReport:
        """The lead unit reports `progress` for month `m`, submitted (and signed off) on `submitted`."""
        cast = self.cast
        liaison, head = ("liaison_a", "head_a") if task.lead_unit_id == cast.unit_a.pk else (None, None)
        assert liaison is not None, "reports are filed for unit A's tasks in these tests"
        report = dispatch_actions.start_or_get_draft(task, month(m), by=cast.user(liaison))
        dispatch_actions.save_draft(
            report, by=cast.user(liaison), version=None, progress=Decimal(progress), done="完成了本月工作"
        )
        dispatch_actions.submit_report(report, by=cast.user(liaison))
        dispatch_actions.sign_off(report, by=cast.user(head))
        if accept:
            dispatch_actions.accept_report(report, by=cast.user("office"))
        ProgressReport.objects.filter(pk=report.pk).update(
            first_submitted_at=at(submitted),
            submitted_at=at(submitted),
            reviewed_at=at(submitted + datetime.timedelta(days=2)) if accept else None,
        )
        report.refresh_from_db()
        return report


@pytest.fixture(autouse=True)
def _no_marks_left_over():
    listeners._pending().clear()
    yield
    listeners._pending().clear()


@pytest.fixture
def lights(cast) -> Lights:
    return Lights(cast)

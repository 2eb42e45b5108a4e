import datetime

import pytest
from django.utils import timezone

from tongtui.dispatch.models import ProgressReport
from tongtui.plans.models import Task
from tongtui.publicity import actions
from tongtui.supervision.models import TaskLight

D = datetime.date


@pytest.fixture
def lit(cast):
    """task_a (in progress) red with a reason, task_c green, a third task closed; unit A's June report filed 3 days late."""
    now = timezone.now()
    Task.objects.filter(pk__in=[cast.task_a.pk, cast.task_c.pk]).update(status="in_progress")
    TaskLight.objects.create(task=cast.task_a, light="red", as_of=D(2026, 6, 30), computed_at=now,
                             reasons=[{"code": "missed_reports", "light": "red", "figures": {"count": 2}}])  # fmt: skip
    TaskLight.objects.create(task=cast.task_c, light="green", as_of=D(2026, 6, 30), computed_at=now)
    cast.task_done = Task.objects.create(
        plan=cast.plan, code="3", title="新建5G基站200个", category=cast.category, lead_unit=cast.unit_c,
        start=D(2026, 1, 1), due=D(2026, 5, 31), status="closed", closed_on=D(2026, 5, 20),
    )  # fmt: skip
    ProgressReport.objects.create(task=cast.task_a, unit=cast.unit_a, period_start=D(2026, 6, 1),
                                  period_end=D(2026, 6, 30), due=D(2026, 7, 3), status="submitted",
                                  first_submitted_at=now, late_workdays=3)  # fmt: skip
    return cast


@pytest.fixture
def draft(lit):
    return actions.generate(lit.plan, by=lit.user("office"), start=D(2026, 1, 1), as_of=D(2026, 7, 10))


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def write(cast, who="liaison_a", unit=None, **kw):
    """A draft practice of unit A (by its liaison), related to task_a."""
    from tongtui.publicity import actions_practices

    fields = {"kind": "practice", "title": "“周调度”推进机制", "summary": "每周一调度，问题当周清零。",
              "body": "建立周调度机制。\n问题清单化管理。", "tasks": [cast.task_a]} | kw  # fmt: skip
    return actions_practices.create_practice(by=cast.user(who), unit=unit or cast.unit_a, plan=cast.plan, **fields)


@pytest.fixture
def practice(cast):
    return write(cast)


@pytest.fixture
def published(cast, practice):
    from tongtui.publicity import actions_practices as a

    office = cast.user("office")
    a.submit(practice, by=cast.user("liaison_a"))
    a.select(practice, by=office)
    return a.publish(practice, by=office)

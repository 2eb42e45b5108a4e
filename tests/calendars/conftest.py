"""The cast, plus a month of calendar entries in April 2026:

- both tasks assigned in January, on a monthly cycle due on the 25th (24 April: the 25th is a Saturday);
- milestones: task_a's due 10 April (open), task_c's due 20 April (done on the 18th);
- a dispatch meeting on 16 April at 09:30, chaired by the leader, deciding something for unit C;
- a rectification order to unit B (no task), issued 1 April for 5 working days (Qingming falls in between);
- a chase notice to unit A about task_a, issued 13 April, reply in 3 working days.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest

from tongtui.dispatch import actions_cycles, actions_meetings
from tongtui.dispatch.models import Decision
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Milestone, Task
from tongtui.supervision import actions_chases, actions_orders

D = datetime.date
APRIL = D(2026, 4, 1)


@pytest.fixture
def april(cast):
    office = cast.user("office")
    for task in (cast.task_a, cast.task_c):
        plan_actions.assign_task(task, by=office)
    Task.objects.filter(pk__in=[cast.task_a.pk, cast.task_c.pk]).update(
        assigned_at=datetime.datetime(2026, 1, 5, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    actions_cycles.set_report_cycle(by=office, plan=cast.plan, day_of_month=25)
    cast.m_a = Milestone.objects.create(
        task=cast.task_a, title="完成项目立项", due=D(2026, 4, 10), planned_progress=20
    )
    cast.m_c = Milestone.objects.create(
        task=cast.task_c,
        title="预算执行过半",
        due=D(2026, 4, 20),
        planned_progress=50,
        done_on=D(2026, 4, 18),
    )
    cast.meeting = actions_meetings.create_meeting(
        by=office, plan=cast.plan, date=D(2026, 4, 16), time=datetime.time(9, 30),
        title="一季度重点工作调度会", chair=cast.leader,
    )  # fmt: skip
    Decision.objects.create(
        meeting=cast.meeting, text="财政局牵头拿出方案", lead_unit=cast.unit_c, deadline=D(2026, 5, 15)
    )
    cast.order = actions_orders.issue_order(
        by=office, plan=cast.plan, unit=cast.unit_b, problem="台账不全，佐证材料缺失",
        requirement="补齐台账", workdays=5, issued_on=D(2026, 4, 1),
    )  # fmt: skip
    cast.chase = actions_chases.issue_chase(
        by=office, plan=cast.plan, unit=cast.unit_a, tasks=[cast.task_a], subject="3月进度未报送",
        content="请说明原因并立即补报。", workdays=3, issued_on=D(2026, 4, 13),
    )  # fmt: skip
    return cast

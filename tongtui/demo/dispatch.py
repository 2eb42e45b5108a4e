"""The demo plan's dispatch side: its report cycle and reminders, problems raised on tasks, meetings."""

from typing import Any

from tongtui.dispatch import actions_cycles
from tongtui.dispatch.models import ReportCycle
from tongtui.plans.models import Plan


def set_cycle(plan: Plan, *, by: Any) -> ReportCycle:
    """Monthly reports due on the 25th (the previous working day when it is not one); reminders."""
    cycle = actions_cycles.set_report_cycle(
        by=by,
        plan=plan,
        frequency="monthly",
        due_kind="day_of_month",
        day_of_month=25,
        shift="previous",
        reason="按照《重点工作推进落实办法》,每月25日前报送进展情况",
    )
    actions_cycles.set_reminder_policy(
        plan,
        by=by,
        days_before=3,
        on_the_day=True,
        after_every=2,
        escalate_to_head_after=3,
        escalate_to_leader_after=5,
        max_per_period=5,
        reason="报送提醒",
    )
    return cycle

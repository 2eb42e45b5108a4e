"""Periodic jobs of the supervision records: deadline notices of rectification orders (hourly, idempotent) and
the integrity flags of the active plans (daily; the office's verdicts are kept)."""

import datetime

from django_tasks import task

from tongtui.dispatch.tasks import Periodic
from tongtui.plans.models import Plan
from tongtui.supervision import actions_chases, actions_orders, integrity_db


@task()
def order_deadline_sweep() -> dict[str, int]:
    """限期整改: tell units of deadlines two working days ahead, and units and the office once overdue."""
    return actions_orders.deadline_sweep()


@task()
def chase_overdue_sweep() -> dict[str, int]:
    """督办通知: tell the unit and the office once when a reply is late."""
    return actions_chases.overdue_sweep()


@task()
def integrity_daily() -> dict[str, int]:
    """弄虚作假信号: recompute and store the flags of every active plan."""
    totals = {"new": 0, "updated": 0, "removed": 0}
    for plan in Plan.objects.filter(status=Plan.Status.ACTIVE):
        for k, v in integrity_db.refresh_plan(plan).items():
            totals[k] += v
    return totals


PERIODIC = [
    Periodic("supervision.order_deadline_sweep", datetime.timedelta(hours=1), order_deadline_sweep),
    Periodic("supervision.chase_overdue_sweep", datetime.timedelta(hours=1), chase_overdue_sweep),
    Periodic("supervision.integrity_daily", datetime.timedelta(days=1), integrity_daily),
]


def register() -> None:
    """Add the sweep to the worker's periodic jobs (called from SupervisionConfig.ready)."""
    from tongtui.dispatch import tasks as dispatch_tasks

    names = {job.name for job in dispatch_tasks.PERIODIC}
    dispatch_tasks.PERIODIC.extend(job for job in PERIODIC if job.name not in names)

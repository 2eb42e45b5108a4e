"""The periodic job of rectification orders: deadline notices (approaching, overdue), hourly and idempotent."""

import datetime

from django_tasks import task

from tongtui.dispatch.tasks import Periodic
from tongtui.supervision import actions_orders


@task()
def order_deadline_sweep() -> dict[str, int]:
    """限期整改: tell units of deadlines two working days ahead, and units and the office once overdue."""
    return actions_orders.deadline_sweep()


PERIODIC = [Periodic("supervision.order_deadline_sweep", datetime.timedelta(hours=1), order_deadline_sweep)]


def register() -> None:
    """Add the sweep to the worker's periodic jobs (called from SupervisionConfig.ready)."""
    from tongtui.dispatch import tasks as dispatch_tasks

    names = {job.name for job in dispatch_tasks.PERIODIC}
    dispatch_tasks.PERIODIC.extend(job for job in PERIODIC if job.name not in names)

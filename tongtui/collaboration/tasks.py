"""The periodic sweep that chases unanswered instructions and overdue coordination requests (idempotent),
registered into the worker's periodic list like supervision's and assessment's."""

import datetime

from django_tasks import task

from tongtui.dispatch.tasks import Periodic
from tongtui.supervision.tasks import InWorker


@task()
def collaboration_sweep() -> dict[str, int]:
    from tongtui.collaboration import actions, actions_requests

    return {"instructions": actions.chase_overdue(), "requests": actions_requests.chase_overdue()}


PERIODIC = [Periodic("collaboration.sweep", datetime.timedelta(hours=1), InWorker(collaboration_sweep))]


def register() -> None:
    from tongtui.dispatch import tasks as dispatch_tasks

    names = {job.name for job in dispatch_tasks.PERIODIC}
    dispatch_tasks.PERIODIC.extend(job for job in PERIODIC if job.name not in names)

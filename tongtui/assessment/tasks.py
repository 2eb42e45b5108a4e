"""The daily full recompute of every open plan's score ledger (time alone makes points: a report not filed
by its date, a milestone passing its date). Registered into the worker's periodic list like supervision's."""

import datetime

from django_tasks import task

from tongtui.dispatch.tasks import Periodic
from tongtui.supervision.tasks import InWorker


@task()
def scores_daily() -> dict[str, int]:
    from tongtui.assessment.ledger_db import recompute
    from tongtui.plans.models import Plan

    out = {"plans": 0, "created": 0, "updated": 0, "deleted": 0}
    for plan in Plan.objects.filter(status=Plan.Status.ACTIVE, freeze__isnull=True):
        w = recompute(plan)
        out["plans"] += 1
        out["created"] += w.created
        out["updated"] += w.updated
        out["deleted"] += w.deleted
    return out


@task()
def scores_stale() -> int:
    """The score ledgers behind the tasks that reports filed since the last round marked stale (core.stale)."""
    from tongtui.assessment.listeners import refresh_scores

    return refresh_scores()


PERIODIC = [
    Periodic("assessment.scores_daily", datetime.timedelta(days=1), InWorker(scores_daily)),
    # every round of the worker (its --interval, 5 s by default)
    Periodic("assessment.scores_stale", datetime.timedelta(seconds=1), InWorker(scores_stale)),
]


def register() -> None:
    from tongtui.dispatch import tasks as dispatch_tasks

    names = {job.name for job in dispatch_tasks.PERIODIC}
    dispatch_tasks.PERIODIC.extend(job for job in PERIODIC if job.name not in names)

"""Recompute a task's light after a relevant change in plans or dispatch (derived data only).

Saves of tasks, milestones, filed reports and problems mark the task; after the transaction commits,
every marked task is recomputed in one batch (an import of a thousand tasks is one batch, not a
thousand). A failure is logged, never raised into the request that made the change: the daily job and
`tongtui lights` rebuild everything from scratch.
"""

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tongtui.core import stale
from tongtui.dispatch.models import ProgressReport, ReportStatus
from tongtui.plans.models import Milestone, Task
from tongtui.plans.signals import tasks_changed

log = logging.getLogger(__name__)
LIGHT = "light"  # core.stale kind: a task's light
REPEAT = "repeat"  # core.stale kind: a submitted report to check for a repeated text
_local = threading.local()


def _pending() -> set[int]:
    if not hasattr(_local, "tasks"):
        _local.tasks = set()
    tasks: set[int] = _local.tasks
    return tasks


def flush() -> None:
    """Recompute the lights of every task marked since the last flush."""
    from tongtui.supervision.recompute import recompute_tasks

    pending = _pending()
    if not pending:
        return
    ids = sorted(pending)
    pending.clear()
    recompute_tasks(ids)


def mark(task_id: int | None) -> None:
    """Recompute this task's light once the current transaction commits."""
    if task_id is None or not getattr(settings, "SUPERVISION_LIGHTS_ON_CHANGE", True):
        return
    pending = _pending()
    if pending and not _flush_waiting():
        pending.clear()  # marked in a transaction that was rolled back: nothing changed for those tasks
    pending.add(task_id)
    transaction.on_commit(flush, robust=True)


def _flush_waiting() -> bool:
    callbacks = getattr(transaction.get_connection(), "run_on_commit", [])
    return any(entry[1] is flush for entry in callbacks)


@receiver(post_save, sender=Task, dispatch_uid="supervision.task_saved")
def task_saved(sender: Any, instance: Task, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        mark(instance.pk)


@receiver(post_save, sender=Milestone, dispatch_uid="supervision.milestone_saved")
@receiver(post_delete, sender=Milestone, dispatch_uid="supervision.milestone_deleted")
def milestone_changed(sender: Any, instance: Milestone, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        mark(instance.task_id)


def refresh_lights() -> int:
    """Recompute the lights marked stale (the worker's round; right after commit in "commit" mode)."""
    from tongtui.supervision.recompute import recompute_tasks

    return stale.refresh(LIGHT, recompute_tasks)


@receiver(post_save, sender=ProgressReport, dispatch_uid="supervision.report_saved")
def report_saved(sender: Any, instance: ProgressReport, raw: bool = False, **kwargs: Any) -> None:
    """Filing is the busiest write: the report only marks its task's light stale (one upsert) and the worker
    recomputes it within a round; meanwhile the readers of lights compute a stale one live."""
    if raw or instance.status == ReportStatus.DRAFT:
        return
    if getattr(settings, "SUPERVISION_LIGHTS_ON_CHANGE", True):
        stale.mark(LIGHT, instance.task_id, then=refresh_lights)


def _flag_repeat(report_id: int) -> None:
    from tongtui.supervision.integrity_db import flag_repeat

    try:
        flag_repeat(report_id)
    except Exception:  # the daily integrity job finds it again
        log.exception("integrity flag for report %s not written", report_id)


def refresh_repeats() -> int:
    """Check the reports submitted since the last round for a repeated text (the worker's round)."""

    def check(report_ids: list[int]) -> None:
        for report_id in report_ids:
            _flag_repeat(report_id)

    return stale.refresh(REPEAT, check)


@receiver(post_save, sender=ProgressReport, dispatch_uid="supervision.report_submitted")
def report_submitted(sender: Any, instance: ProgressReport, raw: bool = False, **kwargs: Any) -> None:
    """A report sent in as last period's (the form warned before) is flagged for the office within a round of the
    worker (right after commit in "commit" mode)."""
    if not raw and instance.status in (ReportStatus.SUBMITTED, ReportStatus.SIGNED_OFF):
        stale.mark(REPEAT, instance.pk, then=refresh_repeats)


@receiver(post_save, sender="dispatch.Problem", dispatch_uid="supervision.problem_saved")
def problem_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        mark(getattr(instance, "task_id", None))


@receiver(tasks_changed, dispatch_uid="supervision.tasks_changed")
def tasks_bulk_changed(sender: Any, task_ids: list[int], **kwargs: Any) -> None:
    for task_id in task_ids:
        mark(task_id)

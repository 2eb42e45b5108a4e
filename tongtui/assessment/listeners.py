"""Keep the score ledger current: the records that cost or earn points mark their unit, and after the
transaction commits the marked units of each plan are recomputed in one batch (ledger_db.recompute for
those units only). Derived data only: a failure is logged, never raised into the request, and the daily job
(tasks.scores_daily) and `tongtui scores` rebuild everything from scratch. Time alone also makes points
(a report not filed, a milestone passing its date): the daily job catches those.
"""

import logging
import threading
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from tongtui.assessment.models import ManualEntry, Scheme, SchemeRule, ScoreEntry
from tongtui.core import stale
from tongtui.core.loaded import unchanged
from tongtui.dispatch.models import ProgressReport
from tongtui.plans.models import CoUnit, Milestone, Task
from tongtui.plans.signals import tasks_changed
from tongtui.supervision.models import Admonition, RectificationOrder, SpotCheckItem

log = logging.getLogger(__name__)
SCORES = "scores"  # core.stale kind: the score ledger of the units behind a task
_local = threading.local()
ALL = -1  # stands for every unit of the plan


def _pending() -> dict[str, set[Any]]:
    if not hasattr(_local, "marks"):
        _local.marks = {"tasks": set(), "units": set(), "plans": set()}
    pending: dict[str, set[Any]] = _local.marks
    return pending


def flush() -> None:
    """Recompute the units marked since the last flush. Marking costs no query: the units behind a task are
    found here, after commit, for all marked tasks at once."""
    pending = _pending()
    tasks, units, plans = set(pending["tasks"]), set(pending["units"]), set(pending["plans"])
    for v in pending.values():
        v.clear()
    recompute_marked(tasks, units, plans)


def refresh_scores() -> int:
    """Recompute the scores behind the tasks marked stale (the worker's round; after commit in "commit" mode)."""
    return stale.refresh(SCORES, lambda task_ids: recompute_marked(set(task_ids), set(), set()))


def recompute_marked(tasks: set[int], units: set[tuple[int, int]], plans: set[int]) -> None:
    from tongtui.assessment.ledger_db import recompute
    from tongtui.plans.models import Plan

    work: dict[int, set[int]] = defaultdict(set)
    for plan_id, unit_id in units:
        work[plan_id].add(unit_id)
    for plan_id in plans:
        work[plan_id].add(ALL)
    if tasks:
        for plan_id, lead in Task.objects.filter(pk__in=tasks, lead_unit__isnull=False).values_list(
            "plan_id", "lead_unit_id"
        ):
            work[plan_id].add(lead)
        for plan_id, unit_id in CoUnit.objects.filter(task_id__in=tasks).values_list(
            "task__plan_id", "unit_id"
        ):
            work[plan_id].add(unit_id)
        # units scored for these tasks before a change of lead or co-units lose those points
        for plan_id, unit_id in ScoreEntry.objects.filter(task_id__in=tasks).values_list(
            "plan_id", "unit_id"
        ):
            work[plan_id].add(unit_id)
    for plan_id, marked in sorted(work.items()):
        plan = Plan.objects.filter(pk=plan_id).first()
        if plan is None:
            continue
        try:
            recompute(plan, None if ALL in marked else marked)
        except Exception:
            log.exception("scores of plan %s not recomputed; the daily job will", plan_id)


def _mark(bucket: str, item: Any) -> None:
    if not getattr(settings, "ASSESSMENT_SCORES_ON_CHANGE", True):
        return
    pending = _pending()
    if any(pending.values()) and not _flush_waiting():
        for v in pending.values():
            v.clear()  # marked in a transaction that was rolled back
    pending[bucket].add(item)
    transaction.on_commit(flush, robust=True)


def mark_task(task_id: int | None) -> None:
    if task_id is not None:
        _mark("tasks", task_id)


def mark(plan_id: int | None, *unit_ids: int | None) -> None:
    if plan_id is None:
        return
    for u in unit_ids:
        if u == ALL:
            _mark("plans", plan_id)
        elif u is not None:
            _mark("units", (plan_id, u))


def _flush_waiting() -> bool:
    callbacks = getattr(transaction.get_connection(), "run_on_commit", [])
    return any(entry[1] is flush for entry in callbacks)


@receiver(post_save, sender=Task, dispatch_uid="assessment.task_saved")
def task_saved(sender: Any, instance: Task, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        mark_task(instance.pk)


@receiver(m2m_changed, sender=CoUnit, dispatch_uid="assessment.co_units_changed")
def co_units_changed(sender: Any, instance: Any, action: str, pk_set: Any = None, **kwargs: Any) -> None:
    if isinstance(instance, Task) and action.startswith("post_"):
        mark_task(instance.pk)
        mark(instance.plan_id, *(pk_set or ()))


@receiver(post_save, sender=CoUnit, dispatch_uid="assessment.co_unit_saved")
@receiver(post_delete, sender=CoUnit, dispatch_uid="assessment.co_unit_deleted")
def co_unit_changed(sender: Any, instance: CoUnit, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        mark_task(instance.task_id)


@receiver(tasks_changed, dispatch_uid="assessment.tasks_changed")
def tasks_bulk_changed(sender: Any, task_ids: list[int], **kwargs: Any) -> None:
    for task_id in task_ids:
        mark_task(task_id)


# What the score rules read of a report (assessment.facts_db, assessment.avoidable): a save that changes none of
# these (a draft's text, its progress) cannot change a score.
SCORED_REPORT_FIELDS = frozenset(
    {"task", "unit", "due", "period_end", "status", "first_submitted_at", "late_workdays", "reviewed_at"}
)


@receiver(post_save, sender=ProgressReport, dispatch_uid="assessment.report_saved")
def report_saved(
    sender: Any, instance: ProgressReport, raw: bool = False, created: bool = False, **kwargs: Any
) -> None:
    """Filing is the busiest write: a report only marks its task's scores stale, and only when something the score
    rules read changed; the worker recomputes them."""
    if raw or not getattr(settings, "ASSESSMENT_SCORES_ON_CHANGE", True):
        return
    if not created and SCORED_REPORT_FIELDS <= unchanged(instance):
        return
    stale.mark(SCORES, instance.task_id, then=refresh_scores)


@receiver(post_save, sender=Milestone, dispatch_uid="assessment.milestone_saved")
@receiver(post_delete, sender=Milestone, dispatch_uid="assessment.milestone_deleted")
@receiver(post_save, sender=SpotCheckItem, dispatch_uid="assessment.spotcheck_saved")
def task_record_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        mark_task(instance.task_id)


@receiver(post_save, sender=RectificationOrder, dispatch_uid="assessment.order_saved")
@receiver(post_save, sender=Admonition, dispatch_uid="assessment.admonition_saved")
@receiver(post_save, sender=ManualEntry, dispatch_uid="assessment.manual_saved")
def unit_record_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        mark(instance.plan_id, instance.unit_id)


@receiver(post_save, sender=Scheme, dispatch_uid="assessment.scheme_saved")
@receiver(post_save, sender=SchemeRule, dispatch_uid="assessment.rule_saved")
def scheme_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        scheme = instance if isinstance(instance, Scheme) else instance.scheme
        mark(scheme.plan_id, ALL)

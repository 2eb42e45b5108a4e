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
from tongtui.dispatch.models import ProgressReport
from tongtui.plans.models import CoUnit, Milestone, Task
from tongtui.plans.signals import tasks_changed
from tongtui.supervision.models import Admonition, RectificationOrder, SpotCheckItem

log = logging.getLogger(__name__)
_local = threading.local()
ALL = -1  # stands for every unit of the plan


def _pending() -> dict[int, set[int]]:
    if not hasattr(_local, "units"):
        _local.units = defaultdict(set)
    pending: dict[int, set[int]] = _local.units
    return pending


def flush() -> None:
    from tongtui.assessment.ledger_db import recompute
    from tongtui.plans.models import Plan

    pending = _pending()
    work = {plan_id: set(units) for plan_id, units in pending.items()}
    pending.clear()
    for plan_id, units in sorted(work.items()):
        plan = Plan.objects.filter(pk=plan_id).first()
        if plan is None:
            continue
        try:
            recompute(plan, None if ALL in units else units)
        except Exception:
            log.exception("scores of plan %s not recomputed; the daily job will", plan_id)


def mark(plan_id: int | None, *unit_ids: int | None) -> None:
    if plan_id is None or not getattr(settings, "ASSESSMENT_SCORES_ON_CHANGE", True):
        return
    units = {u for u in unit_ids if u is not None}
    if not units:
        return
    pending = _pending()
    if pending and not _flush_waiting():
        pending.clear()  # marked in a transaction that was rolled back
    pending[plan_id].update(units)
    transaction.on_commit(flush, robust=True)


def _flush_waiting() -> bool:
    callbacks = getattr(transaction.get_connection(), "run_on_commit", [])
    return any(entry[1] is flush for entry in callbacks)


def _task_units(task_id: int | None) -> tuple[int | None, list[int]]:
    if task_id is None:
        return None, []
    row = Task.objects.filter(pk=task_id).values_list("plan_id", "lead_unit_id").first()
    if row is None:
        return None, []
    co = list(CoUnit.objects.filter(task_id=task_id).values_list("unit_id", flat=True))
    scored = list(ScoreEntry.objects.filter(task_id=task_id).values_list("unit_id", flat=True).distinct())
    return row[0], [row[1], *co, *scored]  # the lead first; units scored before a change of lead or co-units


@receiver(post_save, sender=Task, dispatch_uid="assessment.task_saved")
def task_saved(sender: Any, instance: Task, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        plan_id, units = _task_units(instance.pk)
        mark(plan_id, *units)


@receiver(m2m_changed, sender=CoUnit, dispatch_uid="assessment.co_units_changed")
def co_units_changed(sender: Any, instance: Any, action: str, pk_set: Any = None, **kwargs: Any) -> None:
    if isinstance(instance, Task) and action.startswith("post_"):
        plan_id, units = _task_units(instance.pk)
        mark(plan_id, *units, *(pk_set or ()))


@receiver(post_save, sender=CoUnit, dispatch_uid="assessment.co_unit_saved")
@receiver(post_delete, sender=CoUnit, dispatch_uid="assessment.co_unit_deleted")
def co_unit_changed(sender: Any, instance: CoUnit, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        plan_id, units = _task_units(instance.task_id)
        mark(plan_id, *units, instance.unit_id)


@receiver(tasks_changed, dispatch_uid="assessment.tasks_changed")
def tasks_bulk_changed(sender: Any, task_ids: list[int], **kwargs: Any) -> None:
    rows = Task.objects.filter(pk__in=task_ids).values_list("plan_id", flat=True).distinct()
    for plan_id in rows:
        mark(plan_id, ALL)


@receiver(post_save, sender=Milestone, dispatch_uid="assessment.milestone_saved")
@receiver(post_delete, sender=Milestone, dispatch_uid="assessment.milestone_deleted")
def milestone_changed(sender: Any, instance: Milestone, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        plan_id, units = _task_units(instance.task_id)
        mark(plan_id, *units)


@receiver(post_save, sender=ProgressReport, dispatch_uid="assessment.report_saved")
def report_saved(sender: Any, instance: ProgressReport, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        plan_id, _units = _task_units(instance.task_id)
        mark(plan_id, instance.unit_id)


@receiver(post_save, sender=RectificationOrder, dispatch_uid="assessment.order_saved")
@receiver(post_save, sender=Admonition, dispatch_uid="assessment.admonition_saved")
@receiver(post_save, sender=ManualEntry, dispatch_uid="assessment.manual_saved")
def unit_record_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        mark(instance.plan_id, instance.unit_id)


@receiver(post_save, sender=SpotCheckItem, dispatch_uid="assessment.spotcheck_saved")
def spot_check_saved(sender: Any, instance: SpotCheckItem, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        plan_id, units = _task_units(instance.task_id)
        mark(plan_id, *units[:1], *units[1:])


@receiver(post_save, sender=Scheme, dispatch_uid="assessment.scheme_saved")
@receiver(post_save, sender=SchemeRule, dispatch_uid="assessment.rule_saved")
def scheme_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        scheme = instance if isinstance(instance, Scheme) else instance.scheme
        mark(scheme.plan_id, ALL)

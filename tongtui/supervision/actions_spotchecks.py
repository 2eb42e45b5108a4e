"""Spot checks (抽查): draw a reproducible risk-weighted sample, record each verification, and open a
rectification order from a "not confirmed" result in one step."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.claims import claim, same_as_seen
from tongtui.core.errors import ActionError
from tongtui.core.history import save_with_history
from tongtui.plans.models import Plan, Task, TaskStatus
from tongtui.supervision import sampling
from tongtui.supervision.actions_orders import _save_file, issue_order, require_office
from tongtui.supervision.models import (
    CheckResult,
    FlagStatus,
    IntegrityFlag,
    RectificationOrder,
    SpotCheck,
    SpotCheckItem,
    SupervisionFile,
)

COMPLETED = (TaskStatus.CLOSED, TaskStatus.COMPLETION_REQUESTED)
MAX_SAMPLE = 500


def population(plan: Plan, filters: dict[str, Any]) -> QuerySet[Task]:
    """Tasks of the plan that may be drawn: completed ones and/or those whose progress moved since a date."""
    qs = Task.objects.filter(plan=plan)
    wanted = Q(pk__in=[])
    if filters.get("completed", True):
        wanted |= Q(status__in=COMPLETED)
    since = filters.get("advanced_since")
    if since:
        wanted |= Q(progress_on__gte=datetime.date.fromisoformat(str(since)), progress__gt=0)
    qs = qs.filter(wanted)
    if filters.get("category"):
        qs = qs.filter(category_id=filters["category"])
    if filters.get("unit"):
        qs = qs.filter(lead_unit_id=filters["unit"])
    return qs


def integrity_risks(plan: Plan, task_ids: Iterable[int] | None = None) -> dict[int, float]:
    """Each task's risk from its stored flags not dismissed: 1 − ∏(1 − strength). One query."""
    qs = IntegrityFlag.objects.filter(plan=plan).exclude(status=FlagStatus.DISMISSED)
    if task_ids is not None:
        qs = qs.filter(task_id__in=list(task_ids))
    keep: dict[int, float] = defaultdict(lambda: 1.0)
    for task_id, strength in qs.values_list("task_id", "strength"):
        keep[task_id] *= 1.0 - min(1.0, max(0.0, strength))
    return {t: round(1.0 - k, 6) for t, k in keep.items()}


def _refusal(item: SpotCheckItem | None) -> str:
    if item is None:
        return _("This task is no longer in the spot check. Reload the page.")
    if item.order_id is not None:
        return _("A rectification order has already been opened from this result. Reload the page to see it.")
    return _("Someone else recorded this verification a moment ago. Reload the page to see it.")


@transaction.atomic
def draw_spot_check(
    *,
    by: Any,
    plan: Plan,
    title: str,
    size: int,
    seed: str = "",
    completed: bool = True,
    advanced_since: datetime.date | None = None,
    category: int | None = None,
    unit: int | None = None,
    floor: float = sampling.DEFAULT_FLOOR,
    risk_weight: float = sampling.DEFAULT_RISK_WEIGHT,
) -> SpotCheck:
    """Draw `size` tasks, weighted by integrity risk with a random component; the seed is kept for audit."""
    require_office(by)
    if not 1 <= size <= MAX_SAMPLE:
        raise ActionError(_("Draw between 1 and %(n)s tasks.") % {"n": MAX_SAMPLE})
    if floor <= 0 or risk_weight < 0:
        raise ActionError(_("The weight floor must be positive and the risk weight not negative."))
    filters: dict[str, Any] = {"completed": completed}
    if advanced_since:
        filters["advanced_since"] = advanced_since.isoformat()
    if category:
        filters["category"] = category
    if unit:
        filters["unit"] = unit
    if not completed and not advanced_since:
        raise ActionError(_("Choose completed tasks, recently advanced tasks, or both."))
    ids = list(population(plan, filters).values_list("pk", flat=True))
    if not ids:
        raise ActionError(_("No task matches: nothing to draw."))
    seed = seed.strip() or sampling.new_seed()
    risks = integrity_risks(plan, ids)
    drawn = sampling.draw(ids, risks, size, seed, floor=floor, risk_weight=risk_weight)
    check = SpotCheck(
        plan=plan,
        title=title.strip() or _("Spot check"),
        seed=seed,
        size=size,
        population_filter=filters,
        population_size=len(ids),
        floor=floor,
        risk_weight=risk_weight,
        as_of=timezone.localdate(),
        drawn_by=by,
    )
    save_with_history(check, by=by, reason=_("drawn"))
    SpotCheckItem.objects.bulk_create(
        SpotCheckItem(
            spot_check=check, task_id=d.task_id, rank=d.rank, weight=d.weight, risk=d.risk, key=d.key
        )
        for d in drawn
    )
    return check


@transaction.atomic
def record_check(
    item: SpotCheckItem,
    *,
    by: Any,
    result: str,
    notes: str = "",
    checked_on: datetime.date | None = None,
    files: Iterable[Any] = (),
) -> SpotCheckItem:
    """What the verification found; "not confirmed" is marked for assessment."""
    require_office(by)
    if result not in CheckResult.values or result == CheckResult.PENDING:
        raise ActionError(_("Choose confirmed, partly confirmed or not confirmed."))
    if result != CheckResult.CONFIRMED and not notes.strip():
        raise ActionError(_("Say what could not be confirmed."))
    checked_on = checked_on or timezone.localdate()
    if (item.result, item.notes, item.checked_on) == (result, notes.strip(), checked_on) and not files:
        raise ActionError(_("This verification is recorded already: nothing has changed."))
    # A result may be corrected, but only over the one the user loaded (held: the files go in under it).
    claim(item, _refusal, **same_as_seen(item, "result", "notes", "checked_on"))
    for f in files:
        add_item_file(item, by=by, file=f)
    item.result, item.notes = result, notes.strip()
    item.checked_on, item.checked_by = checked_on, by
    item.for_assessment = result == CheckResult.NOT_CONFIRMED
    save_with_history(item, by=by, reason=_("verified"))
    return item


def add_item_file(item: SpotCheckItem, *, by: Any, file: Any) -> SupervisionFile:
    require_office(by)
    return _save_file(by, file, spot_check_item=item)


@transaction.atomic
def open_order_from_item(
    item: SpotCheckItem, *, by: Any, workdays: int = 10, requirement: str = ""
) -> RectificationOrder:
    """One click: a rectification order for the task's lead unit, carrying what the check found."""
    require_office(by)
    if item.result != CheckResult.NOT_CONFIRMED:
        raise ActionError(_("Only a result that was not confirmed opens a rectification order."))
    if item.order_id is not None:
        return item.order  # type: ignore[return-value]
    claim(item, _refusal, order__isnull=True, result=CheckResult.NOT_CONFIRMED)
    task = item.task
    if task.lead_unit is None:
        raise ActionError(_("The task has no lead unit to rectify it."))
    problem = _("Spot check “%(check)s”: not confirmed. %(notes)s") % {
        "check": item.spot_check.title,
        "notes": item.notes,
    }
    order = issue_order(
        by=by,
        plan=task.plan,
        unit=task.lead_unit,
        task=task,
        problem=problem,
        requirement=requirement.strip() or _("Complete the work as reported and send evidence of it."),
        workdays=workdays,
        for_assessment=True,
    )
    item.order = order
    save_with_history(item, by=by, reason=_("rectification order opened"))
    return order


@transaction.atomic
def decide_flag(flag: IntegrityFlag, *, by: Any, status: str, note: str = "") -> IntegrityFlag:
    """The office's verdict on a flag after verification: a real problem, or explained (or back to new)."""
    require_office(by)
    if status not in FlagStatus.values:
        raise ActionError(_("Unknown status."))
    if status == FlagStatus.DISMISSED and not note.strip():
        raise ActionError(_("Say how the flag was explained."))
    if (status, note.strip()) == (flag.status, flag.note):
        raise ActionError(_("The flag is already so decided: nothing has changed."))
    claim(
        flag,
        lambda now: _("Someone else decided on this flag a moment ago. Reload the page to see it."),
        **same_as_seen(flag, "status", "note"),
    )
    flag.status, flag.note = status, note.strip()
    flag.decided_by, flag.decided_at = by, timezone.now()
    flag.save(update_fields=["status", "note", "decided_by", "decided_at"])
    return flag

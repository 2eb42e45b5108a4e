"""Every write to plans, tasks, milestones and indicators. One transaction each; history names the actor."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import F
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.history import clip_reason, save_with_history
from tongtui.orgs.models import Unit
from tongtui.orgs.roles import roles_of
from tongtui.plans import rules
from tongtui.plans.models import (
    Category,
    CoUnit,
    Indicator,
    IndicatorValue,
    Milestone,
    Plan,
    Task,
    TaskStatus,
)
from tongtui.plans.rollup import weighted_progress

TASK_FIELDS = {
    "parent", "code", "title", "category", "goal", "measures", "deliverables", "lead_unit", "leader", "owner",
    "start", "due", "deadline_text", "weight", "source", "is_public", "note",
}


def _require_office(by: Any) -> None:
    if not rules.may_manage(roles_of(by)):
        raise Forbidden(_("Only the supervision office can do this."))


def _require_status(task: Task, *allowed: str) -> None:
    if task.status not in allowed:
        raise ActionError(
            _("This is not possible while the task is “%(status)s”.") % {"status": task.get_status_display()}
        )


@transaction.atomic
def create_plan(*, by: Any, year: int, title: str = "", categories: Iterable[str] = ()) -> Plan:
    _require_office(by)
    plan = Plan(year=year, title=title or _("%(year)s key tasks") % {"year": year})
    save_with_history(plan, by=by)
    for order, name in enumerate(categories, start=1):
        create_category(plan, name, by=by, order=order)
    return plan


@transaction.atomic
def create_category(plan: Plan, name: str, *, by: Any, order: int | None = None) -> Category:
    _require_office(by)
    if order is None:
        order = plan.categories.count() + 1
    category = Category(plan=plan, name=name.strip(), order=order)
    save_with_history(category, by=by)
    return category


def _set_co_units(task: Task, units: Iterable[Unit], *, by: Any, reason: str) -> None:
    wanted = {u.pk: u for u in units if u.pk != task.lead_unit_id}
    links = {link.unit_id: link for link in task.co_unit_links.all()}
    for unit_id, link in links.items():
        if unit_id not in wanted:
            link._history_user = by  # type: ignore[attr-defined]
            link._change_reason = clip_reason(reason)  # type: ignore[attr-defined]
            link.delete()
    for unit_id, unit in wanted.items():
        if unit_id not in links:
            save_with_history(CoUnit(task=task, unit=unit), by=by, reason=reason)


@transaction.atomic
def create_task(*, by: Any, plan: Plan, co_units: Iterable[Unit] = (), reason: str = "", **fields: Any) -> Task:
    _require_office(by)
    unknown = set(fields) - TASK_FIELDS
    if unknown:
        raise TypeError(f"unknown task fields: {sorted(unknown)}")
    task = Task(plan=plan, **fields)
    save_with_history(task, by=by, reason=reason)
    _set_co_units(task, co_units, by=by, reason=reason)
    if task.parent is not None:
        recompute_rollup(task.parent, by=by)
    return task


@transaction.atomic
def update_task(task: Task, *, by: Any, version: int | None = None, co_units: Iterable[Unit] | None = None,
                reason: str = "", **fields: Any) -> Task:
    """Change a task's charter. With `version`, refuse if someone saved the task in between."""
    _require_office(by)
    unknown = set(fields) - TASK_FIELDS
    if unknown:
        raise TypeError(f"unknown task fields: {sorted(unknown)}")
    _claim_version(task, version)
    old_parent = task.parent
    for key, value in fields.items():
        setattr(task, key, value)
    save_with_history(task, by=by, reason=reason)
    if co_units is not None:
        _set_co_units(task, co_units, by=by, reason=reason)
    for parent in {p for p in (old_parent, task.parent) if p is not None}:
        recompute_rollup(parent, by=by)
    return task


def _claim_version(task: Task, version: int | None) -> None:
    """Bump the task's version; with an expected version, only if nobody else bumped it first."""
    qs = Task.objects.filter(pk=task.pk)
    if version is not None:
        qs = qs.filter(version=version)
    if qs.update(version=F("version") + 1) == 0:
        current = Task.objects.filter(pk=task.pk).values_list("version", flat=True).first() or 0
        raise Conflict(
            _("Someone else changed this task while you were editing it. Reload to see their changes."),
            current_version=current,
        )
    task.version = Task.objects.values_list("version", flat=True).get(pk=task.pk)


@transaction.atomic
def assign_task(task: Task, *, by: Any, reason: str = "") -> Task:
    """交办: hand the task to its units. Needs a lead unit, a responsible leader and a responsible person."""
    _require_office(by)
    _require_status(task, TaskStatus.DRAFT)
    missing = task.missing_for_assignment()
    if missing:
        raise ActionError(
            _("The task cannot be assigned without: %(missing)s.") % {"missing": "、".join(missing)}
        )
    _claim_version(task, None)
    task.status = TaskStatus.ASSIGNED
    task.assigned_at = timezone.now()
    save_with_history(task, by=by, reason=reason or _("assigned"))
    return task


@transaction.atomic
def acknowledge_task(task: Task, *, by: Any, unit: Unit | None = None) -> Task:
    """签收: a lead or co-unit accepts the assignment. The lead unit's acknowledgement moves the task on."""
    roles = roles_of(by)
    co_ids = set(task.co_unit_links.values_list("unit_id", flat=True))
    allowed = rules.acknowledgeable_units(roles, task.lead_unit_id, co_ids)
    if unit is None:
        if len(allowed) != 1:
            raise ActionError(_("Choose the unit you acknowledge for."))
        unit_id = next(iter(allowed))
    else:
        unit_id = unit.pk
    if unit_id not in allowed:
        raise Forbidden(_("You cannot acknowledge this task for that unit."))
    if task.status == TaskStatus.DRAFT:
        raise ActionError(_("The task has not been assigned yet."))
    now = timezone.now()
    if unit_id == task.lead_unit_id:
        if task.lead_acknowledged_at:
            raise ActionError(_("The lead unit has already acknowledged this task."))
        _claim_version(task, None)
        task.lead_acknowledged_at = now
        if task.status == TaskStatus.ASSIGNED:
            task.status = TaskStatus.ACKNOWLEDGED
        save_with_history(task, by=by, reason=_("acknowledged by the lead unit"))
    else:
        link = task.co_unit_links.get(unit_id=unit_id)
        if link.acknowledged_at:
            raise ActionError(_("Your unit has already acknowledged this task."))
        link.acknowledged_at = now
        link.acknowledged_by_id = roles.person_id
        save_with_history(link, by=by, reason=_("acknowledged by a co-unit"))
    return task


@transaction.atomic
def record_progress(task: Task, *, by: Any, progress: Decimal, note: str = "", on: datetime.date | None = None,
                    reason: str = "") -> Task:
    """The lead unit states the task's visible progress (形象进度) and what has been done."""
    if not rules.may_report(roles_of(by), task.lead_unit_id):
        raise Forbidden(_("Only the lead unit or the office can record progress."))
    _require_status(task, TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS, TaskStatus.ASSIGNED)
    if task.status == TaskStatus.ASSIGNED and not roles_of(by).is_office:
        raise ActionError(_("Acknowledge the task before reporting on it."))
    _claim_version(task, None)
    task.progress = Decimal(progress)
    task.progress_note = note
    task.progress_on = on or timezone.localdate()
    task.status = TaskStatus.IN_PROGRESS
    save_with_history(task, by=by, reason=reason or _("progress recorded"))
    if task.parent is not None:
        recompute_rollup(task.parent, by=by)
    return task


@transaction.atomic
def request_completion(task: Task, *, by: Any, note: str = "") -> Task:
    if not rules.may_request_completion(roles_of(by), task.lead_unit_id):
        raise Forbidden(_("Only the lead unit's head can ask for the task to be closed."))
    _require_status(task, TaskStatus.IN_PROGRESS)
    _claim_version(task, None)
    task.status = TaskStatus.COMPLETION_REQUESTED
    save_with_history(task, by=by, reason=note or _("completion requested"))
    return task


@transaction.atomic
def close_task(task: Task, *, by: Any, on: datetime.date | None = None, reason: str = "") -> Task:
    """销号: the office verifies and closes the task."""
    _require_office(by)
    _require_status(task, TaskStatus.COMPLETION_REQUESTED, TaskStatus.IN_PROGRESS)
    _claim_version(task, None)
    task.status = TaskStatus.CLOSED
    task.closed_on = on or timezone.localdate()
    task.progress = Decimal(100)
    save_with_history(task, by=by, reason=reason or _("closed"))
    if task.parent is not None:
        recompute_rollup(task.parent, by=by)
    return task


@transaction.atomic
def return_completion(task: Task, *, by: Any, reason: str) -> Task:
    _require_office(by)
    _require_status(task, TaskStatus.COMPLETION_REQUESTED)
    if not reason.strip():
        raise ActionError(_("Give the reason for sending the task back."))
    _claim_version(task, None)
    task.status = TaskStatus.IN_PROGRESS
    save_with_history(task, by=by, reason=reason)
    return task


@transaction.atomic
def suspend_task(task: Task, *, by: Any, reason: str) -> Task:
    _require_office(by)
    _require_status(task, TaskStatus.ASSIGNED, TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS)
    _claim_version(task, None)
    task.status = TaskStatus.SUSPENDED
    save_with_history(task, by=by, reason=reason)
    return task


@transaction.atomic
def resume_task(task: Task, *, by: Any, reason: str = "") -> Task:
    _require_office(by)
    _require_status(task, TaskStatus.SUSPENDED)
    _claim_version(task, None)
    task.status = TaskStatus.IN_PROGRESS if task.lead_acknowledged_at else TaskStatus.ASSIGNED
    save_with_history(task, by=by, reason=reason or _("resumed"))
    return task


@transaction.atomic
def cancel_task(task: Task, *, by: Any, reason: str) -> Task:
    _require_office(by)
    if not task.is_open:
        raise ActionError(_("The task is already closed or cancelled."))
    if not reason.strip():
        raise ActionError(_("Give the reason for cancelling the task."))
    _claim_version(task, None)
    task.status = TaskStatus.CANCELLED
    save_with_history(task, by=by, reason=reason)
    if task.parent is not None:
        recompute_rollup(task.parent, by=by)
    return task


def recompute_rollup(task: Task, *, by: Any) -> None:
    """Set a parent's progress from its children's, then its parent's, up to the root."""
    node: Task | None = task
    seen: set[int] = set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        pairs = list(
            node.children.exclude(status=TaskStatus.CANCELLED).values_list("weight", "progress")
        )
        value = weighted_progress(pairs)
        if value is not None and value != node.progress:
            node.progress = value
            save_with_history(node, by=by, reason=_("progress rolled up from sub-tasks"))
        node = node.parent


@transaction.atomic
def add_milestone(task: Task, *, by: Any, title: str, due: datetime.date, planned_progress: Decimal,
                  deliverable: str = "", evidence_required: bool = False, seq: int | None = None,
                  reason: str = "") -> Milestone:
    _require_office(by)
    if seq is None:
        seq = task.milestones.count() + 1
    milestone = Milestone(task=task, title=title, due=due, planned_progress=planned_progress,
                          deliverable=deliverable, evidence_required=evidence_required, seq=seq)
    save_with_history(milestone, by=by, reason=reason)
    return milestone


@transaction.atomic
def update_milestone(milestone: Milestone, *, by: Any, reason: str = "", **fields: Any) -> Milestone:
    _require_office(by)
    for key, value in fields.items():
        setattr(milestone, key, value)
    save_with_history(milestone, by=by, reason=reason)
    return milestone


@transaction.atomic
def delete_milestone(milestone: Milestone, *, by: Any, reason: str = "") -> None:
    _require_office(by)
    milestone._history_user = by  # type: ignore[attr-defined]
    milestone._change_reason = clip_reason(reason)  # type: ignore[attr-defined]
    milestone.delete()


@transaction.atomic
def add_indicator(task: Task, *, by: Any, name: str, target: Decimal, unit_of_measure: str = "",
                  baseline: Decimal | None = None, direction: str = Indicator.Direction.INCREASE,
                  reason: str = "") -> Indicator:
    _require_office(by)
    indicator = Indicator(task=task, name=name, target=target, unit_of_measure=unit_of_measure,
                          baseline=baseline, direction=direction)
    save_with_history(indicator, by=by, reason=reason)
    return indicator


@transaction.atomic
def record_indicator_value(indicator: Indicator, *, by: Any, period: datetime.date, value: Decimal,
                           note: str = "", reason: str = "") -> IndicatorValue:
    """Record (or correct) an indicator's actual value for a period. The lead unit or the office."""
    if not rules.may_report(roles_of(by), indicator.task.lead_unit_id):
        raise Forbidden(_("Only the lead unit or the office can record indicator values."))
    row = IndicatorValue.objects.filter(indicator=indicator, period=period).first()
    if row is None:
        row = IndicatorValue(indicator=indicator, period=period)
    row.value = Decimal(value)
    row.note = note
    save_with_history(row, by=by, reason=reason)
    return row


# -- bulk import ----------------------------------------------------------------------------------


@dataclass
class TaskDraft:
    """A task to create in a bulk import. `parent` may be an existing task or another draft of the batch."""

    ref: str  # names the row in error messages
    fields: dict[str, Any]  # TASK_FIELDS except "parent"
    parent: "Task | TaskDraft | None" = None
    co_units: list[Unit] = dc_field(default_factory=list)
    milestones: list[dict[str, Any]] = dc_field(default_factory=list)  # Milestone fields
    indicators: list[dict[str, Any]] = dc_field(default_factory=list)  # Indicator fields
    task: Task | None = None  # set by create_tasks


def _depth(draft: TaskDraft) -> int:
    depth, parent, seen = 0, draft.parent, {id(draft)}
    while isinstance(parent, TaskDraft) and id(parent) not in seen:
        seen.add(id(parent))
        depth, parent = depth + 1, parent.parent
    return depth


def _field_errors(obj: models.Model, errors: list[str]) -> None:
    """The model's own field rules and clean(), without a query: references are checked set-based."""
    fks = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    try:
        obj.full_clean(exclude=fks, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.extend(exc.messages)


def _reference_errors(objs: Sequence[tuple[str, models.Model]], found: dict[str, list[str]]) -> None:
    """Every saved object a foreign key names exists: one query per key, not one per row and key."""
    if not objs:
        return
    for f in objs[0][1]._meta.concrete_fields:
        if not f.is_relation:
            continue
        ids = {getattr(o, f.attname) for _ref, o in objs} - {None}
        if not ids:
            continue
        model: Any = f.related_model
        existing = set(model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
        for ref, obj in objs:
            value = getattr(obj, f.attname)
            if value is not None and value not in existing:
                try:
                    f.validate(value, obj)
                except ValidationError as exc:
                    found.setdefault(ref, []).extend(exc.messages)


@transaction.atomic
def create_tasks(*, by: Any, plan: Plan, drafts: list[TaskDraft], reason: str = "") -> list[Task]:
    """Create many tasks at once with their co-units, milestones and indicators: the rules of create_task,
    add_milestone and add_indicator checked over the whole batch first (errors as {ref: messages}, nothing
    written), then a few inserts per tree level, history rows naming `by` and `reason`, and the roll-up of
    the parents once at the end."""
    _require_office(by)
    for draft in drafts:
        unknown = set(draft.fields) - (TASK_FIELDS - {"parent"})
        if unknown:
            raise TypeError(f"unknown task fields: {sorted(unknown)}")
    tasks = [Task(plan=plan, **d.fields) for d in drafts]
    for d, task in zip(drafts, tasks, strict=True):
        d.task = task
    for d, task in zip(drafts, tasks, strict=True):
        task.parent = d.parent.task if isinstance(d.parent, TaskDraft) else d.parent
    links: list[tuple[str, CoUnit]] = []
    milestones: list[tuple[str, Milestone]] = []
    indicators: list[tuple[str, Indicator]] = []
    for d, task in zip(drafts, tasks, strict=True):
        wanted = {u.pk: u for u in d.co_units if u.pk != task.lead_unit_id}
        links += [(d.ref, CoUnit(task=task, unit=u)) for u in wanted.values()]
        milestones += [(d.ref, Milestone(task=task, **m)) for m in d.milestones]
        indicators += [(d.ref, Indicator(task=task, **i)) for i in d.indicators]
    errors = _batch_errors(plan, drafts, links, milestones, indicators)
    if errors:
        raise ValidationError(errors)
    who, why = by, clip_reason(reason)
    levels: dict[int, list[Task]] = {}
    for d, task in zip(drafts, tasks, strict=True):
        levels.setdefault(_depth(d), []).append(task)
    for depth in sorted(levels):
        bulk_create_with_history(levels[depth], Task, default_user=who, default_change_reason=why)
    for model, objs in ((CoUnit, links), (Milestone, milestones), (Indicator, indicators)):
        if objs:
            bulk_create_with_history(
                [o for _r, o in objs], model, default_user=who, default_change_reason=why
            )
    parent_ids = {t.parent_id for t in tasks if t.parent_id is not None}
    changed = _rollup_many(plan, parent_ids, by=by)
    _mark_changed({t.pk for t in tasks} | changed)
    return tasks


def _batch_errors(
    plan: Plan,
    drafts: list[TaskDraft],
    links: list[tuple[str, CoUnit]],
    milestones: list[tuple[str, Milestone]],
    indicators: list[tuple[str, Indicator]],
) -> dict[str, list[str]]:
    """What full_clean would say for each object, checked over the batch: {ref: messages}."""
    found: dict[str, list[str]] = {}
    codes = [d.task.code for d in drafts if d.task is not None]
    taken = set(Task.objects.filter(plan=plan, code__in=codes).values_list("code", flat=True))
    seen: set[str] = set()
    for d in drafts:
        task = d.task
        assert task is not None
        messages: list[str] = []
        _field_errors(task, messages)
        if task.code in taken or task.code in seen:
            messages.extend(task.unique_error_message(Task, ("plan", "code")).messages)
        seen.add(task.code)
        if messages:
            found.setdefault(d.ref, []).extend(messages)
    for group in (links, milestones, indicators):
        for ref, obj in group:
            messages = []
            _field_errors(obj, messages)
            if messages:
                found.setdefault(ref, []).extend(messages)
    saved = [(d.ref, d.task) for d in drafts if d.task is not None]
    _reference_errors(saved, found)
    _reference_errors(links, found)
    return found


def _rollup_many(plan: Plan, parent_ids: set[int], *, by: Any) -> set[int]:
    """recompute_rollup for many parents at once: each affected task (and its ancestors) computed once,
    deepest first, from one read of the plan's tree. Returns the ids whose progress changed."""
    if not parent_ids:
        return set()
    rows = list(Task.objects.filter(plan=plan).values_list("pk", "parent_id", "weight", "progress", "status"))
    parent_of = {pk: parent for pk, parent, _w, _p, _s in rows}
    progress = {pk: p for pk, _parent, _w, p, _s in rows}
    children: dict[int, list[tuple[int, Decimal]]] = {}
    for pk, parent, weight, _p, status in rows:
        if parent is not None and status != TaskStatus.CANCELLED:
            children.setdefault(parent, []).append((pk, weight))

    def depth(pk: int) -> int:
        d, seen = 0, {pk}
        while parent_of.get(pk) is not None and parent_of[pk] not in seen:
            pk = parent_of[pk]  # type: ignore[assignment]
            seen.add(pk)
            d += 1
        return d

    affected: set[int] = set()
    for pk in parent_ids:
        node: int | None = pk
        while node is not None and node not in affected:
            affected.add(node)
            node = parent_of.get(node)
    changed: dict[int, Decimal] = {}
    for pk in sorted(affected, key=depth, reverse=True):
        value = weighted_progress((w, progress[c]) for c, w in children.get(pk, []))
        if value is not None and value != progress[pk]:
            progress[pk] = changed[pk] = value
    if changed:
        objs = list(Task.objects.filter(pk__in=changed))
        now = timezone.now()
        for obj in objs:
            obj.progress, obj.updated_at = changed[obj.pk], now
        _update_with_history(
            Task,
            [(o, ["progress", "updated_at"]) for o in objs],
            by=by,
            reason=_("progress rolled up from sub-tasks"),
        )
    return set(changed)


def _mark_changed(task_ids: set[int]) -> None:
    """Bulk inserts send no post_save: tell the supervision lights what a save would have told them."""
    from tongtui.supervision.listeners import mark

    for pk in sorted(task_ids):
        mark(pk)


@dataclass
class TaskChange:
    """An existing task to change in a bulk import: what update_task and the milestone actions would do."""

    ref: str
    task: Task  # as loaded; its version must still be the stored one
    fields: dict[str, Any]  # the changed TASK_FIELDS only
    co_units: list[Unit] | None = None  # None: leave them as they are
    milestones: list[dict[str, Any]] | None = None  # the whole schedule in order (with seq); None: leave it


def _update_with_history(
    model: type[models.Model], items: Sequence[tuple[models.Model, list[str]]], *, by: Any, reason: str
) -> None:
    """Write each object's changed fields (one short UPDATE each: Django's bulk_update builds a CASE per
    object and field, slower here), then all their "~" history rows in one insert."""
    if not items:
        return
    manager = model._base_manager
    for obj, names in items:
        manager.filter(pk=obj.pk).update(**{name: getattr(obj, name) for name in names})
    get_history_manager_for_model(model).bulk_history_create(
        [obj for obj, _names in items],
        update=True,
        default_user=by,
        default_change_reason=clip_reason(reason),
    )


def _delete_with_history(objs: Sequence[models.Model], *, by: Any, reason: str) -> None:
    """Delete loaded objects as Model.delete would (signals, cascades), their history naming `by`."""
    if not objs:
        return
    for obj in objs:
        obj._history_user = by  # type: ignore[attr-defined]
        obj._change_reason = clip_reason(reason)  # type: ignore[attr-defined]
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for obj in objs:
        by_model.setdefault(type(obj), []).append(obj)
    for model, group in by_model.items():
        collector = Collector(using=router.db_for_write(model), origin=group[0])
        collector.collect(group)
        collector.delete()


@transaction.atomic
def update_tasks(*, by: Any, changes: list[TaskChange], reason: str = "") -> None:
    """update_task, and the milestone actions, for many tasks at once: the batch checked first (errors as
    {ref: messages}, nothing written), versions claimed together (Conflict if someone saved in between),
    history rows naming `by` and `reason`, the parents rolled up once at the end."""
    _require_office(by)
    if not changes:
        return
    for change in changes:
        unknown = set(change.fields) - TASK_FIELDS
        if unknown:
            raise TypeError(f"unknown task fields: {sorted(unknown)}")
    charter = [c for c in changes if c.fields or c.co_units is not None]
    stored = dict(
        Task.objects.select_for_update()
        .filter(pk__in=[c.task.pk for c in charter])
        .values_list("pk", "version")
    )
    for c in charter:
        if stored.get(c.task.pk) != c.task.version:
            raise Conflict(
                _("Someone else changed this task while you were editing it. Reload to see their changes."),
                current_version=stored.get(c.task.pk) or 0,
            )
    parent_ids = {c.task.parent_id for c in charter if c.task.parent_id is not None}
    now = timezone.now()
    for c in charter:
        for key, value in c.fields.items():
            setattr(c.task, key, value)
        c.task.version += 1
        c.task.updated_at = now
    linked: dict[int, list[CoUnit]] = {}
    for link in CoUnit.objects.filter(task_id__in=[c.task.pk for c in changes if c.co_units is not None]):
        linked.setdefault(link.task_id, []).append(link)
    old_steps: dict[int, list[Milestone]] = {}
    scheduled = [c.task.pk for c in changes if c.milestones is not None]
    for m in Milestone.objects.filter(task_id__in=scheduled).order_by("seq", "due", "pk"):
        old_steps.setdefault(m.task_id, []).append(m)
    new_links: list[tuple[str, CoUnit]] = []
    gone: list[models.Model] = []
    added: list[tuple[str, Milestone]] = []
    edited: list[tuple[str, Milestone]] = []
    edited_names: list[tuple[models.Model, list[str]]] = []
    for c in changes:
        task = c.task
        if c.co_units is not None:
            wanted = {u.pk: u for u in c.co_units if u.pk != task.lead_unit_id}
            have = {link.unit_id: link for link in linked.get(task.pk, [])}
            gone += [link for unit_id, link in have.items() if unit_id not in wanted]
            new_links += [(c.ref, CoUnit(task=task, unit=u)) for pk, u in wanted.items() if pk not in have]
        if c.milestones is not None:
            old = old_steps.get(task.pk, [])
            for m, step in zip(old, c.milestones, strict=False):
                step_changes = {k: v for k, v in step.items() if getattr(m, k) != v}
                if step_changes:
                    for k, v in step_changes.items():
                        setattr(m, k, v)
                    edited.append((c.ref, m))
                    edited_names.append((m, list(step_changes)))
            added += [(c.ref, Milestone(task=task, **step)) for step in c.milestones[len(old) :]]
            gone += old[len(c.milestones) :]
    found: dict[str, list[str]] = {}
    for group in ([(c.ref, c.task) for c in charter], new_links, added, edited):
        for ref, obj in group:
            messages: list[str] = []
            _field_errors(obj, messages)
            if messages:
                found.setdefault(ref, []).extend(messages)
    _reference_errors([(c.ref, c.task) for c in charter], found)
    _reference_errors(new_links, found)
    if found:
        raise ValidationError(found)
    who, why = by, clip_reason(reason)
    _update_with_history(
        Task, [(c.task, [*c.fields, "version", "updated_at"]) for c in charter], by=who, reason=why
    )
    _delete_with_history(gone, by=who, reason=why)
    for model, objs in ((CoUnit, new_links), (Milestone, added)):
        if objs:
            bulk_create_with_history(
                [o for _r, o in objs], model, default_user=who, default_change_reason=why
            )
    _update_with_history(Milestone, edited_names, by=who, reason=why)
    parent_ids |= {c.task.parent_id for c in charter if c.task.parent_id is not None}
    changed = _rollup_many(changes[0].task.plan, parent_ids, by=by)
    touched = {c.task.pk for c in charter} | {m.task_id for _r, m in added + edited}
    _mark_changed(touched | {m.task_id for m in gone if isinstance(m, Milestone)} | changed)

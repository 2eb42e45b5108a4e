"""Bulk writes for the task-book import: the same rules and history as the per-row actions, set-based.

Beyond what plans.actions writes, an import keeps what the book said when it names no one unit or person:
the lead as written, the leader's or person's post (or the cell as written), and unit groups named as
co-units (CoGroup, with the members as co-units through the group). With the mid-year switch
(`acknowledge_imported`) complete tasks are assigned and acknowledged on a past day, history dated that day.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import F, Max
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from tongtui.core.errors import Conflict
from tongtui.core.history import clip_reason
from tongtui.orgs.models import Unit, UnitGroup
from tongtui.plans.actions import (
    TASK_FIELDS,
    _require_office,
    acknowledge_due,
    assignment_numbers,
    mark_assigned,
)
from tongtui.plans.actions_groups import group_members, wanted_co_units
from tongtui.plans.codes import task_key
from tongtui.plans.codes_db import refresh_code_sort
from tongtui.plans.models import (
    CoGroup,
    CoUnit,
    Indicator,
    Milestone,
    Plan,
    Task,
    TaskStatus,
)
from tongtui.plans.rollup import weighted_progress
from tongtui.plans.signals import tasks_changed

# -- bulk import ----------------------------------------------------------------------------------

# What an import may write on a task: the charter fields of plans.actions, and what the book said as written.
AS_WRITTEN = {"lead_text", "leader_text", "owner_text", "leader_post", "owner_post"}
IMPORT_FIELDS = TASK_FIELDS | AS_WRITTEN


@dataclass
class TaskDraft:
    """A task to create in a bulk import. `parent` may be an existing task or another draft of the batch."""

    ref: str  # names the row in error messages
    fields: dict[str, Any]  # IMPORT_FIELDS except "parent"
    parent: "Task | TaskDraft | None" = None
    co_units: list[Unit] = dc_field(default_factory=list)  # named on their own
    co_groups: list[tuple[UnitGroup, str]] = dc_field(default_factory=list)  # (group, as written)
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


def _co_links(
    ref: str,
    task: Task,
    units: list[Unit],
    groups: list[tuple[UnitGroup, str]],
    members: dict[int, list[int]],
    have: dict[int, CoUnit] | None = None,
) -> tuple[list[tuple[str, CoUnit]], dict[int, int | None]]:
    """The co-unit links a task should gain (units on their own, then the groups' members through the
    group), and every unit it should have."""
    named = {u.pk for u in units}
    wanted = wanted_co_units(
        [u.pk for u in units], [(g.pk, members.get(g.pk, [])) for g, _w in groups], task.lead_unit_id
    )
    have = have or {}
    links = [
        (ref, CoUnit(task=task, unit_id=unit_id, via_group_id=None if unit_id in named else group_id))
        for unit_id, group_id in wanted.items()
        if unit_id not in have
    ]
    return links, wanted


def _group_links(ref: str, task: Task, groups: list[tuple[UnitGroup, str]]) -> list[tuple[str, CoGroup]]:
    seen: set[int] = set()
    out = []
    for group, written in groups:
        if group.pk not in seen:
            seen.add(group.pk)
            out.append((ref, CoGroup(task=task, group=group, written=(written or group.name)[:100])))
    return out


@transaction.atomic
def create_tasks(
    *,
    by: Any,
    plan: Plan,
    drafts: list[TaskDraft],
    reason: str = "",
    date: datetime.datetime | None = None,
) -> list[Task]:
    """Create many tasks at once with their co-units (on their own and through unit groups), milestones and
    indicators: the rules of create_task, add_milestone and add_indicator checked over the whole batch first
    (errors as {ref: messages}, nothing written), then a few inserts per tree level, history rows naming
    `by` and `reason` (dated `date` when given: the mid-year switch), and the roll-up of the parents once at
    the end."""
    _require_office(by)
    for draft in drafts:
        unknown = set(draft.fields) - (IMPORT_FIELDS - {"parent"})
        if unknown:
            raise TypeError(f"unknown task fields: {sorted(unknown)}")
    tasks = [Task(plan=plan, **d.fields) for d in drafts]
    for d, task in zip(drafts, tasks, strict=True):
        d.task = task
    for d, task in zip(drafts, tasks, strict=True):
        task.parent = d.parent.task if isinstance(d.parent, TaskDraft) else d.parent
    members = group_members({g.pk for d in drafts for g, _w in d.co_groups})
    links: list[tuple[str, CoUnit]] = []
    named: list[tuple[str, CoGroup]] = []
    milestones: list[tuple[str, Milestone]] = []
    indicators: list[tuple[str, Indicator]] = []
    for d, task in zip(drafts, tasks, strict=True):
        links += _co_links(d.ref, task, d.co_units, d.co_groups, members)[0]
        named += _group_links(d.ref, task, d.co_groups)
        milestones += [(d.ref, Milestone(task=task, **m)) for m in d.milestones]
        indicators += [(d.ref, Indicator(task=task, **i)) for i in d.indicators]
    errors = _batch_errors(plan, drafts, links, milestones, indicators, named)
    if errors:
        raise ValidationError(errors)
    who, why = by, clip_reason(reason)
    levels: dict[int, list[Task]] = {}
    for d, task in zip(drafts, tasks, strict=True):
        levels.setdefault(_depth(d), []).append(task)
    for depth in sorted(levels):
        for task in levels[depth]:
            task.code_sort = task_key(task.code, task.parent.code_sort if task.parent is not None else None)
        bulk_create_with_history(
            levels[depth], Task, default_user=who, default_change_reason=why, default_date=date
        )
    for model, objs in ((CoGroup, named), (CoUnit, links), (Milestone, milestones), (Indicator, indicators)):
        if objs:
            bulk_create_with_history(
                [o for _r, o in objs], model, default_user=who, default_change_reason=why, default_date=date
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
    named: Sequence[tuple[str, models.Model]] = (),
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
    for group in (links, milestones, indicators, named):
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
    """Bulk inserts send no post_save: announce the changed tasks so derived data (lights) can follow."""
    tasks_changed.send(sender=Task, task_ids=sorted(task_ids))


@dataclass
class TaskChange:
    """An existing task to change in a bulk import: what update_task and the milestone actions would do."""

    ref: str
    task: Task  # as loaded; its version must still be the stored one
    fields: dict[str, Any]  # the changed IMPORT_FIELDS only
    co_units: list[Unit] | None = None  # None: leave the co-units and unit groups as they are
    milestones: list[dict[str, Any]] | None = None  # the whole schedule in order (with seq); None: leave it
    co_groups: list[tuple[UnitGroup, str]] = dc_field(default_factory=list)  # with co_units: the groups named


def _update_with_history(
    model: type[models.Model],
    items: Sequence[tuple[models.Model, list[str]]],
    *,
    by: Any,
    reason: str,
    date: datetime.datetime | None = None,
) -> None:
    """Write each object's changed fields (one short UPDATE each: Django's bulk_update builds a CASE per
    object and field, slower here), then all their "~" history rows in one insert (dated `date` if given)."""
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
        default_date=date,
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
        unknown = set(change.fields) - IMPORT_FIELDS
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
    relinked = [c.task.pk for c in changes if c.co_units is not None]
    linked: dict[int, list[CoUnit]] = {}
    for link in CoUnit.objects.filter(task_id__in=relinked):
        linked.setdefault(link.task_id, []).append(link)
    grouped: dict[int, dict[int, CoGroup]] = {}
    for named_group in CoGroup.objects.filter(task_id__in=relinked):
        grouped.setdefault(named_group.task_id, {})[named_group.group_id] = named_group
    members = group_members({g.pk for c in changes for g, _w in c.co_groups})
    old_steps: dict[int, list[Milestone]] = {}
    scheduled = [c.task.pk for c in changes if c.milestones is not None]
    for m in Milestone.objects.filter(task_id__in=scheduled).order_by("seq", "due", "pk"):
        old_steps.setdefault(m.task_id, []).append(m)
    new_links: list[tuple[str, CoUnit]] = []
    new_groups: list[tuple[str, CoGroup]] = []
    rewritten: list[tuple[models.Model, list[str]]] = []
    gone: list[models.Model] = []
    added: list[tuple[str, Milestone]] = []
    edited: list[tuple[str, Milestone]] = []
    edited_names: list[tuple[models.Model, list[str]]] = []
    for c in changes:
        task = c.task
        if c.co_units is not None:
            have = {link.unit_id: link for link in linked.get(task.pk, [])}
            links, wanted = _co_links(c.ref, task, c.co_units, c.co_groups, members, have)
            gone += [link for unit_id, link in have.items() if unit_id not in wanted]
            new_links += links
            named = {g.group_id: g for _r, g in _group_links(c.ref, task, c.co_groups)}
            kept = grouped.get(task.pk, {})
            gone += [g for group_id, g in kept.items() if group_id not in named]
            new_groups += [(c.ref, g) for group_id, g in named.items() if group_id not in kept]
            for group_id, g in named.items():
                if group_id in kept and kept[group_id].written != g.written:
                    kept[group_id].written = g.written
                    rewritten.append((kept[group_id], ["written"]))
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
    if any({"code", "parent"} & set(c.fields) for c in charter):
        refresh_code_sort({c.task.plan_id for c in charter})
    _delete_with_history(gone, by=who, reason=why)
    for model, objs in ((CoGroup, new_groups), (CoUnit, new_links), (Milestone, added)):
        if objs:
            bulk_create_with_history(
                [o for _r, o in objs], model, default_user=who, default_change_reason=why
            )
    _update_with_history(Milestone, edited_names, by=who, reason=why)
    _update_with_history(CoGroup, rewritten, by=who, reason=why)
    parent_ids |= {c.task.parent_id for c in charter if c.task.parent_id is not None}
    changed = _rollup_many(changes[0].task.plan, parent_ids, by=by)
    touched = {c.task.pk for c in charter} | {m.task_id for _r, m in added + edited}
    _mark_changed(touched | {m.task_id for m in gone if isinstance(m, Milestone)} | changed)


# -- the mid-year switch --------------------------------------------------------------------------


def switch_time(on: datetime.date) -> datetime.datetime:
    """When a task handed out on paper counts as assigned and acknowledged: 09:00 local time that day."""
    return timezone.make_aware(datetime.datetime.combine(on, datetime.time(9)))


@transaction.atomic
def acknowledge_imported(
    tasks: Sequence[Task], *, by: Any, on: datetime.date, reason: str = ""
) -> list[Task]:
    """The mid-year switch: tasks a district handed out before it used Tongtui are assigned and acknowledged
    (by the lead unit and every co-unit) as of `on`, as plans.actions.assign_task and acknowledge_task would
    have written them then: assignment numbers in the plan, the acknowledgement deadline in working days,
    history dated that day (or now, for a task whose history already goes past it).

    Only drafts that have a lead unit, a responsible leader and a responsible person are switched, each by a
    conditional UPDATE from draft; the others are left as drafts. Returns the tasks switched.
    """
    _require_office(by)
    when = switch_time(on)
    rows = list(
        Task.objects.select_for_update(of=("self",))
        .filter(pk__in=[t.pk for t in tasks], status=TaskStatus.DRAFT)
        .select_related("plan")
        .order_by("plan_id", "pk")
    )
    ready = [t for t in rows if not t.missing_for_assignment()]
    if not ready:
        return []
    ids = [t.pk for t in ready]
    claimed = Task.objects.filter(pk__in=ids, status=TaskStatus.DRAFT).update(
        status=TaskStatus.ACKNOWLEDGED, version=F("version") + 1
    )
    if claimed != len(ids):  # the rows are locked, so this does not happen; if it did, nothing is written
        raise Conflict(_("Some of these tasks were assigned by someone else just now."), current_version=0)
    by_plan: dict[int, list[Task]] = {}
    for task in ready:
        if task.assignment_no is None:
            by_plan.setdefault(task.plan_id, []).append(task)
    numbers = {
        task.pk: number
        for plan_id, group in by_plan.items()
        for task, number in zip(group, assignment_numbers(plan_id, len(group)), strict=True)
    }
    last = dict(
        Task.history.filter(id__in=ids)
        .order_by()
        .values("id")
        .annotate(m=Max("history_date"))
        .values_list("id", "m")
    )
    now = timezone.now()
    dated: dict[datetime.datetime, list[Task]] = {}
    for task in ready:
        mark_assigned(task, now=when, number=numbers.get(task.pk), ack_due=acknowledge_due(task.plan, when))
        task.status = TaskStatus.ACKNOWLEDGED
        task.lead_acknowledged_at = when
        task.version += 1
        task.updated_at = now
        recorded = last.get(task.pk)
        dated.setdefault(when if recorded is None or recorded <= when else now, []).append(task)
    fields = [
        "status",
        "assigned_at",
        "assignment_no",
        "ack_due",
        "lead_acknowledged_at",
        "version",
        "updated_at",
    ]
    why = reason or _("assigned and acknowledged on %(day)s, before Tongtui") % {"day": on.isoformat()}
    for date, group in dated.items():
        _update_with_history(Task, [(t, fields) for t in group], by=by, reason=why, date=date)
        links = list(CoUnit.objects.filter(task__in=group, acknowledged_at__isnull=True))
        for link in links:
            link.acknowledged_at = when
        _update_with_history(
            CoUnit, [(link, ["acknowledged_at"]) for link in links], by=by, reason=why, date=date
        )
    _mark_changed(set(ids))
    return ready

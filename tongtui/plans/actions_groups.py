"""Collective names and posts that task books use, and the tasks that follow them.

A unit group named as co-units (各镇街) stays on the task as written (`CoGroup`); its members are co-units
through it (`CoUnit.via_group`). When the office fills or changes the group, every open task naming it follows.
A post named instead of a person (区应急管理局负责人) is recorded once per unit (`Post`); when the office names
who holds it, every task that names the post and has nobody yet gets that person.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tongtui.core.history import clip_reason, save_with_history
from tongtui.orgs.models import Person, Post, Unit, UnitGroup
from tongtui.plans.actions import OPEN_STATES, _claim_version, _require_office
from tongtui.plans.models import CoGroup, CoUnit, Task
from tongtui.plans.signals import tasks_changed


def _delete_with_history(obj: Any, *, by: Any, reason: str) -> None:
    obj._history_user = by
    obj._change_reason = clip_reason(reason)
    obj.delete()


def wanted_co_units(
    direct: Iterable[int], groups: Iterable[tuple[int, Iterable[int]]], lead_id: int | None
) -> dict[int, int | None]:
    """The co-units a task should have: unit -> the group that brings it (None: named on its own).

    Units named on their own come first; a group brings each of its members not named already (the first
    group that names a unit brings it); the lead unit is never its own co-unit. Pure: the bulk import and
    sync_group_co_units share it.
    """
    wanted: dict[int, int | None] = dict.fromkeys(direct)
    for group_id, members in groups:
        for unit_id in members:
            wanted.setdefault(unit_id, group_id)
    wanted.pop(lead_id, None)  # type: ignore[arg-type]
    return wanted


def group_members(group_ids: Iterable[int]) -> dict[int, list[int]]:
    """The active member units of each group, in one query."""
    members: dict[int, list[int]] = {g: [] for g in group_ids}
    rows = UnitGroup.units.through.objects.filter(unitgroup_id__in=list(members), unit__is_active=True)
    for group_id, unit_id in rows.order_by("unit_id").values_list("unitgroup_id", "unit_id"):
        members[group_id].append(unit_id)
    return members


def sync_group_co_units(task: Task, *, by: Any, reason: str = "") -> bool:
    """Make the task's co-units through its groups match the groups' members now. True if anything changed.

    A unit that is also the lead unit is never a co-unit; a co-unit named on its own (not through a group)
    is left alone; a unit that already acknowledged keeps its link even if it left the group.
    """
    reason = reason or _("co-units follow the unit group")
    named = list(task.co_group_links.order_by("pk").values_list("group_id", flat=True))
    members = group_members(named)
    wanted = {
        unit_id: group_id
        for unit_id, group_id in wanted_co_units(
            (), [(g, members[g]) for g in named], task.lead_unit_id
        ).items()
        if group_id is not None
    }
    links = {link.unit_id: link for link in task.co_unit_links.all()}
    changed = False
    for unit_id, link in links.items():
        if link.via_group_id is not None and unit_id not in wanted and link.acknowledged_at is None:
            _delete_with_history(link, by=by, reason=reason)
            changed = True
    for unit_id, group_id in wanted.items():
        if unit_id not in links:
            save_with_history(CoUnit(task=task, unit_id=unit_id, via_group_id=group_id), by=by, reason=reason)
            changed = True
    return changed


@transaction.atomic
def add_co_group(task: Task, group: UnitGroup, *, by: Any, written: str = "", reason: str = "") -> CoGroup:
    """Name a unit group as co-units of the task, as the document wrote it; its members become co-units."""
    _require_office(by)
    link = CoGroup.objects.filter(task=task, group=group).first()
    if link is None:
        link = CoGroup(task=task, group=group, written=(written or group.name)[:100])
        save_with_history(link, by=by, reason=reason)
    sync_group_co_units(task, by=by, reason=reason)
    return link


@transaction.atomic
def remove_co_group(task: Task, group: UnitGroup, *, by: Any, reason: str = "") -> None:
    _require_office(by)
    for link in CoGroup.objects.filter(task=task, group=group):
        _delete_with_history(link, by=by, reason=reason)
    sync_group_co_units(task, by=by, reason=reason)


@transaction.atomic
def set_group_members(group: UnitGroup, units: Iterable[Unit], *, by: Any, reason: str = "") -> list[int]:
    """Fill or change a unit group; every open task that names the group follows. Returns those tasks' ids."""
    _require_office(by)
    group = UnitGroup.objects.select_for_update().get(pk=group.pk)
    group._history_user = by  # type: ignore[attr-defined]
    group._change_reason = clip_reason(reason)  # type: ignore[attr-defined]
    group.units.set(list(units))
    changed: list[int] = []
    tasks = Task.objects.filter(co_group_links__group=group, status__in=OPEN_STATES).distinct()
    for task in tasks:
        if sync_group_co_units(
            task, by=by, reason=reason or _("unit group “%(name)s” changed") % {"name": group}
        ):
            changed.append(task.pk)
    if changed:
        tasks_changed.send(sender=Task, task_ids=changed)
    return changed


@transaction.atomic
def remember_group_name(group: UnitGroup, name: str, *, by: Any, reason: str = "") -> bool:
    """Add a name a document used for the group (各镇(街道、园区) for 各镇街) to its other names, so that the
    next book that writes it finds the group. False when the group already answers to that name."""
    _require_office(by)
    name = " ".join(name.split())[:100]
    group = UnitGroup.objects.select_for_update().get(pk=group.pk)
    if not name or name in group.all_names():
        return False
    group.aliases = "\n".join([*(n for n in group.aliases.splitlines() if n.strip()), name])
    save_with_history(group, by=by, reason=reason or _("another name for the unit group"))
    return True


@transaction.atomic
def get_or_create_post(unit: Unit, title: str, *, by: Any, reason: str = "") -> Post:
    """The unit's post of that title, recorded once per unit (the office or an import names it)."""
    _require_office(by)
    title = title.strip()[:50]
    post = Post.objects.filter(unit=unit, title=title).first()
    if post is None:
        post = Post(unit=unit, title=title)
        save_with_history(post, by=by, reason=reason)
    return post


@transaction.atomic
def fill_post(post: Post, person: Person | None, *, by: Any, reason: str = "") -> list[int]:
    """Name who holds the post. Tasks that name the post as their responsible person (or leader) and have
    nobody yet get this person, one history entry each. Returns the ids of the tasks filled."""
    _require_office(by)
    post = Post.objects.select_for_update().get(pk=post.pk)
    post.holder = person
    save_with_history(post, by=by, reason=reason or _("post filled"))
    filled: list[int] = []
    if person is None:
        return filled
    why = _("filled from the post “%(post)s”") % {"post": post.label}
    for attr in ("owner", "leader"):
        for task in Task.objects.filter(**{f"{attr}_post": post, f"{attr}__isnull": True}):
            _claim_version(task, None)
            setattr(task, attr, person)
            save_with_history(task, by=by, reason=why)
            filled.append(task.pk)
    return filled

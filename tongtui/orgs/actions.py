"""Every write to units, people and memberships."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.history import clip_reason, save_with_history
from tongtui.orgs.models import Membership, Person, Unit, UnitAlias, UnitGroup
from tongtui.orgs.roles import roles_of


def _require_office(by: Any) -> None:
    if not roles_of(by).is_office:
        raise Forbidden(_("Only the supervision office can change the organisation."))


@transaction.atomic
def create_unit(
    *,
    by: Any,
    name: str,
    parent: Unit | None = None,
    short_name: str = "",
    kind: str = "department",
    aliases: list[str] | None = None,
    order: int = 0,
    reason: str = "",
) -> Unit:
    _require_office(by)
    unit = Unit(name=name.strip(), parent=parent, short_name=short_name.strip(), kind=kind, order=order)
    save_with_history(unit, by=by, reason=reason)
    for alias in aliases or []:
        add_alias(unit, alias, by=by, reason=reason)
    return unit


@transaction.atomic
def update_unit(unit: Unit, *, by: Any, reason: str = "", **fields: Any) -> Unit:
    _require_office(by)
    for key, value in fields.items():
        setattr(unit, key, value)
    save_with_history(unit, by=by, reason=reason)
    return unit


def _delete_with_history(obj: Any, *, by: Any, reason: str) -> None:
    obj._history_user = by
    obj._change_reason = clip_reason(reason)
    obj.delete()


@transaction.atomic
def set_unit_active(unit: Unit, active: bool, *, by: Any, reason: str = "") -> Unit:
    """Deactivate (or reactivate) a unit: it stays in history and on old tasks but is offered nowhere.

    Claimed with a conditional UPDATE, so a double click changes it once. Orgs does not know tasks: a caller
    that does (setup.actions.deactivate_unit) refuses first a unit that still leads open tasks.
    """
    _require_office(by)
    if Unit.objects.filter(pk=unit.pk, is_active=not active).update(is_active=active) == 0:
        unit.refresh_from_db()
        message = _("The unit is already active.") if active else _("The unit is already deactivated.")
        raise Conflict(message, current_version=0)
    unit.refresh_from_db()
    default = _("unit reactivated") if active else _("unit deactivated")
    save_with_history(unit, by=by, reason=reason or default)
    return unit


@transaction.atomic
def add_alias(unit: Unit, name: str, *, by: Any, reason: str = "") -> UnitAlias | None:
    """Record another way documents write the unit's name. None when the name is blank or the unit's own."""
    _require_office(by)
    name = name.strip()
    if not name or name in (unit.name, unit.short_name):
        return None
    existing = UnitAlias.objects.filter(name=name).select_related("unit").first()
    if existing is not None:
        if existing.unit_id == unit.pk:
            return existing
        raise ActionError(_("“%(alias)s” already names %(unit)s.") % {"alias": name, "unit": existing.unit})
    other = Unit.objects.filter(name=name).exclude(pk=unit.pk).first()
    if other is not None:
        raise ActionError(_("“%(alias)s” already names %(unit)s.") % {"alias": name, "unit": other})
    alias = UnitAlias(unit=unit, name=name)
    save_with_history(alias, by=by, reason=reason)
    return alias


@transaction.atomic
def remove_alias(alias: UnitAlias, *, by: Any, reason: str = "") -> None:
    _require_office(by)
    row = UnitAlias.objects.select_for_update().filter(pk=alias.pk).first()
    if row is None:
        raise ActionError(_("This alias has already been removed."))
    _delete_with_history(row, by=by, reason=reason or _("alias removed"))


@transaction.atomic
def create_group(
    *, by: Any, name: str, units: list[Unit], aliases: list[str] | None = None, reason: str = ""
) -> UnitGroup:
    _require_office(by)
    group = UnitGroup(name=name, aliases="\n".join(aliases or []))
    save_with_history(group, by=by, reason=reason)
    group.units.set(units)
    return group


@transaction.atomic
def update_group(
    group: UnitGroup, *, by: Any, name: str, aliases: list[str] | None = None, reason: str = ""
) -> UnitGroup:
    """Rename a unit group or change its other names. Members change through
    plans.actions_groups.set_group_members, so that the tasks naming the group follow."""
    _require_office(by)
    group.name = name.strip()
    group.aliases = "\n".join(dict.fromkeys(a.strip() for a in aliases or [] if a.strip()))
    save_with_history(group, by=by, reason=reason)
    return group


@transaction.atomic
def create_person(
    *,
    by: Any,
    name: str,
    unit: Unit | None = None,
    title: str = "",
    user: Any = None,
    phone: str = "",
    email: str = "",
    reason: str = "",
) -> Person:
    _require_office(by)
    person = Person(name=name.strip(), unit=unit, title=title, user=user, phone=phone, email=email)
    save_with_history(person, by=by, reason=reason)
    return person


@transaction.atomic
def update_person(person: Person, *, by: Any, reason: str = "", **fields: Any) -> Person:
    _require_office(by)
    allowed = {"name", "title", "unit", "user", "phone", "email"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(person, key, value)
    save_with_history(person, by=by, reason=reason)
    return person


@transaction.atomic
def grant_role(person: Person, unit: Unit, role: str, *, by: Any, reason: str = "") -> Membership:
    _require_office(by)
    existing = Membership.objects.filter(person=person, unit=unit, role=role).first()
    if existing:
        return existing
    membership = Membership(person=person, unit=unit, role=role)
    save_with_history(membership, by=by, reason=reason)
    return membership


@transaction.atomic
def revoke_role(membership: Membership, *, by: Any, reason: str = "") -> None:
    """Take a role in a unit away from a person. Revoking twice is refused the second time."""
    _require_office(by)
    row = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if row is None:
        raise ActionError(_("This role has already been revoked."))
    _delete_with_history(row, by=by, reason=reason or _("role revoked"))

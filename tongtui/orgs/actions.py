"""Every write to units, people and memberships."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tongtui.core.errors import Forbidden
from tongtui.core.history import save_with_history
from tongtui.orgs.models import Membership, Person, Unit, UnitAlias, UnitGroup
from tongtui.orgs.roles import roles_of


def _require_office(by: Any) -> None:
    if not roles_of(by).is_office:
        raise Forbidden(_("Only the supervision office can change the organisation."))


@transaction.atomic
def create_unit(*, by: Any, name: str, parent: Unit | None = None, short_name: str = "", kind: str = "department",
                aliases: list[str] | None = None, order: int = 0, reason: str = "") -> Unit:
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


@transaction.atomic
def add_alias(unit: Unit, name: str, *, by: Any, reason: str = "") -> UnitAlias | None:
    _require_office(by)
    name = name.strip()
    if not name or name in (unit.name, unit.short_name):
        return None
    alias = UnitAlias(unit=unit, name=name)
    save_with_history(alias, by=by, reason=reason)
    return alias


@transaction.atomic
def create_group(*, by: Any, name: str, units: list[Unit], aliases: list[str] | None = None,
                 reason: str = "") -> UnitGroup:
    _require_office(by)
    group = UnitGroup(name=name, aliases="\n".join(aliases or []))
    save_with_history(group, by=by, reason=reason)
    group.units.set(units)
    return group


@transaction.atomic
def create_person(*, by: Any, name: str, unit: Unit | None = None, title: str = "", user: Any = None,
                  phone: str = "", email: str = "", reason: str = "") -> Person:
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

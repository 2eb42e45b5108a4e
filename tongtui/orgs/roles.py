"""What a logged-in user is in the organisation: computed once per request and cached on the user."""

from dataclasses import dataclass, field
from typing import Any

from tongtui.orgs.models import Role, Unit


@dataclass(frozen=True)
class Roles:
    person_id: int | None = None
    sees_all: bool = False  # office, leaders and superusers
    is_office: bool = False
    is_leader: bool = False
    by_unit: dict[int, frozenset[str]] = field(default_factory=dict)
    # the person's name and own unit, read with the memberships (the navbar shows them); None: not read
    person_name: str | None = None
    person_unit: str = ""

    @property
    def unit_ids(self) -> set[int]:
        return set(self.by_unit)

    def has(self, unit_id: int | None, *roles: str) -> bool:
        return unit_id is not None and bool(self.by_unit.get(unit_id, frozenset()) & set(roles))

    def units_with(self, *roles: str) -> set[int]:
        return {u for u, rs in self.by_unit.items() if rs & set(roles)}


NOBODY = Roles()


def roles_of(user: Any) -> Roles:
    if user is None or not user.is_authenticated:
        return NOBODY
    cached = getattr(user, "_tongtui_roles", None)
    if cached is not None:
        return cached
    from tongtui.orgs.models import Membership

    # unordered: the model's ordering (by unit) would join the units for nothing (one person per login)
    # (the person's own name and unit come in the same row: the join to the person is there anyway)
    rows = list(
        Membership.objects.filter(person__user=user).order_by().values_list(
            "person_id", "unit_id", "role", "person__name", "person__unit__short_name", "person__unit__name")
    )  # fmt: skip
    by_unit: dict[int, set[str]] = {}
    for _person, unit_id, role, *_names in rows:
        by_unit.setdefault(unit_id, set()).add(role)
    all_roles = {row[2] for row in rows}
    is_office = Role.OFFICE in all_roles or user.is_superuser
    is_leader = Role.LEADER in all_roles
    result = Roles(
        person_id=rows[0][0] if rows else getattr(getattr(user, "person", None), "pk", None),
        sees_all=is_office or is_leader,
        is_office=is_office,
        is_leader=is_leader,
        by_unit={u: frozenset(rs) for u, rs in by_unit.items()},
        person_name=rows[0][3] if rows else None,
        person_unit=Unit.label_of(rows[0][4] or "", rows[0][5] or "") if rows else "",
    )
    user._tongtui_roles = result
    return result

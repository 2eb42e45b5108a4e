"""Who may do what to a task. Pure decisions over a user's roles and the task's units."""

from tongtui.orgs.models import Role
from tongtui.orgs.roles import Roles

UNIT_ACTORS = (Role.UNIT_HEAD, Role.LIAISON)


def may_manage(roles: Roles) -> bool:
    """Create, edit, assign, close, suspend tasks and run imports: the supervision office."""
    return roles.is_office


def acknowledgeable_units(roles: Roles, lead_unit_id: int | None, co_unit_ids: set[int]) -> set[int]:
    """The task's units on whose behalf this user may acknowledge (签收)."""
    mine = roles.units_with(*UNIT_ACTORS)
    return mine & ({lead_unit_id} | co_unit_ids if lead_unit_id else co_unit_ids)


def may_report(roles: Roles, lead_unit_id: int | None) -> bool:
    """Record the task's progress: the lead unit's liaison or head, or the office."""
    return roles.is_office or roles.has(lead_unit_id, *UNIT_ACTORS)


def may_request_completion(roles: Roles, lead_unit_id: int | None) -> bool:
    return roles.is_office or roles.has(lead_unit_id, Role.UNIT_HEAD)

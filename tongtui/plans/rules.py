"""Who may do what to a task. Pure decisions over a user's roles and the task's units."""

from tongtui.orgs.models import Role
from tongtui.orgs.roles import Roles

UNIT_ACTORS = (Role.UNIT_HEAD, Role.LIAISON)


def may_manage(roles: Roles) -> bool:
    """Create, edit, assign, close, suspend tasks and run imports: the supervision office."""
    return roles.is_office


def acknowledgeable_units(roles: Roles, lead_unit_id: int | None, co_unit_ids: set[int]) -> set[int]:
    """The task's units on whose behalf this user may acknowledge (签收).

    The office may acknowledge for any of the task's units (代签收), e.g. after a phone call.
    """
    task_units = {lead_unit_id} | co_unit_ids if lead_unit_id else set(co_unit_ids)
    if roles.is_office:
        return task_units
    return roles.units_with(*UNIT_ACTORS) & task_units


def may_report(roles: Roles, lead_unit_id: int | None) -> bool:
    """Record the task's progress: the lead unit's liaison or head, or the office."""
    return roles.is_office or roles.has(lead_unit_id, *UNIT_ACTORS)


def may_request_completion(roles: Roles, lead_unit_id: int | None) -> bool:
    return roles.is_office or roles.has(lead_unit_id, Role.UNIT_HEAD)

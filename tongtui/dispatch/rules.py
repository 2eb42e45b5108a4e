"""Who may do what to a progress report. Pure decisions over a user's roles and the report's units."""

from tongtui.dispatch.models import ReportStatus
from tongtui.orgs.models import Role
from tongtui.orgs.roles import Roles

UNIT_ACTORS = (Role.UNIT_HEAD, Role.LIAISON)


def may_file(roles: Roles, unit_id: int | None) -> bool:
    """Write and submit the report: the lead unit's liaison or head."""
    return roles.has(unit_id, *UNIT_ACTORS)


def contributing_units(roles: Roles, co_unit_ids: set[int]) -> set[int]:
    """The co-units on whose behalf this user may add a contribution."""
    return roles.units_with(*UNIT_ACTORS) & co_unit_ids


def may_sign_off(roles: Roles, unit_id: int | None) -> bool:
    return roles.has(unit_id, Role.UNIT_HEAD)


def may_review(roles: Roles) -> bool:
    """Accept or return a report: the supervision office."""
    return roles.is_office


def may_return(roles: Roles, unit_id: int | None, status: str) -> bool:
    """The office returns a submitted or signed-off report; the unit head may send back one not yet signed."""
    if status == ReportStatus.SUBMITTED:
        return roles.is_office or roles.has(unit_id, Role.UNIT_HEAD)
    return status == ReportStatus.SIGNED_OFF and roles.is_office

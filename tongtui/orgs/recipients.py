"""Who to tell: the logins behind memberships. One place for the senders of every app."""

from collections.abc import Iterable
from typing import Any

from tongtui.orgs.models import Membership, Role


def users_with(*roles: str, units: Iterable[int | None] | None = None) -> list[Any]:
    """The logins of people holding one of `roles` — in `units` (ids; None ids ignored) when given, anywhere
    otherwise — each once, in a stable order."""
    rows = Membership.objects.filter(role__in=roles, person__user__isnull=False, person__user__is_active=True)
    if units is not None:
        rows = rows.filter(unit_id__in=[u for u in units if u])
    found = {m.person.user_id: m.person.user for m in rows.select_related("person__user").order_by("pk")}
    return list(found.values())


def office_users() -> list[Any]:
    return users_with(Role.OFFICE)

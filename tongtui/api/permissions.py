"""Who may call which endpoint. Read scope lives in the access layer; this only refuses early
what the actions would refuse anyway, so that a liaison's PATCH is 403 before its body is checked."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request

from tongtui.orgs.roles import roles_of
from tongtui.plans.rules import may_manage


class OfficeWrites(IsAuthenticated):
    """Authenticated users read; the viewset's `office_actions` are for the supervision office.

    Detail actions are checked against the object (after the access layer found it), so that an
    outsider gets 404 rather than 403.
    """

    message = _("Only the supervision office can do this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        if view.detail or view.action not in getattr(view, "office_actions", ()):
            return True
        return may_manage(roles_of(request.user))

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if view.action not in getattr(view, "office_actions", ()):
            return True
        return may_manage(roles_of(request.user))

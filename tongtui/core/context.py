from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from tongtui.orgs.roles import roles_of


def site(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "site_name": settings.SITE_NAME,
        "my_roles": roles_of(user) if user is not None and user.is_authenticated else None,
        "unread_notifications": SimpleLazyObject(lambda: _unread(user)),  # counted only where shown
    }


def _unread(user: object) -> int:
    from tongtui.notify.access import unread_count  # the second exception to the floors, like orgs.roles

    return unread_count(user)

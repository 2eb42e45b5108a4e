from django.conf import settings
from django.http import HttpRequest

from tongtui.orgs.roles import roles_of


def site(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "site_name": settings.SITE_NAME,
        "my_roles": roles_of(user) if user is not None and user.is_authenticated else None,
    }

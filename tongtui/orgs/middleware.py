"""A person whose password was set by the office must choose their own before anything else.

Whether they must is read once, when they log in, and kept in the session: pages cost no query for it.
A reset by the office changes the password, which ends the person's sessions, so the next login reads
it afresh. While it is set, every page except the password page, logout, the language switch and static
files redirects to the password page.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from tongtui.orgs.models import Person

SESSION_KEY = "tongtui_must_change_password"
PASSWORD_PAGE = "password-change"


def remember_at_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Receiver of `user_logged_in` (connected in tongtui.setup.apps)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if Person.objects.filter(user=user, must_change_password=True).exists():
        session[SESSION_KEY] = True
    else:
        session.pop(SESSION_KEY, None)


def forget(request: HttpRequest) -> None:
    """The user has chosen a password of their own."""
    request.session.pop(SESSION_KEY, None)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _exempt(self, path: str) -> bool:
        open_paths = (reverse(PASSWORD_PAGE), reverse("logout"), "/i18n/", settings.STATIC_URL)
        return any(path.startswith(p) for p in open_paths if p)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.session.get(SESSION_KEY)
            and request.user.is_authenticated
            and not self._exempt(request.path)
        ):
            target = reverse(PASSWORD_PAGE)
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            if request.headers.get("HX-Request") == "true":
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return HttpResponseRedirect(target)
        return self.get_response(request)

"""A user's own password: the page every user reaches from the user menu, and the only page (with logout)
a user whose password the office set can open until they choose their own. And the user's own API token."""

import datetime

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from tongtui.core.errors import Conflict
from tongtui.orgs import actions_accounts, tokens
from tongtui.orgs.middleware import SESSION_KEY, forget
from tongtui.setup.views import REFUSED, to_form
from tongtui.supervision.forms_orders import BootstrapForm


class OwnPasswordForm(BootstrapForm, PasswordChangeForm):
    """Django's form: the current password, then the new one twice, checked by the password validators."""


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = OwnPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions_accounts.change_own_password(
                request.user, form.cleaned_data["new_password1"], by=request.user
            )
        except REFUSED as exc:
            to_form(form, exc)
        else:
            update_session_auth_hash(request, form.user)
            forget(request)
            messages.success(request, _("Your password has been changed."))
            return redirect(_next(request) or "home")
    context = {"form": form, "forced": bool(request.session.get(SESSION_KEY)), "next": _next(request)}
    return render(request, "setup/password_change.html", context, status=400 if form.errors else 200)


# A second click of 轮换 arrives after the first made the new token: within this many seconds the page shows
# the token the first click made (the browser drops the first answer) instead of a bare refusal.
SECOND_CLICK = datetime.timedelta(seconds=60)


def _token_page(
    request: HttpRequest, shown: Token | None = None, note: str = "", status: int = 200
) -> HttpResponse:
    token = tokens.of(request.user)
    context = {
        "token": token,
        "expires": tokens.expires(token) if token else None,
        "expired": bool(token and tokens.expired(token)),
        "seen": tokens.fingerprint(token),
        "shown": shown,
        "note": note,
        "days": tokens.lifetime().days,
    }
    response = render(request, "setup/api_token.html", context, status=status)
    add_never_cache_headers(response)
    return response


@login_required
def api_token(request: HttpRequest) -> HttpResponse:
    """API 令牌: when the user's token was made and until when it works; rotating shows the new key once."""
    if request.method != "POST":
        return _token_page(request)
    try:
        token = tokens.rotate(request.user, by=request.user, seen=request.POST.get("seen", ""))
    except Conflict as exc:
        current = tokens.of(request.user)
        if current is not None and timezone.now() - current.created < SECOND_CLICK:
            return _token_page(request, shown=current, note=str(exc))
        messages.error(request, str(exc))
        return redirect("api-token-page")
    return _token_page(request, shown=token)

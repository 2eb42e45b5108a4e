"""Login throttling as people meet it: the answer to a locked account (the login page again with why and
until when, or JSON under /api/), and the locked logins the office sees and can free. The counting itself is
django-axes' (settings: AXES_*)."""

import datetime
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.errors import Conflict, Forbidden
from tongtui.core.history import save_with_history
from tongtui.orgs.models import Person
from tongtui.orgs.roles import roles_of

STATUS = 429


def message(until: datetime.datetime | None) -> str:
    limit = settings.AXES_FAILURE_LIMIT
    if until is None:
        return _("This account is locked after %(n)s wrong passwords. Ask the supervision office to unlock it.") % {
            "n": limit}  # fmt: skip
    local = timezone.localtime(until)
    return _("This account is locked after %(n)s wrong passwords, until %(time)s; the right password is refused "
             "until then too. The supervision office can unlock it sooner.") % {
        "n": limit, "time": local.strftime("%H:%M")}  # fmt: skip


def _until(username: str) -> datetime.datetime | None:
    last = AccessAttempt.objects.filter(username=username).order_by("-attempt_time").first()
    return None if last is None else last.attempt_time + settings.AXES_COOLOFF_TIME


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    text = message(_until(username))
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": text}, status=STATUS)
    from django.contrib.auth.forms import AuthenticationForm

    form = AuthenticationForm(request)
    context = {"form": form, "locked_out": text, "locked_username": username, "next": request.POST.get("next", "")}
    return render(request, "core/login.html", context, status=STATUS)


@dataclass(frozen=True)
class Locked:
    username: str
    failures: int
    until: datetime.datetime
    person: Person | None


def locked_logins(now: datetime.datetime | None = None) -> list[Locked]:
    """The accounts locked now, the latest first: failures at the limit within the cool-off."""
    now = now or timezone.now()
    since = now - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(attempt_time__gt=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    found = {r["username"]: r["failures"] for r in rows}
    last = {u: _until(u) for u in found}
    holders = Person.objects.filter(user__username__in=list(found)).select_related("user")
    people = {p.user.username: p for p in holders if p.user is not None}
    out = [Locked(u, n, last[u] or now, people.get(u)) for u, n in found.items()]
    return sorted(out, key=lambda x: x.until, reverse=True)


@transaction.atomic
def unlock(username: str, *, by: Any) -> int:
    """The office lifts a lock before its time; recorded in the person's history."""
    if not roles_of(by).is_office:
        raise Forbidden(_("Only the supervision office can do this."))
    freed = reset(username=username)
    if not freed:
        raise Conflict(_("%(name)s is not locked (any more).") % {"name": username}, current_version=0)
    person = Person.objects.filter(user__username=username).first()
    if person is not None:
        save_with_history(person, by=by, reason=_("login unlocked"))
    return int(freed)

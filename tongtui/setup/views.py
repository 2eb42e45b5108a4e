"""The set-up home page and what every set-up page shares: office only (everyone else gets 404, as on the
office's other pages), and one way to turn a refused action into messages or form errors."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tongtui.core.errors import Conflict, Forbidden
from tongtui.core.models import WorkdayOverride
from tongtui.core.workdays import calendar_warnings
from tongtui.orgs.models import Person, Post, Unit, UnitGroup
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Plan
from tongtui.plans.views import current_plan

REFUSED = (ValidationError, Forbidden, Conflict)


def office_only(request: HttpRequest) -> None:
    if not roles_of(request.user).is_office:
        raise Http404("Settings are for the supervision office")


def error_text(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def to_form(form: forms.Form, exc: Exception) -> None:
    """Put a refused action's reasons on the form: on the field they name, else above the form."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error_text(exc))


def attempt(request: HttpRequest, do: Callable[[], Any], done: str) -> tuple[bool, int]:
    """Run an action; a message either way. Returns whether it was done and the status to answer with."""
    try:
        do()
    except Forbidden as exc:
        messages.error(request, error_text(exc))
        return False, 403
    except Conflict as exc:
        messages.error(request, error_text(exc))
        return False, 409
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False, 400
    messages.success(request, done)
    return True, 200


@login_required
def home(request: HttpRequest) -> HttpResponse:
    office_only(request)
    today = timezone.localdate()
    units = Unit.objects.aggregate(
        active=Count("pk", filter=Q(is_active=True)), inactive=Count("pk", filter=Q(is_active=False))
    )
    groups = UnitGroup.objects.annotate(n=Count("units")).aggregate(
        all=Count("pk"), empty=Count("pk", filter=Q(n=0))
    )
    posts = Post.objects.aggregate(all=Count("pk"), unfilled=Count("pk", filter=Q(holder__isnull=True)))
    people = Person.objects.aggregate(
        all=Count("pk"), must_change=Count("pk", filter=Q(must_change_password=True))
    )
    logins = (
        get_user_model()
        .objects.filter(person__isnull=False)
        .aggregate(all=Count("pk"), inactive=Count("pk", filter=Q(is_active=False)))
    )
    plans = Plan.objects.aggregate(all=Count("pk"), open=Count("pk", filter=~Q(status=Plan.Status.CLOSED)))
    overrides = WorkdayOverride.objects.filter(date__year__in=[today.year, today.year + 1]).count()
    context = {
        "nav": "setup",
        "plan": current_plan(request),
        "units": units,
        "groups": groups,
        "posts": posts,
        "people": people,
        "logins": logins,
        "plans": plans,
        "overrides": overrides,
        "years": [today.year, today.year + 1],
        "calendar_warnings": calendar_warnings(today),
    }
    return render(request, "setup/home.html", context)

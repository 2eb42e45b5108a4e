"""Home pages, the leaders' cockpit and its weekly summary: parse, load, render."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tongtui.core.workdays import calendar
from tongtui.home import badges as menu_badges
from tongtui.home import weekly_doc
from tongtui.home.cockpit import build
from tongtui.home.homes import home_for
from tongtui.orgs.models import Person
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Plan
from tongtui.plans.views import current_plan


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _plan(request: HttpRequest) -> Plan | None:
    chosen = _int(request.GET.get("plan"))
    if chosen is not None:
        plan = Plan.objects.filter(pk=chosen).first()
        if plan is None:
            raise Http404("No such plan")
        return plan
    return current_plan(request)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    plan = current_plan(request)
    data = home_for(request.user, plan, today, calendar())
    return render(
        request,
        "home/home.html",
        {"nav": "home", "home": data, "plan": plan, "today": today, "roles": roles_of(request.user)},
    )


def _cockpit_context(request: HttpRequest) -> dict[str, Any]:
    roles = roles_of(request.user)
    if not roles.sees_all:
        raise Http404("The cockpit is for leaders and the office")
    plan = _plan(request)
    if plan is None:
        raise Http404("No plan")
    leader_id = _int(request.GET.get("leader"))
    leader = Person.objects.filter(pk=leader_id).first() if leader_id else None
    if leader_id and leader is None:
        raise Http404("No such leader")
    today = timezone.localdate()
    data = build(request.user, plan, today, calendar(), leader_id=leader_id)
    return {
        "nav": "cockpit", "c": data, "plan": plan, "leader": leader, "today": today,
        "plans": Plan.objects.order_by("-year"), "me": roles.person_id if roles.is_leader else None,
    }  # fmt: skip


@login_required
def cockpit(request: HttpRequest) -> HttpResponse:
    return render(request, "home/cockpit.html", _cockpit_context(request))


@login_required
def weekly(request: HttpRequest) -> HttpResponse:
    return render(request, "home/weekly.html", _cockpit_context(request))


@login_required
def weekly_docx(request: HttpRequest) -> HttpResponse:
    context = _cockpit_context(request)
    body = weekly_doc.render(context["c"], context["leader"])
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    name = weekly_doc.filename(context["c"])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@login_required
def badges(request: HttpRequest) -> HttpResponse:
    counts = menu_badges.badges_for(request.user, timezone.localdate())
    return render(request, "home/_badges.html", {"counts": counts})

"""考核 pages: rankings, a unit's score down to each entry, the scheme (view, edit with a preview of the change
per unit), the office's manual entries, and publishing a ranking."""

import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.assessment import access, actions, tables
from tongtui.assessment.avoidable import avoidable
from tongtui.assessment.forms import ManualEntryForm, PublishForm, SchemeForm, WithdrawForm
from tongtui.assessment.ledger_db import preview, scheme_of
from tongtui.assessment.lists import describe
from tongtui.assessment.models import ManualEntry, RankingPublication, Scheme
from tongtui.assessment.ranking import Period, parse_period, periods_of_year
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.orgs.models import Unit
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Plan


def _period(request: HttpRequest, plan: Plan) -> Period:
    text = request.GET.get("period") or str(plan.year)
    try:
        period = parse_period(text)
    except ValueError:
        raise Http404 from None
    if period.start.year != plan.year:
        raise Http404
    return period


def _base(request: HttpRequest, plan: Plan, period: Period, tab: str) -> dict[str, Any]:
    pubs = dict(RankingPublication.objects.filter(plan=plan).values_list("period", "with_lists"))
    published = set(pubs)
    return {
        "lists_published": pubs.get(period.key, False),
        "sees_lists": access.sees_all(request.user) or pubs.get(period.key, False),
        "plan": plan, "period": period, "periods": periods_of_year(plan.year), "tab": tab, "nav": "assessment",
        "is_office": roles_of(request.user).is_office, "sees_all": access.sees_all(request.user),
        "head_units": sorted(access.head_units(request.user)), "published": published,
        "is_published": period.key in published,
    }  # fmt: skip


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not access.may_use(request.user):
        raise Http404
    plan = (
        Plan.objects.filter(status=Plan.Status.ACTIVE).order_by("-year").first()
        or Plan.objects.order_by("-year").first()
    )
    if plan is None:
        raise Http404
    if access.sees_all(request.user):
        return redirect("assessment:ranking", year=plan.year)
    unit_id = min(access.head_units(request.user))
    return redirect("assessment:unit", year=plan.year, unit_id=unit_id)


@login_required
def ranking(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for(request.user, year)
    period = _period(request, plan)
    access.require_ranking(request.user, plan, period.key)
    scheme = scheme_of(plan)
    groups, units = tables.rankings(plan, period, scheme=scheme)
    ctx = _base(request, plan, period, "ranking")
    places: dict[int, str] = {}
    if ctx["sees_lists"]:
        for rb in tables.lists_of(groups, scheme, period):
            places.update({p.unit_id: "red" for p in rb.red})
            places.update({p.unit_id: "black" for p in rb.black})
    ctx.update(groups=groups, units=units, margin=scheme.level_margin, places=places, publish_form=PublishForm(
        initial={"period": period.key}))  # fmt: skip
    return render(request, "assessment/ranking.html", ctx)


@login_required
def lists(request: HttpRequest, year: int) -> HttpResponse:
    """红黑榜: each group's red and black lists for the period, with how they were drawn."""
    plan = access.plan_for(request.user, year)
    period = _period(request, plan)
    access.require_lists(request.user, plan, period.key)
    scheme = scheme_of(plan)
    groups, units = tables.rankings(plan, period, scheme=scheme)
    ctx = _base(request, plan, period, "lists")
    ctx.update(units=units, lists=[(rb, describe(rb)) for rb in tables.lists_of(groups, scheme, period)])
    return render(request, "assessment/lists.html", ctx)


@login_required
@require_POST
def publish_lists(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for(request.user, year)
    access.require_office(request.user)
    period = _period(request, plan)
    pub = get_object_or_404(RankingPublication, plan=plan, period=period.key)
    try:
        actions.publish_lists(pub, by=request.user)
    except (ActionError, Conflict) as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("The red and black lists are published: unit heads now see them."))
    return redirect(f"{reverse('assessment:lists', kwargs={'year': plan.year})}?period={period.key}")


@login_required
def unit(request: HttpRequest, year: int, unit_id: int) -> HttpResponse:
    plan = access.plan_for(request.user, year)
    period = _period(request, plan)
    access.require_unit(request.user, plan, unit_id, period.key)
    the_unit = get_object_or_404(Unit, pk=unit_id)
    entries = tables.entries_of(plan, unit_id, period)
    own = access.sees_all(request.user) or unit_id in access.head_units(request.user)
    ctx = _base(request, plan, period, "unit")
    ctx.update(
        unit=the_unit, entries=entries, breakdown=tables.by_kind(entries),
        score=sum((e.points for e in entries), Decimal(0)),
        avoidable=avoidable(plan, unit_id, scheme_of(plan), tables.today()) if own else None,
    )  # fmt: skip
    return render(request, "assessment/unit.html", ctx)


@login_required
def scheme(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for(request.user, year)
    ctx = _base(request, plan, parse_period(str(plan.year)), "scheme")
    stored = Scheme.objects.filter(plan=plan).prefetch_related("rules", "groups").first()
    data = stored.data() if stored is not None else scheme_of(plan)
    form = SchemeForm(initial=SchemeForm.initial_from(stored, data))
    if request.method == "POST":
        access.require_office(request.user)
        form = SchemeForm(request.POST)
        if form.is_valid():
            settings, rules = form.settings_and_rules()
            if "apply" in request.POST:
                try:
                    current = stored or actions.ensure_scheme(plan, by=request.user)
                    seen = form.cleaned_data["version"] or current.version
                    actions.update_scheme(current, by=request.user, version=seen, settings=settings, rules=rules,
                                          groups=list(form.cleaned_data["groups"]))  # fmt: skip
                except (ActionError, Conflict, ValidationError) as e:
                    messages.error(request, "; ".join(getattr(e, "messages", [str(e)])))
                else:
                    messages.success(request, _("The scheme is changed; the scores are being recomputed."))
                    return redirect("assessment:scheme", year=plan.year)
            else:
                from dataclasses import replace

                new = actions.proposed(data, settings, rules)
                new = replace(new, groups=tuple((g.pk, g.name) for g in form.cleaned_data["groups"]))
                diffs = preview(plan, new)
                ctx.update(form=form, diffs=diffs, units=Unit.objects.in_bulk([d.unit_id for d in diffs]))
                return render(request, "assessment/scheme_preview.html", ctx)
    ctx.update(form=form, stored=stored, data=data)
    return render(request, "assessment/scheme.html", ctx)


@login_required
def entries(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for(request.user, year)
    access.require_office(request.user)
    form = ManualEntryForm(plan=plan, initial={"on": datetime.date.today()})
    if request.method == "POST":
        form = ManualEntryForm(request.POST, plan=plan)
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.add_manual_entry(plan, by=request.user, unit=d["unit"], kind=d["kind"], reason=d["reason"],
                                         on=d["on"], points=d["points"], task=d["task"])  # fmt: skip
            except (ActionError, Forbidden, ValidationError) as e:
                messages.error(request, "; ".join(getattr(e, "messages", [str(e)])))
            else:
                messages.success(request, _("Entry recorded."))
                return redirect("assessment:entries", year=plan.year)
    ctx = _base(request, plan, parse_period(str(plan.year)), "entries")
    rows = ManualEntry.objects.filter(plan=plan).select_related("unit", "task", "created_by")
    ctx.update(form=form, rows=rows[:200], withdraw_form=WithdrawForm())
    return render(request, "assessment/entries.html", ctx)


@login_required
@require_POST
def withdraw(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    plan = access.plan_for(request.user, year)
    access.require_office(request.user)
    entry = get_object_or_404(ManualEntry, plan=plan, pk=pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
    else:
        try:
            actions.withdraw_manual_entry(entry, by=request.user, reason=form.cleaned_data["reason"])
        except (ActionError, Conflict) as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("Entry withdrawn."))
    return redirect("assessment:entries", year=plan.year)


@login_required
@require_POST
def publish(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for(request.user, year)
    access.require_office(request.user)
    form = PublishForm(request.POST)
    if not form.is_valid():
        raise Http404
    period = form.cleaned_data["period"]
    try:
        actions.publish_ranking(plan, period, by=request.user, note=form.cleaned_data["note"],
                                with_lists=form.cleaned_data["with_lists"])  # fmt: skip
    except (ActionError, Conflict) as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("The ranking is published: unit heads now see it."))
    return redirect(f"{request.path.rsplit('/publish/', 1)[0]}/?period={period}")

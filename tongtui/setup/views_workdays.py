"""Working-day overrides by year (a day worked or off over the official calendar), with a clear notice
when the chinesecalendar package does not know the year yet."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.core import actions as core_actions
from tongtui.core.models import WorkdayOverride
from tongtui.core.workdays import calendar_warnings, official_is_workday, official_year_known
from tongtui.plans.models import Plan
from tongtui.setup.forms import WorkdayForm, year_choices
from tongtui.setup.views import REFUSED, attempt, office_only, to_form


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return timezone.localdate().year


def _page(request: HttpRequest, year: int, form: WorkdayForm, status: int = 200) -> HttpResponse:
    rows = [
        {"override": o, "official": official_is_workday(o.date)}
        for o in WorkdayOverride.objects.filter(date__year=year).order_by("date")
    ]
    years = {d.year for d in WorkdayOverride.objects.dates("date", "year")}
    years |= set(Plan.objects.values_list("year", flat=True))
    context = {
        "nav": "setup",
        "year": year,
        "years": year_choices(years | {year}),
        "rows": rows,
        "form": form,
        "known": official_year_known(year),
        "calendar_warnings": calendar_warnings(timezone.localdate()),
    }
    return render(request, "setup/workdays.html", context, status=status)


@login_required
def workday_list(request: HttpRequest) -> HttpResponse:
    office_only(request)
    year = _year(request)
    return _page(request, year, WorkdayForm(initial={"date": datetime.date(year, 1, 1)}))


@login_required
@require_POST
def workday_add(request: HttpRequest) -> HttpResponse:
    office_only(request)
    form = WorkdayForm(request.POST)
    if form.is_valid():
        days = form.days()
        data = form.cleaned_data
        try:
            core_actions.set_workday_overrides(
                by=request.user, days=days, is_workday=data["is_workday"], note=data["note"]
            )
        except REFUSED as exc:
            to_form(form, exc)
        else:
            kind = _("working day") if data["is_workday"] else _("day off")
            messages.success(
                request, _("%(count)s days entered as %(kind)s.") % {"count": len(days), "kind": kind}
            )
            return redirect(f"{reverse('setup:workdays')}?year={days[0].year}")
    year = form.cleaned_data["date"].year if form.cleaned_data.get("date") else _year(request)
    return _page(request, year, form, 400)


@login_required
@require_POST
def workday_remove(request: HttpRequest, pk: int) -> HttpResponse:
    office_only(request)
    override = get_object_or_404(WorkdayOverride, pk=pk)
    attempt(request, lambda: core_actions.remove_workday_override(override, by=request.user),
            _("%(date)s follows the official calendar again.") % {"date": f"{override.date:%Y-%m-%d}"})  # fmt: skip
    return redirect(f"{reverse('setup:workdays')}?year={override.date.year}")

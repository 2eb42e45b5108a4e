"""A plan year's report cycles (the plan's and each category's, with their next due dates so the office sees
the rule is right), its reminder policy and its light thresholds."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.core.workdays import WorkCalendar, calendar
from tongtui.dispatch import actions_cycles, schedule
from tongtui.dispatch.models import ReminderPolicy, ReportCycle
from tongtui.plans.models import Category, Plan
from tongtui.setup.forms import CycleForm, LightPolicyForm, ReminderPolicyForm
from tongtui.setup.views import REFUSED, attempt, to_form
from tongtui.setup.views_years import plan_for_office
from tongtui.supervision import actions_policy
from tongtui.supervision.models import LightPolicy

SHOWN_DUE_DATES = 4


def due_dates(
    year: int, cycle: ReportCycle, cal: WorkCalendar, today: datetime.date
) -> list[schedule.Period]:
    """The next few periods with their due dates from today; the year's last few when it is over."""
    periods = schedule.schedule(year, cycle.frequency, cycle.rule(), cal, cycle.starts_on)
    coming = [p for p in periods if p.due >= today]
    return coming[:SHOWN_DUE_DATES] if coming else periods[-SHOWN_DUE_DATES:]


def rule_text(cycle: ReportCycle) -> str:
    """The due rule in words: “Monthly · day 25 of the month; Move to the previous working day”."""
    if cycle.due_kind == schedule.BEFORE_END:
        if cycle.workdays_before_end:
            due = _("%(n)s working days before the last working day of the period") % {
                "n": cycle.workdays_before_end
            }
        else:
            due = _("the last working day of the period")
        return f"{cycle.get_frequency_display()} · {due}"
    if cycle.due_kind == schedule.WEEKDAY:
        due = str(cycle.get_weekday_display())
    elif cycle.frequency == schedule.QUARTERLY:
        due = _("day %(day)s of the quarter's last month") % {"day": cycle.day_of_month}
    else:
        due = _("day %(day)s of the month") % {"day": cycle.day_of_month}
    due = _("%(due)s; %(shift)s") % {"due": due, "shift": cycle.get_shift_display()}
    return f"{cycle.get_frequency_display()} · {due}"


def _row(label: str, cycle: ReportCycle | None, plan: Plan, cal: WorkCalendar, today: datetime.date,
         category: Category | None = None) -> dict:  # fmt: skip
    row: dict = {"label": label, "cycle": cycle, "category": category}
    if cycle is not None:
        row["rule"] = rule_text(cycle)
        row["due_dates"] = due_dates(plan.year, cycle, cal, today)
    return row


@login_required
def cycle_list(request: HttpRequest, year: int) -> HttpResponse:
    plan = plan_for_office(request, year)
    today = timezone.localdate()
    cal = calendar()
    rows = ReportCycle.objects.filter(plan=plan, task__isnull=True)
    by_category = {c.category_id: c for c in rows}
    plan_cycle = by_category.pop(None, None)
    categories = list(plan.categories.order_by("order", "name"))
    context = {
        "nav": "setup",
        "plan": plan,
        "plan_row": _row(_("The plan's default"), plan_cycle, plan, cal, today),
        "category_rows": [_row(c.name, by_category.get(c.pk), plan, cal, today, c) for c in categories],
        "task_cycles": ReportCycle.objects.filter(plan=plan, task__isnull=False).count(),
        "year_over": plan.year < today.year,
    }
    return render(request, "setup/cycle_list.html", context)


def _scope(request: HttpRequest, year: int, category_pk: int | None) -> tuple[Plan, Category | None]:
    plan = plan_for_office(request, year)
    category = get_object_or_404(Category, pk=category_pk, plan=plan) if category_pk is not None else None
    return plan, category


@login_required
def cycle_edit(request: HttpRequest, year: int, category_pk: int | None = None) -> HttpResponse:
    plan, category = _scope(request, year, category_pk)
    cycle = ReportCycle.objects.filter(plan=plan, category=category, task__isnull=True).first()
    form = CycleForm(request.POST or None, instance=cycle or ReportCycle(plan=plan, category=category))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            actions_cycles.set_report_cycle(by=request.user, plan=plan, category=category, **data)
        except REFUSED as exc:
            to_form(form, exc)
        else:
            messages.success(request, _("Report cycle saved."))
            return redirect("setup:cycle-list", plan.year)
    preview = []
    if form.is_bound and form.is_valid() or not form.is_bound and cycle is not None:
        preview = due_dates(plan.year, form.instance, calendar(), timezone.localdate())
    context = {
        "nav": "setup",
        "plan": plan,
        "category": category,
        "cycle": cycle,
        "form": form,
        "preview": preview,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "setup/cycle_form.html", context, status=status)


@login_required
def cycle_preview(request: HttpRequest, year: int) -> HttpResponse:
    """The next due dates of the rule being typed (htmx, on every change of the form)."""
    plan = plan_for_office(request, year)
    form = CycleForm(request.GET, instance=ReportCycle(plan=plan))
    preview = due_dates(plan.year, form.instance, calendar(), timezone.localdate()) if form.is_valid() else []
    return render(request, "setup/_due_dates.html", {"preview": preview, "form": form, "partial": True})


@login_required
@require_POST
def cycle_delete(request: HttpRequest, year: int, category_pk: int) -> HttpResponse:
    plan, category = _scope(request, year, category_pk)
    cycle = ReportCycle.objects.filter(plan=plan, category=category, task__isnull=True).first()
    if cycle is not None:
        attempt(request, lambda: actions_cycles.delete_report_cycle(cycle, by=request.user),
                _("“%(name)s” now follows the plan's cycle.") % {"name": category})  # fmt: skip
    return redirect("setup:cycle-list", plan.year)


@login_required
def reminder_policy(request: HttpRequest, year: int) -> HttpResponse:
    plan = plan_for_office(request, year)
    policy = ReminderPolicy.objects.filter(plan=plan).first()
    form = ReminderPolicyForm(request.POST or None, instance=policy or ReminderPolicy(plan=plan))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            actions_cycles.set_reminder_policy(plan, by=request.user, **data)
        except REFUSED as exc:
            to_form(form, exc)
        else:
            messages.success(request, _("Reminder policy of %(year)s saved.") % {"year": plan.year})
            return redirect("setup:reminders", plan.year)
    context = {"nav": "setup", "plan": plan, "policy": policy, "form": form}
    return render(request, "setup/reminder_form.html", context, status=400 if form.errors else 200)


@login_required
def light_policy(request: HttpRequest, year: int) -> HttpResponse:
    plan = plan_for_office(request, year)
    policy = LightPolicy.objects.filter(plan=plan).first()
    form = LightPolicyForm(request.POST or None, instance=policy or LightPolicy(plan=plan))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            actions_policy.set_light_policy(plan, by=request.user, **data)
        except REFUSED as exc:
            to_form(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Light thresholds of %(year)s saved. The lights follow them once the worker has recomputed them."
                )
                % {"year": plan.year},
            )
            return redirect("setup:lights", plan.year)
    context = {"nav": "setup", "plan": plan, "policy": policy, "form": form}
    return render(request, "setup/light_form.html", context, status=400 if form.errors else 200)

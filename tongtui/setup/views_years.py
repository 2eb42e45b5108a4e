"""Plan years: the list, opening a year from an earlier one, a year's title/status/acknowledgement deadline,
its categories, and closing it with a confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.assessment.models import YearFreeze
from tongtui.plans.actions import OPEN_STATES
from tongtui.plans.models import Category, Plan, Task
from tongtui.setup import actions
from tongtui.setup.forms import CategoryForm, OpenYearForm, PlanForm
from tongtui.setup.views import REFUSED, attempt, office_only, to_form


def plan_for_office(request: HttpRequest, year: int) -> Plan:
    office_only(request)
    return get_object_or_404(Plan, year=year)


def _count(model: type[Category] | type[Task], **extra: object) -> Coalesce:
    rows = (
        model.objects.filter(plan=OuterRef("pk"), **extra).order_by().values("plan").annotate(n=Count("pk"))
    )
    return Coalesce(Subquery(rows.values("n"), output_field=IntegerField()), 0)


@login_required
def year_list(request: HttpRequest) -> HttpResponse:
    office_only(request)
    plans = Plan.objects.annotate(
        n_categories=_count(Category), n_tasks=_count(Task), n_open=_count(Task, status__in=OPEN_STATES)
    ).order_by("-year")
    return render(request, "setup/year_list.html", {"nav": "setup", "plans": plans})


@login_required
def year_open(request: HttpRequest) -> HttpResponse:
    office_only(request)
    newest = Plan.objects.order_by("-year").first()
    initial = {"year": newest.year + 1, "source": newest.pk} if newest else {}
    form = OpenYearForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = actions.open_year(by=request.user, year=data["year"], source=data["source"],
                                     title=data["title"], status=data["status"])  # fmt: skip
        except REFUSED as exc:
            to_form(form, exc)
        else:
            messages.success(request, _("Plan year %(year)s opened.") % {"year": plan.year})
            return redirect("setup:year-detail", plan.year)
    status = 400 if request.method == "POST" else 200
    return render(request, "setup/year_open.html", {"nav": "setup", "form": form}, status=status)


def _categories(plan: Plan) -> list[Category]:
    return list(plan.categories.annotate(n_tasks=Count("tasks")).order_by("order", "name"))


@login_required
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    plan = plan_for_office(request, year)
    form = PlanForm(request.POST or None, plan=plan)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.update_plan(plan, by=request.user, **form.cleaned_data)
            except REFUSED as exc:
                to_form(form, exc)
            else:
                messages.success(request, _("Plan year %(year)s saved.") % {"year": plan.year})
                return redirect("setup:year-detail", plan.year)
        status = 400
    open_tasks = Task.objects.filter(plan=plan, status__in=OPEN_STATES).count()
    context = {
        "nav": "setup",
        "plan": plan,
        "form": form,
        "categories": _categories(plan),
        "category_form": CategoryForm(),
        "open_tasks": open_tasks,
    }
    return render(request, "setup/year_detail.html", context, status=status)


@login_required
def year_close(request: HttpRequest, year: int) -> HttpResponse:
    plan = plan_for_office(request, year)
    status = 200
    if request.method == "POST":
        done, status = attempt(
            request,
            lambda: actions.close_plan(plan, by=request.user, reason=request.POST.get("reason", "")),
            _("Plan year %(year)s closed.") % {"year": plan.year},
        )
        if done:
            return redirect("setup:year-list")
        plan.refresh_from_db()
    counts = dict(
        Task.objects.filter(plan=plan)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    open_tasks = sum(n for s, n in counts.items() if s in OPEN_STATES)
    context = {"nav": "setup", "plan": plan, "open_tasks": open_tasks, "all_tasks": sum(counts.values()),
               "frozen": YearFreeze.objects.filter(plan=plan).exists()}  # fmt: skip
    return render(request, "setup/year_close.html", context, status=status)


@login_required
@require_POST
def category_add(request: HttpRequest, year: int) -> HttpResponse:
    plan = plan_for_office(request, year)
    form = CategoryForm(request.POST)
    if form.is_valid():
        name = form.cleaned_data["name"]
        done, status = attempt(
            request,
            lambda: actions.add_category(plan, name, by=request.user),
            _("Category “%(name)s” added.") % {"name": name},
        )
        if done:
            return redirect("setup:year-detail", plan.year)
    else:
        status = 400
        messages.error(request, _("Give the category a name."))
    context = {"nav": "setup", "plan": plan, "form": PlanForm(plan=plan), "categories": _categories(plan),
               "category_form": form, "open_tasks": Task.objects.filter(plan=plan, status__in=OPEN_STATES).count()}  # fmt: skip
    return render(request, "setup/year_detail.html", context, status=status)


def _category(request: HttpRequest, pk: int) -> Category:
    office_only(request)
    return get_object_or_404(Category.objects.select_related("plan"), pk=pk)


@login_required
@require_POST
def category_change(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """rename, up, down or delete: one small form each on the year's page."""
    category = _category(request, pk)
    by = request.user
    if step == "rename":
        form = CategoryForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the category a name."))
            return redirect("setup:year-detail", category.plan.year)
        name = form.cleaned_data["name"]
        attempt(request, lambda: actions.rename_category(category, name, by=by),
                _("Category renamed to “%(name)s”.") % {"name": name})  # fmt: skip
    elif step in ("up", "down"):
        step_by = -1 if step == "up" else 1
        attempt(request, lambda: actions.move_category(category, step_by, by=by), _("Categories reordered."))
    elif step == "delete":
        attempt(request, lambda: actions.delete_category(category, by=by),
                _("Category “%(name)s” deleted.") % {"name": category.name})  # fmt: skip
    else:
        raise Http404("No such step")
    return redirect("setup:year-detail", category.plan.year)

"""Spot-check pages (抽查): the draws, a new draw, and the verification of each drawn task."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.core.errors import Conflict, Forbidden
from tongtui.core.paging import Paginator
from tongtui.orgs.models import Unit
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Category
from tongtui.supervision import access_orders as access
from tongtui.supervision import actions_spotchecks as actions
from tongtui.supervision import forms_orders as forms
from tongtui.supervision.models import CheckResult, SpotCheckItem
from tongtui.supervision.views_orders import attempt, error_text, office_only, plan_or_404


@login_required
def spotcheck_list(request: HttpRequest) -> HttpResponse:
    if not roles_of(request.user).sees_all:
        raise Http404("Spot checks are for the office and leaders")
    qs = access.spot_checks_visible_to(request.user).annotate(
        items_count=Count("items"),
        pending=Count("items", filter=Q(items__result=CheckResult.PENDING)),
        not_confirmed=Count("items", filter=Q(items__result=CheckResult.NOT_CONFIRMED)),
    )
    page = Paginator(qs.order_by("-drawn_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "supervision/spotcheck_list.html",
                  {"page": page, "is_office": roles_of(request.user).is_office, "nav": "supervision"})  # fmt: skip


@login_required
def spotcheck_draw(request: HttpRequest) -> HttpResponse:
    office_only(request)
    plan = plan_or_404(request)
    form = forms.DrawForm(plan, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            check = actions.draw_spot_check(
                by=request.user, plan=plan, title=d["title"], size=d["size"], seed=d["seed"] or "",
                completed=d["completed"], advanced_since=d["advanced_since"],
                category=d["category"].pk if d["category"] else None, unit=d["unit"].pk if d["unit"] else None,
            )  # fmt: skip
        except (ValidationError, Forbidden) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                _("%(n)s tasks drawn with seed %(seed)s.") % {"n": check.items.count(), "seed": check.seed},
            )
            return redirect("supervision:spotcheck-detail", check.pk)
    return render(
        request, "supervision/spotcheck_form.html", {"form": form, "plan": plan, "nav": "supervision"}
    )


@login_required
def spotcheck_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


def _detail(request: HttpRequest, pk: int, *, status: int = 200) -> HttpResponse:
    check = access.get_or_404(access.spot_checks_visible_to(request.user), pk)
    items = list(
        SpotCheckItem.objects.filter(spot_check=check)
        .select_related("task__lead_unit", "order")
        .prefetch_related("files")
        .order_by("rank")
    )
    return render(
        request,
        "supervision/spotcheck_detail.html",
        {"check": check, "items": items, "office": roles_of(request.user).is_office,
         "population": population_text(check.population_filter), "record_form": forms.RecordCheckForm(),
         "nav": "supervision"},
        status=status,
    )  # fmt: skip


def population_text(filters: dict[str, Any]) -> list[str]:
    """What a draw was drawn from, in words: {'completed': True, 'unit': 3} -> completed tasks, lead unit X."""
    parts = []
    if filters.get("completed", True):
        parts.append(_("completed tasks"))
    since = filters.get("advanced_since")
    if since:
        parts.append(_("tasks advanced since %(date)s") % {"date": since})
    if filters.get("category"):
        name = Category.objects.filter(pk=filters["category"]).values_list("name", flat=True).first()
        parts.append(_("category: %(name)s") % {"name": name or "—"})
    if filters.get("unit"):
        unit = Unit.objects.filter(pk=filters["unit"]).first()
        parts.append(_("lead unit: %(name)s") % {"name": unit.label if unit else "—"})
    return parts


def _item(request: HttpRequest, pk: int, item_pk: int) -> SpotCheckItem:
    check = access.get_or_404(access.spot_checks_visible_to(request.user), pk)
    return access.get_or_404(
        SpotCheckItem.objects.filter(spot_check=check).select_related("task__plan"), item_pk
    )


@login_required
@require_POST
def spotcheck_record(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk)
    office_only(request)
    form = forms.RecordCheckForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        refused = attempt(
            request,
            lambda: actions.record_check(item, by=request.user, result=d["result"], notes=d["notes"],
                                         checked_on=d["checked_on"], files=d["evidence"]),
            _("Verification recorded."),
        )  # fmt: skip
        if refused == 409:
            return _detail(request, pk, status=refused)
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("supervision:spotcheck-detail", pk)


@login_required
@require_POST
def spotcheck_open_order(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk)
    office_only(request)
    try:
        order = actions.open_order_from_item(item, by=request.user)
    except Conflict as exc:  # opened by someone else (or this click's twin) a moment ago
        messages.error(request, str(exc))
        return _detail(request, pk, status=409)
    except (ValidationError, Forbidden) as exc:
        messages.error(request, error_text(exc))
        return redirect("supervision:spotcheck-detail", pk)
    messages.success(request, _("Rectification order opened."))
    return redirect("supervision:order-detail", order.pk)

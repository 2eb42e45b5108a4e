"""Pages of rectification orders, admonitions and accountability: lists, one record with its next steps,
and the office's forms. Reads go through access_orders (outsiders get 404), writes through the actions."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.core.errors import Conflict, Forbidden
from tongtui.core.paging import Paginator
from tongtui.dispatch.evidence import CONTENT_TYPES
from tongtui.dispatch.rules import UNIT_ACTORS
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Plan
from tongtui.plans.views import current_plan
from tongtui.supervision import access_orders as access
from tongtui.supervision import actions_orders as actions
from tongtui.supervision import forms_orders as forms
from tongtui.supervision.models import OPEN_ORDER, OrderStatus
from tongtui.supervision.models.orders import WAITING_FOR_UNIT


def error_text(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def attempt(request: HttpRequest, do: Callable[[], Any], done: str) -> int | None:
    """Run an action: None when it went through (with `done` as the message), else the refusal's message
    and the status to show the page again with: 409 when someone else did it a moment ago, else 200."""
    try:
        do()
    except Conflict as exc:
        messages.error(request, str(exc))
        return 409
    except (ValidationError, Forbidden) as exc:
        messages.error(request, error_text(exc))
        return 200
    messages.success(request, done)
    return None


def office_only(request: HttpRequest) -> None:
    if not roles_of(request.user).is_office:
        raise Http404("Only the supervision office")


def plan_or_404(request: HttpRequest) -> Plan:
    plan = current_plan(request)
    if plan is None:
        raise Http404("No plan yet")
    return plan


# Rectification orders


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    qs = access.orders_visible_to(request.user).select_related("unit", "task")
    state = request.GET.get("state", "open")
    if state == "open":
        qs = qs.filter(status__in=OPEN_ORDER)
    elif state == "overdue":
        qs = qs.filter(status__in=WAITING_FOR_UNIT, deadline__lt=timezone.localdate())
    elif state in OrderStatus.values:
        qs = qs.filter(status=state)
    page = Paginator(qs.order_by("deadline", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/order_list.html",
        {"page": page, "state": state, "statuses": OrderStatus.choices, "today": timezone.localdate(),
         "is_office": roles_of(request.user).is_office, "nav": "supervision"},
    )  # fmt: skip


@login_required
def order_create(request: HttpRequest) -> HttpResponse:
    office_only(request)
    plan = plan_or_404(request)
    initial = {k: request.GET[k] for k in ("unit", "task") if request.GET.get(k)}
    form = forms.IssueOrderForm(plan, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            order = actions.issue_order(
                by=request.user, plan=plan, unit=d["unit"], task=d["task"], problem=d["problem"],
                requirement=d["requirement"], workdays=d["workdays"],
            )  # fmt: skip
        except (ValidationError, Forbidden) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                _("Rectification order issued; deadline %(d)s.") % {"d": f"{order.deadline:%Y-%m-%d}"},
            )
            return redirect("supervision:order-detail", order.pk)
    return render(request, "supervision/order_form.html", {"form": form, "plan": plan, "nav": "supervision"})


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visible = access.orders_visible_to(request.user).select_related("unit", "task")
    order = access.get_or_404(visible, pk)
    roles = roles_of(request.user)
    post = request.POST if request.method == "POST" else None
    step = request.POST.get("step") if post else None
    report_form = forms.ReportOrderForm(
        post if step == "report" else None, request.FILES if step == "report" else None
    )
    verify_form = forms.VerifyForm(post if step == "verify" else None)
    extend_form = forms.ExtendForm(post if step == "extend" else None)
    escalate_form = forms.EscalateForm(post if step == "escalate" else None)
    status = 200
    if post is not None:
        by = request.user
        refused: int | None = 200  # a form with errors is shown again with them
        if step == "report" and report_form.is_valid():
            d = report_form.cleaned_data
            refused = attempt(request, lambda: actions.report_rectification(order, by=by, text=d["text"], files=d["evidence"]),
                              _("Rectification reported."))  # fmt: skip
        elif step == "verify" and verify_form.is_valid():
            d = verify_form.cleaned_data
            refused = attempt(request, lambda: actions.verify_order(order, by=by, passed=d["passed"], note=d["note"]),
                              _("Verification recorded."))  # fmt: skip
        elif step == "extend" and extend_form.is_valid():
            d = extend_form.cleaned_data
            refused = attempt(request, lambda: actions.extend_order(order, by=by, workdays=d["workdays"], note=d["note"]),
                              _("Deadline extended."))  # fmt: skip
        elif step == "escalate" and escalate_form.is_valid():
            refused = attempt(request, lambda: actions.escalate_order(order, by=by, note=escalate_form.cleaned_data["note"]),
                              _("Order escalated."))  # fmt: skip
        elif step not in ("report", "verify", "extend", "escalate"):
            raise Http404("No such step")
        if refused is None:
            return redirect("supervision:order-detail", order.pk)
        if refused == 409:  # show the order as it is now: someone moved it on a moment ago
            status, order = refused, access.get_or_404(visible, pk)
    may_report = roles.has(order.unit_id, *UNIT_ACTORS) and order.status in WAITING_FOR_UNIT
    return render(
        request,
        "supervision/order_detail.html",
        {
            "order": order, "files": list(order.files.all()), "office": roles.is_office, "may_report": may_report,
            "report_form": report_form, "verify_form": verify_form, "extend_form": extend_form,
            "escalate_form": escalate_form, "overdue": order.is_overdue(), "nav": "supervision",
            "accountability": list(access.accountability_visible_to(request.user).filter(order=order)),
        },
        status=status,
    )  # fmt: skip


@login_required
def order_file(request: HttpRequest, pk: int) -> FileResponse:
    row = access.get_or_404(access.files_visible_to(request.user), pk)
    return FileResponse(
        row.file.open("rb"),
        as_attachment=row.kind not in CONTENT_TYPES,
        filename=row.original_name,
        content_type=CONTENT_TYPES.get(row.kind, "application/octet-stream"),
    )


# Admonitions


@login_required
def admonition_list(request: HttpRequest) -> HttpResponse:
    qs = access.admonitions_visible_to(request.user).select_related("unit").order_by("-scheduled_for", "-pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "supervision/admonition_list.html",
                  {"page": page, "is_office": roles_of(request.user).is_office, "nav": "supervision"})  # fmt: skip


@login_required
def admonition_create(request: HttpRequest) -> HttpResponse:
    office_only(request)
    plan = plan_or_404(request)
    initial = {"unit": request.GET["unit"]} if request.GET.get("unit") else {}
    form = forms.AdmonitionForm(plan, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            adm = actions.schedule_admonition(by=request.user, plan=plan, **d)
        except (ValidationError, Forbidden) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Admonition scheduled; the unit has been told."))
            return redirect("supervision:admonition-detail", adm.pk)
    return render(request, "supervision/admonition_form.html", {"form": form, "nav": "supervision"})


@login_required
def admonition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    adm = access.get_or_404(access.admonitions_visible_to(request.user).select_related("unit"), pk)
    office = roles_of(request.user).is_office
    step = request.POST.get("step") if request.method == "POST" else None
    held_form = forms.HeldForm(
        request.POST if step == "held" else None, initial={"held_on": timezone.localdate()}
    )
    follow_form = forms.FollowUpForm(request.POST if step == "follow_up" else None)
    status = 200
    if step is not None:
        refused: int | None = 200  # a form with errors is shown again with them
        if step == "held" and held_form.is_valid():
            refused = attempt(request, lambda: actions.record_admonition(adm, by=request.user, **held_form.cleaned_data),
                              _("Record of the talk saved."))  # fmt: skip
        elif step == "follow_up" and follow_form.is_valid():
            refused = attempt(request, lambda: actions.follow_up_admonition(adm, by=request.user, **follow_form.cleaned_data),
                              _("Follow-up recorded."))  # fmt: skip
        elif step not in ("held", "follow_up"):
            raise Http404("No such step")
        if refused is None:
            return redirect("supervision:admonition-detail", adm.pk)
        if refused == 409:  # show the admonition as it is now: someone moved it on a moment ago
            status = refused
            adm = access.get_or_404(access.admonitions_visible_to(request.user).select_related("unit"), pk)
    return render(
        request,
        "supervision/admonition_detail.html",
        {"adm": adm, "tasks": list(adm.tasks.order_by("code_sort", "code")), "office": office, "held_form": held_form,
         "follow_form": follow_form, "nav": "supervision"},
        status=status,
    )  # fmt: skip


# Accountability


@login_required
def accountability_list(request: HttpRequest) -> HttpResponse:
    qs = access.accountability_visible_to(request.user).select_related("unit", "task")
    page = Paginator(qs.order_by("-decided_on", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "supervision/accountability_list.html",
                  {"page": page, "is_office": roles_of(request.user).is_office, "nav": "supervision"})  # fmt: skip


@login_required
def accountability_create(request: HttpRequest) -> HttpResponse:
    office_only(request)
    plan = plan_or_404(request)
    order = None
    if request.GET.get("order"):
        order = access.get_or_404(access.orders_visible_to(request.user), request.GET["order"])
    initial = {"unit": order.unit_id, "task": order.task_id} if order else {}
    form = forms.AccountabilityForm(plan, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            acc = actions.record_accountability(by=request.user, plan=plan, order=order, **form.cleaned_data)
        except (ValidationError, Forbidden) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Accountability recorded. Only the office and leaders can see it."))
            return redirect("supervision:accountability-detail", acc.pk)
    return render(
        request, "supervision/accountability_form.html", {"form": form, "order": order, "nav": "supervision"}
    )


def accountability_page(request: HttpRequest, pk: int, *, status: int = 200) -> HttpResponse:
    acc = access.get_or_404(access.accountability_visible_to(request.user).select_related("unit", "task"), pk)
    return render(request, "supervision/accountability_detail.html",
                  {"acc": acc, "office": roles_of(request.user).is_office, "nav": "supervision"}, status=status)  # fmt: skip


@login_required
def accountability_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return accountability_page(request, pk)


@login_required
@require_POST
def accountability_publish(request: HttpRequest, pk: int) -> HttpResponse:
    acc = access.get_or_404(access.accountability_visible_to(request.user), pk)
    office_only(request)
    refused = attempt(
        request, lambda: actions.publish_accountability(acc, by=request.user), _("Published to the unit.")
    )
    if refused == 409:
        return accountability_page(request, pk, status=refused)
    return redirect("supervision:accountability-detail", acc.pk)

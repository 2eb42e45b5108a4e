"""Assignment follow-through pages: the 待签收 list (acknowledge one task with one click, or all of a unit's
at once after one confirmation; the office sees every unit and acknowledges on a unit's behalf), and
requests about a task (申请调整牵头单位, 延期申请): ask, the list, the request page with the office's
decision and the unit's withdrawal."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.paging import Paginator
from tongtui.core.workdays import calendar
from tongtui.dispatch import access_requests, actions_requests
from tongtui.dispatch.acknowledging import items, owed
from tongtui.dispatch.forms_requests import (
    ApproveExtensionForm,
    ApproveLeadForm,
    ExtensionRequestForm,
    LeadRequestForm,
    RefuseForm,
    RequestFilter,
    WithdrawForm,
)
from tongtui.dispatch.rules import UNIT_ACTORS
from tongtui.orgs.models import Unit
from tongtui.orgs.roles import Roles, roles_of
from tongtui.plans import actions as plan_actions
from tongtui.plans.access import get_task_for, tasks_visible_to
from tongtui.plans.models import ChangeRequest, RequestKind, RequestStatus

PAGE_SIZE = 50
MAX_AT_ONCE = 500


def _error_text(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def _query(request: HttpRequest) -> str:
    """The list's query string without the page, for the pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# 待签收


def _may_acknowledge_for(roles: Roles, unit_id: int) -> bool:
    return roles.is_office or roles.has(unit_id, *UNIT_ACTORS)


def _ack_scope(roles: Roles, chosen: int | None) -> tuple[set[int] | None, list[Unit]]:
    """The units whose acknowledgements the list shows (None: every unit), and the units to filter by."""
    if roles.sees_all:
        return ({chosen} if chosen else None), list(Unit.objects.filter(is_active=True))
    mine = roles.units_with(*UNIT_ACTORS)
    choices = list(Unit.objects.filter(pk__in=mine)) if len(mine) > 1 else []
    return ({chosen} if chosen in mine else mine), choices


def _acknowledge_page(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    roles = roles_of(request.user)
    chosen = _int(request.GET.get("unit"))
    scope, choices = _ack_scope(roles, chosen)
    rows = owed(scope)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    page_items = items(page.object_list, today, calendar())
    for item in page_items:
        item.can_acknowledge = _may_acknowledge_for(roles, item.unit.pk)  # type: ignore[attr-defined]
    single = next(iter(scope)) if scope is not None and len(scope) == 1 else None
    all_of: dict[str, Any] | None = None
    if single is not None and _may_acknowledge_for(roles, single):
        ids = [r[0] for r in owed({single}) if not r[5]][:MAX_AT_ONCE]
        unit = next((u for u in choices if u.pk == single), None) or Unit.objects.filter(pk=single).first()
        if len(ids) > 1 and unit is not None:  # one task: its own button is the one click
            all_of = {"unit": unit, "task_ids": ids}
    return render(
        request,
        "dispatch/acknowledge_list.html",
        {
            "nav": "acknowledge",
            "page": page,
            "items": page_items,
            "units": choices,
            "chosen": chosen if scope is None or chosen in (scope or ()) else None,
            "all_of": all_of,
            "today": today,
            "next": request.get_full_path(),
            "query": _query(request),
        },
        status=status,
    )


@login_required
def acknowledge_list(request: HttpRequest) -> HttpResponse:
    """待签收: the tasks the user's units must still acknowledge (every unit's for the office), most urgent
    first, with the deadline in working days."""
    return _acknowledge_page(request)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return reverse("dispatch:acknowledge-list")


@login_required
@require_POST
def acknowledge_one(request: HttpRequest, task_pk: int, unit_pk: int) -> HttpResponse:
    task = get_task_for(request.user, task_pk)
    unit = get_object_or_404(Unit, pk=unit_pk)
    try:
        plan_actions.acknowledge_task(task, by=request.user, unit=unit)
    except Forbidden as exc:
        messages.error(request, _error_text(exc))
        status = 403
    except Conflict as exc:
        messages.error(request, _error_text(exc))
        status = 409
    except (ActionError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        status = 400
    else:
        messages.success(
            request, _("Acknowledged for %(unit)s: %(task)s") % {"unit": unit.label, "task": task.code}
        )
        return redirect(_back(request))
    return _acknowledge_page(request, status=status)


@login_required
@require_POST
def acknowledge_many(request: HttpRequest) -> HttpResponse:
    """签收 all the tasks listed on the confirmation, for one unit."""
    unit = get_object_or_404(Unit, pk=_int(request.POST.get("unit")) or 0)
    if not _may_acknowledge_for(roles_of(request.user), unit.pk):
        raise Http404("Not one of your units")
    ids = [i for i in (_int(v) for v in request.POST.getlist("task")) if i is not None][:MAX_AT_ONCE]
    tasks = list(tasks_visible_to(request.user).filter(pk__in=ids).order_by("pk"))
    done = actions_requests.acknowledge_all(unit, tasks, by=request.user)
    messages.success(
        request,
        ngettext("%(n)s task acknowledged for %(unit)s.", "%(n)s tasks acknowledged for %(unit)s.", done)
        % {"n": done, "unit": unit.label},
    )
    return redirect(_back(request))


# requests


TABS = {
    "waiting": gettext_lazy("Waiting for a decision"),
    "all": gettext_lazy("All requests"),
}


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """The office: requests waiting for a decision, with counts; a unit: its own requests."""
    roles = roles_of(request.user)
    tab = request.GET.get("tab") or ""
    if tab not in TABS:
        tab = "waiting" if roles.is_office else "all"
    everyone = roles.sees_all or bool(request.GET.get("task"))  # one task: all its requests, as on its page
    base = (
        ChangeRequest.objects.all() if everyone else ChangeRequest.objects.filter(unit_id__in=roles.unit_ids)
    )
    base = access_requests.requests_visible_to(request.user, base)
    counts = {
        row["kind"]: row["n"]
        for row in base.filter(status=RequestStatus.PENDING).values("kind").annotate(n=Count("pk")).order_by()
    }
    if tab == "waiting":
        base = base.filter(status=RequestStatus.PENDING)
    pending_first = Case(When(status=RequestStatus.PENDING, then=0), default=1, output_field=IntegerField())
    qs = base.select_related("task", "milestone", "unit", "proposed_unit", "requested_by__person").order_by(
        pending_first, "-requested_at", "-pk"
    )
    flt = RequestFilter(request.GET, queryset=qs)
    page = Paginator(flt.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for change in page.object_list:
        change.late = actions_requests.asked_late(change)  # type: ignore[attr-defined]
    return render(
        request,
        "dispatch/requests_list.html",
        {
            "nav": "requests",
            "tab": tab,
            "tabs": list(TABS.items()),
            "counts": {
                "lead": counts.get(RequestKind.LEAD, 0),
                "extension": counts.get(RequestKind.EXTENSION, 0),
                "all": sum(counts.values()),
            },
            "filter": flt,
            "page": page,
            "query": _query(request),
            "task_q": f"&task={task_id}" if (task_id := _int(request.GET.get("task"))) else "",
        },
    )


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    """Ask (?task=ID&kind=lead|extension[&milestone=ID]): the lead unit's head or liaison."""
    source = request.POST if request.method == "POST" else request.GET
    task = get_task_for(request.user, source.get("task"))
    kind = source.get("kind")
    if kind not in RequestKind.values or not actions_requests.may_ask(roles_of(request.user), task):
        raise Http404("Only the lead unit asks, once the task is assigned")
    milestones = list(task.milestones.filter(done_on__isnull=True).order_by("due", "seq"))
    form: LeadRequestForm | ExtensionRequestForm
    status = 200
    if kind == RequestKind.LEAD:
        form = LeadRequestForm(request.POST or None, task=task)
    else:
        chosen = source.get("milestone")
        initial = {"target": chosen if any(str(m.pk) == chosen for m in milestones) else "task"}
        form = ExtensionRequestForm(request.POST or None, task=task, milestones=milestones, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if isinstance(form, LeadRequestForm):
                    change = actions_requests.ask_lead_change(
                        task, by=request.user, reason=data["reason"], proposed_unit=data.get("proposed_unit")
                    )
                else:
                    change = actions_requests.ask_extension(
                        task,
                        by=request.user,
                        reason=data["reason"],
                        proposed_due=data["proposed_due"],
                        milestone=form.milestone,
                    )
            except (ActionError, ValidationError, Forbidden) as exc:
                messages.error(request, _error_text(exc))
                status = 400
            else:
                messages.success(request, _("Your request has been sent to the supervision office."))
                return redirect("dispatch:request-detail", change.pk)
        else:
            status = 400
    return render(
        request,
        "dispatch/requests_form.html",
        {"task": task, "kind": kind, "form": form, "nav": "requests"},
        status=status,
    )


def _detail(request: HttpRequest, change: ChangeRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    roles = roles_of(request.user)
    pending = change.status == RequestStatus.PENDING
    can = {
        "decide": pending and actions_requests.may_decide(roles),
        "withdraw": actions_requests.may_withdraw(roles, request.user, change),
    }
    approve_class = ApproveLeadForm if change.kind == RequestKind.LEAD else ApproveExtensionForm
    history = list(change.history.select_related("history_user__person").order_by("-history_date")[:50])
    approved = next((h for h in history if h.status == RequestStatus.APPROVED), None)
    return render(
        request,
        "dispatch/requests_detail.html",
        {
            "change": change,
            "task": change.task,
            "late": actions_requests.asked_late(change),
            "can": can,
            "approve_form": forms.get("approve_form") or approve_class(change=change),
            "refuse_form": forms.get("refuse_form") or RefuseForm(),
            "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
            "history": history,
            "outcome": approved.history_change_reason if approved is not None else "",
            "nav": "requests",
        },
        status=status,
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_requests.get_request_for(request.user, pk))


STEPS = {
    "approve": gettext_lazy("Request approved."),
    "refuse": gettext_lazy("Request refused."),
    "withdraw": gettext_lazy("Request withdrawn."),
}


def _run_step(request: HttpRequest, change: ChangeRequest, step: str, forms: dict[str, Any]) -> None:
    """Parse the step's form and call its action; raises what the action raises, or ActionError."""
    by = request.user
    if step == "approve":
        if change.kind == RequestKind.LEAD:
            lead_form = forms["approve_form"] = ApproveLeadForm(request.POST, change=change)
            if not lead_form.is_valid():
                raise ActionError(_("Please correct the form below."))
            data = lead_form.cleaned_data
            actions_requests.approve_request(
                change,
                by=by,
                note=data["note"],
                unit=data["unit"],
                keep_old_as_co_unit=data["keep_old"] == "co",
            )
        else:
            due_form = forms["approve_form"] = ApproveExtensionForm(request.POST, change=change)
            if not due_form.is_valid():
                raise ActionError(_("Please correct the form below."))
            actions_requests.approve_request(
                change, by=by, note=due_form.cleaned_data["note"], due=due_form.cleaned_data["due"]
            )
    elif step == "refuse":
        forms["refuse_form"] = RefuseForm(request.POST)
        actions_requests.refuse_request(change, by=by, note=request.POST.get("note", ""))
    else:
        forms["withdraw_form"] = WithdrawForm(request.POST)
        actions_requests.withdraw_request(change, by=by, note=request.POST.get("note", ""))


@login_required
@require_POST
def request_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    change = access_requests.get_request_for(request.user, pk)
    if step not in STEPS:
        raise Http404("No such step")
    forms: dict[str, Any] = {}
    try:
        _run_step(request, change, step, forms)
    except Forbidden as exc:
        messages.error(request, _error_text(exc))
        status = 403
    except Conflict as exc:
        messages.error(request, _error_text(exc))
        status = 409
    except (ActionError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        status = 400
    else:
        messages.success(request, str(STEPS[step]))
        nxt = request.POST.get("next") or ""
        if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=False):
            return redirect(nxt)
        return redirect("dispatch:request-detail", change.pk)
    return _detail(request, access_requests.get_request_for(request.user, pk), status=status, **forms)

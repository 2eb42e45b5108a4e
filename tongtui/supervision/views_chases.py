"""Pages of chase notices (督办通知): the list with open/overdue filters, one notice with its reply and the
office's close/reissue forms, and the office's issue form. Reads through access_chases, writes through the
actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.errors import Forbidden
from tongtui.core.paging import Paginator
from tongtui.dispatch.rules import UNIT_ACTORS
from tongtui.orgs.roles import roles_of
from tongtui.supervision import actions_chases as actions
from tongtui.supervision import forms_chases as forms
from tongtui.supervision.access_chases import chases_visible_to
from tongtui.supervision.access_orders import get_or_404
from tongtui.supervision.models import OPEN_CHASE, ChaseStatus
from tongtui.supervision.views_orders import attempt, error_text, office_only, plan_or_404


@login_required
def chase_list(request: HttpRequest) -> HttpResponse:
    qs = chases_visible_to(request.user).select_related("unit")
    state = request.GET.get("state", "open")
    if state == "open":
        qs = qs.filter(status__in=OPEN_CHASE)
    elif state == "overdue":
        qs = qs.filter(status=ChaseStatus.ISSUED, reply_due__lt=timezone.localdate())
    elif state in ChaseStatus.values:
        qs = qs.filter(status=state)
    page = Paginator(qs.order_by("reply_due", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/chase_list.html",
        {"page": page, "state": state, "statuses": ChaseStatus.choices,
         "is_office": roles_of(request.user).is_office, "nav": "supervision"},
    )  # fmt: skip


@login_required
def chase_create(request: HttpRequest) -> HttpResponse:
    office_only(request)
    plan = plan_or_404(request)
    initial = {"unit": request.GET["unit"]} if request.GET.get("unit") else {}
    form = forms.IssueChaseForm(plan, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            chase = actions.issue_chase(by=request.user, plan=plan, **form.cleaned_data)
        except (ValidationError, Forbidden) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                _("Chase notice %(number)s issued; reply due %(d)s.")
                % {"number": chase.number, "d": f"{chase.reply_due:%Y-%m-%d}"},
            )
            return redirect("supervision:chase-detail", chase.pk)
    return render(request, "supervision/chase_form.html", {"form": form, "nav": "supervision"})


@login_required
def chase_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visible = chases_visible_to(request.user).select_related("unit", "reissued_from")
    chase = get_or_404(visible, pk)
    roles = roles_of(request.user)
    step = request.POST.get("step") if request.method == "POST" else None
    reply_form = forms.ReplyChaseForm(request.POST if step == "reply" else None)
    close_form = forms.CloseChaseForm(request.POST if step == "close" else None)
    reissue_form = forms.ReissueChaseForm(request.POST if step == "reissue" else None)
    status = 200
    if step is not None:
        by = request.user
        target = chase.pk
        refused: int | None = 200  # a form with errors is shown again with them
        if step == "reply" and reply_form.is_valid():
            refused = attempt(request, lambda: actions.reply_chase(chase, by=by, **reply_form.cleaned_data),
                              _("Reply sent."))  # fmt: skip
        elif step == "close" and close_form.is_valid():
            refused = attempt(request, lambda: actions.close_chase(chase, by=by, **close_form.cleaned_data),
                              _("Notice closed."))  # fmt: skip
        elif step == "reissue" and reissue_form.is_valid():

            def reissue() -> None:
                nonlocal target
                target = actions.reissue_chase(chase, by=by, **reissue_form.cleaned_data).pk

            refused = attempt(request, reissue, _("Notice reissued."))
        elif step not in ("reply", "close", "reissue"):
            raise Http404("No such step")
        if refused is None:
            return redirect("supervision:chase-detail", target)
        if refused == 409:  # show the notice as it is now: someone moved it on a moment ago
            status, chase = refused, get_or_404(visible, pk)
    may_reply = roles.has(chase.unit_id, *UNIT_ACTORS) and chase.status == ChaseStatus.ISSUED
    return render(
        request,
        "supervision/chase_detail.html",
        {"chase": chase, "tasks": list(chase.tasks.order_by("code_sort", "code")), "office": roles.is_office,
         "may_reply": may_reply, "reply_form": reply_form, "close_form": close_form,
         "reissue_form": reissue_form, "overdue": chase.is_overdue(),
         "reissues": list(chase.reissues.all()), "nav": "supervision"},
        status=status,
    )  # fmt: skip

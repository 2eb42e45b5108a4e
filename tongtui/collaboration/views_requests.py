"""协调事项 pages: the list (asked of me, asked by my units, all; filters, overdue — the office's view), asking
from a task, the request's page with accept / answer / decline / withdraw."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, Q, QuerySet, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongtui.collaboration import access, actions_requests, rules
from tongtui.collaboration.forms import AcceptForm, AnswerForm, DeclineForm, RequestFilter, RequestForm
from tongtui.collaboration.models import CoordinationRequest, RequestStatus
from tongtui.collaboration.views_instructions import error_text, next_or
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.paging import Paginator
from tongtui.orgs.models import Unit
from tongtui.orgs.roles import roles_of
from tongtui.plans.access import get_task_for, tasks_visible_to
from tongtui.plans.models import Task

TABS = {
    "to_me": gettext_lazy("Asked of me"),
    "mine": gettext_lazy("Asked by my units"),
    "all": gettext_lazy("All"),
}


def asked_of(user: Any) -> QuerySet[CoordinationRequest]:
    roles = roles_of(user)
    return access.asked_of_ids(roles.units_with(*rules.UNIT_ACTORS), roles.person_id)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    tab = request.GET.get("tab") or ("all" if roles.is_office else "to_me")
    if tab not in TABS:
        tab = "all"
    if tab == "to_me":
        base = asked_of(request.user)
    elif tab == "mine":
        base = CoordinationRequest.objects.filter(from_unit_id__in=roles.unit_ids)
    else:
        base = CoordinationRequest.objects.all()
    qs = access.requests_visible_to(request.user, base).select_related(
        "task", "from_unit", "to_unit", "to_leader", "related_task"
    )
    first = Case(When(status=RequestStatus.PENDING, then=0), When(status=RequestStatus.ACCEPTED, then=1),
                 default=2)  # fmt: skip
    flt = RequestFilter(request.GET, queryset=qs.order_by(first, "reply_by", "-pk"))
    page = Paginator(flt.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "collaboration/request_list.html", {
        "nav": "collaboration", "tab": tab, "tabs": list(TABS.items()), "filter": flt, "page": page,
        "query": query.urlencode(), "today": timezone.localdate(),
        "units": Unit.objects.filter(is_active=True).order_by("name") if roles.sees_all else None,
    })  # fmt: skip


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    task = get_task_for(request.user, request.POST.get("task") or request.GET.get("task"))
    if not actions_requests.asking_units(request.user, task):
        raise Http404("Only the task's units ask for coordination on it")
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            req = actions_requests.ask(task, by=request.user, subject=d["subject"], body=d["body"],
                                       to_unit=d["to_unit"], to_leader=d["to_leader"],
                                       reply_within=d["reply_within"])  # fmt: skip
        except (ActionError, Forbidden, ValueError) as e:
            messages.error(request, error_text(e))
        else:
            messages.success(request, _("Request sent: a reply is due by %(day)s.")
                             % {"day": f"{req.reply_by:%Y-%m-%d}"})  # fmt: skip
            return redirect("collaboration:request-detail", pk=req.pk)
    return render(request, "collaboration/request_form.html",
                  {"nav": "collaboration", "form": form, "task": task})  # fmt: skip


def _their_tasks(user: Any, req: CoordinationRequest) -> QuerySet[Task]:
    if req.to_unit_id is None:
        return tasks_visible_to(user).filter(leader_id=req.to_leader_id).exclude(pk=req.task_id)
    return tasks_visible_to(user).filter(Q(lead_unit_id=req.to_unit_id) | Q(co_units=req.to_unit_id))\
        .exclude(pk=req.task_id).distinct().order_by("code_sort")  # fmt: skip


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = access.get_request_for(request.user, pk)
    roles = roles_of(request.user)
    can_answer = rules.may_answer_request(roles, req) and req.status in (RequestStatus.PENDING,
                                                                          RequestStatus.ACCEPTED)  # fmt: skip
    visible = set(tasks_visible_to(request.user).filter(pk__in=[req.task_id, req.related_task_id or 0])
                  .values_list("pk", flat=True))  # fmt: skip
    return render(request, "collaboration/request_detail.html", {
        "nav": "collaboration", "req": req, "today": timezone.localdate(), "visible_tasks": visible,
        "can": {
            "accept": can_answer and req.status == RequestStatus.PENDING,
            "answer": can_answer,
            "withdraw": rules.may_withdraw_request(roles, req) and req.status in (RequestStatus.PENDING,
                                                                                   RequestStatus.ACCEPTED),
        },  # fmt: skip
        "accept_form": AcceptForm(tasks=_their_tasks(request.user, req)) if can_answer else None,
        "answer_form": AnswerForm(), "decline_form": DeclineForm(),
        "history": list(req.history.select_related("history_user__person").order_by("-history_date")),
    })  # fmt: skip


@login_required
@require_POST
def request_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    req = access.get_request_for(request.user, pk)
    by = request.user
    try:
        if step == "accept":
            form: Any = AcceptForm(request.POST, tasks=_their_tasks(by, req))
            if not form.is_valid():
                raise ActionError(form.errors.as_text())
            actions_requests.accept(req, by=by, **form.cleaned_data)
            messages.success(request, _("Accepted."))
        elif step == "answer":
            form = AnswerForm(request.POST)
            if not form.is_valid():
                raise ActionError(_("Write the answer."))
            actions_requests.answer(req, by=by, text=form.cleaned_data["text"])
            messages.success(request, _("Answered."))
        elif step == "decline":
            form = DeclineForm(request.POST)
            if not form.is_valid():
                raise ActionError(_("Say why the request is declined."))
            actions_requests.decline(req, by=by, reason=form.cleaned_data["reason"])
            messages.success(request, _("Declined."))
        elif step == "withdraw":
            actions_requests.withdraw(req, by=by)
            messages.success(request, _("Withdrawn."))
        else:
            raise Http404("No such step")
    except Forbidden as e:
        messages.error(request, str(e))
    except (ActionError, Conflict) as e:
        messages.warning(request, error_text(e))
    return redirect(next_or(request, actions_requests.url(req)))

"""批示 pages: the list (to reply, mine, all I see), writing one on a task / report / problem / bulletin,
圈阅, the instruction's page with its thread, replying, closing, and the office's "make it a task / a
milestone"."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, QuerySet, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongtui.collaboration import access, actions, rules, targets
from tongtui.collaboration.forms import (
    CloseForm,
    InstructionFilter,
    InstructionForm,
    MakeMilestoneForm,
    MakeTaskForm,
    ReplyForm,
)
from tongtui.collaboration.models import Instruction, InstructionStatus
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.paging import Paginator
from tongtui.orgs.models import Unit
from tongtui.orgs.roles import roles_of

TABS = {
    "to_reply": gettext_lazy("To reply"),
    "to_read": gettext_lazy("Replies to read"),
    "all": gettext_lazy("All"),
}


def error_text(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def next_or(request: HttpRequest, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return default


def to_reply(user: Any) -> QuerySet[Instruction]:
    return access.owed_by(roles_of(user).units_with(*rules.UNIT_ACTORS))


def to_read(user: Any) -> QuerySet[Instruction]:
    return access.replied_to(roles_of(user).person_id)


@login_required
def instruction_list(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    tab = request.GET.get("tab") or ("to_read" if roles.is_leader else "all" if roles.is_office else "to_reply")
    if tab not in TABS:
        tab = "all"
    base = {"to_reply": to_reply, "to_read": to_read}.get(tab, lambda u: Instruction.objects.all())(request.user)
    qs = access.instructions_visible_to(request.user, base).select_related(
        "task", "report__task", "problem", "bulletin__plan", "leader"
    )
    first = Case(When(status=InstructionStatus.OPEN, then=0), When(status=InstructionStatus.REPLIED, then=1),
                 default=2)  # fmt: skip
    flt = InstructionFilter(request.GET, queryset=qs.order_by(first, "reply_by", "-pk"))
    page = Paginator(flt.qs, 50).get_page(request.GET.get("page"))
    for row in page:
        row.about = targets.of_row(row)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "collaboration/instruction_list.html", {
        "nav": "collaboration", "tab": tab, "tabs": list(TABS.items()), "filter": flt, "page": page,
        "query": query.urlencode(), "today": timezone.localdate(),
    })  # fmt: skip


def _target(request: HttpRequest) -> targets.Target:
    data = request.POST if request.method == "POST" else request.GET
    return targets.resolve(request.user, data.get("kind", ""), data.get("id"))


@login_required
def instruction_new(request: HttpRequest) -> HttpResponse:
    target = _target(request)
    if not rules.may_instruct(roles_of(request.user)):
        raise Http404("Instructions are the leaders'")
    allowed = targets.units_that_see(target)
    units = Unit.objects.filter(is_active=True) if allowed is None else Unit.objects.filter(pk__in=allowed)
    form = InstructionForm(request.POST or None, units=units,
                           initial={"units": list(targets.default_units(target))})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            i = actions.instruct(target, by=request.user, text=d["text"], units=d["units"],
                                 reply_within=d["reply_within"])  # fmt: skip
        except (ActionError, Forbidden) as e:
            messages.error(request, error_text(e))
        else:
            messages.success(request, _("Instruction sent: the units reply by %(day)s.")
                             % {"day": f"{i.reply_by:%Y-%m-%d}"})  # fmt: skip
            return redirect(target.url)
    return render(request, "collaboration/instruction_form.html",
                  {"nav": "collaboration", "form": form, "target": target})  # fmt: skip


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    target = _target(request)
    if not rules.may_instruct(roles_of(request.user)):
        raise Http404("Marks are the leaders'")
    try:
        actions.mark_read(target, by=request.user)
    except (ActionError, Forbidden) as e:
        messages.warning(request, error_text(e))
    else:
        messages.success(request, _("Marked read (圈阅)."))
    return redirect(next_or(request, target.url))


def can_do(user: Any, i: Instruction) -> dict[str, bool]:
    roles = roles_of(user)
    units = actions.unit_ids(i)
    return {
        "reply": rules.may_reply(roles, i, units),
        "ask_again": rules.is_author(roles, i) and rules.may_reply(roles, i, units),
        "close": rules.may_close(roles, i),
        "make_work": rules.may_make_work(roles, i) and not i.new_task_id and not i.new_milestone_id,
    }


@login_required
def instruction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    i = access.get_instruction_for(request.user, pk)
    about = targets.of_row(i)
    links = list(i.unit_links.select_related("unit").order_by("unit__name"))
    thread = list(i.replies.select_related("author__person", "unit"))
    return render(request, "collaboration/instruction_detail.html", {
        "nav": "collaboration", "i": i, "about": about, "links": links, "thread": thread,
        "can": can_do(request.user, i), "reply_form": ReplyForm(), "close_form": CloseForm(),
        "task_form": MakeTaskForm(plan_id=about.plan_id, initial={"title": i.text[:200]}),
        "milestone_form": MakeMilestoneForm(initial={"title": i.text[:200]}),
        "history": list(i.history.select_related("history_user__person").order_by("-history_date")),
        "today": timezone.localdate(),
    })  # fmt: skip


def _step(request: HttpRequest, pk: int, run: Any) -> HttpResponse:
    i = access.get_instruction_for(request.user, pk)
    try:
        run(i)
    except Forbidden as e:
        messages.error(request, str(e))
    except (ActionError, Conflict) as e:
        messages.warning(request, error_text(e))
    return redirect(next_or(request, actions.url(i)))


@login_required
@require_POST
def instruction_reply(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReplyForm(request.POST)

    def run(i: Instruction) -> None:
        if not form.is_valid():
            raise ActionError(_("Write the reply."))
        actions.reply(i, by=request.user, text=form.cleaned_data["text"],
                      ask_again_within=form.cleaned_data.get("ask_again_within"))  # fmt: skip
        messages.success(request, _("Reply sent."))

    return _step(request, pk, run)


@login_required
@require_POST
def instruction_close(request: HttpRequest, pk: int) -> HttpResponse:
    form = CloseForm(request.POST)

    def run(i: Instruction) -> None:
        note = form.cleaned_data["note"] if form.is_valid() else ""
        actions.close(i, by=request.user, note=note)
        messages.success(request, _("Instruction closed."))

    return _step(request, pk, run)


@login_required
@require_POST
def instruction_make_task(request: HttpRequest, pk: int) -> HttpResponse:
    def run(i: Instruction) -> None:
        form = MakeTaskForm(request.POST, plan_id=targets.of_row(i).plan_id)
        if not form.is_valid():
            raise ActionError(form.errors.as_text())
        task = actions.make_task(i, by=request.user, **form.cleaned_data)
        messages.success(request, _("Task %(code)s made from the instruction.") % {"code": task.code})

    return _step(request, pk, run)


@login_required
@require_POST
def instruction_make_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    def run(i: Instruction) -> None:
        form = MakeMilestoneForm(request.POST)
        if not form.is_valid():
            raise ActionError(form.errors.as_text())
        actions.make_milestone(i, by=request.user, **form.cleaned_data)
        messages.success(request, _("Milestone added to the task from the instruction."))

    return _step(request, pk, run)

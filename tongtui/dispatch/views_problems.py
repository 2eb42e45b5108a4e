"""Problems (问题/困难): the list (raised by my units / addressed to me / all I can see, which is every problem
for the office and the leaders), raising one from a task or a report, the problem page with answer, resolve
and reopen."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.paging import Paginator
from tongtui.core.workdays import add_workdays
from tongtui.dispatch import access, access_problems, actions_problems
from tongtui.dispatch.forms_problems import AnswerForm, ProblemFilter, ProblemForm, ReopenForm
from tongtui.dispatch.models import Problem, ProblemStatus, ProgressReport
from tongtui.orgs.models import Unit
from tongtui.orgs.roles import roles_of
from tongtui.plans.access import get_task_for
from tongtui.plans.models import Task

DEFAULT_ANSWER_WORKDAYS = 5


def _error_text(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def _default_tab(user: Any) -> str:
    roles = roles_of(user)
    if roles.is_office:
        return "all"
    return "to_me" if roles.is_leader else "mine"


@login_required
def problem_list(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    tab = request.GET.get("tab") or ""
    if tab not in TAB_LABELS:
        tab = _default_tab(request.user)
    if tab == "to_me":
        base = access_problems.problems_addressed_to(request.user)
    elif tab == "mine":
        base = Problem.objects.filter(unit_id__in=roles.unit_ids)
    else:
        base = Problem.objects.all()
    qs = access_problems.problems_visible_to(request.user, base).select_related(
        "task", "unit", "addressed_unit", "addressed_leader"
    )
    first = Case(
        When(status=ProblemStatus.OPEN, then=0), When(status=ProblemStatus.ANSWERED, then=1), default=2
    )
    flt = ProblemFilter(request.GET, queryset=qs.order_by(first, "answer_by", "pk"))
    page = Paginator(flt.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dispatch/problem_list.html",
        {
            "nav": "problems",
            "tab": tab,
            "tabs": list(TAB_LABELS.items()),
            "filter": flt,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
        },
    )


TAB_LABELS = {
    "mine": gettext_lazy("Raised by my units"),
    "to_me": gettext_lazy("Addressed to me"),
    "all": gettext_lazy("All I can see"),
}


def _raise_target(request: HttpRequest) -> tuple[Task, ProgressReport | None]:
    report_pk = request.GET.get("report") or request.POST.get("report")
    if report_pk:
        report = access.get_report_for(request.user, report_pk)
        return report.task, report
    task_pk = request.GET.get("task") or request.POST.get("task")
    if not task_pk:
        raise Http404("Raise a problem from a task or a report")
    return get_task_for(request.user, task_pk), None


@login_required
def problem_new(request: HttpRequest) -> HttpResponse:
    """提出问题 on a task (?task=ID) or from a report (?report=ID): the task's units and the office."""
    task, report = _raise_target(request)
    allowed = actions_problems.raising_units(roles_of(request.user), task)
    if not allowed:
        raise Http404("Only the task's units or the office raise problems on it")
    units = Unit.objects.filter(pk__in=allowed)
    status = 200
    if request.method == "POST":
        form = ProblemForm(request.POST, units=units)
        if form.is_valid():
            data = form.cleaned_data
            try:
                problem = actions_problems.raise_problem(
                    task,
                    by=request.user,
                    report=report,
                    unit=data.get("unit"),
                    title=data["title"],
                    description=data["description"],
                    addressed_to=data["addressed_to"],
                    addressed_unit=data.get("addressed_unit"),
                    answer_by=data["answer_by"],
                )
            except (ActionError, ValidationError, Forbidden) as exc:
                messages.error(request, _error_text(exc))
                status = 400
            else:
                messages.success(request, _("Problem raised; the addressee has been notified."))
                return redirect("dispatch:problem-detail", problem.pk)
        else:
            status = 400
    else:
        initial = {
            "addressed_to": "leader",
            "answer_by": add_workdays(timezone.localdate(), DEFAULT_ANSWER_WORKDAYS),
        }
        if report is not None and report.problems:
            initial["title"] = report.problems.strip().splitlines()[0][:200]
            initial["description"] = report.problems
        form = ProblemForm(initial=initial, units=units)
    return render(
        request,
        "dispatch/problem_form.html",
        {"task": task, "report": report, "form": form, "nav": "problems"},
        status=status,
    )


def _detail(request: HttpRequest, problem: Problem, *, status: int = 200, **forms: Any) -> HttpResponse:
    roles = roles_of(request.user)
    answerable = actions_problems.may_answer(roles, problem)
    closable = actions_problems.may_close(roles, problem)
    can = {
        "answer": answerable and problem.status != ProblemStatus.RESOLVED,
        "resolve": closable and problem.status != ProblemStatus.RESOLVED,
        "reopen": closable and problem.status != ProblemStatus.OPEN,
    }
    return render(
        request,
        "dispatch/problem_detail.html",
        {
            "problem": problem,
            "task": problem.task,
            "answers": problem.answers.select_related("answered_by__person"),
            "history": problem.history.select_related("history_user__person").order_by("-history_date")[:50],
            "can": can,
            "overdue": problem.status == ProblemStatus.OPEN and problem.answer_by < timezone.localdate(),
            "answer_form": forms.get("answer_form") or AnswerForm(),
            "reopen_form": forms.get("reopen_form") or ReopenForm(),
            "nav": "problems",
        },
        status=status,
    )


@login_required
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_problems.get_problem_for(request.user, pk))


STEPS = {
    "answer": gettext_lazy("Answer recorded."),
    "resolve": gettext_lazy("Problem marked resolved."),
    "reopen": gettext_lazy("Problem reopened."),
}


@login_required
@require_POST
def problem_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    problem = access_problems.get_problem_for(request.user, pk)
    if step not in STEPS:
        raise Http404("No such step")
    forms: dict[str, Any] = {}
    try:
        if step == "answer":
            forms["answer_form"] = AnswerForm(request.POST)
            actions_problems.answer_problem(problem, by=request.user, text=request.POST.get("text", ""))
        elif step == "resolve":
            actions_problems.resolve_problem(problem, by=request.user, note=request.POST.get("note", ""))
        else:
            form = forms["reopen_form"] = ReopenForm(request.POST)
            answer_by = form.cleaned_data.get("answer_by") if form.is_valid() else None
            actions_problems.reopen_problem(
                problem, by=request.user, reason=request.POST.get("reason", ""), answer_by=answer_by
            )
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
        return redirect("dispatch:problem-detail", problem.pk)
    return _detail(request, access_problems.get_problem_for(request.user, pk), status=status, **forms)

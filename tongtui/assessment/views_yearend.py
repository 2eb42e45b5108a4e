"""年终评估 pages: a plan year's review — counts by outcome, the tasks still to decide (filtered, ticked, one
decision for many), the decided ones, carrying over into the next year, freezing the scores, and the
results workbook and report. The office acts; leaders read; anyone else gets 404."""

from io import BytesIO
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongtui.assessment import access
from tongtui.assessment.actions_yearend import freeze_year
from tongtui.assessment.ranking import parse_period, periods_of_year
from tongtui.assessment.yearend_data import results, summary
from tongtui.assessment.yearend_files import report_name, results_name, write_report, write_results
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.paging import Paginator
from tongtui.orgs.models import Unit
from tongtui.orgs.roles import roles_of
from tongtui.plans import actions_yearend
from tongtui.plans.filters import TaskFilter
from tongtui.plans.models import Outcome, Plan, Task, TaskStatus

PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SHOWS = ("undecided", *Outcome.values)


class DecideForm(forms.Form):
    """One outcome and reason for the ticked tasks (`task`, read from the POST as ids)."""

    outcome = forms.ChoiceField(choices=Outcome.choices, label=gettext_lazy("Year-end outcome"))
    reason = forms.CharField(required=False, max_length=1000, label=gettext_lazy("Reason"))


def _status_order(item: tuple[str, int]) -> int:
    return list(TaskStatus.values).index(item[0])


def _plan(request: HttpRequest, year: int) -> Plan:
    plan = access.plan_for(request.user, year)
    if not access.sees_all(request.user):
        raise Http404
    return plan


def _office_plan(request: HttpRequest, year: int) -> Plan:
    plan = access.plan_for(request.user, year)
    access.require_office(request.user)
    return plan


def _back(year: int, query: str = "") -> str:
    url = reverse("assessment:yearend", kwargs={"year": year})
    return f"{url}?{query}" if query else url


@login_required
def review(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    return render(request, "assessment/yearend.html", _context(request, plan, request.GET))


def _context(request: HttpRequest, plan: Plan, params: QueryDict) -> dict[str, Any]:
    show = params.get("show") or "undecided"
    if show not in SHOWS:
        raise Http404
    s = summary(plan)
    query = params.copy()
    query["plan"] = str(plan.pk)
    base = Task.objects.filter(plan=plan)
    base = base.filter(outcome__isnull=True) if show == "undecided" else base.filter(outcome__outcome=show)
    filt = TaskFilter(query, queryset=base)
    for name in ("plan", "unit", "leader", "parent", "top_level", "due_before", "due_after", "overdue",
                 "milestone"):  # fmt: skip
        filt.form.fields.pop(name, None)
    category = filt.form.fields.get("category")
    if category is not None:
        category.queryset = plan.categories.all()  # type: ignore[attr-defined]
    tasks = (
        filt.qs.select_related("category", "lead_unit", "outcome", "outcome__carried_to",
                               "outcome__carried_to__plan", "carried_from__plan")
        .order_by("code_sort", "code")
    )  # fmt: skip
    page = Paginator(tasks, PAGE).get_page(params.get("page"))
    keep = params.copy()
    keep.pop("page", None)
    groups, frozen = results(plan) if s.freeze is not None else ([], False)
    ctx = {
        "nav": "assessment", "tab": "yearend", "plan": plan, "period": parse_period(str(plan.year)),
        "periods": periods_of_year(plan.year), "sees_all": True, "sees_lists": True, "is_published": True,
        "is_office": roles_of(request.user).is_office, "head_units": [], "summary": s, "show": show,
        "filter": filt, "page": page, "keep": keep.urlencode(), "outcomes": Outcome.choices,
        "groups": groups, "frozen": frozen, "statuses": query.getlist("status"),
        "still": [(TaskStatus(st).label, n) for st, n in sorted(s.undecided_by_status.items(), key=_status_order)],
        "lead_units": Unit.objects.filter(pk__in=Task.objects.filter(plan=plan).values("lead_unit"))
                                  .order_by("order", "name"), "shows": [("undecided", _("To decide"), s.undecided),
            *((o, label, s.by_outcome[o]) for o, label in Outcome.choices)],
        "refusals": {}, "ticked": set(), "chosen": "", "reason": "",
    }  # fmt: skip
    return ctx


def _attempt(request: HttpRequest, run: Any, done: str) -> bool:
    try:
        run()
    except (ActionError, Conflict, Forbidden) as e:
        messages.error(request, "; ".join(getattr(e, "messages", None) or [str(e)]))
        return False
    messages.success(request, done)
    return True


@login_required
@require_POST
def decide(request: HttpRequest, year: int) -> HttpResponse:
    plan = _office_plan(request, year)
    form = DecideForm(request.POST)
    back = request.POST.get("back", "")
    ids = [int(v) for v in request.POST.getlist("task") if v.isdigit()]
    if not form.is_valid() or not ids:
        messages.error(request, _("Tick at least one task and choose the outcome."))
        return redirect(_back(plan.year, back))
    d = form.cleaned_data
    try:
        r = actions_yearend.record_outcomes(
            plan, ids, by=request.user, outcome=d["outcome"], reason=d["reason"]
        )
    except actions_yearend.Refused as e:
        # the same page again, each refused task marked with why, the ticks and the reason kept
        messages.error(request, _("Nothing was recorded: some of the tasks cannot take this outcome."))
        ctx = _context(request, plan, QueryDict(back))
        ctx.update(refusals=e.refusals, ticked=set(ids), chosen=d["outcome"], reason=d["reason"])
        return render(request, "assessment/yearend.html", ctx, status=400)
    except (ActionError, Conflict, Forbidden) as e:
        messages.error(request, "; ".join(getattr(e, "messages", None) or [str(e)]))
        return redirect(_back(plan.year, back))
    messages.success(request, _("Recorded for %(n)s tasks.") % {"n": len(ids)})
    if r.carried:
        messages.info(
            request, _("%(n)s carried into %(year)s as drafts.") % {"n": r.carried, "year": plan.year + 1}
        )
    if r.waiting:
        messages.info(request, _("The plan year %(year)s is not open yet: the carried-over tasks are copied "
                                 "into it once it is.") % {"year": plan.year + 1})  # fmt: skip
    return redirect(_back(plan.year, back))


@login_required
@require_POST
def settle(request: HttpRequest, year: int) -> HttpResponse:
    plan = _office_plan(request, year)
    out: dict[str, int] = {}

    def run() -> None:
        out["n"] = actions_yearend.settle_finished(plan, by=request.user)

    _attempt(request, run, _("The tasks closed or cancelled during the year are recorded."))
    return redirect(_back(plan.year))


@login_required
@require_POST
def carry(request: HttpRequest, year: int) -> HttpResponse:
    plan = _office_plan(request, year)
    out: dict[str, Any] = {}

    def run() -> None:
        out["r"] = actions_yearend.carry_over(plan, by=request.user)

    _attempt(request, run, _("The carried-over tasks are in %(year)s as drafts.") % {"year": plan.year + 1})
    return redirect(_back(plan.year, urlencode({"show": Outcome.CARRIED_OVER})))


@login_required
@require_POST
def freeze(request: HttpRequest, year: int) -> HttpResponse:
    plan = _office_plan(request, year)
    note = request.POST.get("note", "")
    _attempt(request, lambda: freeze_year(plan, by=request.user, note=note),
             _("The scores of %(year)s are frozen.") % {"year": plan.year})  # fmt: skip
    return redirect(_back(plan.year))


@login_required
def results_xlsx(request: HttpRequest, year: int) -> FileResponse:
    plan = _plan(request, year)
    return FileResponse(BytesIO(write_results(plan)), as_attachment=True, filename=results_name(plan),
                        content_type=XLSX)  # fmt: skip


@login_required
def report_docx(request: HttpRequest, year: int) -> FileResponse:
    plan = _plan(request, year)
    return FileResponse(BytesIO(write_report(plan)), as_attachment=True, filename=report_name(plan),
                        content_type=DOCX)  # fmt: skip

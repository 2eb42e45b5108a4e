"""Bulk work on the task list (office only; everyone else gets 404).

The selection comes in the address: ticked tasks (`task=ID`, repeated) or every task matching the list's filter
(`scope=filter` with the filter's own parameters, re-run here and again when the operation runs). One
confirmation page lists what will happen; the POST runs the operation through the batch actions and the
result page lists what was done and, with links, what was not. The ledger of a selection downloads at once.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from tongtui.core.errors import Conflict
from tongtui.dispatch.actions_batch import complete_rule, plan_cycles, set_report_cycles, task_cycles
from tongtui.dispatch.forms_bulk import BulkForm, CategoryForm, CycleForm, LeaderForm, OwnerForm
from tongtui.orgs.roles import roles_of
from tongtui.plans import rules
from tongtui.plans.access import tasks_visible_to
from tongtui.plans.actions_batch import (
    Outcome,
    assign_tasks,
    in_code_order,
    load,
    plan_assignment,
    plan_field,
    set_field,
)
from tongtui.plans.models import Plan, Task, TaskStatus
from tongtui.plans.views import task_filter_for
from tongtui.plans.views_ledger import ledger_file

RESULT = "tongtui_bulk_result"  # the session key of the last run's result
SHOWN = 200  # tasks listed by name on the confirmation page; the rest are counted


@dataclass(frozen=True)
class Operation:
    title: Promise
    confirm: Promise  # the confirmation button
    form: type[forms.BaseForm]
    will: Promise  # "%(n)s tasks will …" (ngettext_lazy on n)
    did: Promise  # "… %(n)s tasks" after the run
    cannot: Promise  # "%(n)s … : %(reason)s", before
    did_not: Promise  # the same, after
    field: str = ""  # the task field it sets, for leader, person and category


OPERATIONS: dict[str, Operation] = {
    "assign": Operation(
        gettext_lazy("Assign in bulk"),
        gettext_lazy("Assign"),
        BulkForm,
        ngettext_lazy("%(n)s task will be assigned", "%(n)s tasks will be assigned", "n"),
        ngettext_lazy("%(n)s task assigned", "%(n)s tasks assigned", "n"),
        gettext_lazy("%(n)s cannot be assigned: %(reason)s"),
        gettext_lazy("%(n)s not assigned: %(reason)s"),
    ),
    "leader": Operation(
        gettext_lazy("Set the responsible leader"),
        gettext_lazy("Set the leader"),
        LeaderForm,
        ngettext_lazy(
            "%(n)s task will get this responsible leader", "%(n)s tasks will get this responsible leader", "n"
        ),
        ngettext_lazy("Responsible leader set on %(n)s task", "Responsible leader set on %(n)s tasks", "n"),
        gettext_lazy("%(n)s cannot be changed: %(reason)s"),
        gettext_lazy("%(n)s not changed: %(reason)s"),
        "leader",
    ),
    "owner": Operation(
        gettext_lazy("Set the responsible person"),
        gettext_lazy("Set the person"),
        OwnerForm,
        ngettext_lazy(
            "%(n)s task will get this responsible person", "%(n)s tasks will get this responsible person", "n"
        ),
        ngettext_lazy("Responsible person set on %(n)s task", "Responsible person set on %(n)s tasks", "n"),
        gettext_lazy("%(n)s cannot be changed: %(reason)s"),
        gettext_lazy("%(n)s not changed: %(reason)s"),
        "owner",
    ),
    "category": Operation(
        gettext_lazy("Set the category"),
        gettext_lazy("Set the category"),
        CategoryForm,
        ngettext_lazy("%(n)s task will get this category", "%(n)s tasks will get this category", "n"),
        ngettext_lazy("Category set on %(n)s task", "Category set on %(n)s tasks", "n"),
        gettext_lazy("%(n)s cannot be changed: %(reason)s"),
        gettext_lazy("%(n)s not changed: %(reason)s"),
        "category",
    ),
    "cycle": Operation(
        gettext_lazy("Set the report cycle"),
        gettext_lazy("Set the report cycle"),
        CycleForm,
        ngettext_lazy(
            "%(n)s task will get this report cycle of its own",
            "%(n)s tasks will get this report cycle of their own",
            "n",
        ),
        ngettext_lazy("Report cycle set on %(n)s task", "Report cycle set on %(n)s tasks", "n"),
        gettext_lazy("%(n)s cannot be changed: %(reason)s"),
        gettext_lazy("%(n)s not changed: %(reason)s"),
    ),
}
SKIPPED = gettext_lazy("%(n)s skipped: %(reason)s")
UNCHANGED = ngettext_lazy(
    "%(n)s task already has it and is left as it is",
    "%(n)s tasks already have it and are left as they are",
    "n",
)


@dataclass
class Selection:
    tasks: QuerySet[Task]
    by_filter: bool
    plan: Plan | None  # the list's plan year (a filter always has one)
    back: str  # the task list as it was, filters kept
    errors: list[str]


def _require_office(request: HttpRequest) -> None:
    if not rules.may_manage(roles_of(request.user)):
        raise Http404("No such page")


def selection_of(request: HttpRequest) -> Selection:
    """The tasks the office selected on the list, from the address (also when the confirmation is posted)."""
    params = request.GET
    back = params.copy()
    for key in ("op", "page", "per_page", "sort", "task", "scope"):
        back.pop(key, None)
    back_url = reverse("task-list") + (f"?{back.urlencode()}" if back else "")
    if params.get("scope") == "filter":
        filterset, _data = task_filter_for(request)
        valid = filterset.is_valid()
        errors = [] if valid else [f"{name}: {' '.join(e)}" for name, e in filterset.errors.items()]
        return Selection(
            tasks=filterset.qs if valid else Task.objects.none(),
            by_filter=True,
            plan=filterset.form.cleaned_data.get("plan") if valid else None,
            back=back_url,
            errors=errors,
        )
    ids = sorted({int(v) for v in params.getlist("task") if v.isascii() and v.isdigit()})
    return Selection(
        tasks=tasks_visible_to(request.user).filter(pk__in=ids),
        by_filter=False,
        plan=None,
        back=back_url,
        errors=[],
    )


def _plan_of(selection: Selection, rows: list[Task]) -> Plan | None:
    if selection.plan is not None:
        return selection.plan
    plans = {t.plan_id: t.plan for t in rows}
    return next(iter(plans.values())) if len(plans) == 1 else None


def _preview(op: str, rows: list[Task], form: Any) -> tuple[Outcome, int]:
    """What the operation would do to each task (with the value chosen so far), and for a report cycle how
    many tasks have one of their own that it replaces."""
    if op == "assign":
        return plan_assignment(rows), 0
    values = form.values() if form.is_bound and form.is_valid() else {}
    if op == "cycle":
        own = task_cycles(t.pk for t in rows)
        outcome = plan_cycles(rows, own, complete_rule(values)) if values else plan_cycles(rows, {}, {})
        return outcome, sum(1 for t in outcome.done if t.pk in own)
    return plan_field(rows, OPERATIONS[op].field, values.get(OPERATIONS[op].field)), 0


def _run(op: str, tasks: QuerySet[Task], form: Any, by: Any) -> Outcome:
    reason = form.cleaned_data.get("reason", "")
    if op == "assign":
        return assign_tasks(tasks, by=by, reason=reason)
    if op == "cycle":
        return set_report_cycles(tasks, by=by, reason=reason, **form.values())
    field = OPERATIONS[op].field
    return set_field(tasks, field, form.cleaned_data[field], by=by, reason=reason)


def _skipped(op: str, task: Task) -> bool:
    """Refused for its state (not in draft, closed or cancelled), not for something the office can fill in."""
    return task.status != TaskStatus.DRAFT if op == "assign" else not task.is_open


def _groups(op: str, refused: list[tuple[Task, str]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The refused tasks grouped by reason: those that lack something, and those skipped for their state."""
    lacking: dict[str, list[Task]] = {}
    skipped: dict[str, list[Task]] = {}
    for task, why in refused:
        (skipped if _skipped(op, task) else lacking).setdefault(why, []).append(task)

    def listed(groups: dict[str, list[Task]]) -> list[dict[str, Any]]:
        return [{"reason": why, "tasks": tasks, "n": len(tasks)} for why, tasks in groups.items()]

    return listed(lacking), listed(skipped)


def summary(
    op: str, done: int, unchanged: int, refused: list[tuple[Task, str]], *, after: bool
) -> list[dict]:
    """What will happen (or happened), sentence by sentence: the tasks done, each reason some were not done
    with those tasks, the tasks skipped for their state, and those that already had the value."""
    spec = OPERATIONS[op]
    lacking, skipped = _groups(op, refused)
    lines: list[dict[str, Any]] = [{"kind": "done", "text": (spec.did if after else spec.will) % {"n": done}}]
    for group in lacking:
        text = (spec.did_not if after else spec.cannot) % group
        lines.append({"kind": "lacking", "text": text, "tasks": group["tasks"], "last": group is lacking[-1]})
    for group in skipped:
        lines.append({"kind": "skipped", "text": SKIPPED % group, "tasks": group["tasks"]})
    if unchanged:
        lines.append({"kind": "unchanged", "text": UNCHANGED % {"n": unchanged}})
    return lines


def _make_form(op: str, data: Any, plan: Plan | None) -> Any:
    return OPERATIONS[op].form(data, plan=plan)  # type: ignore[call-arg]


def _error_text(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@login_required
def bulk(request: HttpRequest) -> HttpResponseBase:
    _require_office(request)
    selection = selection_of(request)
    op = request.GET.get("op", "")
    if op == "ledger" and request.method == "GET":
        return _ledger(request, selection)
    if op not in OPERATIONS:
        raise Http404("No such operation")
    rows = load(selection.tasks)
    plan = _plan_of(selection, rows)
    form = _make_form(op, request.POST if request.method == "POST" else None, plan)
    status = 200
    if request.method == "POST":
        status = 400
        if selection.errors or not rows:
            messages.error(request, _("No task is selected: nothing was done."))
        elif form.is_valid():
            try:
                outcome = _run(op, selection.tasks, form, request.user)
            except Conflict as exc:
                messages.error(request, str(exc))
                status = 409
            except ValidationError as exc:  # an ActionError, or the rule of a report cycle
                messages.error(request, _error_text(exc))
            else:
                _remember(request, op, outcome, selection)
                return redirect("dispatch:bulk-result")
    elif request.method != "GET":
        return HttpResponse(status=405)
    outcome, replaced = _preview(op, rows, form)
    context = {
        "nav": "tasks",
        "op": op,
        "operation": OPERATIONS[op],
        "selection": selection,
        "plan": plan,
        "form": form,
        "selected": len(rows),
        "outcome": outcome,
        "lines": summary(op, len(outcome.done), len(outcome.unchanged), outcome.refused, after=False),
        "nothing": not outcome.done,
        "shown": outcome.done[:SHOWN],
        "more": max(0, len(outcome.done) - SHOWN),
        "replaced": replaced,
        "fill_in": follow_ups(op, [t.pk for t, _why in outcome.refused if not _skipped(op, t)])
        if op == "assign"
        else [],
    }
    return render(request, "dispatch/bulk_confirm.html", context, status=status)


def _ledger(request: HttpRequest, selection: Selection) -> HttpResponseBase:
    """The ledger (台账) of the selection: no change, so no confirmation; one plan year per file."""
    plan = selection.plan
    if plan is None and not selection.errors:
        years = list(selection.tasks.order_by().values_list("plan", flat=True).distinct()[:2])
        plan = Plan.objects.filter(pk=years[0]).first() if len(years) == 1 else None
    if plan is None:
        messages.error(request, _("Select tasks of one plan year to download their ledger."))
        return redirect(selection.back)
    return ledger_file(plan, selection.tasks, request.user)


def _remember(request: HttpRequest, op: str, outcome: Outcome, selection: Selection) -> None:
    request.session[RESULT] = {
        "op": op,
        "done": [t.pk for t in outcome.done],
        "unchanged": len(outcome.unchanged),
        "refused": [[t.pk, why] for t, why in outcome.refused],
        "back": selection.back,
    }


FOLLOW_UPS = {"assign": ("owner", "leader"), "owner": ("assign",), "leader": ("assign",)}
LINKED = 500  # at most this many tasks go into a follow-up link (each is a parameter of the address)


def follow_ups(op: str, ids: list[int]) -> list[dict[str, Any]]:
    """Links to the next operation on these tasks (the same selection by id, without the filter)."""
    if not ids or len(ids) > LINKED:
        return []
    query = QueryDict(mutable=True)
    query.setlist("task", [str(pk) for pk in ids])
    links = []
    for name in FOLLOW_UPS.get(op, ()):
        query["op"] = name
        links.append({"op": name, "label": OPERATIONS[name].title, "query": query.urlencode()})
    return links


@login_required
def bulk_result(request: HttpRequest) -> HttpResponse:
    """What the last run did: counts, the tasks that were not done with the reason, and the next steps: after
    交办, fill in what the refused tasks lack; after setting a leader or person, assign those tasks."""
    _require_office(request)
    result = request.session.get(RESULT)
    if not result or result.get("op") not in OPERATIONS:
        return redirect("task-list")
    op = result["op"]
    reasons = {pk: why for pk, why in result["refused"]}
    tasks = tasks_visible_to(request.user).filter(pk__in=list(reasons)).select_related("lead_unit")
    refused = [(t, reasons[t.pk]) for t in in_code_order(tasks)]
    lines = summary(op, len(result["done"]), result["unchanged"], refused, after=True)
    follow = [t.pk for t, _why in refused if not _skipped(op, t)] if op == "assign" else result["done"]
    context = {
        "nav": "tasks",
        "op": op,
        "operation": OPERATIONS[op],
        "lines": lines,
        "nothing": not result["done"],
        "follow": len(follow),
        "follow_ups": follow_ups(op, follow),
        "back": result["back"],
    }
    return render(request, "dispatch/bulk_result.html", context)

"""The task's lifecycle buttons: which ones a user sees, and thin POST views that call plans.actions."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.orgs.models import Unit
from tongtui.orgs.roles import Roles, roles_of
from tongtui.plans import actions, rules
from tongtui.plans.access import get_task_for
from tongtui.plans.forms import AcknowledgeForm, ProgressForm, ReasonForm
from tongtui.plans.models import CoUnit, Task, TaskStatus

S = TaskStatus


def available_actions(roles: Roles, task: Task, links: list[CoUnit]) -> dict[str, Any]:
    """What this user may do to the task now: mirrors rules.py and the actions' status checks."""
    manage = rules.may_manage(roles)
    co_ids = {link.unit_id for link in links}
    unacknowledged: dict[int, Unit] = {
        link.unit_id: link.unit for link in links if link.acknowledged_at is None
    }
    if task.lead_unit is not None and task.lead_acknowledged_at is None:
        unacknowledged[task.lead_unit.pk] = task.lead_unit
    ack_ids = rules.acknowledgeable_units(roles, task.lead_unit_id, co_ids) & set(unacknowledged)
    ack_units = [unacknowledged[i] for i in sorted(ack_ids, key=lambda i: (i != task.lead_unit_id, i))]
    status = task.status
    reporting = (S.ACKNOWLEDGED, S.IN_PROGRESS) + ((S.ASSIGNED,) if roles.is_office else ())
    allowed: dict[str, Any] = {
        "edit": manage,
        "assign": manage and status == S.DRAFT,
        "acknowledge": status != S.DRAFT and task.is_open and bool(ack_units),
        "progress": rules.may_report(roles, task.lead_unit_id) and status in reporting,
        "request_completion": rules.may_request_completion(roles, task.lead_unit_id)
        and status == S.IN_PROGRESS,
        "close": manage and status in (S.COMPLETION_REQUESTED, S.IN_PROGRESS),
        "return": manage and status == S.COMPLETION_REQUESTED,
        "suspend": manage and status in (S.ASSIGNED, S.ACKNOWLEDGED, S.IN_PROGRESS),
        "resume": manage and status == S.SUSPENDED,
        "cancel": manage and task.is_open,
    }
    allowed["any"] = any(v for k, v in allowed.items() if k != "edit")
    allowed["ack_units"] = ack_units
    return allowed


@dataclass(frozen=True)
class Action:
    run: Callable[[Task, Any, dict[str, Any]], Any]
    done: Any  # message shown after success
    form: str = ""  # "progress", "reason", "optional_reason", "acknowledge" or no form


ACTIONS: dict[str, Action] = {
    "assign": Action(
        lambda t, by, d: actions.assign_task(t, by=by), _("The task has been assigned to its units.")
    ),
    "acknowledge": Action(
        lambda t, by, d: actions.acknowledge_task(t, by=by, unit=d["unit"]),
        _("Acknowledged."),
        "acknowledge",
    ),
    "progress": Action(
        lambda t, by, d: actions.record_progress(t, by=by, progress=d["progress"], note=d["note"]),
        _("Progress recorded."),
        "progress",
    ),
    "request-completion": Action(
        lambda t, by, d: actions.request_completion(t, by=by, note=d["reason"]),
        _("Completion requested; the supervision office will verify it."),
        "optional_reason",
    ),
    "close": Action(
        lambda t, by, d: actions.close_task(t, by=by, reason=d["reason"]),
        _("The task is closed."),
        "optional_reason",
    ),
    "return": Action(
        lambda t, by, d: actions.return_completion(t, by=by, reason=d["reason"]),
        _("The completion request has been sent back."),
        "reason",
    ),
    "suspend": Action(
        lambda t, by, d: actions.suspend_task(t, by=by, reason=d["reason"]),
        _("The task is suspended."),
        "reason",
    ),
    "resume": Action(
        lambda t, by, d: actions.resume_task(t, by=by, reason=d["reason"]),
        _("The task is resumed."),
        "optional_reason",
    ),
    "cancel": Action(
        lambda t, by, d: actions.cancel_task(t, by=by, reason=d["reason"]),
        _("The task is cancelled."),
        "reason",
    ),
}


def make_form(slug: str, task: Task, allowed: dict[str, Any], data: Any = None) -> forms.Form | None:
    kind = ACTIONS[slug].form
    if kind == "progress":
        return ProgressForm(data, prefix=slug, initial={"progress": task.progress})
    if kind in ("reason", "optional_reason"):
        return ReasonForm(data, prefix=slug, required=kind == "reason")
    if kind == "acknowledge":
        return AcknowledgeForm(data, prefix=slug, units=allowed["ack_units"])
    return None


def action_forms(task: Task, allowed: dict[str, Any], bound: dict[str, forms.Form]) -> dict[str, Any]:
    """One form per action the user may take; a bound form (with the user's input) after a failure."""
    result: dict[str, Any] = {}
    for slug in ACTIONS:
        if allowed.get(slug.replace("-", "_")):
            result[slug.replace("-", "_")] = bound.get(slug) or make_form(slug, task, allowed)
    return result


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


@login_required
@require_POST
def task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    task = get_task_for(request.user, pk)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action")
    from tongtui.plans.views import detail_context

    roles = roles_of(request.user)
    allowed = available_actions(roles, task, list(CoUnit.objects.filter(task=task).select_related("unit")))
    form = make_form(action, task, allowed, request.POST)
    status = 400
    if not allowed.get(action.replace("-", "_")):
        # The button is not shown to this user now; the action itself would refuse too.
        messages.error(
            request,
            _("You cannot do this while the task is “%(status)s”, or your role does not allow it.")
            % {"status": task.get_status_display()},
        )
        status = 403
        form = None
    elif form is not None and not form.is_valid():
        messages.error(request, _("Please correct the form below."))
    else:
        data = form.cleaned_data if form is not None else {}
        data.setdefault("unit", None)
        try:
            spec.run(task, request.user, data)
        except Forbidden as exc:
            messages.error(request, _error_text(exc))
            status = 403
        except Conflict as exc:
            messages.error(request, _error_text(exc))
            status = 409
        except (ActionError, ValidationError) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, str(spec.done))
            return redirect("task-detail", pk=task.pk)
    task = get_task_for(request.user, pk)  # fresh: a refused action may have touched the instance
    bound = {action: form} if form is not None else {}
    return render(request, "plans/task_detail.html", detail_context(request, task, bound), status=status)

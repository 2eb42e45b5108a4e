"""The office's charter editor: create a task, or change one without overwriting someone else's edit."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.orgs.roles import roles_of
from tongtui.plans import actions, rules
from tongtui.plans.access import get_task_for
from tongtui.plans.changes import Names, model_field_of, show_value
from tongtui.plans.forms import CHARTER_FIELDS, MilestoneFormSet, TaskForm
from tongtui.plans.models import Milestone, Plan, Task
from tongtui.plans.views import current_plan


def _require_office(request: HttpRequest) -> None:
    if not rules.may_manage(roles_of(request.user)):
        raise PermissionDenied(_("Only the supervision office can edit tasks."))


def _save_milestones(task: Task, formset: Any, *, by: Any, reason: str) -> None:
    for form in formset.forms:
        milestone = form.instance
        if form in formset.deleted_forms:
            if milestone.pk:
                actions.delete_milestone(milestone, by=by, reason=reason)
            continue
        if not form.has_changed():
            continue
        if milestone.pk:
            actions.update_milestone(milestone, by=by, reason=reason, **form.values())
        else:
            actions.add_milestone(task, by=by, reason=reason, **form.values())


def _add_errors(form: TaskForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _differences(form: TaskForm, current: Task) -> list[dict[str, str]]:
    """The charter fields where the saved task now differs from what the user submitted."""
    names = Names()
    rows = []
    for name in CHARTER_FIELDS:
        field = model_field_of(Task, name)
        saved = getattr(current, field.attname)
        mine = form.cleaned_data.get(name)
        mine = getattr(mine, "pk", mine)
        if saved != mine and not (saved in (None, "") and mine in (None, "")):
            names.want(name, saved, mine)
            rows.append((name, saved, mine))
    names.load()
    result = [
        {
            "label": capfirst(str(model_field_of(Task, n).verbose_name)),
            "saved": show_value(Task, n, s, names),
            "mine": show_value(Task, n, m, names),
        }
        for n, s, m in rows
    ]
    saved_units = set(current.co_units.values_list("pk", flat=True))
    my_units = {u.pk for u in form.cleaned_data.get("co_units", [])}
    if saved_units != my_units:
        names = Names()
        names.want("unit", *(saved_units | my_units))
        names.load()
        result.append(
            {
                "label": _("Co-units"),
                "saved": "、".join(sorted(names.get("unit", u) for u in saved_units)) or "—",
                "mine": "、".join(sorted(names.get("unit", u) for u in my_units)) or "—",
            }
        )
    return result


def _editor(request: HttpRequest, plan: Plan, task: Task | None) -> HttpResponse:
    user = request.user
    instance = task or Task(plan=plan)
    conflict: list[dict[str, str]] | None = None
    current_milestones: list[Milestone] = []
    if request.method == "POST":
        form = TaskForm(request.POST, instance=instance, plan=plan, user=user)
        formset = MilestoneFormSet(request.POST, instance=instance, prefix="ms")
        if form.is_valid() and formset.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                with transaction.atomic():
                    if task is None:
                        saved = actions.create_task(
                            by=user,
                            plan=plan,
                            co_units=form.cleaned_data["co_units"],
                            reason=reason,
                            **form.charter(),
                        )
                        _save_milestones(saved, formset, by=user, reason=reason)
                    elif form.has_changed() or formset.has_changed():
                        saved = actions.update_task(
                            task,
                            by=user,
                            version=form.cleaned_data["version"],
                            co_units=form.cleaned_data["co_units"],
                            reason=reason,
                            **form.charter(),
                        )
                        _save_milestones(saved, formset, by=user, reason=reason)
                    else:
                        messages.info(request, _("Nothing was changed."))
                        return redirect("task-detail", pk=task.pk)
            except Conflict as exc:
                assert task is not None
                current = get_task_for(user, task.pk)
                conflict = _differences(form, current)
                current_milestones = list(current.milestones.order_by("due", "seq"))
                data = request.POST.copy()
                data["version"] = str(exc.current_version)
                form = TaskForm(data, instance=current, plan=plan, user=user)
                formset = MilestoneFormSet(data, instance=current, prefix="ms")
            except (Forbidden, ActionError) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The task has been saved."))
                return redirect("task-detail", pk=saved.pk)
    else:
        form = TaskForm(instance=instance, plan=plan, user=user)
        formset = MilestoneFormSet(instance=instance, prefix="ms")
    context = {
        "nav": "tasks",
        "task": task,
        "plan": plan,
        "plans": Plan.objects.all() if task is None else [],
        "form": form,
        "formset": formset,
        "conflict": conflict,
        "current_milestones": current_milestones,
    }
    status = 409 if conflict is not None else (400 if request.method == "POST" else 200)
    return render(request, "plans/task_form.html", context, status=status)


@login_required
def task_create(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    plan_id = request.GET.get("plan")
    plan = get_object_or_404(Plan, pk=plan_id) if plan_id and plan_id.isdigit() else current_plan(request)
    if plan is None:
        messages.error(request, _("Create a plan year first (in the admin)."))
        return redirect("task-list")
    return _editor(request, plan, None)


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for(request.user, pk)
    _require_office(request)
    return _editor(request, task.plan, task)

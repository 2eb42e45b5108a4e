"""The office's set-up writes that span the floors: opening a year from an earlier one, the plan year's own
settings and categories, and deactivating a unit (which needs to know about tasks).

Each is one transaction that checks the office's role and calls the lower apps' actions, so that history
names the actor in every table it touches.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tongtui.assessment import actions as assessment_actions
from tongtui.assessment.models import Scheme
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.history import clip_reason, save_with_history
from tongtui.dispatch import actions_cycles
from tongtui.dispatch.models import ReportCycle
from tongtui.orgs import actions as org_actions
from tongtui.orgs.models import Unit
from tongtui.orgs.roles import roles_of
from tongtui.plans import actions as plan_actions
from tongtui.plans.actions import OPEN_STATES
from tongtui.plans.models import Category, Plan, Task
from tongtui.supervision import actions_policy

NAMED_TASKS = 5  # how many open tasks a refusal names before "and N more"


def _require_office(by: Any) -> None:
    if not roles_of(by).is_office:
        raise Forbidden(_("Only the supervision office can change the settings."))


def _plan_exists(year: int) -> ActionError:
    return ActionError(_("The plan year %(year)s already exists.") % {"year": year})


@transaction.atomic
def open_year(
    *, by: Any, year: int, source: Plan | None = None, title: str = "", status: str = Plan.Status.DRAFT
) -> Plan:
    """Open a plan year, copying from `source` its categories, plan- and category-scoped report cycles,
    reminder policy, light thresholds, scoring scheme (考核细则, when it has its own) and working days to
    acknowledge. Tasks are never copied."""
    _require_office(by)
    if Plan.objects.filter(year=year).exists():
        raise _plan_exists(year)
    try:
        with transaction.atomic():
            plan = plan_actions.create_plan(by=by, year=year, title=title.strip())
    except IntegrityError:  # the same year opened at the same moment by another click
        raise Conflict(
            _("The plan year %(year)s already exists.") % {"year": year}, current_version=0
        ) from None
    why = _("opened from %(year)s") % {"year": source.year} if source is not None else _("plan year opened")
    plan.status = status
    if source is not None:
        plan.acknowledge_workdays = source.acknowledge_workdays
    save_with_history(plan, by=by, reason=why)
    if source is None:
        return plan
    categories = {
        category.pk: plan_actions.create_category(plan, category.name, by=by, order=category.order)
        for category in source.categories.order_by("order", "name")
    }
    actions_cycles.copy_cycles(source, plan, categories, by=by, reason=why)
    actions_policy.copy_light_policy(source, plan, by=by, reason=why)
    if Scheme.objects.filter(plan=source).exists():  # without one, both years score by the default scheme
        assessment_actions.copy_scheme(source, plan, by=by)
    return plan


@transaction.atomic
def update_plan(
    plan: Plan, *, by: Any, title: str, status: str, acknowledge_workdays: int, reason: str = ""
) -> Plan:
    """Change a plan year's title, status or acknowledgement deadline. Closing goes through close_plan."""
    _require_office(by)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if status == Plan.Status.CLOSED and plan.status != Plan.Status.CLOSED:
        raise ActionError(_("Close the year with its own button, which asks for confirmation."))
    plan.title = title.strip()
    plan.status = status
    plan.acknowledge_workdays = acknowledge_workdays
    save_with_history(plan, by=by, reason=reason)
    return plan


@transaction.atomic
def close_plan(plan: Plan, *, by: Any, reason: str = "") -> Plan:
    """Close the year. Claimed with a conditional UPDATE: of two clicks at once, one closes it."""
    _require_office(by)
    still_open = Plan.objects.filter(pk=plan.pk).exclude(status=Plan.Status.CLOSED)
    if still_open.update(status=Plan.Status.CLOSED) == 0:
        raise Conflict(
            _("The plan year %(year)s is already closed.") % {"year": plan.year}, current_version=0
        )
    plan.refresh_from_db()
    save_with_history(plan, by=by, reason=reason or _("plan year closed"))
    return plan


def _name_taken(plan: Plan, name: str, exclude: int | None = None) -> bool:
    same = Category.objects.filter(plan=plan, name=name)
    return (same.exclude(pk=exclude) if exclude is not None else same).exists()


@transaction.atomic
def add_category(plan: Plan, name: str, *, by: Any) -> Category:
    _require_office(by)
    name = name.strip()
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # orders are numbered under the plan's lock
    if _name_taken(plan, name):
        raise ActionError(
            _("%(year)s already has a category “%(name)s”.") % {"year": plan.year, "name": name}
        )
    last = plan.categories.aggregate(m=Max("order"))["m"] or 0
    return plan_actions.create_category(plan, name, by=by, order=last + 1)


@transaction.atomic
def rename_category(category: Category, name: str, *, by: Any, reason: str = "") -> Category:
    _require_office(by)
    category = Category.objects.select_for_update().select_related("plan").get(pk=category.pk)
    name = name.strip()
    if _name_taken(category.plan, name, exclude=category.pk):
        raise ActionError(
            _("%(year)s already has a category “%(name)s”.") % {"year": category.plan.year, "name": name}
        )
    category.name = name
    save_with_history(category, by=by, reason=reason)
    return category


@transaction.atomic
def move_category(category: Category, step: int, *, by: Any) -> None:
    """Move a category one place up (step -1) or down (+1); the plan's categories are numbered 1…n."""
    _require_office(by)
    Plan.objects.select_for_update().filter(pk=category.plan_id).first()
    ordered = list(Category.objects.filter(plan_id=category.plan_id).order_by("order", "name"))
    index = next((i for i, c in enumerate(ordered) if c.pk == category.pk), None)
    if index is None:
        raise ActionError(_("This category has been deleted."))
    target = index + step
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for number, row in enumerate(ordered, start=1):
        if row.order != number:
            row.order = number
            save_with_history(row, by=by, reason=_("categories reordered"))


@transaction.atomic
def delete_category(category: Category, *, by: Any, reason: str = "") -> None:
    """Delete a category no task uses, with its own report cycle."""
    _require_office(by)
    row = Category.objects.select_for_update().filter(pk=category.pk).first()
    if row is None:
        raise ActionError(_("This category has been deleted."))
    used = Task.objects.filter(category=row).count()
    if used:
        raise ActionError(
            _("“%(name)s” is the category of %(count)s tasks: move them to another category first.")
            % {"name": row.name, "count": used}
        )
    for cycle in ReportCycle.objects.filter(category=row):
        actions_cycles.delete_report_cycle(cycle, by=by, reason=reason or _("category deleted"))
    row._history_user = by  # type: ignore[attr-defined]
    row._change_reason = clip_reason(reason or _("category deleted"))  # type: ignore[attr-defined]
    row.delete()


def open_tasks_led_by(unit: Unit) -> list[Task]:
    return list(
        Task.objects.filter(lead_unit=unit, status__in=OPEN_STATES)
        .select_related("plan")
        .order_by("-plan__year", "code_sort", "code")
        .only("pk", "code", "title", "plan__year")
    )


@transaction.atomic
def deactivate_unit(unit: Unit, *, by: Any, reason: str = "") -> Unit:
    """Deactivate a unit, refused while it leads open tasks (each named, so the office can reassign them)."""
    _require_office(by)
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    tasks = open_tasks_led_by(unit)
    if tasks:
        names = "、".join(f"{t.plan.year}-{t.code} {t.title}" for t in tasks[:NAMED_TASKS])
        if len(tasks) > NAMED_TASKS:
            names += _(" and %(count)s more") % {"count": len(tasks) - NAMED_TASKS}
        raise ActionError(
            _("%(unit)s still leads open tasks: %(tasks)s. Give them another lead unit or close them first.")
            % {"unit": unit.name, "tasks": names}
        )
    return org_actions.set_unit_active(unit, False, by=by, reason=reason)


def reactivate_unit(unit: Unit, *, by: Any, reason: str = "") -> Unit:
    return org_actions.set_unit_active(unit, True, by=by, reason=reason)

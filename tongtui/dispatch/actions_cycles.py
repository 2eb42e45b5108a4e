"""Writes to report cycles and reminder policies: the supervision office's settings."""

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tongtui.core.errors import Forbidden
from tongtui.core.history import save_with_history
from tongtui.dispatch.models import ReminderPolicy, ReportCycle
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Category, Plan, Task

CYCLE_FIELDS = {
    "frequency",
    "due_kind",
    "day_of_month",
    "weekday",
    "workdays_before_end",
    "shift",
    "starts_on",
}
POLICY_FIELDS = {
    "days_before",
    "on_the_day",
    "after_every",
    "escalate_to_head_after",
    "escalate_to_leader_after",
    "max_per_period",
    "by_email",
}


def _require_office(by: Any) -> None:
    if not roles_of(by).is_office:
        raise Forbidden(_("Only the supervision office can set report cycles and reminders."))


def _check_fields(fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


@transaction.atomic
def set_report_cycle(
    *,
    by: Any,
    plan: Plan,
    category: Category | None = None,
    task: Task | None = None,
    reason: str = "",
    **fields: Any,
) -> ReportCycle:
    """Create or change the cycle of a plan, a category or a task (one cycle per scope)."""
    _require_office(by)
    _check_fields(fields, CYCLE_FIELDS)
    cycle = ReportCycle.objects.filter(plan=plan, category=category, task=task).first()
    if cycle is None:
        cycle = ReportCycle(plan=plan, category=category, task=task)
    for key, value in fields.items():
        setattr(cycle, key, value)
    save_with_history(cycle, by=by, reason=reason)
    return cycle


@transaction.atomic
def update_report_cycle(cycle: ReportCycle, *, by: Any, reason: str = "", **fields: Any) -> ReportCycle:
    _require_office(by)
    _check_fields(fields, CYCLE_FIELDS)
    for key, value in fields.items():
        setattr(cycle, key, value)
    save_with_history(cycle, by=by, reason=reason)
    return cycle


@transaction.atomic
def delete_report_cycle(cycle: ReportCycle, *, by: Any, reason: str = "") -> None:
    _require_office(by)
    cycle._history_user = by  # type: ignore[attr-defined]
    cycle._change_reason = reason  # type: ignore[attr-defined]
    cycle.delete()


@transaction.atomic
def set_reminder_policy(plan: Plan, *, by: Any, reason: str = "", **fields: Any) -> ReminderPolicy:
    _require_office(by)
    _check_fields(fields, POLICY_FIELDS)
    policy = ReminderPolicy.objects.filter(plan=plan).first() or ReminderPolicy(plan=plan)
    for key, value in fields.items():
        setattr(policy, key, value)
    save_with_history(policy, by=by, reason=reason)
    return policy


def _same_day_in(year: int, day: datetime.date | None) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=year, day=28)


@transaction.atomic
def copy_cycles(
    source: Plan, target: Plan, categories: dict[int, Category], *, by: Any, reason: str = ""
) -> list[ReportCycle]:
    """Copy the source year's plan- and category-scoped cycles and its reminder policy to the target year.

    `categories` maps each source category's id to its copy in the target year; a cycle whose category
    was not copied is left out, and so are task-scoped cycles (tasks are not copied). A start date moves
    to the same day of the target year.
    """
    _require_office(by)
    copied = []
    shift = target.year - source.year
    for cycle in ReportCycle.objects.filter(plan=source, task__isnull=True).order_by("pk"):
        category = None
        if cycle.category_id is not None:
            category = categories.get(cycle.category_id)
            if category is None:
                continue
        fields = {name: getattr(cycle, name) for name in CYCLE_FIELDS}
        if cycle.starts_on is not None:
            fields["starts_on"] = _same_day_in(cycle.starts_on.year + shift, cycle.starts_on)
        copied.append(set_report_cycle(by=by, plan=target, category=category, reason=reason, **fields))
    policy = ReminderPolicy.objects.filter(plan=source).first()
    if policy is not None:
        set_reminder_policy(
            target, by=by, reason=reason, **{name: getattr(policy, name) for name in POLICY_FIELDS}
        )
    return copied

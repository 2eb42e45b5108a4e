"""Writes to report cycles and reminder policies: the supervision office's settings."""

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

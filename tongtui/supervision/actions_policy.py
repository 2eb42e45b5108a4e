"""Writes to a plan's light thresholds (红黄绿灯 policy): the supervision office's settings.

Lights are derived data: after a change the worker recomputes them (the daily job, queued once the
change commits); the request that changed the thresholds does not wait for it.
"""

import logging
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tongtui.core.errors import Forbidden
from tongtui.core.history import save_with_history
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Plan
from tongtui.supervision.models import LightPolicy

log = logging.getLogger(__name__)

POLICY_FIELDS = (
    "behind_mode",
    "yellow_behind",
    "yellow_inclusive",
    "red_behind",
    "red_inclusive",
    "planned_basis",
    "working_days",
    "milestone_overdue_red_days",
    "task_overdue_red_days",
    "milestone_soon_days",
    "forecast_slip_yellow_days",
    "forecast_slip_red_days",
    "forecast_min_elapsed_share",
    "missed_cycles_yellow",
    "missed_cycles_red",
    "escalation_yellow_days",
)


def _require_office(by: Any) -> None:
    if not roles_of(by).is_office:
        raise Forbidden(_("Only the supervision office can set the light thresholds."))


def _relight() -> None:
    from tongtui.supervision.tasks import lights_daily

    try:
        lights_daily.enqueue()
    except Exception:  # the daily run recomputes them anyway
        log.exception("could not queue the lights recompute after a threshold change")


@transaction.atomic
def set_light_policy(plan: Plan, *, by: Any, reason: str = "", **fields: Any) -> LightPolicy:
    """Create or change the plan's thresholds; the lights follow once the worker has recomputed them."""
    _require_office(by)
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    policy = LightPolicy.objects.select_for_update().filter(plan=plan).first() or LightPolicy(plan=plan)
    for key, value in fields.items():
        setattr(policy, key, value)
    save_with_history(policy, by=by, reason=reason)
    transaction.on_commit(_relight)
    return policy


@transaction.atomic
def copy_light_policy(source: Plan, target: Plan, *, by: Any, reason: str = "") -> LightPolicy | None:
    """Give the target year the source year's thresholds; None when the source uses the defaults."""
    _require_office(by)
    policy = LightPolicy.objects.filter(plan=source).first()
    if policy is None:
        return None
    return set_light_policy(
        target, by=by, reason=reason, **{name: getattr(policy, name) for name in POLICY_FIELDS}
    )

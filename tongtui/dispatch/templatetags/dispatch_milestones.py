"""Milestones on report pages: what a report may claim, what it claims, and the task's verified progress."""

from decimal import Decimal
from typing import Any

from django import template

from tongtui.dispatch import actions_milestones, rules
from tongtui.dispatch.models import ProgressReport
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Task

register = template.Library()


@register.simple_tag(takes_context=True)
def report_milestones(context: template.Context, report: ProgressReport | None) -> dict[str, Any]:
    """{% report_milestones report as ms %}: ms.rows (milestone, claimed), ms.editable."""
    if report is None or report.pk is None:
        return {"rows": [], "editable": False}
    claimed = set(report.milestone_claims.values_list("milestone_id", flat=True))
    rows = [(m, m.pk in claimed) for m in actions_milestones.claimable(report)]
    user = context.get("user")
    editable = report.is_editable and rules.may_file(roles_of(user), report.unit_id)
    return {"rows": rows, "editable": editable, "any_claimed": bool(claimed)}


@register.simple_tag
def verified_progress(task: Task) -> Decimal | None:
    """{% verified_progress task as vp %}: the planned progress of the furthest milestone done."""
    return actions_milestones.verified_progress(task)


@register.simple_tag(takes_context=True)
def task_dispatch_panel(context: template.Context, task: Task) -> dict[str, Any]:
    """{% task_dispatch_panel task as panel %}: verified progress, the user's visible open problems, may raise."""
    from tongtui.dispatch.access_problems import problems_visible_to
    from tongtui.dispatch.actions_problems import raising_units
    from tongtui.dispatch.models import ProblemStatus

    user = context.get("user")
    roles = roles_of(user)
    problems = problems_visible_to(user).filter(task=task).exclude(status=ProblemStatus.RESOLVED)
    return {
        "verified": actions_milestones.verified_progress(task),
        "open_problems": problems.count(),
        "can_raise": bool(raising_units(roles, task)),
    }

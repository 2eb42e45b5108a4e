"""Milestones are done through reports (item 7): the unit claims them in a report, the office's acceptance
makes them done. Also the copy of a report's indicator values into the task's indicator series on acceptance.

`submit_report` and `accept_report` (dispatch.actions) call `check_evidence` and `on_accept`.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.errors import ActionError, Forbidden
from tongtui.core.history import save_with_history
from tongtui.core.loaded import prefetched
from tongtui.dispatch import rules
from tongtui.dispatch.models import MilestoneClaim, ProgressReport
from tongtui.orgs.roles import roles_of
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Milestone, Task


def claimable(report: ProgressReport) -> QuerySet[Milestone]:
    """The task's milestones due up to the period's end and not done yet, and those this report claims."""
    return (
        Milestone.objects.filter(task_id=report.task_id, due__lte=report.period_end)
        .filter(Q(done_on__isnull=True) | Q(claims__report=report))
        .distinct()
        .order_by("due", "seq")
    )


def _missing_evidence(report: ProgressReport, milestones: Iterable[Milestone]) -> list[str]:
    """The titles of the milestones that require evidence, unless the report carries some."""
    titles = [m.title for m in milestones if m.evidence_required]
    if titles and report.attachments.exists():
        return []
    return titles


def _refuse_without_evidence(titles: list[str]) -> None:
    if titles:
        raise ActionError(
            _(
                "Attach evidence (a file or photo) to the report before claiming these milestones done: "
                "%(milestones)s."
            )
            % {"milestones": "、".join(f"“{t}”" for t in titles)}
        )


@transaction.atomic
def claim_milestones(
    report: ProgressReport, *, by: Any, milestone_ids: Iterable[int]
) -> list[MilestoneClaim]:
    """The lead unit ticks the milestones done this period; unticked claims are withdrawn.

    A milestone that requires evidence is refused unless the report carries evidence.
    """
    from tongtui.dispatch.actions import lock_editable, require_editable  # that module imports this one

    if not rules.may_file(roles_of(by), report.unit_id):
        raise Forbidden(_("Only the lead unit's liaison or head can write this report."))
    require_editable(report)
    lock_editable(report)
    wanted = set(milestone_ids)
    offered = {m.pk: m for m in claimable(report)}
    unknown = wanted - set(offered)
    if unknown:
        raise ActionError(_("These milestones cannot be claimed in this report: %(ids)s.") % {
            "ids": ", ".join(map(str, sorted(unknown)))
        })  # fmt: skip
    existing = {c.milestone_id: c for c in report.milestone_claims.all()}
    _refuse_without_evidence(_missing_evidence(report, [offered[i] for i in wanted - set(existing)]))
    for milestone_id, claim in existing.items():
        if milestone_id not in wanted:
            claim._history_user = by  # type: ignore[attr-defined]
            claim.delete()
    done_on = min(timezone.localdate(), report.period_end)
    for milestone_id in sorted(wanted - set(existing)):
        claim = MilestoneClaim(report=report, milestone=offered[milestone_id], done_on=done_on)
        save_with_history(claim, by=by, reason=_("claimed done"))
        existing[milestone_id] = claim
    return [existing[i] for i in sorted(wanted)]


def check_evidence(report: ProgressReport) -> None:
    """At submission: every claimed milestone that requires evidence has it (files may have been removed)."""
    # in the milestones' order (the model's ordering, by report first, would join the report, task and plan)
    claims = report.milestone_claims.select_related("milestone").order_by("milestone__due", "milestone__seq")
    _refuse_without_evidence(_missing_evidence(report, [c.milestone for c in claims]))


def on_accept(report: ProgressReport, *, by: Any) -> None:
    """The office accepted the report: its claimed milestones are done, its indicator values recorded."""
    reason = _("report accepted: %(report)s") % {"report": report}
    for claim in report.milestone_claims.select_related("milestone"):
        milestone = claim.milestone
        # Claimed with a conditional UPDATE: two reports claiming one milestone, accepted at once, mark it once.
        if Milestone.objects.filter(pk=milestone.pk, done_on__isnull=True).update(done_on=claim.done_on):
            milestone.refresh_from_db()
            plan_actions.update_milestone(milestone, by=by, reason=reason, done_on=claim.done_on)
    for row in report.indicator_values.select_related("indicator__task"):
        plan_actions.record_indicator_value(
            row.indicator, by=by, period=report.period_end, value=row.value, reason=reason
        )


def verified_progress(task: Task) -> Decimal | None:
    """Progress verified by milestones: the planned progress of the furthest milestone done. None if none is.
    From the milestones the caller prefetched (the task page), else one query."""
    loaded = prefetched(task, "milestones")
    if loaded is not None:
        done = [m.planned_progress for m in loaded if m.done_on is not None and m.planned_progress is not None]
        return max(done, default=None)
    return task.milestones.filter(done_on__isnull=False).aggregate(p=Max("planned_progress"))["p"]

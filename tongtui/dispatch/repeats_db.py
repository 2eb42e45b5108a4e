"""The check at submission, on stored reports: last period's report, and what the form tells the liaison."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from tongtui.dispatch.models import ProgressReport, ReportStatus
from tongtui.dispatch.repeats import FIGURES_CHANGED_ONLY, Repeat, changes_text, check_repeat


def sent_in_before(before: datetime.date) -> Q:
    """Reports ending before `before` that were sent in: the candidates for "last period's report"."""
    return Q(period_end__lt=before) & ~Q(status=ReportStatus.DRAFT)


def previous_report(task_id: int, before: datetime.date) -> ProgressReport | None:
    """The task's last report ending before `before` that was sent in (what the form pre-fills from)."""
    return ProgressReport.objects.filter(sent_in_before(before), task_id=task_id).order_by("-period_end").first()


def repeat_of(report: ProgressReport, previous: ProgressReport | None = None) -> Repeat | None:
    """Whether the report's "what was done" repeats last period's report (None for an imported report)."""
    if report.imported:
        return None
    previous = previous or previous_report(report.task_id, report.period_start)
    if previous is None:
        return None
    return check_repeat(report.done, prefilled=previous.next_steps, last_done=previous.done)


def warning(repeat: Repeat) -> str:
    """What the form (and the API) tells the liaison, before submission."""
    if repeat.code == FIGURES_CHANGED_ONLY:
        if repeat.changes:
            return _(
                "“What was done this period” is the last report's text with only the figures changed (%(changes)s). "
                "Say what is new this period, or submit anyway."
            ) % {"changes": changes_text(repeat.changes)}
        return _(
            "“What was done this period” is the last report's text with only the figures changed. "
            "Say what is new this period, or submit anyway."
        )
    return _(
        "“What was done this period” is still the last report's next steps, as the form pre-filled them. "
        "Write what was actually done this period, or submit anyway."
    )

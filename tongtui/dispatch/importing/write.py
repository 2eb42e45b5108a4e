"""The import action and the all-or-nothing apply.

An imported report is accepted at once: it records what was already reported and reviewed before the
district moved to Tongtui. It is marked `imported`, sends no notification and, being filed, is never chased
by a reminder. History names the actor and the reason "import_reports <file>".
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.history import save_with_history
from tongtui.dispatch.importing.ledger import read_ledger
from tongtui.dispatch.importing.matching import CREATE, UNCHANGED, UPDATE, Item, Preview, build_preview
from tongtui.dispatch.models import ProgressReport, ReportStatus
from tongtui.dispatch.schedule import Period
from tongtui.orgs.roles import roles_of
from tongtui.plans import actions as plan_actions
from tongtui.plans.importing.readers import read_file
from tongtui.plans.models import Plan, Task, TaskStatus

COUNTERS = {CREATE: "created", UPDATE: "updated", UNCHANGED: "unchanged"}
PROGRESS_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS)


class ImportFailed(Exception):
    """Nothing was written; `messages` say why, row by row."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class Imported:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    tasks_progressed: int = 0


def reason_for(filename: str) -> str:
    return f"import_reports {filename}"[:100]


def _filed_at(period: Period, on: datetime.date | None) -> datetime.datetime:
    """When the report was filed: the ledger's date, else the period's due date, at 17:00 local time."""
    day = on or period.due or period.end
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(17)))


@transaction.atomic
def import_report(
    task: Task,
    period: Period,
    *,
    by: Any,
    reason: str,
    progress: Decimal | None,
    done: str,
    next_steps: str = "",
    problems: str = "",
    on: datetime.date | None = None,
) -> tuple[ProgressReport, str]:
    """Write one historical report, accepted and marked imported; update it if it was imported before.

    Returns the report and what happened (create, update, unchanged). Refuses to touch a report filed in
    Tongtui. Only the supervision office imports.
    """
    if not roles_of(by).is_office:
        raise Forbidden(_("Only the supervision office can import report history."))
    if task.lead_unit_id is None:
        raise ActionError(_("The task has no lead unit."))
    report = (
        ProgressReport.objects.select_for_update()
        .filter(task=task, period_start=period.start, period_end=period.end)
        .first()
    )
    if report is not None and not report.imported:
        raise ActionError(_("A report for this period was filed in Tongtui; an import never overwrites it."))
    values = {"progress": progress, "done": done, "next_steps": next_steps, "problems": problems}
    if report is not None and all(getattr(report, k) == v for k, v in values.items()):
        return report, UNCHANGED
    filed = _filed_at(period, on)
    action = UPDATE
    if report is None:
        action = CREATE
        report = ProgressReport(
            task=task,
            unit_id=task.lead_unit_id,
            period_start=period.start,
            period_end=period.end,
            due=period.due,
            created_by=by,
            imported=True,
        )
    else:
        ProgressReport.objects.filter(pk=report.pk).update(version=F("version") + 1)
        report.version += 1
    for k, v in values.items():
        setattr(report, k, v)
    report.status = ReportStatus.ACCEPTED
    report.first_submitted_at = report.first_submitted_at or filed
    report.submitted_at = filed
    report.late_workdays = 0
    report.reviewed_at, report.reviewed_by, report.review_note = timezone.now(), by, reason
    save_with_history(report, by=by, reason=reason)
    return report, action


def _progress_tasks(items: list[Item], *, by: Any, reason: str) -> int:
    """Each task's visible progress follows its latest imported report, unless a later one is recorded."""
    latest: dict[int, Item] = {}
    for item in items:
        assert item.task is not None and item.period is not None
        if item.entry.progress is None:
            continue
        best = latest.get(item.task.pk)
        if best is None or (best.period and item.period.end > best.period.end):
            latest[item.task.pk] = item
    count = 0
    for task_id, item in latest.items():
        assert item.period is not None and item.entry.progress is not None
        task = Task.objects.select_for_update().get(pk=task_id)
        if task.status not in PROGRESS_STATUSES or (task.progress_on and task.progress_on >= item.period.end):
            continue
        plan_actions.record_progress(
            task, by=by, progress=item.entry.progress, note=item.entry.done, on=item.period.end, reason=reason
        )
        count += 1
    return count


def apply_preview(preview: Preview, *, by: Any, filename: str, dry_run: bool = False) -> Imported:
    """Write every row or none. A dry run goes through the same writes and rolls them back."""
    if not preview.ok:
        raise ImportFailed(preview.errors)
    if not roles_of(by).is_office:
        raise ImportFailed([_("Only the supervision office can import report history.")])
    reason = reason_for(filename)
    result = Imported()
    with transaction.atomic():
        for item in preview.items:
            assert item.task is not None and item.period is not None
            e = item.entry
            try:
                _report, action = import_report(
                    item.task,
                    item.period,
                    by=by,
                    reason=reason,
                    progress=e.progress,
                    done=e.done,
                    next_steps=e.next_steps,
                    problems=e.problems,
                    on=e.on,
                )
            except (ActionError, Conflict, ValidationError) as exc:
                text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                raise ImportFailed([_("Row %(row)s: %(error)s") % {"row": item.ref, "error": text}]) from exc
            counter = COUNTERS[action]
            setattr(result, counter, getattr(result, counter) + 1)
        result.tasks_progressed = _progress_tasks(preview.items, by=by, reason=reason)
        if dry_run:
            transaction.set_rollback(True)
    return result


def read_preview(filename: str, data: bytes, plan: Plan, *, sheet: str | None = None) -> Preview:
    """Read an .xlsx or .csv ledger and match it against the plan. Raises UnreadableFile."""
    return build_preview(read_ledger(read_file(filename, data, sheet), plan.year), plan)

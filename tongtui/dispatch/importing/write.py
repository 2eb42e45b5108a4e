"""The import action and the all-or-nothing apply.

An imported report is accepted at once: it records what was already reported and reviewed before the
district moved to Tongtui. It is marked `imported`, sends no notification and, being filed, is never chased
by a reminder. History names the actor and the reason "import_reports <file>".
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from tongtui.core.history import clip_reason
from tongtui.dispatch.importing.ledger import read_ledger
from tongtui.dispatch.importing.matching import CREATE, UNCHANGED, UPDATE, Item, Preview, build_preview
from tongtui.dispatch.models import ProgressReport, ReportStatus
from tongtui.dispatch.schedule import Period
from tongtui.orgs.roles import roles_of
from tongtui.plans.actions_bulk import _field_errors, _reference_errors, _rollup_many
from tongtui.plans.importing.readers import read_file
from tongtui.plans.models import Plan, Task, TaskStatus
from tongtui.plans.signals import tasks_changed

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


BATCH = 1000  # rows per INSERT and ids per IN (…): SQLite's parameter limit, PostgreSQL's plan size


def _chunks(seq: list[Any], size: int = BATCH) -> list[list[Any]]:
    return [seq[i : i + size] for i in range(0, len(seq), size)]


def _locked_reports(items: list[Item]) -> dict[tuple[int, datetime.date, datetime.date], ProgressReport]:
    """The reports already stored for the items' tasks and periods, locked until the import commits."""
    task_ids = sorted({i.task.pk for i in items if i.task is not None})
    first = min(i.period.start for i in items if i.period is not None)
    found = {}
    for ids in _chunks(task_ids):
        for r in ProgressReport.objects.select_for_update().filter(task_id__in=ids, period_start__gte=first):
            found[(r.task_id, r.period_start, r.period_end)] = r
    return found


def _row_error(item: Item, text: str) -> str:
    return _("Row %(row)s: %(error)s") % {"row": item.ref, "error": text}


REPORT_TEXTS = ("progress", "done", "next_steps", "problems")


def _report_values(item: Item) -> dict[str, Any]:
    e = item.entry
    return {"progress": e.progress, "done": e.done, "next_steps": e.next_steps, "problems": e.problems}


def _accept(report: ProgressReport, item: Item, *, by: Any, reason: str, now: datetime.datetime) -> None:
    """What an imported report holds: the ledger's texts, accepted on the day it was filed."""
    assert item.period is not None
    filed = _filed_at(item.period, item.entry.on)
    for k, v in _report_values(item).items():
        setattr(report, k, v)
    report.status = ReportStatus.ACCEPTED
    report.first_submitted_at = report.first_submitted_at or filed
    report.submitted_at = filed
    report.late_workdays = 0
    report.reviewed_at, report.reviewed_by, report.review_note = now, by, reason
    report.updated_at = now


def _write_reports(items: list[Item], *, by: Any, reason: str, result: Imported) -> set[int]:
    """Every item at once, accepted and marked imported (a report filed in Tongtui is never overwritten): the
    stored reports locked and checked, the rows checked as
    full_clean would (field rules per row, references once per table), then bulk inserts and updates with
    their history rows. Raises ImportFailed with every bad row, before anything is written."""
    stored = _locked_reports(items)
    now = timezone.now()
    created: list[tuple[str, ProgressReport]] = []
    updated: list[tuple[str, ProgressReport]] = []
    errors: dict[str, list[str]] = {}
    for item in items:
        assert item.task is not None and item.period is not None
        task, period = item.task, item.period
        if task.lead_unit_id is None:
            errors.setdefault(item.ref, []).append(_("The task has no lead unit."))
            continue
        report = stored.get((task.pk, period.start, period.end))
        if report is not None and not report.imported:
            errors.setdefault(item.ref, []).append(
                _("A report for this period was filed in Tongtui; an import never overwrites it.")
            )
            continue
        if report is not None and all(getattr(report, k) == v for k, v in _report_values(item).items()):
            result.unchanged += 1
            continue
        if report is None:
            report = ProgressReport(
                task=task,
                unit_id=task.lead_unit_id,
                period_start=period.start,
                period_end=period.end,
                due=period.due,
                created_by=by,
                imported=True,
            )
            created.append((item.ref, report))
        else:
            report.version += 1
            updated.append((item.ref, report))
        _accept(report, item, by=by, reason=reason, now=now)
    for ref, report in created + updated:
        messages: list[str] = []
        _field_errors(report, messages)
        if messages:
            errors.setdefault(ref, []).extend(messages)
    _reference_errors(created + updated, errors)
    if errors:
        refs = {i.ref: i for i in items}
        raise ImportFailed([_row_error(refs[ref], " ".join(texts)) for ref, texts in errors.items()])
    why = clip_reason(reason)
    for chunk in _chunks([r for _ref, r in created]):
        bulk_create_with_history(
            chunk, ProgressReport, batch_size=BATCH, default_user=by, default_change_reason=why
        )
    fields = [*REPORT_TEXTS, *UPDATED_FIELDS]
    for chunk in _chunks([r for _ref, r in updated]):
        ProgressReport.objects.bulk_update(chunk, fields, batch_size=BATCH)
        get_history_manager_for_model(ProgressReport).bulk_history_create(
            chunk, update=True, default_user=by, default_change_reason=why, batch_size=BATCH
        )
    result.created, result.updated = len(created), len(updated)
    return {r.task_id for _ref, r in created + updated}


UPDATED_FIELDS = (
    "status",
    "first_submitted_at",
    "submitted_at",
    "late_workdays",
    "reviewed_at",
    "reviewed_by",
    "review_note",
    "version",
    "updated_at",
)


def _progress_tasks(items: list[Item], *, plan: Plan, by: Any, reason: str) -> tuple[int, set[int]]:
    """Each task's visible progress follows its latest imported report, unless a later one is recorded: what
        plans.actions.record_progress writes, for all tasks at once (rows locked, statuses checked under the lock,
        one history row each, the parents rolled up once). Returns how many tasks' progress was recorded and the ids
    of every task changed (with the parents rolled up)."""
    latest: dict[int, Item] = {}
    for item in items:
        assert item.task is not None and item.period is not None
        if item.entry.progress is None:
            continue
        best = latest.get(item.task.pk)
        if best is None or (best.period and item.period.end > best.period.end):
            latest[item.task.pk] = item
    tasks: list[Task] = []
    for ids in _chunks(sorted(latest)):
        tasks += Task.objects.select_for_update().filter(pk__in=ids, status__in=PROGRESS_STATUSES)
    now = timezone.now()
    changed: list[Task] = []
    for task in tasks:
        item = latest[task.pk]
        assert item.period is not None and item.entry.progress is not None
        if task.progress_on and task.progress_on >= item.period.end:
            continue
        task.progress = Decimal(item.entry.progress)
        task.progress_note = item.entry.done
        task.progress_on = item.period.end
        task.status = TaskStatus.IN_PROGRESS
        task.version += 1
        task.updated_at = now
        changed.append(task)
    names = ["progress", "progress_note", "progress_on", "status", "version", "updated_at"]
    why = clip_reason(reason or _("progress recorded"))
    for chunk in _chunks(changed):
        Task.objects.bulk_update(chunk, names, batch_size=BATCH)
        get_history_manager_for_model(Task).bulk_history_create(
            chunk, update=True, default_user=by, default_change_reason=why, batch_size=BATCH
        )
    parents = {t.parent_id for t in changed if t.parent_id is not None}
    rolled = _rollup_many(plan, parents, by=by)
    return len(changed), {t.pk for t in changed} | rolled


def apply_preview(preview: Preview, *, by: Any, filename: str, dry_run: bool = False) -> Imported:
    """Write every row or none, set-based: every row checked before anything is written (ImportFailed lists
    each bad row), then bulk inserts with history, the tasks' progress in one pass, and the derived data
    (lights, scores) announced once for all touched tasks. A dry run goes through the same writes and rolls
    them back."""
    if not preview.ok:
        raise ImportFailed(preview.errors)
    if not roles_of(by).is_office:
        raise ImportFailed([_("Only the supervision office can import report history.")])
    reason = reason_for(filename)
    result = Imported()
    with transaction.atomic():
        if preview.items:
            touched = _write_reports(preview.items, by=by, reason=reason, result=result)
            result.tasks_progressed, progressed = _progress_tasks(
                preview.items, plan=preview.plan, by=by, reason=reason
            )
            if touched or progressed:
                tasks_changed.send(sender=Task, task_ids=sorted(touched | progressed))
        if dry_run:
            transaction.set_rollback(True)
    return result


def read_preview(filename: str, data: bytes, plan: Plan, *, sheet: str | None = None) -> Preview:
    """Read an .xlsx or .csv ledger and match it against the plan. Raises UnreadableFile."""
    return build_preview(read_ledger(read_file(filename, data, sheet), plan.year), plan)

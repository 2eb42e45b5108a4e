"""Every write to progress reports, contributions, evidence and reviews. One transaction each.

Report life: draft → submitted → signed off (unit head) → accepted or returned (office). A returned
report is edited and submitted again. Nothing changes after submission except through a return.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongtui.core.claims import claim
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.history import save_with_history
from tongtui.core.workdays import workdays_between
from tongtui.dispatch import actions_milestones, rules
from tongtui.dispatch.due import REPORTABLE
from tongtui.dispatch.evidence import check_upload
from tongtui.dispatch.models import (
    Attachment,
    ProgressReport,
    ReportContribution,
    ReportIndicatorValue,
    ReportStatus,
)
from tongtui.dispatch.models.reports import EDITABLE
from tongtui.dispatch.repeats_db import previous_report, sent_in_before
from tongtui.dispatch.schedule import Period
from tongtui.notify.actions import send
from tongtui.notify.kinds import Kind
from tongtui.orgs.models import Role, Unit
from tongtui.orgs.recipients import users_with
from tongtui.orgs.roles import roles_of
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Indicator, Task, TaskStatus

DRAFT_FIELDS = {"progress", "done", "next_steps", "problems", "confidence"}
STARTED_FROM_TASK = ("task", "unit", "period_start", "period_end")
MAX_ATTACHMENTS = 30


def require_editable(report: ProgressReport) -> None:
    if not report.is_editable:
        raise ActionError(
            _(
                "This report has been submitted and can no longer be changed. Ask for it to be returned to correct it."
            )
        )


def _require_filer(report: ProgressReport, by: Any) -> None:
    if not rules.may_file(roles_of(by), report.unit_id):
        raise Forbidden(_("Only the lead unit's liaison or head can write this report."))


def _refusal(report: ProgressReport | None, allowed: tuple[str, ...]) -> str:
    """What the loser of a race is told: what happened to the report meanwhile, in the user's words."""
    if report is None:
        return _("This report no longer exists. Reload the page.")
    if report.status in allowed:  # still in the state, but saved by someone else since the user loaded it
        last = report.history.select_related("history_user").first()
        who = getattr(last.history_user, "person", None) or last.history_user if last else None
        return _(
            "%(who)s saved this report at %(when)s while you were editing it. Reload to see their changes, "
            "then add yours."
        ) % {"who": who or _("Someone else"), "when": timezone.localtime(report.updated_at).strftime("%H:%M")}
    said: dict[str, str] = {
        ReportStatus.SUBMITTED: _("This report has already been submitted. Reload the page to see it."),
        ReportStatus.SIGNED_OFF: _(
            "This report has already been signed off by the unit head. Reload the page to see it."
        ),
        ReportStatus.ACCEPTED: _(
            "This report has already been accepted by the supervision office. Reload the page to see it."
        ),
        ReportStatus.RETURNED: _("This report has already been returned. Reload the page to see it."),
    }
    return said.get(
        report.status, _("Someone else changed this report a moment ago. Reload the page to see it.")
    )


def _claim(report: ProgressReport, *allowed: str, version: int | None = None) -> None:
    """Take the report for a change: only while it is still in one of the `allowed` statuses and, with
    `version`, still the version the user loaded. The version goes up; of several requests at once exactly
    one gets here, the others get a Conflict saying what happened (core.claims)."""
    where: dict[str, Any] = {"status__in": allowed}
    if version is not None:
        where["version"] = version
    claim(
        report,
        lambda now: _refusal(now, allowed),
        update={"version": F("version") + 1},
        versioned=True,
        **where,
    )


def lock_editable(report: ProgressReport) -> None:
    """Hold the report's row while adding to it (files, contributions, milestone claims) without changing
    its version, so a draft the user is still typing is not refused; refused once the report is submitted."""
    claim(report, lambda now: _refusal(now, ()), status__in=EDITABLE)


def _url(report: ProgressReport) -> str:
    return reverse("dispatch:report-detail", args=[report.pk])


def prefill(task: Task, before: Any, last: Any = ...) -> dict[str, Any]:
    """Start from the last report: same progress and problems; last time's next steps as done. Confidence
    (完成把握) is not carried over: the liaison chooses it each time, seeing last period's as a hint.
    `last`: the report before, if the caller has read it already."""
    if last is ...:
        last = previous_report(task.pk, before)
    if last is None:
        return {"progress": task.progress}
    return {"progress": last.progress, "problems": last.problems, "done": last.next_steps}


def _the_report(task: Task, period: Period) -> ProgressReport | None:
    """The task's report for this period (one at most: the model's ordering would join the task and plan)."""
    return (
        ProgressReport.objects.filter(task=task, period_start=period.start, period_end=period.end)
        .order_by()
        .first()
    )


def _this_or_last(task: Task, period: Period) -> tuple[ProgressReport | None, ProgressReport | None]:
    """The task's report for this period if there is one, else the last report sent in before it (what a new
    one is pre-filled from): one read, newest end first. This period's report ends after the period starts, so
    it comes before every report that ends earlier; repeats_db.previous_report is the second half alone."""
    row = (
        ProgressReport.objects.filter(task=task)
        .filter(
            Q(period_start=period.start, period_end=period.end) | sent_in_before(period.start)
        )
        .order_by("-period_end")
        .first()
    )
    if row is not None and (row.period_start, row.period_end) == (period.start, period.end):
        return row, None
    return None, row


def _get_or_start(task: Task, period: Period, by: Any) -> ProgressReport:
    existing, last = _this_or_last(task, period)
    if existing is not None:
        return existing
    if task.status not in REPORTABLE:
        raise ActionError(
            _("Reports are not taken while the task is “%(status)s”.") % {"status": task.get_status_display()}
        )
    if task.lead_unit_id is None:
        raise ActionError(_("The task has no lead unit."))
    report = ProgressReport(
        task=task,
        unit_id=task.lead_unit_id,
        period_start=period.start,
        period_end=period.end,
        due=period.due,
        created_by=by,
        **prefill(task, period.start, last),
    )
    try:
        with transaction.atomic():
            # the task and its lead unit were just read, the period (start before end) comes from the schedule and was
            # found free above: a report started meanwhile is the IntegrityError below
            save_with_history(report, by=by, reason=_("draft started"), vouched=STARTED_FROM_TASK)
    except (IntegrityError, ValidationError):  # someone started the same report a moment ago
        existing = _the_report(task, period)
        if existing is None:
            raise
        return existing
    report.started_now, report.previous_read = True, last  # type: ignore[attr-defined]  # for the API's answer
    return report


@transaction.atomic
def start_or_get_draft(task: Task, period: Period, *, by: Any) -> ProgressReport:
    """The report of this task and period, started (pre-filled from the last report) if there is none."""
    if not rules.may_file(roles_of(by), task.lead_unit_id):
        raise Forbidden(_("Only the lead unit's liaison or head can write this report."))
    return _get_or_start(task, period, by)


@transaction.atomic
def save_draft(
    report: ProgressReport,
    *,
    by: Any,
    version: int | None,
    indicator_values: Mapping[int, Decimal | None] | None = None,
    **fields: Any,
) -> ProgressReport:
    """Save the lead unit's text. With `version`, refuse (Conflict) if someone saved in between."""
    unknown = set(fields) - DRAFT_FIELDS
    if unknown:
        raise TypeError(f"unknown report fields: {sorted(unknown)}")
    _require_filer(report, by)
    require_editable(report)
    if indicator_values:
        _check_indicators(report, indicator_values)
    _claim(report, *EDITABLE, version=version)
    for key, value in fields.items():
        setattr(report, key, value)
    save_with_history(report, by=by, reason=_("draft saved"))
    if indicator_values:
        _save_indicator_values(report, indicator_values, by=by)
    return report


def _check_indicators(report: ProgressReport, values: Mapping[int, Decimal | None]) -> None:
    indicators = set(
        Indicator.objects.filter(task_id=report.task_id, pk__in=values).values_list("pk", flat=True)
    )
    unknown = set(values) - indicators
    if unknown:
        raise ActionError(
            _("These indicators do not belong to the task: %(ids)s.")
            % {"ids": ", ".join(map(str, sorted(unknown)))}
        )


def _save_indicator_values(report: ProgressReport, values: Mapping[int, Decimal | None], *, by: Any) -> None:
    existing = {v.indicator_id: v for v in report.indicator_values.all()}
    for indicator_id, value in values.items():
        row = existing.get(indicator_id)
        if value is None:
            if row is not None:
                row._history_user = by  # type: ignore[attr-defined]
                row.delete()
            continue
        if row is None:
            row = ReportIndicatorValue(report=report, indicator_id=indicator_id, value=value)
        elif row.value == value:
            continue
        row.value = value
        save_with_history(row, by=by)


@transaction.atomic
def submit_report(report: ProgressReport, *, by: Any, version: int | None = None) -> ProgressReport:
    """Send the report in. Late submission is allowed and marked with the working days late.

    A unit head who submits signs off at the same time.
    """
    _require_filer(report, by)
    require_editable(report)
    _claim(report, *EDITABLE, version=version)
    missing = []
    if report.progress is None:
        missing.append(_("progress"))
    if not report.done.strip():
        missing.append(_("what was done this period"))
    if missing:
        raise ActionError(
            _("Fill in %(missing)s before submitting.") % {"missing": "、".join(map(str, missing))}
        )
    actions_milestones.check_evidence(report)
    now = timezone.now()
    if report.first_submitted_at is None:
        report.first_submitted_at = now
        today = timezone.localdate(now)
        if report.due is not None and today > report.due:  # the calendar only for a late one
            report.late_workdays = max(0, workdays_between(report.due, today))
    report.submitted_at, report.submitted_by = now, by
    report.reviewed_at, report.reviewed_by = None, None
    if rules.may_sign_off(roles_of(by), report.unit_id):
        report.status = ReportStatus.SIGNED_OFF
        report.signed_off_at, report.signed_off_by = now, by
    else:
        report.status = ReportStatus.SUBMITTED
        report.signed_off_at, report.signed_off_by = None, None
    save_with_history(report, by=by, reason=_("submitted"))
    if report.status == ReportStatus.SUBMITTED:
        send(
            Kind.SIGN_OFF,
            users_with(Role.UNIT_HEAD, units=[report.unit_id]),
            _("A report waits for your sign-off: %(report)s") % {"report": report},
            url=_url(report),
            key=f"sign-off:{report.pk}:{report.version}",
            unit=report.unit_id,
        )
    return report


@transaction.atomic
def add_contribution(
    task: Task, period: Period, *, by: Any, text: str, unit: Unit | None = None
) -> ReportContribution:
    """A co-unit writes (or rewrites) its part of the lead unit's report for this period."""
    co_ids = set(task.co_unit_links.values_list("unit_id", flat=True))
    allowed = rules.contributing_units(roles_of(by), co_ids)
    if unit is None and len(allowed) == 1:
        unit_id = next(iter(allowed))
    elif unit is not None and unit.pk in allowed:
        unit_id = unit.pk
    else:
        raise Forbidden(_("Only a co-unit's liaison or head can add its part to this report."))
    if not text.strip():
        raise ActionError(_("Write what your unit did."))
    report = _get_or_start(task, period, by)
    require_editable(report)
    lock_editable(report)
    text = text.strip()
    contribution = ReportContribution.objects.filter(report=report, unit_id=unit_id).first()
    if contribution is None:
        contribution = ReportContribution(report=report, unit_id=unit_id)
    elif contribution.text == text:  # the same words sent twice (a double click): once is enough
        raise Conflict(
            _("Your unit's part of this report has already been saved with these words. Reload the page."),
            current_version=report.version,
        )
    contribution.text, contribution.author = text, by
    save_with_history(contribution, by=by)
    return contribution


@transaction.atomic
def sign_off(report: ProgressReport, *, by: Any) -> ProgressReport:
    """主要负责人审核: the lead unit's head vouches for the report."""
    if not rules.may_sign_off(roles_of(by), report.unit_id):
        raise Forbidden(_("Only the lead unit's head can sign off this report."))
    if report.status != ReportStatus.SUBMITTED:
        raise ActionError(_("Only a submitted report can be signed off."))
    _claim(report, ReportStatus.SUBMITTED)
    report.status = ReportStatus.SIGNED_OFF
    report.signed_off_at, report.signed_off_by = timezone.now(), by
    save_with_history(report, by=by, reason=_("signed off"))
    return report


@transaction.atomic
def accept_report(report: ProgressReport, *, by: Any, note: str = "") -> ProgressReport:
    """The office accepts: the task's reported progress becomes the report's (unless a later one is in);
    the milestones it claims become done and its indicator values are recorded."""
    if not rules.may_review(roles_of(by)):
        raise Forbidden(_("Only the supervision office can accept a report."))
    if report.status != ReportStatus.SIGNED_OFF:
        raise ActionError(_("Only a report signed off by the unit head can be accepted."))
    _claim(report, ReportStatus.SIGNED_OFF)
    report.status = ReportStatus.ACCEPTED
    report.reviewed_at, report.reviewed_by, report.review_note = timezone.now(), by, note.strip()
    save_with_history(report, by=by, reason=_("accepted"))
    actions_milestones.on_accept(report, by=by)
    task = Task.objects.select_for_update().get(pk=report.task_id)
    newer = task.progress_on is not None and task.progress_on > report.period_end
    if not newer and task.status in (TaskStatus.ASSIGNED, TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS):
        assert report.progress is not None
        plan_actions.record_progress(
            task,
            by=by,
            progress=report.progress,
            note=report.done,
            # a report accepted before its period ends speaks for the day it was filed, not a future day
            on=min(report.period_end, timezone.localdate(report.submitted_at or timezone.now())),
            reason=_("report accepted: %(report)s") % {"report": report},
        )
    send(
        Kind.REPORT_ACCEPTED,
        [report.submitted_by],
        _("Your report was accepted: %(report)s") % {"report": report},
        url=_url(report),
        key=f"report-accepted:{report.pk}:{report.version}",
    )
    return report


@transaction.atomic
def return_report(report: ProgressReport, *, by: Any, reason: str) -> ProgressReport:
    """退回: send the report back to the liaison with the reason, for correction and resubmission."""
    roles = roles_of(by)
    if not rules.may_return(roles, report.unit_id, report.status):
        if report.status not in (ReportStatus.SUBMITTED, ReportStatus.SIGNED_OFF):
            raise ActionError(_("Only a submitted report can be returned."))
        raise Forbidden(_("You cannot return this report."))
    if not reason.strip():
        raise ActionError(_("Give the reason for returning the report."))
    filed = (ReportStatus.SUBMITTED, ReportStatus.SIGNED_OFF)
    _claim(report, *(s for s in filed if rules.may_return(roles, report.unit_id, s)))
    report.status = ReportStatus.RETURNED
    report.reviewed_at, report.reviewed_by, report.review_note = timezone.now(), by, reason.strip()
    save_with_history(report, by=by, reason=reason.strip())
    users = {report.submitted_by, *users_with(Role.LIAISON, units=[report.unit_id])}
    send(
        Kind.REPORT_RETURNED,
        users,
        _("Your report was returned: %(report)s") % {"report": report},
        body=reason.strip(),
        url=_url(report),
        key=f"report-returned:{report.pk}:{report.version}",
        unit=report.unit_id,
    )
    return report


def _attachment_unit(report: ProgressReport, by: Any) -> int:
    roles = roles_of(by)
    if rules.may_file(roles, report.unit_id):
        return report.unit_id
    co_ids = set(report.task.co_unit_links.values_list("unit_id", flat=True))
    allowed = rules.contributing_units(roles, co_ids)
    if not allowed:
        raise Forbidden(_("Only the task's units can add evidence to this report."))
    return min(allowed)


@transaction.atomic
def add_attachment(report: ProgressReport, *, by: Any, file: UploadedFile) -> Attachment:
    """Add an evidence file; refused if too large, of a type not accepted, or not what its name says."""
    unit_id = _attachment_unit(report, by)
    require_editable(report)
    lock_editable(report)  # parallel uploads are counted one after another
    if report.attachments.count() >= MAX_ATTACHMENTS:
        raise ActionError(_("A report can have at most %(n)s evidence files.") % {"n": MAX_ATTACHMENTS})
    checked = check_upload(file)
    attachment = Attachment(
        report=report,
        unit_id=unit_id,
        original_name=(file.name or "")[-255:],
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    attachment.file.save(file.name or "evidence", file, save=False)
    save_with_history(attachment, by=by)
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, *, by: Any) -> None:
    """Take a file off a report not yet submitted. The stored file is kept for the history."""
    report = attachment.report
    roles = roles_of(by)
    if not (rules.may_file(roles, report.unit_id) or roles.has(attachment.unit_id, *rules.UNIT_ACTORS)):
        raise Forbidden(_("You cannot remove this file."))
    require_editable(report)
    lock_editable(report)
    if not Attachment.objects.filter(pk=attachment.pk).exists():
        raise Conflict(
            _("This file has already been removed. Reload the page."), current_version=report.version
        )
    attachment._history_user = by  # type: ignore[attr-defined]
    attachment.delete()

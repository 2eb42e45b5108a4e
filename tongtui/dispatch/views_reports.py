"""One report: the phone form, the report page with its review buttons, co-unit contributions and evidence."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.dispatch import access, actions, due, repeats_db, rules
from tongtui.dispatch.evidence import CONTENT_TYPES, max_bytes
from tongtui.dispatch.forms import AcceptForm, ContributionForm, EvidenceForm, ReportForm, ReturnForm
from tongtui.dispatch.models import ProgressReport, ReportContribution, ReportStatus
from tongtui.dispatch.schedule import Period, period_label
from tongtui.orgs.models import Unit
from tongtui.orgs.roles import roles_of
from tongtui.plans.access import get_task_for
from tongtui.plans.models import Task


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _period_or_404(task: Task, start: datetime.date) -> Period:
    try:
        return due.period_for(task, start)
    except ActionError:
        raise Http404("No such report period") from None


def _upload(request: HttpRequest, report: ProgressReport, files: list[Any]) -> bool:
    """Attach each file; a refused file is named in a message and the others still go in."""
    ok = True
    for f in files:
        try:
            actions.add_attachment(report, by=request.user, file=f)
        except (ActionError, ValidationError, Forbidden, Conflict) as exc:
            messages.error(request, _error_text(exc))
            ok = False
    return ok


def _form_page(
    request: HttpRequest,
    task: Task,
    period: Period,
    report: ProgressReport | None,
    form: ReportForm,
    *,
    theirs: ProgressReport | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    previous = repeats_db.previous_report(task.pk, period.start)
    repeat = repeats_db.repeat_of(report, previous) if report is not None and previous is not None else None
    context = {
        "task": task,
        "period": period,
        "report": report,
        "form": form,
        "theirs": theirs,
        "period_label": report.period_label if report else period_label(period.start, period.end),
        "late": period.due < today,
        "attachments": list(report.attachments.select_related("unit")) if report else [],
        "contributions": list(report.contributions.select_related("unit")) if report else [],
        "max_mb": max_bytes() // (1024 * 1024),
        "repeat": repeat,
        "repeat_warning": repeats_db.warning(repeat) if repeat else "",
        "previous": previous,
        "prefilled": bool(
            previous and previous.next_steps.strip() and form["done"].value() == previous.next_steps
        ),
    }
    return render(request, "dispatch/report_form.html", context, status=status)


def _save(
    request: HttpRequest, task: Task, period: Period, report: ProgressReport, form: ReportForm
) -> HttpResponse:
    try:
        actions.save_draft(
            report,
            by=request.user,
            version=form.cleaned_data["version"],
            indicator_values=form.indicator_values(),
            **form.draft_fields(),
        )
    except Conflict as exc:
        messages.error(request, str(exc))
        theirs = ProgressReport.objects.get(pk=report.pk)
        if not theirs.is_editable:  # submitted a moment ago (a double click): nothing is left to merge into
            return _detail(request, access.get_report_for(request.user, report.pk), status=409)
        data = request.POST.copy()
        data["version"] = str(theirs.version)
        rebound = ReportForm(data, indicators=form.indicators)
        rebound.is_valid()
        return _form_page(request, task, period, theirs, rebound, theirs=theirs, status=409)
    except (ActionError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        if not report.is_editable:  # it was submitted before this click: show the report, not a form
            return _detail(request, access.get_report_for(request.user, report.pk), status=400)
        return _form_page(request, task, period, report, form, status=400)
    if not _upload(request, report, form.uploads()):
        messages.warning(request, _("Your text was saved. Choose the refused files again, or others."))
        return redirect("dispatch:report-edit", report.pk)
    if "submit" in request.POST:
        if request.POST["submit"] != "anyway" and repeats_db.repeat_of(report) is not None:
            # a gentle stop before submission: the form shows why, and a button to submit anyway
            messages.info(request, _("Draft saved. Not submitted yet: read the note above the form."))
            return redirect("dispatch:report-edit", report.pk)
        try:
            actions.submit_report(report, by=request.user)
        except Conflict as exc:  # submitted by someone else (or this click's twin) a moment ago
            messages.error(request, _error_text(exc))
            return _detail(request, access.get_report_for(request.user, report.pk), status=409)
        except (ActionError, ValidationError) as exc:
            messages.error(request, _error_text(exc))
            return redirect("dispatch:report-edit", report.pk)
        messages.success(request, _("Report submitted."))
        return redirect("dispatch:report-detail", report.pk)
    messages.success(request, _("Draft saved."))
    return redirect("dispatch:report-edit", report.pk)


@login_required
def report_start(request: HttpRequest, task_pk: int, start: datetime.date) -> HttpResponse:
    """The form for a period not reported yet, pre-filled from the last report; saving creates the report."""
    task = get_task_for(request.user, task_pk)
    period = _period_or_404(task, start)
    existing = ProgressReport.objects.filter(
        task=task, period_start=period.start, period_end=period.end
    ).first()
    may_file = rules.may_file(roles_of(request.user), task.lead_unit_id)
    if existing is not None:
        return redirect(
            "dispatch:report-edit" if existing.is_editable and may_file else "dispatch:report-detail",
            existing.pk,
        )
    if not may_file:
        raise Http404("No such report")
    indicators = list(task.indicators.all())
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, indicators=indicators)
        if form.is_valid():
            try:
                report = actions.start_or_get_draft(task, period, by=request.user)
            except (ActionError, Forbidden) as exc:
                messages.error(request, _error_text(exc))
                return _form_page(request, task, period, None, form, status=400)
            return _save(request, task, period, report, form)
        messages.error(request, _("Please correct the form below."))
        return _form_page(request, task, period, None, form, status=400)
    form = ReportForm(initial={**actions.prefill(task, period.start), "version": 1}, indicators=indicators)
    return _form_page(request, task, period, None, form)


def _initial(report: ProgressReport) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "progress": report.progress,
        "done": report.done,
        "next_steps": report.next_steps,
        "problems": report.problems,
        "confidence": report.confidence,
        "version": report.version,
    }
    for value in report.indicator_values.all():
        initial[f"indicator_{value.indicator_id}"] = value.value
    return initial


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for(request.user, pk)
    if not (report.is_editable and rules.may_file(roles_of(request.user), report.unit_id)):
        return redirect("dispatch:report-detail", report.pk)
    task = report.task
    period = Period(report.period_start, report.period_end, report.due or report.period_end)
    indicators = list(task.indicators.all())
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, indicators=indicators)
        if form.is_valid():
            return _save(request, task, period, report, form)
        messages.error(request, _("Please correct the form below."))
        return _form_page(request, task, period, report, form, status=400)
    return _form_page(
        request, task, period, report, ReportForm(initial=_initial(report), indicators=indicators)
    )


def _detail(
    request: HttpRequest, report: ProgressReport, *, status: int = 200, return_form: ReturnForm | None = None
) -> HttpResponse:
    roles = roles_of(request.user)
    co_ids = set(report.task.co_unit_links.values_list("unit_id", flat=True))
    filer = rules.may_file(roles, report.unit_id)
    contributor = bool(rules.contributing_units(roles, co_ids))
    can = {
        "edit": report.is_editable and filer,
        "sign_off": report.status == ReportStatus.SUBMITTED and rules.may_sign_off(roles, report.unit_id),
        "accept": report.status == ReportStatus.SIGNED_OFF and rules.may_review(roles),
        "return": rules.may_return(roles, report.unit_id, report.status),
        "contribute": report.is_editable and contributor,
        "attach": report.is_editable and (filer or contributor),
    }
    can["review"] = can["sign_off"] or can["accept"] or can["return"]
    history = report.history.select_related("history_user__person").order_by("-history_date")[:50]
    return render(
        request,
        "dispatch/report_detail.html",
        {
            "report": report,
            "task": report.task,
            "can": can,
            "contributions": report.contributions.select_related("unit", "author__person"),
            "attachments": report.attachments.select_related("unit"),
            "indicator_values": report.indicator_values.select_related("indicator"),
            "history": history,
            "return_form": return_form or ReturnForm(),
            "accept_form": AcceptForm(),
            "evidence_form": EvidenceForm(),
        },
        status=status,
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access.get_report_for(request.user, pk))


REVIEWS = {
    "sign-off": _("Signed off: the report goes to the supervision office."),
    "accept": _("Report accepted."),
    "return": _("Report returned with your reason."),
}


@login_required
@require_POST
def review(request: HttpRequest, pk: int, review: str) -> HttpResponse:
    report = access.get_report_for(request.user, pk)
    if review not in REVIEWS:
        raise Http404("No such review step")
    return_form = None
    try:
        if review == "sign-off":
            actions.sign_off(report, by=request.user)
        elif review == "accept":
            accept = AcceptForm(request.POST)
            accept.is_valid()
            actions.accept_report(report, by=request.user, note=accept.cleaned_data.get("note", ""))
        else:
            return_form = ReturnForm(request.POST)
            actions.return_report(report, by=request.user, reason=request.POST.get("reason", ""))
    except Forbidden as exc:
        messages.error(request, _error_text(exc))
        status = 403
    except Conflict as exc:
        messages.error(request, _error_text(exc))
        status = 409
    except (ActionError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        status = 400
    else:
        messages.success(request, str(REVIEWS[review]))
        return redirect("dispatch:report-detail", report.pk)
    report = access.get_report_for(request.user, pk)
    return _detail(request, report, status=status, return_form=return_form)


@login_required
def contribute(request: HttpRequest, task_pk: int, start: datetime.date) -> HttpResponse:
    """A co-unit's page: write its part of the lead unit's report for this period, with photos."""
    task = get_task_for(request.user, task_pk)
    period = _period_or_404(task, start)
    co_ids = set(task.co_unit_links.values_list("unit_id", flat=True))
    allowed = sorted(rules.contributing_units(roles_of(request.user), co_ids))
    if not allowed:
        raise Http404("Not a co-unit of this task")
    unit = Unit.objects.get(pk=allowed[0])
    report = ProgressReport.objects.filter(
        task=task, period_start=period.start, period_end=period.end
    ).first()
    mine = ReportContribution.objects.filter(report=report, unit=unit).first() if report else None
    status = 200
    if request.method == "POST":
        form = ContributionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                contribution = actions.add_contribution(
                    task, period, by=request.user, text=form.cleaned_data["text"], unit=unit
                )
            except Conflict as exc:
                messages.error(request, _error_text(exc))
                status = 409
            except (ActionError, ValidationError, Forbidden) as exc:
                messages.error(request, _error_text(exc))
                status = 400
            else:
                _upload(request, contribution.report, form.uploads())
                messages.success(request, _("Your unit's part has been added to the report."))
                return redirect("dispatch:report-detail", contribution.report_id)
        else:
            status = 400
    else:
        form = ContributionForm(initial={"text": mine.text if mine else ""})
    return render(
        request,
        "dispatch/contribute.html",
        {
            "task": task,
            "period": period,
            "unit": unit,
            "report": report,
            "form": form,
            "period_label": period_label(period.start, period.end),
        },
        status=status,
    )


@login_required
@require_POST
def add_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid() and form.uploads():
        if _upload(request, report, form.uploads()):
            messages.success(request, _("Evidence added."))
    else:
        messages.error(request, _("Choose a file or take a photo first."))
    target = "dispatch:report-edit" if request.POST.get("next") == "edit" else "dispatch:report-detail"
    return redirect(target, report.pk)


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    item = access.get_attachment_for(request.user, pk)
    inline = item.kind in CONTENT_TYPES
    return FileResponse(
        item.file.open("rb"),
        as_attachment=not inline,
        filename=item.original_name,
        content_type=CONTENT_TYPES.get(item.kind, "application/octet-stream"),
    )


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_attachment_for(request.user, pk)
    report_pk = item.report_id
    try:
        actions.remove_attachment(item, by=request.user)
    except (ActionError, Forbidden, Conflict) as exc:
        messages.error(request, _error_text(exc))
        return redirect("dispatch:report-detail", report_pk)
    messages.success(request, _("File removed."))
    return redirect("dispatch:report-edit", report_pk)

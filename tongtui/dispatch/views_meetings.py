"""Dispatch meetings (调度会): the list, planning one, the meeting page with its agenda, pack, minutes and
decisions. The agenda and the pack are for the office and the leaders; a unit named in a decision sees the
meeting's minutes and decisions."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.paging import Paginator
from tongtui.dispatch import access_problems as access
from tongtui.dispatch import actions_meetings
from tongtui.dispatch.agenda_data import agenda_for
from tongtui.dispatch.forms_problems import DecisionForm, MeetingForm, MinutesForm
from tongtui.dispatch.meeting_pack import build_pack, pack_title
from tongtui.dispatch.models import Meeting, MeetingStatus
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Plan

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _error_text(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def _office_only(request: HttpRequest) -> None:
    if not roles_of(request.user).is_office:
        raise Http404("Only the supervision office plans meetings")


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = access.meetings_visible_to(request.user).select_related("chair", "category", "leader")
    page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "dispatch/meeting_list.html",
        {"page": page, "nav": "meetings", "is_office": roles_of(request.user).is_office},
    )


def _form_fields(form: MeetingForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("plan", None)
    return data


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    status = 200
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                meeting = actions_meetings.create_meeting(
                    by=request.user, plan=form.cleaned_data["plan"], **_form_fields(form)
                )
            except (ActionError, ValidationError, Forbidden) as exc:
                messages.error(request, _error_text(exc))
                status = 400
            else:
                messages.success(request, _("Meeting planned. Its agenda is built from the data."))
                return redirect("dispatch:meeting-detail", meeting.pk)
        else:
            status = 400
    else:
        form = MeetingForm(initial={"plan": Plan.objects.order_by("-year").first()})
    return render(request, "dispatch/meeting_form.html", {"form": form, "nav": "meetings"}, status=status)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk)
    _office_only(request)
    status = 200
    if request.method == "POST":
        form = MeetingForm(request.POST, instance=Meeting.objects.get(pk=meeting.pk))
        if form.is_valid():
            try:
                actions_meetings.update_meeting(meeting, by=request.user, **_form_fields(form))
            except (ActionError, ValidationError, Forbidden) as exc:
                messages.error(request, _error_text(exc))
                status = 400
            else:
                messages.success(request, _("Meeting saved."))
                return redirect("dispatch:meeting-detail", meeting.pk)
        else:
            status = 400
    else:
        form = MeetingForm(instance=meeting)
    return render(
        request,
        "dispatch/meeting_form.html",
        {"form": form, "meeting": meeting, "nav": "meetings"},
        status=status,
    )


def _detail(request: HttpRequest, meeting: Meeting, *, status: int = 200, **forms: Any) -> HttpResponse:
    whole = access.sees_whole_meeting(request.user)
    office = roles_of(request.user).is_office
    agenda = agenda_for(meeting) if whole else None
    agenda_lights = (
        [
            (agenda.off_track, "red", _("Off track (red light)")),
            (agenda.at_risk, "yellow", _("At risk (yellow light)")),
        ]
        if agenda is not None
        else []
    )
    decisions = meeting.decisions.select_related(
        "lead_unit", "created_task", "created_milestone__task"
    ).prefetch_related("co_units")
    return render(
        request,
        "dispatch/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            "agenda_lights": agenda_lights,
            "whole": whole,
            "office": office,
            "decisions": decisions,
            "minutes_form": forms.get("minutes_form") or MinutesForm(initial={"minutes": meeting.minutes}),
            "decision_form": forms.get("decision_form") or DecisionForm(meeting=meeting),
            "held": meeting.status == MeetingStatus.HELD,
            "nav": "meetings",
        },
        status=status,
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access.get_meeting_for(request.user, pk))


@login_required
def meeting_pack(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """GET: the stored pack, or one built now if none is stored. POST (office): build and store it again."""
    meeting = access.get_meeting_for(request.user, pk)
    if not access.sees_whole_meeting(request.user):
        raise Http404("The pack is for the office and the leaders")
    if request.method == "POST":
        _office_only(request)
        if meeting.status == MeetingStatus.HELD:
            # the pack of a held meeting is the record of what the meeting was given: it is not rebuilt
            messages.error(request, _("The meeting was held: its pack stays as it was given to the meeting."))
            return redirect("dispatch:meeting-detail", meeting.pk)
        actions_meetings.generate_pack(meeting, by=request.user)
        messages.success(request, _("Meeting pack generated."))
        return redirect("dispatch:meeting-detail", meeting.pk)
    filename = f"{pack_title(meeting)}.docx"
    if meeting.pack:
        return FileResponse(meeting.pack.open("rb"), as_attachment=True, filename=filename, content_type=DOCX)
    content = ContentFile(build_pack(meeting))
    return FileResponse(content, as_attachment=True, filename=filename, content_type=DOCX)


@login_required
@require_POST
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk)
    _office_only(request)
    form = MinutesForm(request.POST)
    form.is_valid()
    try:
        actions_meetings.record_minutes(
            meeting, by=request.user, minutes=form.cleaned_data.get("minutes", "")
        )
    except Conflict as exc:  # someone saved minutes a moment ago; the text typed here stays in the form
        messages.error(request, str(exc))
        return _detail(request, access.get_meeting_for(request.user, pk), status=409, minutes_form=form)
    except ActionError as exc:
        messages.error(request, _error_text(exc))
        return _detail(request, meeting, status=400, minutes_form=form)
    messages.success(request, _("Minutes saved; the meeting is marked held."))
    return redirect("dispatch:meeting-detail", meeting.pk)


@login_required
@require_POST
def meeting_decision(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for(request.user, pk)
    _office_only(request)
    form = DecisionForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = actions_meetings.add_decision(
                meeting,
                by=request.user,
                text=data["text"],
                lead_unit=data["lead_unit"],
                co_units=data["co_units"],
                deadline=data["deadline"],
                kind=data["kind"],
                task=data.get("task"),
                planned_progress=data.get("planned_progress"),
            )
        except Conflict as exc:
            messages.error(request, str(exc))
            return _detail(request, meeting, status=409)
        except (ActionError, ValidationError, Forbidden) as exc:
            messages.error(request, _error_text(exc))
        else:
            tracked = decision.created_task or decision.created_milestone
            messages.success(request, _("Decision recorded and tracked: %(what)s") % {"what": tracked})
            return redirect("dispatch:meeting-detail", meeting.pk)
    return _detail(request, meeting, status=400, decision_form=form)

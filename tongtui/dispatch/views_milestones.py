"""The report's milestones: the lead unit ticks those done this period, with evidence where required."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.dispatch import access, actions, actions_milestones
from tongtui.dispatch.forms import EvidenceForm


@login_required
@require_POST
def report_milestones(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for(request.user, pk)
    target = "dispatch:report-edit" if request.POST.get("next") == "edit" else "dispatch:report-detail"
    evidence = EvidenceForm(request.POST, request.FILES)
    try:
        if evidence.is_valid():
            for f in evidence.uploads():
                actions.add_attachment(report, by=request.user, file=f)
        ids = [int(v) for v in request.POST.getlist("milestone") if v.isdigit()]
        actions_milestones.claim_milestones(report, by=request.user, milestone_ids=ids)
    except (ActionError, ValidationError, Forbidden, Conflict) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
    else:
        messages.success(
            request, _("Milestones saved. They count as done once the office accepts the report.")
        )
    return redirect(target, report.pk)

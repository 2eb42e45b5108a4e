"""Download the ledger (台账) of the tasks the list shows: same filters, same access scope."""

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest

from tongtui.plans.ledger import write_ledger
from tongtui.plans.models import Plan, Task
from tongtui.plans.views import task_filter_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ledger_file(plan: Plan, tasks: QuerySet[Task], viewer: Any = None) -> FileResponse:
    """The plan's ledger of these tasks (already narrowed to what the user may see) as an .xlsx download;
    `viewer` is that user, so that the problems column shows the problems they may see."""
    buffer = io.BytesIO()
    write_ledger(plan, tasks, buffer, viewer=viewer)
    buffer.seek(0)
    name = plan.title if plan.title.endswith("台账") else f"{plan.title}台账"
    return FileResponse(buffer, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX)


@login_required
def ledger_download(request: HttpRequest) -> FileResponse:
    filterset, _query = task_filter_for(request)
    plan = filterset.form.cleaned_data.get("plan") if filterset.is_valid() else None
    if plan is None:
        raise Http404("No such plan")
    return ledger_file(plan, filterset.qs, request.user)

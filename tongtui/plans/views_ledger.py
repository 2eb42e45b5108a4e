"""Download the ledger (台账) of the tasks the list shows: same filters, same access scope."""

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from tongtui.plans.ledger import write_ledger
from tongtui.plans.views import task_filter_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def ledger_download(request: HttpRequest) -> FileResponse:
    filterset, _query = task_filter_for(request)
    plan = filterset.form.cleaned_data.get("plan") if filterset.is_valid() else None
    if plan is None:
        raise Http404("No such plan")
    buffer = io.BytesIO()
    write_ledger(plan, filterset.qs, buffer)
    buffer.seek(0)
    name = plan.title if plan.title.endswith("台账") else f"{plan.title}台账"
    return FileResponse(buffer, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX)

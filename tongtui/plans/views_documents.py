"""Printable documents of a task: the 交办单 (.docx) for whoever may see the task, once it is assigned."""

from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpRequest

from tongtui.plans.access import get_task_for
from tongtui.plans.notice_doc import assignment_docx, assignment_number, has_assignment_notice

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def assignment_notice(request: HttpRequest, pk: int) -> FileResponse:
    task = get_task_for(request.user, pk)
    if not has_assignment_notice(task):
        raise Http404("The task has not been assigned")
    name = f"{assignment_number(task)}交办单-{task.code}.docx"
    return FileResponse(
        ContentFile(assignment_docx(task)), as_attachment=True, filename=name, content_type=DOCX
    )

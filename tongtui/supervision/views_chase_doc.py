"""The printable 督办通知单 (.docx) of a chase notice, for whoever may see the notice."""

from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.http import FileResponse, HttpRequest

from tongtui.supervision.access_chases import chases_visible_to
from tongtui.supervision.access_orders import get_or_404
from tongtui.supervision.chase_doc import chase_docx, chase_title

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def chase_notice_doc(request: HttpRequest, pk: int) -> FileResponse:
    chase = get_or_404(chases_visible_to(request.user), pk)
    name = f"{chase.number}{chase_title(chase)}.docx"
    return FileResponse(ContentFile(chase_docx(chase)), as_attachment=True, filename=name, content_type=DOCX)

"""Views of supervision: the task page's light and trajectory chart (an htmx partial)."""

from django.http import HttpRequest, HttpResponse

from tongtui.plans.access import get_task_for


def task_light(request: HttpRequest, task_pk: int) -> HttpResponse:
    get_task_for(request.user, task_pk)
    return HttpResponse("")

"""Views of supervision: the task page's light and trajectory chart (an htmx partial)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tongtui.plans.access import get_task_for
from tongtui.supervision.chart import task_chart
from tongtui.supervision.models import LightState


def _as_of(request: HttpRequest) -> datetime.date | None:
    raw = request.GET.get("as_of", "")
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@login_required
def task_light(request: HttpRequest, task_pk: int) -> HttpResponse:
    """The light with its reasons, the forecast sentence, the chart of the year and the light history."""
    task = get_task_for(request.user, task_pk)
    chart = task_chart(task, _as_of(request))
    series = {
        "planned": chart.planned,
        "reported": chart.reported,
        # verified progress holds until something new is verified: draw it on to the day shown
        "verified": chart.verified + [(chart.as_of.isoformat(), chart.verified[-1][1])]
        if chart.verified
        else [],
        "names": {
            "planned": _("Planned"),
            "reported": _("Reported"),
            "verified": _("Verified"),
            "as_of": _("Today"),
        },
        "as_of": chart.as_of.isoformat(),
        "start": f"{task.plan.year}-01-01",
        "end": f"{task.plan.year}-12-31",
    }
    context = {
        "task": task,
        "chart": chart,
        "label": dict(LightState.choices).get(chart.light, chart.light),
        "series": series,
        "history": [(d, light, dict(LightState.choices).get(light, light)) for d, light in chart.history],
    }
    return render(request, "supervision/_task_light.html", context)

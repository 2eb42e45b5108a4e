"""API of the traffic lights: the lights of the tasks a user may see, and one task's trajectory and forecast.

Without `as_of` the list reads the stored lights (fast, filterable in SQL); with `as_of` it computes them
as known that day, writing nothing. A task the user cannot see is a 404.
"""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from tongtui.api.views import ApiViewSet
from tongtui.plans.access import get_task_for, tasks_visible_to
from tongtui.plans.filters import TaskFilter
from tongtui.plans.models import Task
from tongtui.supervision.chart import task_chart
from tongtui.supervision.models import LightState, TaskLight
from tongtui.supervision.recompute import iter_results, reason_json, reason_text
from tongtui.supervision.signals.lights import LightResult

AS_OF = OpenApiParameter(
    "as_of", datetime.date, description="YYYY-MM-DD: the lights as known that day, computed and not stored."
)


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    light = serializers.CharField(allow_null=True)
    figures = serializers.DictField()
    text = serializers.CharField()


class LightSerializer(serializers.Serializer):
    task = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    lead_unit = serializers.CharField(allow_null=True)
    light = serializers.ChoiceField(choices=LightState.choices, allow_null=True)
    reasons = ReasonSerializer(many=True)
    forecast_finish = serializers.DateField(allow_null=True)
    forecast_slip = serializers.IntegerField(allow_null=True)
    spi = serializers.FloatField(allow_null=True)
    planned_progress = serializers.FloatField(allow_null=True)
    actual_progress = serializers.FloatField(allow_null=True)
    as_of = serializers.DateField(allow_null=True)


class PointSerializer(serializers.Serializer):
    date = serializers.DateField()
    progress = serializers.FloatField()


class HistorySerializer(serializers.Serializer):
    date = serializers.DateField()
    light = serializers.CharField()


class TrajectorySerializer(serializers.Serializer):
    task = serializers.IntegerField()
    as_of = serializers.DateField()
    light = serializers.CharField()
    reasons = ReasonSerializer(many=True)
    sentence = serializers.CharField()
    forecast = serializers.DictField()
    planned = PointSerializer(many=True)
    reported = PointSerializer(many=True)
    verified = PointSerializer(many=True)
    history = HistorySerializer(many=True)
    working_days = serializers.BooleanField()
    progress = serializers.DictField(
        help_text="reported (the unit's latest report, which the light judges), accepted (by the office), "
        "verified (by milestones marked done), planned (by now); each a percentage or null"
    )


def parse_as_of(request: Request) -> datetime.date | None:
    raw = request.query_params.get("as_of")
    if raw is None:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({"as_of": ["Give as_of as YYYY-MM-DD."]}) from None


def _texts(reasons: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    return [{**r, "text": reason_text(r, lang)} for r in reasons]


def _unit(task: Task) -> str | None:
    unit = task.lead_unit
    return None if unit is None else (unit.short_name or unit.name)


def stored_item(task: Task, lang: str) -> dict[str, Any]:
    state: TaskLight | None = getattr(task, "light_state", None)
    base = {"task": task.pk, "code": task.code, "title": task.title, "lead_unit": _unit(task)}
    if state is None:
        empty = ("forecast_finish", "forecast_slip", "spi", "planned_progress", "actual_progress", "as_of")
        return {**base, "light": None, "reasons": [], **dict.fromkeys(empty)}
    return {
        **base,
        "light": state.light,
        "reasons": _texts(state.reasons, lang),
        "forecast_finish": state.forecast_finish,
        "forecast_slip": state.forecast_slip,
        "spi": state.spi,
        "planned_progress": state.planned_progress,
        "actual_progress": state.actual_progress,
        "as_of": state.as_of,
    }


def computed_item(task: Task, result: LightResult, as_of: datetime.date, lang: str) -> dict[str, Any]:
    f = result.forecast
    return {
        "task": task.pk,
        "code": task.code,
        "title": task.title,
        "lead_unit": _unit(task),
        "light": result.light.value,
        "reasons": _texts([reason_json(r) for r in result.reasons], lang),
        "forecast_finish": f.finish if f else None,
        "forecast_slip": f.slip if f else None,
        "spi": None if f is None or f.spi is None else round(f.spi, 4),
        "planned_progress": result.planned,
        "actual_progress": result.progress,
        "as_of": as_of,
    }


@extend_schema_view(
    list=extend_schema(
        summary="Traffic lights of the tasks you may see", parameters=[AS_OF], tags=["lights"]
    ),
    retrieve=extend_schema(
        summary="A task's light, forecast and trajectories (planned, reported, verified)",
        parameters=[AS_OF],
        responses={
            200: TrajectorySerializer,
            400: OpenApiResponse(description="as_of is not a date (YYYY-MM-DD)."),
            401: OpenApiResponse(description="Not logged in."),
            404: OpenApiResponse(description="No such task, or you may not see it."),
        },
        tags=["lights"],
    ),
)
class LightViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """红黄绿灯: one row per task with its light and reasons; `/lights/{task id}/` adds the chart's series."""

    serializer_class = LightSerializer
    filterset_class = TaskFilter
    lookup_field = "pk"
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Task]:
        return (
            tasks_visible_to(self.request.user)
            .select_related("lead_unit", "light_state")
            .order_by("plan", "code_sort", "code")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        as_of = parse_as_of(request)
        lang = translation.get_language() or "zh-hans"
        if as_of is None:
            page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
            assert page is not None
            return self.get_paginated_response([stored_item(t, lang) for t in page])
        # As known on a past day: filter by everything but the light (which is computed), then by it.
        light = request.query_params.get("light")
        params = QueryDict(mutable=True)
        params.update(request.query_params)
        params.pop("light", None)
        filterset = TaskFilter(params, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        tasks = {t.pk: t for t in filterset.qs}
        items = [
            computed_item(tasks[r.task_id], r, as_of, lang)
            for r in iter_results(tasks, as_of)
            if not light or r.light.value == light
        ]
        items.sort(key=lambda i: (tasks[i["task"]].plan_id, tasks[i["task"]].code_sort, tasks[i["task"]].code))
        page = self.paginate_queryset(items)  # type: ignore[arg-type]
        assert page is not None
        return self.get_paginated_response(page)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        task = get_task_for(request.user, kwargs["pk"])
        return Response(task_chart(task, parse_as_of(request)).as_dict())


routes = [("lights", LightViewSet, "light")]

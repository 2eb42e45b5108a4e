"""API for plans, categories, tasks, milestones and indicators.

Reads go through plans.access (an outsider gets 404), writes through plans.actions, filters through the
task list's own FilterSet.
"""

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from tongtui.api import fields
from tongtui.api.filters import FilterBackend
from tongtui.api.schema import CONFLICT
from tongtui.api.views import ApiViewSet
from tongtui.plans import actions
from tongtui.plans.access import indicators_visible_to, milestones_visible_to, tasks_visible_to
from tongtui.plans.filters import TaskFilter
from tongtui.plans.models import Category, CoUnit, IndicatorValue, Plan, Task
from tongtui.plans.serializers import (
    AcknowledgeSerializer,
    CategorySerializer,
    CloseSerializer,
    CompletionRequestSerializer,
    IndicatorSerializer,
    IndicatorValueSerializer,
    MilestoneSerializer,
    MilestoneUpdateSerializer,
    OptionalReasonSerializer,
    PlanSerializer,
    ProgressSerializer,
    ReasonSerializer,
    TaskSerializer,
    TaskUpdateSerializer,
)


class PlanFilter(django_filters.FilterSet):
    year = fields.IntegerFilter()
    status = django_filters.ChoiceFilter(choices=Plan.Status.choices)


class CategoryFilter(django_filters.FilterSet):
    plan = fields.IntegerFilter(field_name="plan_id", label="Plan id")


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Plan years (年度计划)."""

    queryset = Plan.objects.all()
    serializer_class = PlanSerializer
    filterset_class = PlanFilter


class CategoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Categories (板块) of a plan year."""

    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    filterset_class = CategoryFilter


class CodeOrdering(OrderingFilter):
    """`?ordering=code` sorts codes naturally (Task.code_sort: 1.2 before 1.10, sub-tasks under their
    parent); any other ordering ends on the code, so that pages never overlap. Without one: the model's
    order (plan year, code)."""

    def get_ordering(self, request: Request, queryset: QuerySet[Task], view: Any) -> list[str]:
        terms = super().get_ordering(request, queryset, view) or []
        if not terms:
            return []
        out: list[str] = []
        for term in terms:
            sign = "-" if term.startswith("-") else ""
            out += [f"{sign}code_sort", f"{sign}code"] if term.lstrip("-") == "code" else [term]
        named = {o.lstrip("-") for o in out}
        return out + [t for t in ("code_sort", "code", "pk") if t not in named]


def transition(summary: str, body: type[serializers.Serializer]) -> Callable[[Any], Any]:
    """Schema of a task action: its body, the task as it now is, or 409 when it changed under you."""
    return extend_schema(
        summary=summary, request=body, responses={200: TaskSerializer, 409: CONFLICT}, tags=["tasks"]
    )


# `?include=NAME` on a task: what higher apps add to it (dispatch: "reports"), filled when their api module loads.
# Each takes the request, the task and the serializer context and returns the list to put under NAME.
task_includes: dict[str, Callable[[Request, Task, dict[str, Any]], list[Any]]] = {}

INCLUDE = OpenApiParameter(
    "include",
    str,
    enum=["reports"],
    description=(
        "`reports`: the task's progress reports under `reports`, newest period first, exactly as "
        "`/api/reports/?task={id}` lists them (the same fields, the reports you may see): one request "
        "instead of two."
    ),
)


@extend_schema_view(
    retrieve=extend_schema(parameters=[INCLUDE]),
    list=extend_schema(
        parameters=[
            OpenApiParameter("unit", int, description="Unit id, as lead unit or co-unit", allow_blank=True)
        ]
    ),
    update=extend_schema(request=TaskUpdateSerializer, responses={200: TaskSerializer, 409: CONFLICT}),
    partial_update=extend_schema(
        request=TaskUpdateSerializer, responses={200: TaskSerializer, 409: CONFLICT}
    ),
)
class TaskViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """Key tasks (重点工作) the user may see: the office and leaders all, a unit its own and co-operated ones."""

    serializer_class = TaskSerializer
    filter_backends = [FilterBackend, CodeOrdering]
    filterset_class = TaskFilter
    ordering_fields = ["code", "due", "progress"]
    office_actions = (
        "create",
        "update",
        "partial_update",
        "assign",
        "close",
        "return_completion",
        "suspend",
        "resume",
        "cancel",
    )

    def get_queryset(self) -> QuerySet[Task]:
        # The serializer emits ids only: no joins (PostgreSQL spent longer planning them than running the
        # query); co-units and their acknowledgements both come from the one prefetch of the link rows.
        links = Prefetch(
            "co_unit_links",
            queryset=CoUnit.objects.order_by("unit__order", "unit__name"),  # the units' own order, as before
        )
        return tasks_visible_to(self.request.user, Task.objects.prefetch_related(links))  # type: ignore[arg-type]

    def filter_queryset(self, queryset: Any) -> Any:
        # TaskFilter joins the stored light for the HTML list; the API does not show it.
        return super().filter_queryset(queryset).select_related(None)

    def get_serializer_class(self) -> Any:
        return TaskUpdateSerializer if self.action in ("update", "partial_update") else TaskSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        task = self.get_object()
        context = self.get_serializer_context()
        data = dict(TaskSerializer(task, context=context).data)
        for name in request.query_params.get("include", "").split(","):
            if name.strip():
                add = task_includes.get(name.strip())
                if add is None:
                    raise ValidationError({"include": [_("Unknown include: %s") % name.strip()]})
                data[name.strip()] = add(request, task, context)
        return Response(data)

    def answer(self, task: Task, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            TaskSerializer(self.reloaded(task), context=self.get_serializer_context()).data, status=code
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = actions.create_task(by=request.user, **body.validated_data)
        return self.answer(task, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        task = self.get_object()
        body = self.get_serializer(task, data=request.data)
        body.is_valid(raise_exception=True)
        actions.update_task(task, by=request.user, **body.validated_data)
        return self.answer(task)

    def act(
        self, request: Request, body_class: type[serializers.Serializer], do: Callable[..., Any]
    ) -> Response:
        task = self.get_object()
        body = body_class(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        do(task, by=request.user, **body.validated_data)
        return self.answer(task)

    @transition("Assign (交办): hand the task to its units (office)", OptionalReasonSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: Any = None) -> Response:
        return self.act(request, OptionalReasonSerializer, actions.assign_task)

    @transition("Acknowledge (签收) the assignment for the lead unit or a co-unit", AcknowledgeSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: Any = None) -> Response:
        return self.act(request, AcknowledgeSerializer, actions.acknowledge_task)

    @transition("Record the visible progress (形象进度) (lead unit or office)", ProgressSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: Any = None) -> Response:
        return self.act(request, ProgressSerializer, actions.record_progress)

    @transition("Ask for the task to be closed (lead unit's head or office)", CompletionRequestSerializer)
    @action(detail=True, methods=["post"], url_path="request-completion")
    def request_completion(self, request: Request, pk: Any = None) -> Response:
        return self.act(request, CompletionRequestSerializer, actions.request_completion)

    @transition("Close (销号) the task (office)", CloseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        return self.act(request, CloseSerializer, actions.close_task)

    @transition("Return (退回) a completion request, with the reason (office)", ReasonSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_completion(self, request: Request, pk: Any = None) -> Response:
        return self.act(request, ReasonSerializer, actions.return_completion)

    @transition("Suspend the task, with the reason (office)", ReasonSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request: Request, pk: Any = None) -> Response:
        return self.act(request, ReasonSerializer, actions.suspend_task)

    @transition("Resume a suspended task (office)", OptionalReasonSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: Any = None) -> Response:
        return self.act(request, OptionalReasonSerializer, actions.resume_task)

    @transition("Cancel the task, with the reason (office)", ReasonSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        return self.act(request, ReasonSerializer, actions.cancel_task)


class ByTask(django_filters.FilterSet):
    task = fields.IntegerFilter(field_name="task_id", label="Task id")


@extend_schema_view(
    update=extend_schema(request=MilestoneUpdateSerializer, responses=MilestoneSerializer),
    partial_update=extend_schema(request=MilestoneUpdateSerializer, responses=MilestoneSerializer),
    destroy=extend_schema(responses={204: OpenApiResponse(description="Deleted.")}),
)
class MilestoneViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ApiViewSet,
):
    """Milestones (节点) of the tasks the user may see; the office plans them."""

    serializer_class = MilestoneSerializer
    filterset_class = ByTask
    office_actions = ("create", "update", "partial_update", "destroy")

    def get_queryset(self) -> Any:
        return milestones_visible_to(self.request.user)

    def get_serializer_class(self) -> Any:
        return (
            MilestoneUpdateSerializer if self.action in ("update", "partial_update") else MilestoneSerializer
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        milestone = actions.add_milestone(fields.pop("task"), by=request.user, **fields)
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        milestone = self.get_object()
        body = self.get_serializer(milestone, data=request.data, partial=kwargs.get("partial", False))
        body.is_valid(raise_exception=True)
        actions.update_milestone(milestone, by=request.user, **body.validated_data)
        return Response(MilestoneSerializer(self.reloaded(milestone)).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actions.delete_milestone(self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet):
    """Indicators (指标) of the tasks the user may see; the office sets them."""

    serializer_class = IndicatorSerializer
    filterset_class = ByTask
    office_actions = ("create",)

    def get_queryset(self) -> Any:
        return indicators_visible_to(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        indicator = actions.add_indicator(fields.pop("task"), by=request.user, **fields)
        return Response(IndicatorSerializer(indicator).data, status=status.HTTP_201_CREATED)


def indicator_values_visible_to(user: Any) -> QuerySet[IndicatorValue]:
    return IndicatorValue.objects.filter(indicator__task__in=tasks_visible_to(user).values("pk"))


class ByIndicator(django_filters.FilterSet):
    indicator = fields.IntegerFilter(field_name="indicator_id", label="Indicator id")
    task = fields.IntegerFilter(field_name="indicator__task_id", label="Task id")


class IndicatorValueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Actual values of indicators, by period."""

    serializer_class = IndicatorValueSerializer
    filterset_class = ByIndicator

    def get_queryset(self) -> QuerySet[IndicatorValue]:
        return indicator_values_visible_to(self.request.user)


routes = [
    ("plans", PlanViewSet, "plan"),
    ("categories", CategoryViewSet, "category"),
    ("tasks", TaskViewSet, "task"),
    ("milestones", MilestoneViewSet, "milestone"),
    ("indicators", IndicatorViewSet, "indicator"),
    ("indicator-values", IndicatorValueViewSet, "indicator-value"),
]

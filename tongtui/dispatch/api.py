"""API for report cycles, progress reports (with evidence upload), contributions and reviews.

Reads go through dispatch.access (an outsider gets 404), writes through dispatch.actions; an action's
refusal of someone who can see the report is a 403, a stale version or a step someone else took a moment
ago a 409.
"""

from typing import Any, cast

import django_filters
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import FileResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from tongtui.api import fields
from tongtui.api.filters import NOT_FILTERS
from tongtui.api.schema import CONFLICT
from tongtui.api.views import ApiViewSet, prefers_minimal
from tongtui.dispatch import access, actions, actions_cycles, actions_milestones, api_problems, api_requests
from tongtui.dispatch import due as duelist
from tongtui.dispatch.api_bulk import routes as bulk_routes
from tongtui.dispatch.evidence import CONTENT_TYPES
from tongtui.dispatch.models import (
    Attachment,
    ProgressReport,
    ReportContribution,
    ReportCycle,
    ReportIndicatorValue,
    ReportStatus,
)
from tongtui.dispatch.serializers import (
    AcceptSerializer,
    AttachmentSerializer,
    ContributeSerializer,
    ContributionSerializer,
    DueItemSerializer,
    ReportAnswerSerializer,
    ReportCycleSerializer,
    ReportCycleUpdateSerializer,
    ReportDraftSerializer,
    ReportSerializer,
    ReportStartSerializer,
    ReportStepSerializer,
    ReturnSerializer,
    UploadSerializer,
    VersionSerializer,
)
from tongtui.dispatch.serializers_problems import ClaimedSerializer, ClaimSerializer
from tongtui.plans.api import task_includes
from tongtui.plans.models import Task


class CycleFilter(django_filters.FilterSet):
    plan = fields.IntegerFilter(field_name="plan_id", label="Plan id")
    task = fields.IntegerFilter(field_name="task_id", label="Task id")


@extend_schema_view(
    update=extend_schema(request=ReportCycleUpdateSerializer, responses=ReportCycleSerializer),
    partial_update=extend_schema(request=ReportCycleUpdateSerializer, responses=ReportCycleSerializer),
    destroy=extend_schema(responses={204: OpenApiResponse(description="Deleted.")}),
)
class ReportCycleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ApiViewSet,
):
    """Report cycles (报送周期): how often and by when a plan's, a category's or a task's progress is due."""

    filterset_class = CycleFilter
    office_actions = ("create", "update", "partial_update", "destroy")

    def get_queryset(self) -> QuerySet[ReportCycle]:
        return access.cycles_visible_to(self.request.user).order_by("pk")

    def get_serializer_class(self) -> Any:
        return (
            ReportCycleUpdateSerializer
            if self.action in ("update", "partial_update")
            else ReportCycleSerializer
        )

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = actions_cycles.set_report_cycle(
            by=self.request.user,
            plan=data.pop("plan"),
            category=data.pop("category", None),
            task=data.pop("task", None),
            **data,
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = actions_cycles.update_report_cycle(
            serializer.instance, by=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance: ReportCycle) -> None:
        actions_cycles.delete_report_cycle(instance, by=self.request.user)


class ReportFilter(django_filters.FilterSet):
    task = fields.IntegerFilter(field_name="task_id", label="Task id")
    unit = fields.IntegerFilter(field_name="unit_id", label="Lead unit id")
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices)
    period_start = django_filters.DateFilter()
    imported = django_filters.BooleanFilter()


def with_shown(qs: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    """What ReportSerializer shows, read in a fixed number of queries."""
    return qs.select_related("submitted_by", "reviewed_by").prefetch_related(*SHOWN_PREFETCH)


# Read into lists (`to_attr`): a prefetch into the related managers builds a filtered queryset per report and
# relation to hold its rows, which cost more than the three queries themselves.
SHOWN = {"contributions": "shown_contributions", "attachments": "shown_attachments",
         "indicator_values": "shown_indicator_values"}  # fmt: skip
SHOWN_PREFETCH = (
    Prefetch("contributions", ReportContribution.objects.select_related("unit", "author"), SHOWN["contributions"]),
    Prefetch("attachments", Attachment.objects.all(), SHOWN["attachments"]),
    Prefetch("indicator_values", ReportIndicatorValue.objects.all(), SHOWN["indicator_values"]),
)


def reports_for_api(user: Any) -> QuerySet[ProgressReport]:
    """The reports the user may see, with what ReportSerializer shows, newest period first."""
    return access.reports_visible_to(user, with_shown(ProgressReport.objects.all())).order_by(
        "-period_end", "pk"
    )


def task_reports(request: Request, task: Task, context: dict[str, Any]) -> list[Any]:
    """`GET /api/tasks/{id}/?include=reports`: the task's reports as the report list shows them."""
    reports = reports_for_api(request.user).filter(task=task)
    return list(ReportSerializer(reports, many=True, context=context).data)


task_includes["reports"] = task_reports


PREFER = OpenApiParameter(
    "Prefer",
    str,
    OpenApiParameter.HEADER,
    required=False,
    enum=["return=minimal"],
    description=(
        "`return=minimal`: answer with only id, task, unit, period, status and version (what the next step needs: "
        "the version to send), without the parts, evidence, indicator values and repeat check, which cost the "
        "server further reads; the answer then carries `Preference-Applied: return=minimal`."
    ),
)


def step(summary: str, body: type[serializers.Serializer] | None) -> Any:
    return extend_schema(
        summary=summary,
        parameters=[PREFER],
        request=body,
        responses={200: ReportAnswerSerializer, 409: CONFLICT},
        tags=["reports"],
    )


@extend_schema_view(
    create=extend_schema(
        summary="Start (or get) the report of a task for a period, pre-filled from the last one",
        request=ReportStartSerializer,
        parameters=[PREFER],
        responses={201: ReportAnswerSerializer, 200: ReportAnswerSerializer},
    ),
    partial_update=extend_schema(
        summary="Save the draft (with the version you loaded)",
        parameters=[PREFER],
        request=ReportDraftSerializer,
        responses={200: ReportAnswerSerializer, 409: CONFLICT},
    ),
    retrieve=extend_schema(responses={200: ReportAnswerSerializer}),
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet):
    """Progress reports (进展情况): the lead unit writes, the unit head signs off, the office accepts or returns."""

    serializer_class = ReportSerializer
    filterset_class = ReportFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[ProgressReport]:
        if self.action in ("list", "retrieve"):
            return reports_for_api(self.request.user)
        # a step finds its report (404 outside the scope) and acts on the row alone; its answer reads the rest.
        # Submitting names the task in the head's notification: read with the report (the claim keeps it).
        reports = access.reports_visible_to(self.request.user).order_by("pk")
        return reports.select_related("task") if self.action == "submit" else reports

    def get_object(self) -> ProgressReport:
        """A step reads its report by the key in its address and checks the scope on that row, read with its task
        (the head's notification names it); a list's filter named in the query string goes the list's way."""
        if self.action == "retrieve" or set(self.request.query_params) - NOT_FILTERS:
            return cast(ProgressReport, super().get_object())
        report = access.get_report_to_act_on(self.request.user, self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        self.check_object_permissions(self.request, report)
        return report

    def get_serializer_class(self) -> Any:
        return ReportAnswerSerializer if self.action == "retrieve" else ReportSerializer

    def answer(self, report: ProgressReport, code: int = status.HTTP_200_OK) -> Response:
        """The report as the action left it (its row was just read under the claim and saved), with what the
        answer shows beside it: a report started in this request has no parts, evidence or values yet. With
        `Prefer: return=minimal` only the row's own fields the next step needs, and no further query."""
        if prefers_minimal(self.request):
            response = Response(ReportStepSerializer(report).data, status=code)
            response["Preference-Applied"] = "return=minimal"
            return response
        context = self.get_serializer_context()
        if getattr(report, "started_now", False):
            for shown in SHOWN.values():
                setattr(report, shown, [])
            context["previous_reports"] = {report.pk: report.previous_read}  # type: ignore[attr-defined]
        else:
            prefetch_related_objects([report], *SHOWN_PREFETCH)
        return Response(ReportAnswerSerializer(report, context=context).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = ReportStartSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        task = body.validated_data["task"]
        period = duelist.period_for(task, body.validated_data["period_start"])
        report = actions.start_or_get_draft(task, period, by=request.user)
        started = getattr(report, "started_now", False)
        return self.answer(report, status.HTTP_201_CREATED if started else status.HTTP_200_OK)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = self.get_object()
        body = ReportDraftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions.save_draft(report, by=request.user, **body.to_action())
        return self.answer(report)

    def _versioned(self, request: Request) -> tuple[ProgressReport, int | None]:
        report = self.get_object()
        body = VersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return report, body.validated_data.get("version")

    @step("Submit (lead unit's liaison or head; a head's submission is also the sign-off)", VersionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        report, version = self._versioned(request)
        actions.submit_report(report, by=request.user, version=version)
        return self.answer(report)

    @step("Sign off (the lead unit's head)", None)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request: Request, pk: Any = None) -> Response:
        report = self.get_object()
        actions.sign_off(report, by=request.user)
        return self.answer(report)

    @step("Accept (office): the task's progress becomes the report's", AcceptSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: Any = None) -> Response:
        report = self.get_object()
        body = AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions.accept_report(report, by=request.user, note=body.validated_data["note"])
        return self.answer(report)

    @step("Return (退回) with the reason (office; the unit head before signing off)", ReturnSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_report(self, request: Request, pk: Any = None) -> Response:
        report = self.get_object()
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions.return_report(report, by=request.user, reason=body.validated_data["reason"])
        return self.answer(report)

    @extend_schema(
        summary="Upload an evidence file (multipart, field `file`)",
        request={"multipart/form-data": UploadSerializer},
        responses={201: AttachmentSerializer, 409: CONFLICT},
        tags=["reports"],
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request: Request, pk: Any = None) -> Response:
        report = self.get_object()
        body = UploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        attachment = actions.add_attachment(report, by=request.user, file=body.validated_data["file"])
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Claim the milestones done this period (evidence first where required); done once accepted",
        request=ClaimSerializer,
        responses={200: ClaimedSerializer(many=True), 409: CONFLICT},
        tags=["reports"],
    )
    @action(detail=True, methods=["post"])
    def milestones(self, request: Request, pk: Any = None) -> Response:
        report = self.get_object()
        body = ClaimSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        claims = actions_milestones.claim_milestones(
            report, by=request.user, milestone_ids=body.validated_data["milestones"]
        )
        return Response(ClaimedSerializer(claims, many=True).data)

    @extend_schema(
        summary="A co-unit adds (or rewrites) its part of the lead unit's report",
        request=ContributeSerializer,
        responses={200: ContributionSerializer, 409: CONFLICT},
        tags=["reports"],
    )
    @action(detail=False, methods=["post"])
    def contribute(self, request: Request) -> Response:
        body = ContributeSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        period = duelist.period_for(data["task"], data["period_start"])
        contribution = actions.add_contribution(
            data["task"], period, by=request.user, text=data["text"], unit=data.get("unit")
        )
        return Response(ContributionSerializer(contribution).data)

    @extend_schema(
        summary="My reports due: what my units owe or can add to, due or overdue",
        responses={200: DueItemSerializer(many=True)},
        tags=["reports"],
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def due(self, request: Request) -> Response:
        return Response(DueItemSerializer(duelist.due_for(request.user), many=True).data)


class EvidenceFilter(django_filters.FilterSet):
    report = fields.IntegerFilter(field_name="report_id", label="Report id")


@extend_schema_view(
    destroy=extend_schema(responses={204: OpenApiResponse(description="Removed."), 409: CONFLICT})
)
class EvidenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, ApiViewSet):
    """Evidence (佐证材料) of the reports the user may see. Upload through /reports/{id}/evidence/."""

    serializer_class = AttachmentSerializer
    filterset_class = EvidenceFilter

    def get_queryset(self) -> QuerySet[Attachment]:
        visible = access.reports_visible_to(self.request.user).values("pk")
        return Attachment.objects.filter(report__in=visible).order_by("pk")

    def perform_destroy(self, instance: Attachment) -> None:
        actions.remove_attachment(instance, by=self.request.user)

    @extend_schema(summary="The file itself", responses={200: OpenApiResponse(description="The file.")})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: Any = None) -> FileResponse:
        item = self.get_object()
        return FileResponse(
            item.file.open("rb"),
            as_attachment=item.kind not in CONTENT_TYPES,
            filename=item.original_name,
            content_type=CONTENT_TYPES.get(item.kind, "application/octet-stream"),
        )


routes = [
    ("report-cycles", ReportCycleViewSet, "report-cycle"),
    ("reports", ReportViewSet, "report"),
    ("evidence", EvidenceViewSet, "evidence"),
    *api_problems.routes,
    *api_requests.routes,
    *bulk_routes,
]

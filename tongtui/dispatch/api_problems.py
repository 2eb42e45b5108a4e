"""API for problems and dispatch meetings (with the agenda and the pack download).

Reads go through dispatch.access_problems (an outsider gets 404), writes through the actions; an action's
refusal of someone who can see the object is a 403, a step someone else took a moment ago a 409.
"""

import dataclasses
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from tongtui.api.schema import CONFLICT
from tongtui.api.views import ApiViewSet
from tongtui.dispatch import access_problems as access
from tongtui.dispatch import actions_meetings, actions_problems
from tongtui.dispatch.agenda_data import agenda_for
from tongtui.dispatch.forms_problems import ProblemFilter
from tongtui.dispatch.meeting_pack import build_pack, pack_title
from tongtui.dispatch.models import Decision, Meeting, Problem
from tongtui.dispatch.serializers_problems import (
    AnswerBodySerializer,
    DecisionBodySerializer,
    DecisionSerializer,
    MeetingSerializer,
    MeetingUpdateSerializer,
    MinutesSerializer,
    ProblemSerializer,
    RaiseSerializer,
    ReopenSerializer,
    ResolveSerializer,
)
from tongtui.orgs.roles import roles_of

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _step(summary: str, body: Any) -> Any:
    return extend_schema(
        summary=summary, request=body, responses={200: ProblemSerializer, 409: CONFLICT}, tags=["problems"]
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "box", str, enum=["mine", "to_me"], description="Raised by my units, or addressed to me."
            )
        ]
    ),
    create=extend_schema(
        summary="Raise a problem on a task or from a report",
        request=RaiseSerializer,
        responses={201: ProblemSerializer},
    ),
)
class ProblemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet):
    """Problems (问题/困难): raised by a task's unit, answered by the addressee, resolved by the raiser."""

    serializer_class = ProblemSerializer
    filterset_class = ProblemFilter

    def get_queryset(self) -> QuerySet[Problem]:
        user = self.request.user
        box = self.request.query_params.get("box") if self.action == "list" else None
        if box is not None and box not in ("mine", "to_me"):
            raise ValidationError({"box": ["Choose mine or to_me."]})
        base = None
        if box == "to_me":
            base = access.problems_addressed_to(user)
        elif box == "mine":
            base = Problem.objects.filter(unit_id__in=roles_of(user).unit_ids)
        qs = access.problems_visible_to(user, base).prefetch_related("answers__answered_by")
        return qs.select_related("addressed_unit", "addressed_leader", "raised_by").order_by(
            "-raised_at", "-pk"
        )

    def answer(self, problem: Problem, code: int = status.HTTP_200_OK) -> Response:
        return Response(ProblemSerializer(self.reloaded(problem)).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = RaiseSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        task = data.pop("task")
        problem = actions_problems.raise_problem(task, by=request.user, **data)
        return self.answer(problem, status.HTTP_201_CREATED)

    @_step("Answer (the addressee or the office)", AnswerBodySerializer)
    @action(detail=True, methods=["post"], url_path="answer")
    def answer_step(self, request: Request, pk: Any = None) -> Response:
        problem = self.get_object()
        body = AnswerBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions_problems.answer_problem(problem, by=request.user, text=body.validated_data["text"])
        return self.answer(problem)

    @_step("Mark resolved (the raising unit or the office)", ResolveSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: Any = None) -> Response:
        problem = self.get_object()
        body = ResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions_problems.resolve_problem(problem, by=request.user, note=body.validated_data["note"])
        return self.answer(problem)

    @_step("Reopen, with the reason (the raising unit or the office)", ReopenSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: Any = None) -> Response:
        problem = self.get_object()
        body = ReopenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions_problems.reopen_problem(problem, by=request.user, **body.validated_data)
        return self.answer(problem)


def _plain(value: Any) -> Any:
    return (
        dataclasses.asdict(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type)
        else value
    )


@extend_schema_view(
    update=extend_schema(request=MeetingUpdateSerializer, responses=MeetingSerializer),
    partial_update=extend_schema(request=MeetingUpdateSerializer, responses=MeetingSerializer),
)
class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """Dispatch meetings (调度会): the office plans them; the agenda is built from the data; decisions are tracked."""

    office_actions = ("create", "update", "partial_update", "minutes", "decisions", "generate_pack")

    def get_queryset(self) -> QuerySet[Meeting]:
        decisions = Decision.objects.select_related("created_task", "created_milestone").prefetch_related(
            "co_units"
        )
        qs = Meeting.objects.prefetch_related(Prefetch("decisions", queryset=decisions))
        return access.meetings_visible_to(self.request.user, qs).order_by("-date", "-pk")

    def get_serializer_class(self) -> Any:
        return MeetingUpdateSerializer if self.action in ("update", "partial_update") else MeetingSerializer

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = actions_meetings.create_meeting(
            by=self.request.user, plan=data.pop("plan"), **data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = actions_meetings.update_meeting(
            serializer.instance, by=self.request.user, **serializer.validated_data
        )

    def _whole(self) -> Meeting:
        meeting = self.get_object()
        if not access.sees_whole_meeting(self.request.user):
            raise Http404("The agenda and the pack are for the office and the leaders")
        return meeting

    @extend_schema(
        summary="The agenda built from today's data (office and leaders)",
        responses={200: OpenApiTypes.OBJECT},
        tags=["meetings"],
    )
    @action(detail=True, methods=["get"])
    def agenda(self, request: Request, pk: Any = None) -> Response:
        agenda = agenda_for(self._whole())
        return Response({f.name: _to_json(getattr(agenda, f.name)) for f in dataclasses.fields(agenda)})

    @extend_schema(
        summary="Record the minutes; the meeting is marked held",
        request=MinutesSerializer,
        responses={200: MeetingSerializer, 409: CONFLICT},
        tags=["meetings"],
    )
    @action(detail=True, methods=["post"])
    def minutes(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        body = MinutesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions_meetings.record_minutes(meeting, by=request.user, **body.validated_data)
        return Response(MeetingSerializer(self.reloaded(meeting)).data)

    @extend_schema(
        summary="Record a decision (议定事项); it becomes a tracked task or a milestone",
        request=DecisionBodySerializer,
        responses={201: DecisionSerializer, 409: CONFLICT},
        tags=["meetings"],
    )
    @action(detail=True, methods=["post"])
    def decisions(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        body = DecisionBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decision = actions_meetings.add_decision(meeting, by=request.user, **body.validated_data)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download the meeting pack (.docx): the stored one, or one built now",
        responses={200: OpenApiResponse(description="The .docx file.")},
        tags=["meetings"],
    )
    @action(detail=True, methods=["get"])
    def pack(self, request: Request, pk: Any = None) -> FileResponse:
        meeting = self._whole()
        name = f"{pack_title(meeting)}.docx"
        if meeting.pack:
            return FileResponse(meeting.pack.open("rb"), as_attachment=True, filename=name, content_type=DOCX)
        return FileResponse(
            ContentFile(build_pack(meeting)), as_attachment=True, filename=name, content_type=DOCX
        )

    @extend_schema(
        summary="Build and store the pack from today's data (office)",
        request=None,
        responses={200: MeetingSerializer},
        tags=["meetings"],
    )
    @pack.mapping.post
    def generate_pack(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        actions_meetings.generate_pack(meeting, by=request.user)
        return Response(MeetingSerializer(self.reloaded(meeting)).data)


def _to_json(value: Any) -> Any:
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    return _plain(value)


routes = [
    ("problems", ProblemViewSet, "problem"),
    ("meetings", MeetingViewSet, "meeting"),
]

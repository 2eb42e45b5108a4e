"""API of collaboration: leader instructions (批示, 圈阅), coordination requests (协调事项) and comments with
@mentions. Reads go through collaboration.access (an instruction or a comment follows the access of what it is
about; an outsider gets 404); writes through the actions (a refusal of someone who sees the row is a 403, a
step someone took a moment ago a 409)."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from tongtui.api.schema import CONFLICT, ERROR
from tongtui.api.views import ApiViewSet
from tongtui.collaboration import access, actions, actions_comments, actions_requests, targets
from tongtui.collaboration.forms import InstructionFilter, RequestFilter
from tongtui.collaboration.models import Comment, CoordinationRequest, Instruction, InstructionUnit
from tongtui.collaboration.serializers import (
    CollaborationTargetBody,
    CommentBody,
    CommentEditBody,
    CommentSerializer,
    CoordinationAskBody,
    CoordinationRequestSerializer,
    InstructBody,
    InstructionCloseBody,
    InstructionReplyBody,
    InstructionSerializer,
    MakeMilestoneBody,
    MakeTaskBody,
    RequestAcceptBody,
    RequestAnswerBody,
    RequestDeclineBody,
)
from tongtui.collaboration.views_instructions import to_read, to_reply
from tongtui.collaboration.views_requests import asked_of
from tongtui.orgs.roles import roles_of
from tongtui.plans.access import get_task_for

HIDDEN = OpenApiResponse(ERROR, description="No such task, report, problem or bulletin, or you may not see it.")


def _body(cls: Any, request: Request) -> dict[str, Any]:
    body = cls(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def _step(summary: str, body: Any, answer: Any, tag: str) -> Any:
    return extend_schema(summary=summary, request=body, responses={200: answer, 409: CONFLICT}, tags=[tag])


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("tab", str, enum=["to_reply", "to_read"],
                                                    description="Owed a reply by my units; replies to my reading")],
                       tags=["instructions"]),
    retrieve=extend_schema(tags=["instructions"]),
    create=extend_schema(summary="A leader's instruction (批示) on a task, report, problem or bulletin",
                         request=InstructBody, responses={201: InstructionSerializer, 404: HIDDEN}, tags=["instructions"]),
)  # fmt: skip
class InstructionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet):
    """Leader instructions and 圈阅 marks, with their units concerned and the thread of replies."""

    serializer_class = InstructionSerializer
    filterset_class = InstructionFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Instruction]:
        user = self.request.user
        tab = self.request.query_params.get("tab") if self.action == "list" else None
        if tab not in (None, "to_reply", "to_read"):
            raise ValidationError({"tab": ["Choose to_reply or to_read."]})
        base = to_reply(user) if tab == "to_reply" else to_read(user) if tab == "to_read" else None
        links = InstructionUnit.objects.order_by("unit_id")
        return (
            access.instructions_visible_to(user, base)
            .prefetch_related(Prefetch("unit_links", queryset=links), "replies")
            .select_related("task", "report", "problem", "bulletin")
            .order_by("-created_at", "-pk")
        )

    def _answer(self, i: Instruction, code: int = status.HTTP_200_OK) -> Response:
        return Response(InstructionSerializer(self.reloaded(i)).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        d = _body(InstructBody, request)
        target = targets.resolve(request.user, d["target_kind"], d["target_id"])
        i = actions.instruct(target, by=request.user, text=d["text"], units=d.get("units"),
                             reply_within=d["reply_within"])  # fmt: skip
        return self._answer(i, status.HTTP_201_CREATED)

    @extend_schema(summary="圈阅: the leader marks the target read", request=CollaborationTargetBody,
                   responses={201: InstructionSerializer, 404: HIDDEN}, tags=["instructions"])
    @action(detail=False, methods=["post"])
    def read(self, request: Request) -> Response:
        d = _body(CollaborationTargetBody, request)
        target = targets.resolve(request.user, d["target_kind"], d["target_id"])
        return self._answer(actions.mark_read(target, by=request.user), status.HTTP_201_CREATED)

    @_step("Reply (a unit concerned, the leader, the office)", InstructionReplyBody, InstructionSerializer, "instructions")
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: Any = None) -> Response:
        i = self.get_object()
        d = _body(InstructionReplyBody, request)
        actions.reply(i, by=request.user, **d)
        return self._answer(i)

    @_step("Close once satisfied (the leader who wrote it, or the office)", InstructionCloseBody, InstructionSerializer,
           "instructions")  # fmt: skip
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        i = self.get_object()
        actions.close(i, by=request.user, **_body(InstructionCloseBody, request))
        return self._answer(i)

    @_step("Make it a task, source 领导批示 (the office)", MakeTaskBody, InstructionSerializer, "instructions")
    @action(detail=True, methods=["post"], url_path="make-task")
    def make_task(self, request: Request, pk: Any = None) -> Response:
        i = self.get_object()
        actions.make_task(i, by=request.user, **_body(MakeTaskBody, request))
        return self._answer(i, status.HTTP_201_CREATED)

    @_step("Make it a milestone on its task (the office)", MakeMilestoneBody, InstructionSerializer,
           "instructions")  # fmt: skip
    @action(detail=True, methods=["post"], url_path="make-milestone")
    def make_milestone(self, request: Request, pk: Any = None) -> Response:
        i = self.get_object()
        actions.make_milestone(i, by=request.user, **_body(MakeMilestoneBody, request))
        return self._answer(i, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("tab", str, enum=["to_me", "mine"],
                                                    description="Asked of me; asked by my units")],
                       tags=["coordination"]),
    retrieve=extend_schema(tags=["coordination"]),
    create=extend_schema(summary="Ask another unit or a leader (协调事项)", request=CoordinationAskBody,
                         responses={201: CoordinationRequestSerializer, 404: HIDDEN}, tags=["coordination"]),
)  # fmt: skip
class RequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet):
    """Coordination requests between units (or to a leader)."""

    serializer_class = CoordinationRequestSerializer
    filterset_class = RequestFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[CoordinationRequest]:
        user = self.request.user
        tab = self.request.query_params.get("tab") if self.action == "list" else None
        if tab not in (None, "to_me", "mine"):
            raise ValidationError({"tab": ["Choose to_me or mine."]})
        base = None
        if tab == "to_me":
            base = asked_of(user)
        elif tab == "mine":
            base = CoordinationRequest.objects.filter(from_unit_id__in=roles_of(user).unit_ids)
        return access.requests_visible_to(user, base).order_by("-requested_at", "-pk")

    def _answer(self, req: CoordinationRequest, code: int = status.HTTP_200_OK) -> Response:
        return Response(CoordinationRequestSerializer(self.reloaded(req)).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        d = _body(CoordinationAskBody, request)
        task = get_task_for(request.user, d.pop("task"))
        return self._answer(actions_requests.ask(task, by=request.user, **d), status.HTTP_201_CREATED)

    @_step("Accept, naming our related task if any", RequestAcceptBody, CoordinationRequestSerializer, "coordination")
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: Any = None) -> Response:
        req = self.get_object()
        actions_requests.accept(req, by=request.user, **_body(RequestAcceptBody, request))
        return self._answer(req)

    @_step("Answer", RequestAnswerBody, CoordinationRequestSerializer, "coordination")
    @action(detail=True, methods=["post"], url_path="answer")
    def answer_step(self, request: Request, pk: Any = None) -> Response:
        req = self.get_object()
        actions_requests.answer(req, by=request.user, **_body(RequestAnswerBody, request))
        return self._answer(req)

    @_step("Decline, with the reason", RequestDeclineBody, CoordinationRequestSerializer, "coordination")
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: Any = None) -> Response:
        req = self.get_object()
        actions_requests.decline(req, by=request.user, **_body(RequestDeclineBody, request))
        return self._answer(req)

    @_step("Withdraw (the asking unit)", None, CoordinationRequestSerializer, "coordination")
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        req = self.get_object()
        actions_requests.withdraw(req, by=request.user)
        return self._answer(req)


KIND = OpenApiParameter("target_kind", str, enum=["task", "report", "problem"], description="With target_id")
TARGET = OpenApiParameter("target_id", int, description="Comments on this task, report or problem")


@extend_schema_view(
    list=extend_schema(parameters=[KIND, TARGET], tags=["comments"]),
    retrieve=extend_schema(tags=["comments"]),
    create=extend_schema(summary="Comment (with @name mentions)", request=CommentBody,
                         responses={201: CommentSerializer, 404: HIDDEN}, tags=["comments"]),
    partial_update=extend_schema(summary="Edit one's own comment", request=CommentEditBody,
                                 responses={200: CommentSerializer}, tags=["comments"]),
    destroy=extend_schema(summary="Delete one's own comment (the history keeps it)", tags=["comments"]),
)  # fmt: skip
class CommentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, mixins.DestroyModelMixin, ApiViewSet):  # fmt: skip
    """Comments on tasks, reports and problems, in the access of what they are about."""

    serializer_class = CommentSerializer
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Comment]:
        qs = access.comments_visible_to(self.request.user).prefetch_related("mentions")
        if self.action == "list":
            kind, pk = self.request.query_params.get("target_kind"), self.request.query_params.get("target_id")
            if kind or pk:
                if kind not in ("task", "report", "problem") or not (pk or "").isdigit():
                    raise ValidationError({"target_kind": ["Give target_kind (task, report, problem) and target_id."]})
                qs = qs.filter(**{"target_kind": kind, kind: int(pk or 0)})
        return qs.order_by("created_at", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        d = _body(CommentBody, request)
        target = targets.resolve(request.user, d["target_kind"], d["target_id"])
        c = actions_comments.write(target, by=request.user, text=d["text"])
        return Response(CommentSerializer(self.reloaded(c)).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not kwargs.get("partial"):
            raise Http404
        c = self.get_object()
        actions_comments.edit(c, by=request.user, **_body(CommentEditBody, request))
        return Response(CommentSerializer(self.reloaded(c)).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        c = self.get_object()
        actions_comments.delete(c, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


routes = [
    ("collaboration/instructions", InstructionViewSet, "collaboration-instruction"),
    ("collaboration/requests", RequestViewSet, "collaboration-request"),
    ("collaboration/comments", CommentViewSet, "collaboration-comment"),
]

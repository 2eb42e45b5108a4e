"""API for requests about a task: a lead unit's dispute of the lead (申请调整牵头单位) and extensions (延期申请).

Read scope is the task's (dispatch.access_requests; an outsider gets 404); writes go through
dispatch.actions_requests: a refusal of someone who can see the request is a 403, a decision that lost the
race to another (already decided or withdrawn) a 409.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tongtui.api.schema import CONFLICT
from tongtui.api.views import ApiViewSet
from tongtui.dispatch import access_requests, actions_requests
from tongtui.dispatch.forms_requests import RequestFilter
from tongtui.dispatch.serializers_requests import (
    ApproveSerializer,
    AskSerializer,
    ChangeRequestSerializer,
    RefuseSerializer,
    WithdrawSerializer,
)
from tongtui.plans.models import ChangeRequest, RequestKind


def _step(summary: str, body: Any) -> Any:
    return extend_schema(
        summary=summary,
        request=body,
        responses={200: ChangeRequestSerializer, 409: CONFLICT},
        tags=["change-requests"],
    )


@extend_schema_view(
    create=extend_schema(
        summary="Ask for another lead unit or for an extension (the lead unit's head or liaison)",
        request=AskSerializer,
        responses={201: ChangeRequestSerializer},
    ),
)
class ChangeRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet
):
    """Requests about an assigned task: kind `lead` (the lead unit asks for another lead unit) or
    `extension` (a later due date for the task or one milestone). The office approves or refuses; the
    unit that asked may withdraw while the request waits."""

    serializer_class = ChangeRequestSerializer
    filterset_class = RequestFilter

    def get_queryset(self) -> QuerySet[ChangeRequest]:
        return (
            access_requests.requests_visible_to(self.request.user)
            .select_related("requested_by", "decided_by")
            .order_by("-requested_at", "-pk")
        )

    def answer(self, change: ChangeRequest, code: int = status.HTTP_200_OK) -> Response:
        return Response(ChangeRequestSerializer(self.reloaded(change)).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = AskSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data["kind"] == RequestKind.LEAD:
            change = actions_requests.ask_lead_change(
                data["task"], by=request.user, reason=data["reason"], proposed_unit=data["proposed_unit"]
            )
        else:
            change = actions_requests.ask_extension(
                data["task"],
                by=request.user,
                reason=data["reason"],
                proposed_due=data["proposed_due"],
                milestone=data["milestone"],
            )
        return self.answer(change, status.HTTP_201_CREATED)

    @_step("Approve (the office): change the lead unit, or move the date", ApproveSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        change = self.get_object()
        body = ApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions_requests.approve_request(change, by=request.user, **body.validated_data)
        return self.answer(change)

    @_step("Refuse, with the reason (the office)", RefuseSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: Any = None) -> Response:
        change = self.get_object()
        body = RefuseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions_requests.refuse_request(change, by=request.user, note=body.validated_data["note"])
        return self.answer(change)

    @_step("Withdraw (the unit that asked, while the request waits)", WithdrawSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        change = self.get_object()
        body = WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actions_requests.withdraw_request(change, by=request.user, note=body.validated_data["note"])
        return self.answer(change)


routes = [("change-requests", ChangeRequestViewSet, "change-request")]

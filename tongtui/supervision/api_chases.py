"""API of chase notices (督办通知): issued and closed or reissued by the office, replied to by the unit.
Reads through access_chases (an outsider gets 404), writes through the actions."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tongtui.api import fields
from tongtui.api.schema import CONFLICT
from tongtui.api.views import ApiViewSet
from tongtui.supervision import actions_chases as actions
from tongtui.supervision import serializers_orders as s
from tongtui.supervision.access_chases import chases_visible_to
from tongtui.supervision.api_orders import body
from tongtui.supervision.models import ChaseNotice, ChaseStatus


class ChaseFilter(django_filters.FilterSet):
    plan = fields.IntegerFilter(field_name="plan_id")
    unit = fields.IntegerFilter(field_name="unit_id")
    status = django_filters.ChoiceFilter(choices=ChaseStatus.choices)


class ChaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Chase notices (督办通知): what the office chases, the reply due in working days, the unit's reply."""

    serializer_class = s.ChaseSerializer
    filterset_class = ChaseFilter
    office_actions = ("create", "close", "reissue")

    def get_queryset(self) -> QuerySet[ChaseNotice]:
        qs = chases_visible_to(self.request.user).select_related("unit").prefetch_related("tasks")
        return qs.order_by("reply_due", "pk")

    def answer(self, chase: ChaseNotice, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.ChaseSerializer(self.reloaded(chase)).data, status=code)

    @extend_schema(request=s.IssueChaseSerializer, responses={201: s.ChaseSerializer})
    def create(self, request: Request) -> Response:
        return self.answer(
            actions.issue_chase(by=request.user, **body(s.IssueChaseSerializer, request, self)), 201
        )

    @extend_schema(request=s.ReplyChaseSerializer, responses={200: s.ChaseSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: Any = None) -> Response:
        chase = self.get_object()
        return self.answer(
            actions.reply_chase(chase, by=request.user, **body(s.ReplyChaseSerializer, request, self))
        )

    @extend_schema(request=s.CloseChaseSerializer, responses={200: s.ChaseSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        chase = self.get_object()
        return self.answer(
            actions.close_chase(chase, by=request.user, **body(s.CloseChaseSerializer, request, self))
        )

    @extend_schema(request=s.ReissueChaseSerializer, responses={201: s.ChaseSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def reissue(self, request: Request, pk: Any = None) -> Response:
        chase = self.get_object()
        new = actions.reissue_chase(chase, by=request.user, **body(s.ReissueChaseSerializer, request, self))
        return self.answer(new, 201)


routes = [("chase-notices", ChaseViewSet, "chase-notice")]

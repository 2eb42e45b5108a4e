"""API of the office's supervision records: rectification orders, admonitions, accountability (restricted),
integrity flags (stored, or computed for any `as_of`) and spot checks.

Reads go through supervision.access_orders (an outsider gets 404), writes through the actions.
"""

import datetime
from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from tongtui.api import fields
from tongtui.api.schema import CONFLICT
from tongtui.api.views import ApiViewSet
from tongtui.orgs.roles import roles_of
from tongtui.plans.models import Plan
from tongtui.supervision import access_orders as access
from tongtui.supervision import actions_orders as orders
from tongtui.supervision import actions_spotchecks as checks
from tongtui.supervision import integrity_db
from tongtui.supervision import serializers_orders as s
from tongtui.supervision.models import (
    Accountability,
    Admonition,
    FlagKindChoice,
    FlagStatus,
    IntegrityFlag,
    OrderStatus,
    RectificationOrder,
    SpotCheck,
    SpotCheckItem,
)


def body(serializer: type[serializers.Serializer], request: Request, view: Any) -> dict[str, Any]:
    b = serializer(data=request.data, context=view.get_serializer_context())
    b.is_valid(raise_exception=True)
    return dict(b.validated_data)


class OrderFilter(django_filters.FilterSet):
    plan = fields.IntegerFilter(field_name="plan_id")
    unit = fields.IntegerFilter(field_name="unit_id")
    task = fields.IntegerFilter(field_name="task_id")
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices)


class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Rectification orders (限期整改): issued by the office, reported by the unit, verified by the office."""

    serializer_class = s.OrderSerializer
    filterset_class = OrderFilter
    office_actions = ("create", "verify", "extend", "escalate")

    def get_queryset(self) -> QuerySet[RectificationOrder]:
        qs = access.orders_visible_to(self.request.user).select_related("unit", "task")
        return qs.prefetch_related("files").order_by("deadline", "pk")

    def answer(self, order: RectificationOrder, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.OrderSerializer(self.reloaded(order)).data, status=code)

    @extend_schema(request=s.IssueOrderSerializer, responses={201: s.OrderSerializer})
    def create(self, request: Request) -> Response:
        return self.answer(
            orders.issue_order(by=request.user, **body(s.IssueOrderSerializer, request, self)), 201
        )

    @extend_schema(request=s.ReportOrderSerializer, responses={200: s.OrderSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: Any = None) -> Response:
        order = self.get_object()
        return self.answer(
            orders.report_rectification(
                order, by=request.user, **body(s.ReportOrderSerializer, request, self)
            )
        )

    @extend_schema(request=s.VerifySerializer, responses={200: s.OrderSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: Any = None) -> Response:
        order = self.get_object()
        return self.answer(
            orders.verify_order(order, by=request.user, **body(s.VerifySerializer, request, self))
        )

    @extend_schema(request=s.ExtendSerializer, responses={200: s.OrderSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: Any = None) -> Response:
        order = self.get_object()
        return self.answer(
            orders.extend_order(order, by=request.user, **body(s.ExtendSerializer, request, self))
        )

    @extend_schema(request=s.NoteSerializer, responses={200: s.OrderSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: Any = None) -> Response:
        order = self.get_object()
        return self.answer(
            orders.escalate_order(order, by=request.user, **body(s.NoteSerializer, request, self))
        )


class UnitPlanFilter(django_filters.FilterSet):
    plan = fields.IntegerFilter(field_name="plan_id")
    unit = fields.IntegerFilter(field_name="unit_id")


class AdmonitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Admonitions (约谈提醒): who talked with which unit, when, what was recorded and promised."""

    serializer_class = s.AdmonitionSerializer
    filterset_class = UnitPlanFilter
    office_actions = ("create", "held", "follow_up")

    def get_queryset(self) -> QuerySet[Admonition]:
        return (
            access.admonitions_visible_to(self.request.user).select_related("unit").prefetch_related("tasks")
        )

    def answer(self, adm: Admonition, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.AdmonitionSerializer(self.reloaded(adm)).data, status=code)

    @extend_schema(request=s.ScheduleAdmonitionSerializer, responses={201: s.AdmonitionSerializer})
    def create(self, request: Request) -> Response:
        data = body(s.ScheduleAdmonitionSerializer, request, self)
        return self.answer(orders.schedule_admonition(by=request.user, **data), 201)

    @extend_schema(request=s.HeldSerializer, responses={200: s.AdmonitionSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def held(self, request: Request, pk: Any = None) -> Response:
        adm = self.get_object()
        return self.answer(
            orders.record_admonition(adm, by=request.user, **body(s.HeldSerializer, request, self))
        )

    @extend_schema(request=s.FollowUpSerializer, responses={200: s.AdmonitionSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, pk: Any = None) -> Response:
        adm = self.get_object()
        data = body(s.FollowUpSerializer, request, self)
        return self.answer(orders.follow_up_admonition(adm, by=request.user, **data))


class AccountabilityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Accountability (问责): the office and leaders only; a unit sees its records once published to it."""

    serializer_class = s.AccountabilitySerializer
    filterset_class = UnitPlanFilter
    office_actions = ("create", "publish")

    def get_queryset(self) -> QuerySet[Accountability]:
        return access.accountability_visible_to(self.request.user).select_related("unit")

    @extend_schema(request=s.RecordAccountabilitySerializer, responses={201: s.AccountabilitySerializer})
    def create(self, request: Request) -> Response:
        acc = orders.record_accountability(
            by=request.user, **body(s.RecordAccountabilitySerializer, request, self)
        )
        return Response(s.AccountabilitySerializer(self.reloaded(acc)).data, status=201)

    @extend_schema(request=None, responses={200: s.AccountabilitySerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        acc = orders.publish_accountability(self.get_object(), by=request.user)
        return Response(s.AccountabilitySerializer(self.reloaded(acc)).data)


class FlagFilter(django_filters.FilterSet):
    plan = fields.IntegerFilter(field_name="plan__year", label="Plan year")
    task = fields.IntegerFilter(field_name="task_id")
    unit = fields.IntegerFilter(field_name="unit_id")
    kind = django_filters.ChoiceFilter(choices=FlagKindChoice.choices)
    status = django_filters.ChoiceFilter(choices=FlagStatus.choices)


AS_OF = OpenApiParameter(
    "as_of", str, description="YYYY-MM-DD: compute the flags as known that day (with `plan`); not stored."
)


class FlagViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Integrity flags (弄虚作假 signals) for the office and leaders: they rank tasks for verification."""

    serializer_class = s.FlagSerializer
    filterset_class = FlagFilter
    office_actions = ("decide",)

    def get_queryset(self) -> QuerySet[IntegrityFlag]:
        return access.flags_visible_to(self.request.user).select_related("task").order_by("-strength", "pk")

    @extend_schema(parameters=[AS_OF])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raw = request.query_params.get("as_of")
        if not raw:
            return super().list(request, *args, **kwargs)
        try:
            as_of = datetime.date.fromisoformat(raw)
            plan = Plan.objects.get(year=int(request.query_params.get("plan", "")))
        except ValueError:
            raise ValidationError({"as_of": ["Give as_of as YYYY-MM-DD and plan as a year."]}) from None
        except Plan.DoesNotExist:
            raise ValidationError({"plan": ["No plan for that year."]}) from None
        if not self._sees_all():
            return self.get_paginated_response(self.paginate_queryset([]) or [])  # type: ignore[arg-type]
        run = integrity_db.run_integrity(plan, as_of)
        codes = integrity_db.task_codes({f.task_id for f in run.flags if f.task_id is not None})
        rows = [s.computed_flag(f, codes) for f in run.flags]
        page: list[Any] | None = self.paginate_queryset(rows)  # type: ignore[arg-type]
        return self.get_paginated_response(page if page is not None else rows)

    def _sees_all(self) -> bool:
        return roles_of(self.request.user).sees_all

    @extend_schema(request=s.DecideFlagSerializer, responses={200: s.FlagSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: Any = None) -> Response:
        flag = checks.decide_flag(
            self.get_object(), by=request.user, **body(s.DecideFlagSerializer, request, self)
        )
        return Response(s.FlagSerializer(self.reloaded(flag)).data)


class SpotCheckViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Spot checks (抽查): reproducible risk-weighted draws (seed, filter and weights kept) and their items."""

    serializer_class = s.SpotCheckSerializer
    office_actions = ("create", "record", "open_order")

    def get_queryset(self) -> QuerySet[SpotCheck]:
        items = SpotCheckItem.objects.select_related("task").prefetch_related("files")
        return access.spot_checks_visible_to(self.request.user).prefetch_related(
            Prefetch("items", queryset=items)
        )

    @extend_schema(request=s.DrawSerializer, responses={201: s.SpotCheckSerializer})
    def create(self, request: Request) -> Response:
        check = checks.draw_spot_check(by=request.user, **body(s.DrawSerializer, request, self))
        return Response(s.SpotCheckSerializer(self.reloaded(check)).data, status=201)

    def _item(self, pk: Any, item_pk: Any) -> SpotCheckItem:
        check = self.get_object()
        return access.get_or_404(SpotCheckItem.objects.filter(spot_check=check), item_pk)

    @extend_schema(request=s.RecordCheckSerializer, responses={200: s.SpotCheckItemSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item_pk>\d+)/record")
    def record(self, request: Request, pk: Any = None, item_pk: Any = None) -> Response:
        item = self._item(pk, item_pk)
        item = checks.record_check(item, by=request.user, **body(s.RecordCheckSerializer, request, self))
        return Response(s.SpotCheckItemSerializer(item).data)

    @extend_schema(request=s.OpenOrderSerializer, responses={201: s.OrderSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item_pk>\d+)/order")
    def open_order(self, request: Request, pk: Any = None, item_pk: Any = None) -> Response:
        item = self._item(pk, item_pk)
        order = checks.open_order_from_item(
            item, by=request.user, **body(s.OpenOrderSerializer, request, self)
        )
        return Response(s.OrderSerializer(order).data, status=201)


routes = [
    ("rectification-orders", OrderViewSet, "rectification-order"),
    ("admonitions", AdmonitionViewSet, "admonition"),
    ("accountability", AccountabilityViewSet, "accountability"),
    ("integrity-flags", FlagViewSet, "integrity-flag"),
    ("spot-checks", SpotCheckViewSet, "spot-check"),
]

"""API of the year-end review (年终评估) of a plan year: the summary, the tasks with their outcomes, recording an
outcome for many tasks, carrying over into the next year, freezing the scores, the year results.

The same access as the pages: the office and leaders read; the office writes; anyone else gets 404.
"""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tongtui.api.views import ApiViewSet
from tongtui.assessment import access
from tongtui.assessment.actions_yearend import freeze_year
from tongtui.assessment.yearend_data import results, summary
from tongtui.orgs.roles import roles_of
from tongtui.plans import actions_yearend
from tongtui.plans.models import Outcome, Plan, Task, TaskOutcome

SHOW = OpenApiParameter(
    "outcome", str, enum=["undecided", *Outcome.values],
    description="Only the tasks still to decide, or those with this outcome (default: all).",
)  # fmt: skip


class SummarySerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    total = serializers.IntegerField()
    undecided = serializers.IntegerField()
    closed = serializers.IntegerField()
    carried_over = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    waiting_to_carry = serializers.IntegerField(help_text="Carried over, not yet copied (next year not open)")
    next_plan_open = serializers.BooleanField()
    frozen = serializers.BooleanField()
    frozen_at = serializers.DateTimeField(allow_null=True)


class OutcomeRowSerializer(serializers.Serializer):
    task = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    lead_unit = serializers.IntegerField(source="lead_unit_id", allow_null=True)
    outcome = serializers.CharField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    carried_to = serializers.IntegerField(allow_null=True)
    carried_from = serializers.IntegerField(source="carried_from_id", allow_null=True)


class RecordSerializer(serializers.Serializer):
    tasks = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=5000)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class RecordedSerializer(serializers.Serializer):
    recorded = serializers.IntegerField()
    carried = serializers.IntegerField(help_text="Copies made in the next plan year now")
    waiting = serializers.IntegerField(help_text="Carried over, waiting for the next plan year to be opened")


class CarriedSerializer(serializers.Serializer):
    made = serializers.IntegerField()
    already = serializers.IntegerField()


class FreezeSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class ResultRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField()
    rank = serializers.IntegerField()
    level = serializers.BooleanField(
        help_text="Level (≈) with a unit of a different score, within the margin"
    )
    score = serializers.DecimalField(max_digits=10, decimal_places=2)
    on_list = serializers.CharField(source="place", allow_blank=True, help_text="red, black or empty")
    by_rule = serializers.DictField(
        source="by_kind", child=serializers.DecimalField(max_digits=10, decimal_places=2)
    )


class ResultGroupSerializer(serializers.Serializer):
    group = serializers.CharField(source="name")
    rows = ResultRowSerializer(many=True)


class ResultsSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    frozen = serializers.BooleanField(help_text="False: today's ranking from the ledger, not final")
    groups = ResultGroupSerializer(many=True)


class YearEndViewSet(ApiViewSet):
    """The year-end review of a plan year, by year: /api/assessment/year-end/2026/."""

    lookup_field = "year"
    lookup_value_regex = r"\d{4}"
    queryset = TaskOutcome.objects.none()  # for the schema; each action reads the plan in the user's scope
    serializer_class = RecordSerializer  # what OPTIONS describes for the writes

    def _plan(self, request: Request, year: str) -> Plan:
        plan = access.plan_for(request.user, int(year))
        if not access.sees_all(request.user):
            raise Http404
        return plan

    def _office_plan(self, request: Request, year: str) -> Plan:
        plan = self._plan(request, year)
        if not roles_of(request.user).is_office:
            raise Http404
        return plan

    @extend_schema(responses=SummarySerializer, summary="The year-end review's counts")
    def retrieve(self, request: Request, year: str) -> Response:
        s = summary(self._plan(request, year))
        return Response(SummarySerializer({
            "plan": s.plan.year, "total": s.total, "undecided": s.undecided, **s.by_outcome,
            "waiting_to_carry": s.waiting, "next_plan_open": s.next_plan is not None,
            "frozen": s.freeze is not None, "frozen_at": s.freeze.frozen_at if s.freeze else None,
        }).data)  # fmt: skip

    @extend_schema(methods=["GET"], parameters=[SHOW], responses=OutcomeRowSerializer(many=True),
                   summary="The plan's tasks with their year-end outcomes")  # fmt: skip
    @extend_schema(methods=["POST"], request=RecordSerializer, responses=RecordedSerializer,
                   summary="Record one outcome for many tasks, all or nothing")  # fmt: skip
    @action(detail=True, methods=["get", "post"])
    def outcomes(self, request: Request, year: str) -> Response:
        if request.method == "POST":
            plan = self._office_plan(request, year)
            body = RecordSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            d = body.validated_data
            r = actions_yearend.record_outcomes(plan, d["tasks"], by=request.user, outcome=d["outcome"],
                                                reason=d["reason"])  # fmt: skip
            return Response(RecordedSerializer(
                {"recorded": len(r.outcomes), "carried": r.carried, "waiting": r.waiting}).data)  # fmt: skip
        plan = self._plan(request, year)
        rows = Task.objects.filter(plan=plan).select_related("outcome").order_by("code_sort", "code", "pk")
        show = request.query_params.get("outcome")
        if show == "undecided":
            rows = rows.filter(outcome__isnull=True)
        elif show in Outcome.values:
            rows = rows.filter(outcome__outcome=show)
        elif show:
            raise serializers.ValidationError(
                {"outcome": [f"One of undecided, {', '.join(Outcome.values)}."]}
            )
        page = self.paginate_queryset(rows) or []
        data = [_row(t) for t in page]
        return self.get_paginated_response(OutcomeRowSerializer(data, many=True).data)

    @extend_schema(request=None, responses=CarriedSerializer,
                   summary="Copy the carried-over tasks into the next plan year (idempotent)")  # fmt: skip
    @action(detail=True, methods=["post"], url_path="carry-over")
    def carry_over(self, request: Request, year: str) -> Response:
        plan = self._office_plan(request, year)
        r = actions_yearend.carry_over(plan, by=request.user)
        return Response(CarriedSerializer({"made": r.made, "already": r.already}).data)

    @extend_schema(request=None, responses=CarriedSerializer,
                   summary="Record the tasks closed or cancelled during the year")  # fmt: skip
    @action(detail=True, methods=["post"])
    def settle(self, request: Request, year: str) -> Response:
        plan = self._office_plan(request, year)
        n = actions_yearend.settle_finished(plan, by=request.user)
        return Response(CarriedSerializer({"made": n, "already": 0}).data)

    @extend_schema(request=FreezeSerializer, responses=ResultsSerializer, summary="Freeze the year's scores")
    @action(detail=True, methods=["post"])
    def freeze(self, request: Request, year: str) -> Response:
        plan = self._office_plan(request, year)
        body = FreezeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        freeze_year(plan, by=request.user, note=body.validated_data["note"])
        return self._results(plan)

    @extend_schema(responses=ResultsSerializer, summary="The year results per group (frozen once frozen)")
    @action(detail=True, methods=["get"])
    def results(self, request: Request, year: str) -> Response:
        return self._results(self._plan(request, year))

    def _results(self, plan: Plan) -> Response:
        groups, frozen = results(plan)
        return Response(ResultsSerializer({"plan": plan.year, "frozen": frozen, "groups": groups}).data)


def _row(t: Task) -> dict[str, Any]:
    o = getattr(t, "outcome", None)
    return {
        "pk": t.pk, "code": t.code, "title": t.title, "status": t.status, "lead_unit_id": t.lead_unit_id,
        "outcome": o.outcome if o else None, "reason": o.reason if o else "",
        "carried_to": o.carried_to_id if o else None, "carried_from_id": t.carried_from_id,
    }  # fmt: skip

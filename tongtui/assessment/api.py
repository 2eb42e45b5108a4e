"""API of the assessment (考核): a plan's scheme, the score ledger, the rankings.

The same access as the pages (assessment.access): the office and leaders read everything; a unit head reads
the scheme, the unit's own ledger, and the rankings and ledgers of periods the office published; anyone else
gets 404.
"""

from decimal import Decimal
from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from tongtui.api.views import ApiViewSet
from tongtui.assessment import access, tables
from tongtui.assessment.api_yearend import YearEndViewSet
from tongtui.assessment.ledger_db import scheme_of
from tongtui.assessment.lists import Placed, describe
from tongtui.assessment.models import Scheme, ScoreEntry
from tongtui.assessment.ranking import Period, parse_period
from tongtui.assessment.rules_data import ListMode, RuleKind
from tongtui.plans.models import Plan

PLAN = OpenApiParameter("plan", int, required=True, description="Plan year, e.g. 2026.")
PERIOD = OpenApiParameter("period", str, description="2026, 2026-H1, 2026-Q2 or 2026-06 (default: the year).")
UNIT = OpenApiParameter("unit", int, description="Only this unit's entries.")


class RuleSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RuleKind.choices)
    points = serializers.DecimalField(max_digits=8, decimal_places=2)
    cap = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    co_factor = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    enabled = serializers.BooleanField()


class ListRuleSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=ListMode.choices)
    red_places = serializers.IntegerField()
    black_places = serializers.IntegerField()
    red_from = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    black_below = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    black_needs_deduction = serializers.BooleanField()


class SchemeSerializer(serializers.Serializer):
    plan = serializers.IntegerField(help_text="Plan year")
    is_default = serializers.BooleanField(help_text="True: the plan has no scheme of its own yet")
    version = serializers.IntegerField(allow_null=True)
    co_unit_factor = serializers.DecimalField(max_digits=4, decimal_places=2)
    unit_deduction_cap = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    unit_bonus_cap = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    level_margin = serializers.DecimalField(max_digits=8, decimal_places=2)
    groups = serializers.ListField(child=serializers.CharField())
    rules = RuleSerializer(many=True)
    lists = ListRuleSerializer(help_text="How the red and black lists (红黑榜) are drawn")


class EntrySerializer(serializers.ModelSerializer):
    source_type = serializers.SerializerMethodField()

    class Meta:
        model = ScoreEntry
        fields = ["id", "unit", "task", "kind", "on", "points", "nominal", "quantity", "label", "source_type",
                  "source_id"]  # fmt: skip

    def get_source_type(self, obj: ScoreEntry) -> str | None:
        ct = obj.source_type
        return f"{ct.app_label}.{ct.model}" if ct is not None else None


class RowSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField()
    rank = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=10, decimal_places=2)
    level_with = serializers.ListField(child=serializers.IntegerField())
    change = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    previous_rank = serializers.IntegerField(allow_null=True)
    by_rule = serializers.DictField(child=serializers.DecimalField(max_digits=10, decimal_places=2))
    on_list = serializers.ChoiceField(
        choices=["red", "black"], allow_null=True,
        help_text="红榜 or 黑榜; null when on neither or when the lists are not published to the caller",
    )  # fmt: skip


class GroupSerializer(serializers.Serializer):
    group = serializers.CharField()
    rows = RowSerializer(many=True)


class RankingSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    period = serializers.CharField()
    published = serializers.BooleanField()
    groups = GroupSerializer(many=True)


class PlacedSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField()
    rank = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=10, decimal_places=2)


class GroupListsSerializer(serializers.Serializer):
    group = serializers.CharField()
    units_ranked = serializers.IntegerField()
    red = PlacedSerializer(many=True, help_text="红榜, best first")
    black = PlacedSerializer(many=True, help_text="黑榜, best first (the last is the lowest)")
    on_both = serializers.ListField(child=serializers.IntegerField(),
                                    help_text="Units that would be on both lists, so are on neither")  # fmt: skip
    spared = serializers.ListField(child=serializers.IntegerField(),
                                   help_text="Bottom places kept off the black list: they lost no points")  # fmt: skip
    how_drawn = serializers.ListField(child=serializers.CharField())


class ListsSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    period = serializers.CharField()
    published = serializers.BooleanField(help_text="True: unit heads see these lists")
    level_margin = serializers.DecimalField(max_digits=8, decimal_places=2)
    rule = ListRuleSerializer()
    groups = GroupListsSerializer(many=True)


def _plan_period(request: Request) -> tuple[Plan, Period]:
    try:
        year = int(request.query_params.get("plan", ""))
    except ValueError:
        raise ValidationError({"plan": ["Give the plan year, e.g. ?plan=2026."]}) from None
    plan = access.plan_for(request.user, year)
    try:
        period = parse_period(request.query_params.get("period") or str(plan.year))
    except ValueError as e:
        raise ValidationError({"period": [str(e)]}) from None
    if period.start.year != plan.year:
        raise ValidationError({"period": ["The period is not in the plan's year."]})
    return plan, period


class SchemeViewSet(ApiViewSet):
    """考核细则 of a plan year (the default scheme while the office has configured none)."""

    lookup_field = "year"
    lookup_value_regex = r"\d{4}"

    @extend_schema(responses=SchemeSerializer, summary="A plan's scoring scheme")
    def retrieve(self, request: Request, year: str) -> Response:
        plan = access.plan_for(request.user, int(year))
        stored = Scheme.objects.filter(plan=plan).first()
        data = scheme_of(plan)
        body = {
            "plan": plan.year, "is_default": stored is None, "version": stored.version if stored else None,
            "co_unit_factor": data.co_unit_factor, "unit_deduction_cap": data.unit_deduction_cap,
            "unit_bonus_cap": data.unit_bonus_cap, "level_margin": data.level_margin,
            "groups": [n for _g, n in data.groups], "lists": vars(data.lists),
            "rules": [vars(r) for k, r in sorted(data.rules.items(), key=lambda kv: list(RuleKind.values).index(kv[0]))],
        }  # fmt: skip
        return Response(SchemeSerializer(body).data)


class LedgerViewSet(ApiViewSet):
    """The score ledger: one entry per point added or deducted, with its rule and source record."""

    serializer_class = EntrySerializer
    queryset = ScoreEntry.objects.none()  # for the schema; list() reads the ledger in the user's scope

    @extend_schema(parameters=[PLAN, PERIOD, UNIT], summary="Score ledger entries of a plan period")
    def list(self, request: Request) -> Response:
        plan, period = _plan_period(request)
        rows = ScoreEntry.objects.filter(plan=plan, on__lte=period.end).select_related("source_type")
        if not access.may_see_ranking(request.user, plan, period.key):
            rows = rows.filter(unit_id__in=access.head_units(request.user))
        unit = request.query_params.get("unit")
        if unit:
            if not unit.isdigit():
                raise ValidationError({"unit": ["A unit id."]})
            if not access.may_see_unit(request.user, plan, int(unit), period.key):
                raise Http404
            rows = rows.filter(unit_id=int(unit))
        rows = rows.order_by("unit_id", "on", "kind", "key")
        # the period filter for dated entries is done in SQL; task points stand from their date on
        rows = rows.exclude(on__lt=period.start, kind__in=[k for k in RuleKind if k != RuleKind.TASK])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(EntrySerializer(page, many=True).data)


class RankingViewSet(ApiViewSet):
    """Rankings per group for a period: score, rank (ties 1, 2, 2, 4), units level within the margin, change
    since the previous period, points per rule."""

    queryset = ScoreEntry.objects.none()  # for the schema; list() builds the rankings from the ledger

    @extend_schema(
        parameters=[PLAN, PERIOD], responses=RankingSerializer, summary="Rankings of a plan period"
    )
    def list(self, request: Request) -> Response:
        plan, period = _plan_period(request)
        access.require_ranking(request.user, plan, period.key)
        scheme = scheme_of(plan)
        groups, units = tables.rankings(plan, period, scheme=scheme)
        places: dict[int, str | None] = {}
        if access.may_see_lists(request.user, plan, period.key):
            for rb in tables.lists_of(groups, scheme, period):
                places.update({u: rb.place_of(u) for u in (p.unit_id for p in (*rb.red, *rb.black))})
        body: dict[str, Any] = {
            "plan": plan.year, "period": period.key, "published": access.is_published(plan, period.key),
            "groups": [{"group": g.name, "rows": [
                {"unit_id": r.unit_id, "unit_name": units[r.unit_id].name, "rank": r.rank, "score": r.score,
                 "level_with": r.level_with, "change": r.change, "previous_rank": r.previous_rank,
                 "by_rule": {k: v for k, v in r.by_kind.items() if v != Decimal(0)},
                 "on_list": places.get(r.unit_id)} for r in g.rows]}
                for g in groups],
        }  # fmt: skip
        return Response(RankingSerializer(body).data)


class ListsViewSet(ApiViewSet):
    """Red and black lists (红黑榜) per group for a period, drawn from the ranking by the scheme's list rule,
    with how they were drawn. Unit heads: only once the office published them (else 404)."""

    queryset = ScoreEntry.objects.none()  # for the schema; list() draws the lists from the rankings

    @extend_schema(
        parameters=[PLAN, PERIOD], responses=ListsSerializer, summary="Red and black lists of a plan period"
    )
    def list(self, request: Request) -> Response:
        plan, period = _plan_period(request)
        access.require_lists(request.user, plan, period.key)
        scheme = scheme_of(plan)
        groups, units = tables.rankings(plan, period, scheme=scheme)

        def placed(ps: tuple[Placed, ...]) -> list[dict[str, Any]]:
            return [{"unit_id": p.unit_id, "unit_name": units[p.unit_id].name, "rank": p.rank, "score": p.score}
                    for p in ps]  # fmt: skip

        body: dict[str, Any] = {
            "plan": plan.year, "period": period.key, "published": access.lists_published(plan, period.key),
            "level_margin": scheme.level_margin, "rule": vars(scheme.lists),
            "groups": [{"group": rb.group, "units_ranked": rb.size, "red": placed(rb.red), "black": placed(rb.black),
                        "on_both": list(rb.on_both), "spared": list(rb.spared), "how_drawn": describe(rb)}
                       for rb in tables.lists_of(groups, scheme, period)],
        }  # fmt: skip
        return Response(ListsSerializer(body).data)


routes = [
    ("assessment/schemes", SchemeViewSet, "assessment-scheme"),
    ("assessment/ledger", LedgerViewSet, "assessment-ledger"),
    ("assessment/rankings", RankingViewSet, "assessment-ranking"),
    ("assessment/lists", ListsViewSet, "assessment-lists"),
    ("assessment/year-end", YearEndViewSet, "assessment-year-end"),
]

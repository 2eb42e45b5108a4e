"""JSON shapes of problems, dispatch meetings and decisions, and the bodies of their actions."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tongtui.api import fields
from tongtui.dispatch.access import reports_visible_to
from tongtui.dispatch.models import (
    AddressedTo,
    Decision,
    DecisionKind,
    Meeting,
    MeetingScope,
    Problem,
    ProblemAnswer,
    ProgressReport,
)
from tongtui.dispatch.serializers import TaskIdField
from tongtui.orgs.models import Person, Unit
from tongtui.plans.models import Category, Plan, Task


@extend_schema_field(OpenApiTypes.INT)
class VisibleReportField(fields.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[ProgressReport]:
        return reports_visible_to(self.context["request"].user)


class AnswerSerializer(fields.ModelSerializer):
    answered_by = serializers.CharField(source="answered_by.username", read_only=True, default=None)

    class Meta:
        model = ProblemAnswer
        fields = ["id", "text", "answered_by", "answered_at"]
        read_only_fields = fields


class ProblemSerializer(fields.ModelSerializer):
    """问题/困难 on a task, addressed to its leader, the office or another unit, with its answers."""

    addressee = serializers.CharField(source="addressee_label", read_only=True)
    raised_by = serializers.CharField(source="raised_by.username", read_only=True, default=None)
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Problem
        fields = [
            "id",
            "task",
            "report",
            "unit",
            "title",
            "description",
            "addressed_to",
            "addressed_unit",
            "addressed_leader",
            "addressee",
            "answer_by",
            "status",
            "raised_by",
            "raised_at",
            "answered_at",
            "resolved_at",
            "escalated_at",
            "answers",
        ]
        read_only_fields = fields


class RaiseSerializer(serializers.Serializer):
    task = TaskIdField(required=False, help_text="The task; or give `report`.")
    report = VisibleReportField(required=False, help_text="The report the problem comes from.")
    title = fields.CharField(max_length=200)
    description = fields.CharField(required=False, allow_blank=True, default="")
    addressed_to = serializers.ChoiceField(choices=AddressedTo.choices)
    addressed_unit = fields.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    answer_by = fields.DateField()
    unit = fields.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        help_text="The raising unit, if several.",
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        report = data.get("report")
        if report is not None:
            data["task"] = report.task
        if data.get("task") is None:
            raise serializers.ValidationError({"task": "Give the task or the report."})
        return data


class AnswerBodySerializer(serializers.Serializer):
    text = fields.CharField()


class ResolveSerializer(serializers.Serializer):
    note = fields.CharField(required=False, allow_blank=True, default="")


class ReopenSerializer(serializers.Serializer):
    reason = fields.CharField()
    answer_by = fields.DateField(required=False, allow_null=True, default=None)


class DecisionSerializer(fields.ModelSerializer):
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "seq",
            "text",
            "kind",
            "lead_unit",
            "co_units",
            "deadline",
            "planned_progress",
            "task",
            "created_task",
            "created_milestone",
            "is_open",
        ]
        read_only_fields = fields


class DecisionBodySerializer(serializers.Serializer):
    text = fields.CharField()
    lead_unit = fields.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    co_units = serializers.ListField(
        child=fields.PrimaryKeyRelatedField(queryset=Unit.objects.all()), required=False
    )
    deadline = fields.DateField()
    kind = serializers.ChoiceField(choices=DecisionKind.choices, default=DecisionKind.TASK)
    task = fields.PrimaryKeyRelatedField(queryset=Task.objects.all(), required=False, allow_null=True)
    planned_progress = fields.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)


class MeetingSerializer(fields.ModelSerializer):
    """调度会: date, chair, scope; its decisions; `pack` downloads the stored pack, or one built on the fly."""

    decisions = DecisionSerializer(many=True, read_only=True)
    pack = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "plan",
            "date",
            "time",
            "title",
            "chair",
            "scope",
            "category",
            "leader",
            "status",
            "minutes",
            "pack",
            "pack_generated_at",
            "decisions",
        ]
        read_only_fields = ["status", "minutes", "pack", "pack_generated_at", "decisions"]
        extra_kwargs = {
            "plan": {"queryset": Plan.objects.all()},
            "chair": {"queryset": Person.objects.all()},
            "category": {"queryset": Category.objects.all()},
            "leader": {"queryset": Person.objects.all()},
            "scope": {"default": MeetingScope.PLAN},
        }

    def get_pack(self, obj: Meeting) -> str:
        return reverse("meeting-pack", args=[obj.pk])

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        return data  # the action validates the whole meeting (full_clean)


class MeetingUpdateSerializer(MeetingSerializer):
    class Meta(MeetingSerializer.Meta):
        read_only_fields = [*MeetingSerializer.Meta.read_only_fields, "plan"]
        extra_kwargs = {k: v for k, v in MeetingSerializer.Meta.extra_kwargs.items() if k != "plan"}


class MinutesSerializer(serializers.Serializer):
    minutes = fields.CharField(allow_blank=True)
    held = fields.BooleanField(required=False, default=True)


class ClaimSerializer(serializers.Serializer):
    milestones = serializers.ListField(
        child=fields.IntegerField(),
        help_text="Ids of the milestones done this period; the others are withdrawn.",
    )


class ClaimedSerializer(serializers.Serializer):
    milestone = serializers.IntegerField(source="milestone_id")
    done_on = serializers.DateField()

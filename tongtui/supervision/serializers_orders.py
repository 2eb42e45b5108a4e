"""JSON shapes of admonitions, rectification orders, accountability, integrity flags and spot checks,
and the bodies of their actions."""

from typing import Any

from rest_framework import serializers

from tongtui.api import fields
from tongtui.dispatch.serializers import TaskIdField
from tongtui.orgs.models import Unit
from tongtui.plans.models import Plan
from tongtui.supervision.models import (
    Accountability,
    AccountabilityKind,
    Admonition,
    ChaseNotice,
    CheckResult,
    IntegrityFlag,
    RectificationOrder,
    SpotCheck,
    SpotCheckItem,
    SupervisionFile,
)
from tongtui.supervision.signals.flags import Flag


class FileSerializer(fields.ModelSerializer):
    class Meta:
        model = SupervisionFile
        fields = ["id", "original_name", "kind", "size", "sha256", "uploaded_at"]


class OrderSerializer(fields.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    task_code = serializers.CharField(source="task.code", read_only=True, default=None)
    files = FileSerializer(many=True, read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = RectificationOrder
        fields = [
            "id", "plan", "unit", "unit_name", "task", "task_code", "problem", "requirement", "issued_on",
            "workdays", "deadline", "first_deadline", "extensions", "status", "overdue", "report_text",
            "reported_at", "verified_at", "verification_note", "for_assessment", "files",
        ]  # fmt: skip
        read_only_fields = fields

    def get_overdue(self, obj: RectificationOrder) -> bool:
        return obj.is_overdue()


class IssueOrderSerializer(serializers.Serializer):
    plan = fields.PrimaryKeyRelatedField(queryset=Plan.objects.all())
    unit = fields.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    task = TaskIdField(required=False, allow_null=True)
    problem = fields.CharField()
    requirement = fields.CharField()
    workdays = fields.IntegerField(min_value=1, max_value=250)


class ReportOrderSerializer(serializers.Serializer):
    text = fields.CharField()


class VerifySerializer(serializers.Serializer):
    passed = fields.BooleanField()
    note = fields.CharField(required=False, allow_blank=True, default="")


class ExtendSerializer(serializers.Serializer):
    workdays = fields.IntegerField(min_value=1, max_value=250)
    note = fields.CharField(required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    note = fields.CharField()


class AdmonitionSerializer(fields.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Admonition
        fields = [
            "id", "plan", "unit", "unit_name", "tasks", "reason", "scheduled_for", "held_on", "talked_by",
            "talked_with", "record", "commitments", "follow_up_due", "follow_up", "status",
        ]  # fmt: skip
        read_only_fields = fields


class ScheduleAdmonitionSerializer(serializers.Serializer):
    plan = fields.PrimaryKeyRelatedField(queryset=Plan.objects.all())
    unit = fields.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    tasks = TaskIdField(many=True, required=False)
    reason = fields.CharField()
    scheduled_for = fields.DateField()
    talked_by = fields.CharField()
    talked_with = fields.CharField()


class HeldSerializer(serializers.Serializer):
    held_on = fields.DateField()
    record = fields.CharField()
    commitments = fields.CharField(allow_blank=True)
    follow_up_due = fields.DateField(required=False, allow_null=True)


class FollowUpSerializer(serializers.Serializer):
    follow_up = fields.CharField()


class AccountabilitySerializer(fields.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Accountability
        fields = [
            "id", "plan", "unit", "unit_name", "task", "order", "kind", "persons", "decided_by", "decided_on",
            "decision", "published_to_unit", "published_at",
        ]  # fmt: skip
        read_only_fields = fields


class RecordAccountabilitySerializer(serializers.Serializer):
    plan = fields.PrimaryKeyRelatedField(queryset=Plan.objects.all())
    unit = fields.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    task = TaskIdField(required=False, allow_null=True)
    order = fields.PrimaryKeyRelatedField(
        queryset=RectificationOrder.objects.all(), required=False, allow_null=True
    )
    kind = fields.CharField(help_text="One of: " + ", ".join(AccountabilityKind.values))
    persons = fields.CharField()
    decided_by = fields.CharField()
    decided_on = fields.DateField()
    decision = fields.CharField()

    def validate_kind(self, value: str) -> str:
        if value not in AccountabilityKind.values:
            raise serializers.ValidationError(f"Choose one of: {', '.join(AccountabilityKind.values)}.")
        return value


class FlagSerializer(fields.ModelSerializer):
    task_code = serializers.CharField(source="task.code", read_only=True)

    class Meta:
        model = IntegrityFlag
        fields = [
            "id", "plan", "kind", "task", "task_code", "unit", "report", "period", "strength", "figures",
            "reason", "reason_en", "as_of", "computed_at", "status", "note",
        ]  # fmt: skip
        read_only_fields = fields


def computed_flag(flag: Flag, codes: dict[int, Any]) -> dict[str, Any]:
    """A flag computed for a past date (not stored), in the stored flags' shape where it applies."""
    from tongtui.supervision.integrity_db import json_figures

    return {
        "kind": flag.kind.value,
        "task": flag.task_id,
        "task_code": codes.get(flag.task_id or 0, ("",))[0],
        "unit": flag.unit_id,
        "report": flag.report_id,
        "period": flag.period.isoformat() if flag.period else None,
        "strength": flag.strength,
        "figures": json_figures(flag.figures),
        "reason": flag.text("zh-hans"),
        "reason_en": flag.text("en"),
    }


class DecideFlagSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[("verified", "verified"), ("dismissed", "dismissed"), ("new", "new")]
    )
    note = fields.CharField(required=False, allow_blank=True, default="")


class SpotCheckItemSerializer(fields.ModelSerializer):
    task_code = serializers.CharField(source="task.code", read_only=True)
    files = FileSerializer(many=True, read_only=True)

    class Meta:
        model = SpotCheckItem
        fields = [
            "id", "task", "task_code", "rank", "weight", "risk", "key", "result", "notes", "checked_on",
            "for_assessment", "order", "files",
        ]  # fmt: skip
        read_only_fields = fields


class SpotCheckSerializer(fields.ModelSerializer):
    items = SpotCheckItemSerializer(many=True, read_only=True)

    class Meta:
        model = SpotCheck
        fields = [
            "id", "plan", "title", "seed", "size", "population_filter", "population_size", "floor", "risk_weight",
            "as_of", "drawn_at", "items",
        ]  # fmt: skip
        read_only_fields = fields


class DrawSerializer(serializers.Serializer):
    plan = fields.PrimaryKeyRelatedField(queryset=Plan.objects.all())
    title = fields.CharField()
    size = fields.IntegerField(min_value=1, max_value=500)
    seed = fields.CharField(required=False, allow_blank=True, default="")
    completed = fields.BooleanField(required=False, default=True)
    advanced_since = fields.DateField(required=False, allow_null=True)


class RecordCheckSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=[c for c in CheckResult.choices if c[0] != CheckResult.PENDING])
    notes = fields.CharField(required=False, allow_blank=True, default="")
    checked_on = fields.DateField(required=False, allow_null=True)


class OpenOrderSerializer(serializers.Serializer):
    workdays = fields.IntegerField(min_value=1, max_value=250, required=False, default=10)
    requirement = fields.CharField(required=False, allow_blank=True, default="")


class ChaseSerializer(fields.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    number = serializers.CharField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ChaseNotice
        fields = [
            "id", "number", "plan", "unit", "unit_name", "tasks", "subject", "content", "issued_on", "workdays",
            "reply_due", "status", "overdue", "reply_text", "replied_at", "closed_at", "close_note",
            "reissued_from",
        ]  # fmt: skip
        read_only_fields = fields

    def get_overdue(self, obj: ChaseNotice) -> bool:
        return obj.is_overdue()


class IssueChaseSerializer(serializers.Serializer):
    plan = fields.PrimaryKeyRelatedField(queryset=Plan.objects.all())
    unit = fields.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    tasks = TaskIdField(many=True, required=False)
    subject = fields.CharField(max_length=200)
    content = fields.CharField()
    workdays = fields.IntegerField(min_value=1, max_value=60, default=3)


class ReplyChaseSerializer(serializers.Serializer):
    text = fields.CharField()


class CloseChaseSerializer(serializers.Serializer):
    note = fields.CharField(required=False, allow_blank=True, default="")


class ReissueChaseSerializer(serializers.Serializer):
    content = fields.CharField()
    workdays = fields.IntegerField(min_value=1, max_value=60, default=3)

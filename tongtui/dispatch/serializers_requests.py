"""JSON shapes of requests about a task (申请调整牵头单位, 延期申请) and the bodies of their actions."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tongtui.api import fields
from tongtui.dispatch.actions_requests import asked_late
from tongtui.dispatch.serializers import TaskIdField
from tongtui.orgs.models import Unit
from tongtui.plans.access import milestones_visible_to
from tongtui.plans.models import ChangeRequest, Milestone, RequestKind


@extend_schema_field(OpenApiTypes.INT)
class VisibleMilestoneField(fields.PrimaryKeyRelatedField):
    """A milestone id of a task the user may see."""

    def get_queryset(self) -> QuerySet[Milestone]:
        return milestones_visible_to(self.context["request"].user)


class ChangeRequestSerializer(fields.ModelSerializer):
    """A lead unit's request about an assigned task, and the office's decision on it."""

    # Documented as text: the name "kind" is taken by other enums of the schema, and the asking body already
    # lists the values.
    kind = serializers.CharField(read_only=True, help_text="`lead` or `extension`.")
    requested_by = serializers.CharField(
        source="requested_by.username", read_only=True, default=None, allow_null=True
    )
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, default=None, allow_null=True
    )
    asked_late = serializers.SerializerMethodField(
        help_text="Asked after the date it is about (the acknowledgement deadline for a change of lead unit, "
        "the due date for an extension): an extension asked late counts as overdue."
    )

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "kind",
            "task",
            "milestone",
            "unit",
            "reason",
            "proposed_unit",
            "current_due",
            "proposed_due",
            "status",
            "asked_late",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields

    def get_asked_late(self, obj: ChangeRequest) -> bool:
        return asked_late(obj)


class AskSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=RequestKind.choices,
        help_text="`lead`: another lead unit (申请调整牵头单位); `extension`: a later date (延期申请).",
    )
    task = TaskIdField()
    reason = fields.CharField()
    proposed_unit = fields.PrimaryKeyRelatedField(
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text="A change of lead unit: the unit proposed to lead instead (optional).",
    )
    milestone = VisibleMilestoneField(
        required=False,
        allow_null=True,
        default=None,
        help_text="An extension of one milestone of the task; leave out to extend the task itself.",
    )
    proposed_due = fields.DateField(
        required=False, allow_null=True, default=None, help_text="An extension: the date asked for."
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        milestone = data.get("milestone")
        if milestone is not None and milestone.task_id != data["task"].pk:
            raise serializers.ValidationError({"milestone": "The milestone belongs to another task."})
        if data["kind"] == RequestKind.EXTENSION and data.get("proposed_due") is None:
            raise serializers.ValidationError({"proposed_due": "Give the date you ask for."})
        if data["kind"] == RequestKind.LEAD and (
            milestone is not None or data.get("proposed_due") is not None
        ):
            raise serializers.ValidationError(
                {"kind": "A change of lead unit concerns the whole task: no milestone, no date."}
            )
        return data


class ApproveSerializer(serializers.Serializer):
    note = fields.CharField(required=False, allow_blank=True, default="")
    unit = fields.PrimaryKeyRelatedField(
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text="A change of lead unit: the new lead unit; by default the one proposed.",
    )
    keep_old_as_co_unit = fields.BooleanField(
        required=False,
        default=True,
        help_text="A change of lead unit: the old lead unit stays on the task as a co-unit (else it leaves).",
    )
    due = fields.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="An extension: the new date; by default the date asked for.",
    )


class RefuseSerializer(serializers.Serializer):
    note = fields.CharField(help_text="Why the request is refused.")


class WithdrawSerializer(serializers.Serializer):
    note = fields.CharField(required=False, allow_blank=True, default="")

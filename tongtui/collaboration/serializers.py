"""API bodies and answers for instructions, coordination requests and comments."""

from typing import Any

from rest_framework import serializers

from tongtui.api import fields
from tongtui.collaboration.models import (
    Comment,
    CoordinationRequest,
    Instruction,
    InstructionReply,
    InstructionUnit,
    TargetKind,
)
from tongtui.orgs.models import Person, Role, Unit
from tongtui.plans.models import Category, Task


class InstructionUnitSerializer(fields.ModelSerializer):
    class Meta:
        model = InstructionUnit
        fields = ["unit", "replied_at"]


class InstructionReplySerializer(fields.ModelSerializer):
    class Meta:
        model = InstructionReply
        fields = ["id", "unit", "text", "author", "created_at"]


class InstructionSerializer(fields.ModelSerializer):
    target_id = serializers.SerializerMethodField(help_text="The id of the task, report, problem or bulletin")
    units = InstructionUnitSerializer(source="unit_links", many=True, read_only=True)
    replies = InstructionReplySerializer(many=True, read_only=True)

    class Meta:
        model = Instruction
        fields = ["id", "kind", "target_kind", "target_id", "task", "leader", "text", "reply_by", "status",
                  "units", "replies", "created_at", "closed_at", "new_task", "new_milestone", "version"]  # fmt: skip

    def get_target_id(self, obj: Instruction) -> int:
        target = obj.target
        return target.pk if target is not None else 0


class CollaborationTargetBody(serializers.Serializer):
    target_kind = fields.CharField(help_text="task, report, problem or bulletin")
    target_id = fields.IntegerField()

    def validate_target_kind(self, value: str) -> str:
        if value not in TargetKind.values:
            raise serializers.ValidationError("Choose task, report, problem or bulletin.")
        return value


class InstructBody(CollaborationTargetBody):
    text = fields.CharField()
    units = fields.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), many=True, required=False,
        help_text="Units to reply; the default is the task's lead unit (the report's unit, the problem's)",
    )  # fmt: skip
    reply_within = fields.IntegerField(required=False, default=3, min_value=1, max_value=60)


class InstructionReplyBody(serializers.Serializer):
    text = fields.CharField()
    unit = fields.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True,
                                         default=None)  # fmt: skip
    ask_again_within = fields.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                           max_value=60,
                                           help_text="The leader asks the units again within so many working days")  # fmt: skip


class InstructionCloseBody(serializers.Serializer):
    note = fields.CharField(required=False, default="", allow_blank=True, max_length=90)


class MakeTaskBody(serializers.Serializer):
    code = fields.CharField(max_length=40)
    title = fields.CharField(max_length=500)
    lead_unit = fields.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    due = fields.DateField(required=False, allow_null=True, default=None)
    category = fields.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False, allow_null=True,
                                             default=None)  # fmt: skip


class MakeMilestoneBody(serializers.Serializer):
    title = fields.CharField(max_length=300)
    due = fields.DateField()
    planned_progress = fields.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)


class CoordinationRequestSerializer(fields.ModelSerializer):
    class Meta:
        model = CoordinationRequest
        fields = ["id", "task", "from_unit", "to_unit", "to_leader", "subject", "body", "reply_by",
                  "related_task", "status", "answer", "decline_reason", "requested_at", "answered_at"]  # fmt: skip


class CoordinationAskBody(serializers.Serializer):
    task = fields.IntegerField()
    subject = fields.CharField(max_length=200)
    body = fields.CharField(required=False, default="", allow_blank=True)
    to_unit = fields.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True,
                                            default=None)  # fmt: skip
    to_leader = fields.PrimaryKeyRelatedField(
        queryset=Person.objects.filter(memberships__role=Role.LEADER).distinct(), required=False,
        allow_null=True, default=None,
    )  # fmt: skip
    reply_within = fields.IntegerField(required=False, default=5, min_value=1, max_value=60)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if (data.get("to_unit") is None) == (data.get("to_leader") is None):
            raise serializers.ValidationError("Ask one unit or one leader.")
        return data


class RequestAcceptBody(serializers.Serializer):
    related_task = fields.PrimaryKeyRelatedField(queryset=Task.objects.all(), required=False, allow_null=True,
                                                 default=None)  # fmt: skip
    note = fields.CharField(required=False, default="", allow_blank=True)


class RequestAnswerBody(serializers.Serializer):
    text = fields.CharField()


class RequestDeclineBody(serializers.Serializer):
    reason = fields.CharField()


class CommentSerializer(fields.ModelSerializer):
    target_id = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "target_kind", "target_id", "task", "text", "author", "mentions", "created_at",
                  "edited_at", "deleted_at"]  # fmt: skip

    def get_target_id(self, obj: Comment) -> int:
        target = obj.target
        return target.pk if target is not None else 0

    def get_text(self, obj: Comment) -> str:
        return obj.text


class CommentBody(CollaborationTargetBody):
    text = fields.CharField(max_length=4000)


class CommentEditBody(serializers.Serializer):
    text = fields.CharField(max_length=4000)

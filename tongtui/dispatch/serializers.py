"""JSON shapes of report cycles, progress reports, contributions and evidence, and the bodies of report actions."""

from decimal import Decimal
from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tongtui.api import fields
from tongtui.dispatch import repeats_db
from tongtui.dispatch.models import (
    Attachment,
    ProgressReport,
    ReportContribution,
    ReportCycle,
    ReportIndicatorValue,
)
from tongtui.dispatch.repeats import FIGURES_CHANGED_ONLY, SAME_AS_PREFILL
from tongtui.orgs.models import Unit
from tongtui.plans.serializers import VisibleTaskField


@extend_schema_field(OpenApiTypes.INT)
class TaskIdField(VisibleTaskField):
    """A task id the user may see (with its plan, whose year the report periods are counted in)."""

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("plan")


class ReportCycleSerializer(fields.ModelSerializer):
    """报送周期 of a plan, a category or a task; the most specific one applies to a task."""

    class Meta:
        model = ReportCycle
        fields = [
            "id",
            "plan",
            "category",
            "task",
            "frequency",
            "due_kind",
            "day_of_month",
            "weekday",
            "workdays_before_end",
            "shift",
            "starts_on",
        ]


class ReportCycleUpdateSerializer(ReportCycleSerializer):
    class Meta(ReportCycleSerializer.Meta):
        read_only_fields = ["plan", "category", "task"]


class ContributionSerializer(fields.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True, default=None)

    class Meta:
        model = ReportContribution
        fields = ["unit", "unit_name", "text", "author", "updated_at"]


class AttachmentSerializer(fields.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "report", "unit", "name", "kind", "size", "sha256", "uploaded_at", "download"]

    def get_download(self, obj: Attachment) -> str:
        return reverse("evidence-download", args=[obj.pk])


class ReportIndicatorValueSerializer(fields.ModelSerializer):
    class Meta:
        model = ReportIndicatorValue
        fields = ["indicator", "value"]


class ReportSerializer(fields.ModelSerializer):
    """进展情况: a lead unit's report on a task for one period, with the co-units' parts and the evidence."""

    period_label = serializers.CharField(read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True, default=None)
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, default=None)
    # read as the API's reads prefetch them (dispatch.api.SHOWN_PREFETCH)
    contributions = ContributionSerializer(many=True, read_only=True, source="shown_contributions")
    attachments = AttachmentSerializer(many=True, read_only=True, source="shown_attachments")
    indicator_values = ReportIndicatorValueSerializer(many=True, read_only=True, source="shown_indicator_values")

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "task",
            "unit",
            "period_start",
            "period_end",
            "period_label",
            "due",
            "progress",
            "done",
            "next_steps",
            "problems",
            "confidence",
            "status",
            "submitted_at",
            "submitted_by",
            "late_workdays",
            "signed_off_at",
            "reviewed_at",
            "reviewed_by",
            "review_note",
            "imported",
            "version",
            "contributions",
            "attachments",
            "indicator_values",
        ]
        read_only_fields = fields


class ReportStepSerializer(fields.ModelSerializer):
    """A report step's answer to `Prefer: return=minimal`: what the next step needs (the `version` to send),
    read from the row the step saved, without the parts, evidence, values or the repeat check."""

    class Meta:
        model = ProgressReport
        fields = ["id", "task", "unit", "period_start", "period_end", "status", "version"]
        read_only_fields = fields


class RepeatWarningSerializer(serializers.Serializer):
    """The check at submission: the same warning the report form shows before the liaison submits."""

    code = serializers.ChoiceField(choices=[SAME_AS_PREFILL, FIGURES_CHANGED_ONLY])
    message = serializers.CharField()
    similarity = serializers.FloatField(help_text="0..1: how much of each text the other holds.")
    passage = serializers.CharField()
    changes = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()), help_text="Figures changed: [was, now]."
    )


class ReportAnswerSerializer(ReportSerializer):
    """A report as a step answers it. `repeat_warning` is set when "what was done" is still last period's next
    steps (as pre-filled) or last period's text with only the figures changed: ask the user before submitting; a
    report submitted so is flagged for the office. `previous_confidence` is last period's 完成把握, a hint only:
    confidence is never carried over."""

    repeat_warning = serializers.SerializerMethodField()
    previous_confidence = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "repeat_warning", "previous_confidence"]
        read_only_fields = fields

    def _previous(self, obj: ProgressReport) -> ProgressReport | None:
        seen: dict[int, ProgressReport | None] = self.context.setdefault("previous_reports", {})
        if obj.pk not in seen:
            seen[obj.pk] = repeats_db.previous_report(obj.task_id, obj.period_start)
        return seen[obj.pk]

    @extend_schema_field(RepeatWarningSerializer(allow_null=True))
    def get_repeat_warning(self, obj: ProgressReport) -> dict[str, Any] | None:
        previous = self._previous(obj)
        repeat = repeats_db.repeat_of(obj, previous) if previous is not None else None
        if repeat is None:
            return None
        return {
            "code": repeat.code,
            "message": repeats_db.warning(repeat),
            "similarity": repeat.similarity,
            "passage": repeat.passage,
            "changes": [list(pair) for pair in repeat.changes],
        }

    @extend_schema_field(OpenApiTypes.INT)
    def get_previous_confidence(self, obj: ProgressReport) -> int | None:
        previous = self._previous(obj)
        return previous.confidence if previous is not None else None


class ReportStartSerializer(serializers.Serializer):
    task = TaskIdField()
    period_start = fields.DateField(help_text="First day of a report period of the task's cycle.")


class IndicatorEntrySerializer(serializers.Serializer):
    indicator = fields.IntegerField()
    value = fields.DecimalField(max_digits=18, decimal_places=4, allow_null=True)


class ReportDraftSerializer(serializers.Serializer):
    """Changes to a draft. `version` is the one you loaded: if someone saved in between, the answer is 409."""

    version = fields.IntegerField()
    progress = fields.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        allow_null=True,
        required=False,
    )
    done = fields.CharField(allow_blank=True, required=False, trim_whitespace=False)
    next_steps = fields.CharField(allow_blank=True, required=False, trim_whitespace=False)
    problems = fields.CharField(allow_blank=True, required=False, trim_whitespace=False)
    confidence = fields.IntegerField(min_value=1, max_value=5, allow_null=True, required=False)
    indicator_values = IndicatorEntrySerializer(many=True, required=False)

    def to_action(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        entries = data.pop("indicator_values", None)
        if entries:
            data["indicator_values"] = {e["indicator"]: e["value"] for e in entries}
        return data


class VersionSerializer(serializers.Serializer):
    version = fields.IntegerField(required=False, help_text="The version you loaded; 409 if it changed.")


class ReturnSerializer(serializers.Serializer):
    reason = fields.CharField()


class AcceptSerializer(serializers.Serializer):
    note = fields.CharField(required=False, allow_blank=True, default="")


class ContributeSerializer(serializers.Serializer):
    task = TaskIdField()
    period_start = fields.DateField()
    text = fields.CharField()
    unit = fields.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        help_text="The co-unit you write for, if you are in several.",
    )


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A photo (JPG, PNG, WEBP, HEIC), PDF or Office/WPS document.")


class DueItemSerializer(serializers.Serializer):
    task = serializers.IntegerField(source="task.pk")
    task_code = serializers.CharField(source="task.code")
    task_title = serializers.CharField(source="task.title")
    role = serializers.ChoiceField(choices=["lead", "co"])
    period_start = serializers.DateField(source="period.start")
    period_end = serializers.DateField(source="period.end")
    period_label = serializers.CharField()
    due = serializers.DateField(source="period.due")
    overdue_workdays = serializers.IntegerField()
    report = serializers.IntegerField(source="report_id", allow_null=True)
    report_status = serializers.CharField(allow_null=True)
    contributed = serializers.BooleanField()

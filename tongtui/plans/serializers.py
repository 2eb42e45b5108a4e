"""JSON shapes of plans, categories, tasks, milestones and indicators, and the bodies of task actions."""

from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.relations import PKOnlyObject

from tongtui.api import fields
from tongtui.orgs.models import Unit
from tongtui.plans.access import may_see_task, tasks_visible_to
from tongtui.plans.models import Category, CoUnit, Indicator, IndicatorValue, Milestone, Plan, Task

# simple_history keeps a change reason in 100 characters.
REASON_MAX = 100


class VisibleTaskField(fields.PrimaryKeyRelatedField):
    """A task id the requesting user may see; any other id is "does not exist".

    The id is looked up by its key and the scope checked on the row (`may_see_task`): building the scope's
    subquery cost more than the lookup. The choices a form offers are the scope's."""

    _by_key = False

    def get_queryset(self) -> QuerySet[Task]:
        if self._by_key:
            return Task.objects.all()
        return tasks_visible_to(self.context["request"].user)

    def to_internal_value(self, data: Any) -> Task:
        self._by_key = True
        try:
            task = super().to_internal_value(data)
        finally:
            self._by_key = False
        if not may_see_task(self.context["request"].user, task):
            self.fail("does_not_exist", pk_value=data)
        return cast(Task, task)


class PlanSerializer(fields.ModelSerializer):
    class Meta:
        model = Plan
        fields = ["id", "year", "title", "status"]


class CategorySerializer(fields.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "plan", "name", "order"]


class AcknowledgementSerializer(fields.ModelSerializer):
    class Meta:
        model = CoUnit
        fields = ["unit", "acknowledged_at"]


TASK_READ_ONLY = [
    "status",
    "progress",
    "progress_note",
    "progress_on",
    "assigned_at",
    "lead_acknowledged_at",
    "closed_on",
    "version",
    "created_at",
    "updated_at",
]


class CoUnitIds(serializers.ManyRelatedField):
    """The co-units' ids, read from the prefetched link rows (which also give the acknowledgements): no join
    to the units, no second query."""

    def get_attribute(self, instance: Task) -> list[PKOnlyObject]:
        return [PKOnlyObject(link.unit_id) for link in instance.co_unit_links.all()]


class TaskSerializer(fields.ModelSerializer):
    """A key task (重点工作) with its charter (任务书) and where it stands."""

    parent = VisibleTaskField(required=False, allow_null=True)  # type: ignore[assignment]  # not Field.parent
    co_units = CoUnitIds(
        child_relation=fields.PrimaryKeyRelatedField(queryset=Unit.objects.all()), required=False
    )
    acknowledgements = AcknowledgementSerializer(
        source="co_unit_links", many=True, read_only=True, help_text="Each co-unit and when it acknowledged."
    )
    reason = fields.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=REASON_MAX,
        help_text="Kept in the history.",
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "parent",
            "code",
            "title",
            "category",
            "goal",
            "measures",
            "deliverables",
            "lead_unit",
            "co_units",
            "acknowledgements",
            "leader",
            "owner",
            "start",
            "due",
            "deadline_text",
            "weight",
            "source",
            "is_public",
            "note",
            *TASK_READ_ONLY,
            "reason",
        ]
        read_only_fields = TASK_READ_ONLY

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        plan = attrs.get("plan") or getattr(self.instance, "plan", None)
        category = attrs.get("category")
        if category is not None and plan is not None and category.plan_id != plan.pk:
            raise serializers.ValidationError({"category": [_("The category belongs to another plan year.")]})
        return attrs


class NeverPartial:
    """Keep the body's own `required` flags on PATCH too, so schema and runtime agree that `version` is needed."""

    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        pass


class TaskUpdateSerializer(NeverPartial, TaskSerializer):
    """Change a task's charter: send the fields to change and the `version` you read."""

    version = fields.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The version you read; a stale version is refused with 409.",
    )

    class Meta(TaskSerializer.Meta):
        read_only_fields = [*(f for f in TASK_READ_ONLY if f != "version"), "plan"]
        extra_kwargs = {
            name: {"required": False}
            for name in ["code", "title", "category", "lead_unit", "leader", "owner", "start", "due"]
        }
        validators: list[Any] = []


class ReasonSerializer(serializers.Serializer):
    reason = fields.CharField(max_length=REASON_MAX)


class OptionalReasonSerializer(serializers.Serializer):
    reason = fields.CharField(max_length=REASON_MAX, required=False, allow_blank=True)


class AcknowledgeSerializer(serializers.Serializer):
    unit = fields.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        help_text="The unit you acknowledge for; needed only if you act for several of the task's units.",
    )


class ProgressSerializer(serializers.Serializer):
    progress = fields.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    note = fields.CharField(required=False, allow_blank=True, help_text="What has been done.")
    on = fields.DateField(required=False, help_text="The date the progress stands at; today if left out.")


class CompletionRequestSerializer(serializers.Serializer):
    note = fields.CharField(required=False, allow_blank=True, max_length=REASON_MAX)


class CloseSerializer(OptionalReasonSerializer):
    on = fields.DateField(required=False, help_text="The closing date; today if left out.")


class MilestoneSerializer(fields.ModelSerializer):
    """A dated step (节点) of a task's roadmap."""

    task = VisibleTaskField()

    class Meta:
        model = Milestone
        fields = [
            "id",
            "task",
            "seq",
            "title",
            "due",
            "deliverable",
            "planned_progress",
            "evidence_required",
            "done_on",
        ]
        read_only_fields = ["done_on"]


class MilestoneUpdateSerializer(MilestoneSerializer):
    task = VisibleTaskField(read_only=True)

    class Meta(MilestoneSerializer.Meta):
        read_only_fields = []


class IndicatorSerializer(fields.ModelSerializer):
    """A quantified target (指标) of a task."""

    task = VisibleTaskField()

    class Meta:
        model = Indicator
        fields = ["id", "task", "name", "unit_of_measure", "baseline", "target", "direction"]


class IndicatorValueSerializer(fields.ModelSerializer):
    class Meta:
        model = IndicatorValue
        fields = ["id", "indicator", "period", "value", "note"]

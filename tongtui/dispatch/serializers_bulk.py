"""JSON shapes of bulk work on tasks: the selection (task ids, or the task list's filters), the value an
operation sets, and what it did (or, with dry_run, would do) to each task."""

from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import serializers

from tongtui.api import fields
from tongtui.dispatch.models import ReportCycle
from tongtui.orgs.models import Person
from tongtui.plans.models import Category, TaskStatus
from tongtui.plans.serializers import REASON_MAX

MAX_IDS = 5000
LIGHTS = ["green", "yellow", "red", "blue", "grey"]


class TaskFilterSerializer(serializers.Serializer):
    """The filters of GET /api/tasks/ (the task list's FilterSet), as an object. Every task the user may see
    that matches all given filters is selected; the filter is run on the server when the operation runs."""

    plan = fields.IntegerField(required=False, help_text="Plan id.")
    category = fields.IntegerField(required=False, help_text="Category id.")
    unit = fields.IntegerField(required=False, help_text="Unit id, as lead unit or co-unit.")
    lead_unit = fields.IntegerField(required=False, help_text="Lead unit id.")
    leader = fields.IntegerField(required=False, help_text="Responsible leader (person) id.")
    # The status values as such (not Task.status's labelled choices, whose schema enum belongs to Task).
    status = serializers.ListField(
        child=serializers.ChoiceField(choices=[(v, v) for v in TaskStatus.values]), required=False
    )
    parent = fields.IntegerField(required=False, help_text="Parent task id.")  # type: ignore[assignment]
    top_level = fields.BooleanField(required=False)
    due_before = fields.DateField(required=False)
    due_after = fields.DateField(required=False)
    q = fields.CharField(required=False, allow_blank=True, max_length=200)
    light = serializers.ChoiceField(choices=LIGHTS, required=False)


def filter_query(data: dict[str, Any]) -> QueryDict:
    """Validated filters as the query string the task list's FilterSet reads."""
    query = QueryDict(mutable=True)
    for name, value in data.items():
        if isinstance(value, list):
            query.setlist(name, [str(v) for v in value])
        elif isinstance(value, bool):
            query[name] = "true" if value else "false"
        else:
            query[name] = str(value)
    return query


class SelectionSerializer(serializers.Serializer):
    tasks = serializers.ListField(
        child=fields.IntegerField(min_value=1),
        required=False,
        allow_empty=False,
        max_length=MAX_IDS,
        help_text="Task ids. Give either these or `filter`.",
    )
    filter = TaskFilterSerializer(required=False, help_text="All tasks matching these filters.")
    dry_run = fields.BooleanField(
        required=False, default=False, help_text="Only say what would happen; write nothing."
    )
    reason = fields.CharField(
        required=False, allow_blank=True, max_length=REASON_MAX, help_text="Kept in each task's history."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("tasks" in attrs) == ("filter" in attrs):
            raise serializers.ValidationError(_("Give either the task ids or a filter."))
        return attrs


class LeaderBodySerializer(SelectionSerializer):
    leader = fields.PrimaryKeyRelatedField(queryset=Person.objects.all(), help_text="Person id.")


class OwnerBodySerializer(SelectionSerializer):
    owner = fields.PrimaryKeyRelatedField(queryset=Person.objects.all(), help_text="Person id.")


class CategoryBodySerializer(SelectionSerializer):
    category = fields.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), help_text="Category id, of the tasks' plan year."
    )


class CycleRuleSerializer(fields.ModelSerializer):
    """A report cycle's frequency and due rule; what is not given takes the model's default."""

    class Meta:
        model = ReportCycle
        fields = [
            "frequency",
            "due_kind",
            "day_of_month",
            "weekday",
            "workdays_before_end",
            "shift",
            "starts_on",
        ]
        extra_kwargs = {"frequency": {"required": True}, "due_kind": {"required": True}}


class CycleBodySerializer(SelectionSerializer):
    cycle = CycleRuleSerializer()


class RefusedSerializer(serializers.Serializer):
    task = serializers.IntegerField(help_text="Task id.")
    code = serializers.CharField()
    status = serializers.CharField(help_text="The task's status now.")
    reason = serializers.CharField(help_text="Why it was left as it is.")


class OutcomeSerializer(serializers.Serializer):
    operation = serializers.CharField()
    dry_run = serializers.BooleanField()
    selected = serializers.IntegerField(help_text="How many tasks the selection holds.")
    done = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the tasks changed (or, in a dry run, to change)."
    )
    unchanged = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the tasks that already had the value."
    )
    refused = RefusedSerializer(many=True, help_text="The tasks left as they are, with the reason.")

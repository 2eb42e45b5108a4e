"""One FilterSet for the task list page and the task API."""

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tongtui.orgs.models import Person, Unit
from tongtui.plans.models import Category, CoUnit, Plan, Task, TaskStatus


class TaskFilter(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(queryset=Plan.objects.all(), label=_("Plan year"))
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.select_related("plan"), label=_("Category")
    )
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(),
        method="filter_unit",
        label=_("Unit (lead or co-unit)"),
    )
    lead_unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("Lead unit"))
    leader = django_filters.ModelChoiceFilter(queryset=Person.objects.all(), label=_("Responsible leader"))
    status = django_filters.MultipleChoiceFilter(choices=TaskStatus.choices, label=_("Status"))
    # By id, not a model choice: a choice field would tell an outsider whether a hidden task exists.
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("Parent task"))
    top_level = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", label=_("Top-level only")
    )
    due_before = django_filters.DateFilter(field_name="due", lookup_expr="lte", label=_("Due on or before"))
    due_after = django_filters.DateFilter(field_name="due", lookup_expr="gte", label=_("Due on or after"))
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    # The stored traffic light (supervision computes it; plans only filters on the reverse relation).
    light = django_filters.ChoiceFilter(
        field_name="light_state__light",
        choices=[
            ("green", _("Green: on track")),
            ("yellow", _("Yellow: at risk")),
            ("red", _("Red: off track")),
            ("blue", _("Blue: closed")),
            ("grey", _("Grey: not started")),
        ],
        label=_("Light"),
    )

    class Meta:
        model = Task
        fields = [
            "plan",
            "category",
            "unit",
            "lead_unit",
            "leader",
            "status",
            "parent",
            "top_level",
            "q",
            "light",
        ]

    def filter_queryset(self, queryset: QuerySet[Task]) -> QuerySet[Task]:
        # The stored light shows beside each task: read it in the same query, not one query per row.
        return super().filter_queryset(queryset).select_related("light_state")

    def filter_unit(self, qs: QuerySet[Task], name: str, value: Unit) -> QuerySet[Task]:
        if value is None:
            return qs
        co = CoUnit.objects.filter(task=OuterRef("pk"), unit=value)
        return qs.filter(Q(lead_unit=value) | Q(Exists(co)))

    def filter_text(self, qs: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        for word in value.split():
            qs = qs.filter(
                Q(code__icontains=word)
                | Q(title__icontains=word)
                | Q(goal__icontains=word)
                | Q(measures__icontains=word)
                | Q(lead_unit__name__icontains=word)
                | Q(lead_unit__short_name__icontains=word)
                | Q(leader__name__icontains=word)
            )
        return qs

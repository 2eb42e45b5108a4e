"""One FilterSet for the task list page and the task API."""

import datetime
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField

from tongtui.orgs.models import Person, Unit
from tongtui.plans.models import Category, CoUnit, Milestone, Plan, Task, TaskStatus

# Open work: a closed or cancelled task is never late.
DONE = (TaskStatus.CLOSED, TaskStatus.CANCELLED)
MULTI = ("status",)


class ListedChoiceField(ModelChoiceField):
    """A model choice checked against the rows a page has already read for the select's options (`listed`),
    when it has read them: the options and the choice made from them in one query, not two. Unlisted, the
    queryset is asked, as always."""

    listed: list[Any] | None = None

    def to_python(self, value: Any) -> Any:
        if self.listed is None or value in self.empty_values:
            return super().to_python(value)
        key = str(value.pk if isinstance(value, Model) else value)
        for row in self.listed:
            if str(row.pk) == key:
                return row
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class ListedChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ListedChoiceField


class TaskFilter(django_filters.FilterSet):
    plan = ListedChoiceFilter(queryset=Plan.objects.all(), label=_("Plan year"))
    category = ListedChoiceFilter(
        queryset=Category.objects.select_related("plan"), label=_("Category")
    )
    unit = ListedChoiceFilter(
        queryset=Unit.objects.all(),
        method="filter_unit",
        label=_("Unit (lead or co-unit)"),
    )
    lead_unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.all(), label=_("Lead unit"))
    leader = ListedChoiceFilter(queryset=Person.objects.all(), label=_("Responsible leader"))
    # a field of the task itself: no join, so no DISTINCT over every column
    status = django_filters.MultipleChoiceFilter(choices=TaskStatus.choices, label=_("Status"), distinct=False)
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
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    milestone = django_filters.ChoiceFilter(
        method="filter_milestone",
        choices=[
            ("overdue", _("A milestone overdue")),
            ("week", _("A milestone due this week")),
        ],
        label=_("Milestones"),
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
            "overdue",
            "milestone",
        ]

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        # An empty choice ("All") of a multiple-choice select arrives as "status=": not a filter, not an error.
        if data is not None and any(v == "" for key in MULTI for v in _getlist(data, key)):
            data = data.copy()
            for key in MULTI:
                values = [v for v in _getlist(data, key) if v != ""]
                if isinstance(data, QueryDict):
                    data.setlist(key, values)
                elif values:
                    data[key] = values
                else:
                    data.pop(key, None)
        super().__init__(data, *args, **kwargs)

    def filter_queryset(self, queryset: QuerySet[Task]) -> QuerySet[Task]:
        # The stored light shows beside each task: read it in the same query, not one query per row.
        return super().filter_queryset(queryset).select_related("light_state")

    def filter_overdue(self, qs: QuerySet[Task], name: str, value: bool | None) -> QuerySet[Task]:
        """逾期: open tasks past their due date (or, with `false`, those not past it)."""
        if value is None:
            return qs
        late = Q(due__lt=timezone.localdate()) & ~Q(status__in=DONE)
        return qs.filter(late) if value else qs.exclude(late)

    def filter_milestone(self, qs: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        if not value:
            return qs
        today = timezone.localdate()
        open_ms = Milestone.objects.filter(task=OuterRef("pk"), done_on__isnull=True)
        if value == "overdue":
            return qs.filter(Exists(open_ms.filter(due__lt=today))).exclude(status__in=DONE)
        monday, sunday = week_of(today)
        return qs.filter(Exists(open_ms.filter(due__gte=monday, due__lte=sunday))).exclude(status__in=DONE)

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


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of the week holding `day`."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def _getlist(data: Any, key: str) -> list[Any]:
    if hasattr(data, "getlist"):
        return list(data.getlist(key))
    value = data.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]

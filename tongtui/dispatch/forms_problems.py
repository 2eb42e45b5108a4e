"""Forms and the one FilterSet (HTML list and API) for problems and dispatch meetings."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongtui.api import fields
from tongtui.dispatch.models import AddressedTo, DecisionKind, Meeting, MeetingScope, Problem, ProblemStatus
from tongtui.orgs.models import Person, Role, Unit
from tongtui.plans.models import Category, Plan, Task

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATE = {"type": "date", "class": "form-control"}


class ProblemFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ProblemStatus.choices, empty_label=_("Any status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Past the requested date"))
    addressed_to = django_filters.ChoiceFilter(choices=AddressedTo.choices, empty_label=_("Anyone"))
    task = fields.IntegerFilter(field_name="task_id", label=_("Task id"))
    unit = fields.IntegerFilter(method="filter_unit", label=_("Unit id (raising or addressed)"))

    class Meta:
        model = Problem
        fields = ["status", "addressed_to", "task"]

    def filter_overdue(self, qs: QuerySet[Problem], name: str, value: bool | None) -> QuerySet[Problem]:
        if value is None:
            return qs
        late = Q(answer_by__lt=timezone.localdate()) & ~Q(status=ProblemStatus.RESOLVED)
        return qs.filter(late) if value else qs.exclude(late)

    def filter_unit(self, qs: QuerySet[Problem], name: str, value: int | None) -> QuerySet[Problem]:
        if value is None:
            return qs
        return qs.filter(Q(unit_id=value) | Q(addressed_unit_id=value))


class ProblemForm(forms.Form):
    title = forms.CharField(label=_("Problem"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    description = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 4})
    )
    addressed_to = forms.ChoiceField(
        label=_("Addressed to"),
        choices=AddressedTo.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    addressed_unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text=_("When the problem is addressed to another unit."),
    )
    answer_by = forms.DateField(
        label=_("Answer requested by"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    unit = forms.ModelChoiceField(
        label=_("Raised by"), queryset=Unit.objects.none(), required=False, widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args: Any, units: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None and units.count() > 1:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        else:
            del self.fields["unit"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("addressed_to") == AddressedTo.UNIT and not data.get("addressed_unit"):
            self.add_error("addressed_unit", _("Choose the unit the problem is addressed to."))
        return data


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={**TEXT, "rows": 3}))


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it not solved?"), widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )
    answer_by = forms.DateField(
        label=_("New requested date"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["plan", "title", "date", "time", "chair", "scope", "category", "leader"]
        widgets = {
            "plan": forms.Select(attrs=SELECT),
            "title": forms.TextInput(attrs=TEXT),
            "date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "time": forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M"),
            "chair": forms.Select(attrs=SELECT),
            "scope": forms.Select(attrs=SELECT),
            "category": forms.Select(attrs=SELECT),
            "leader": forms.Select(attrs=SELECT),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leaders = Person.objects.filter(memberships__role=Role.LEADER).distinct()
        self.fields["chair"].queryset = leaders  # type: ignore[attr-defined]
        self.fields["leader"].queryset = leaders  # type: ignore[attr-defined]
        self.fields["plan"].queryset = Plan.objects.all()  # type: ignore[attr-defined]
        self.fields["category"].queryset = Category.objects.select_related("plan")  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["plan"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") != MeetingScope.CATEGORY:
            data["category"] = None
        if data.get("scope") != MeetingScope.LEADER:
            data["leader"] = None
        return data

    def _post_clean(self) -> None:
        """Validation of the whole meeting is the action's (save_with_history calls full_clean)."""


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 6})
    )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={**TEXT, "rows": 2}))
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=Unit.objects.filter(is_active=True), widget=forms.Select(attrs=SELECT)
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("Co-units"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={**SELECT, "size": 4}),
    )
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    kind = forms.ChoiceField(
        label=_("Tracked as"),
        choices=DecisionKind.choices,
        initial=DecisionKind.TASK,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    task = forms.ModelChoiceField(
        label=_("Task"),
        queryset=Task.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text=_("A new task: its parent (optional). A milestone: the task it goes on."),
    )
    planned_progress = forms.DecimalField(
        label=_("Planned progress of the milestone (%)"),
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs=TEXT),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = Task.objects.filter(plan_id=meeting.plan_id).order_by("code_sort", "code")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == DecisionKind.MILESTONE and not data.get("task"):
            self.add_error("task", _("Choose the task the milestone goes on."))
        return data

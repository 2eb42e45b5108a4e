"""Forms, and the FilterSets the list pages and the API share."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongtui.api import fields
from tongtui.collaboration.models import (
    CoordinationRequest,
    Instruction,
    InstructionKind,
    InstructionStatus,
    RequestStatus,
    TargetKind,
)
from tongtui.orgs.models import Person, Role, Unit
from tongtui.plans.models import Category, Task

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATE = {"type": "date", "class": "form-control"}


class InstructionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=InstructionStatus.choices, empty_label=_("Any status"))
    kind = django_filters.ChoiceFilter(choices=InstructionKind.choices, empty_label=_("Instructions and marks"))
    target_kind = django_filters.ChoiceFilter(choices=TargetKind.choices, empty_label=_("On anything"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Past the reply date"))
    task = fields.IntegerFilter(field_name="task_id", label=_("Task id"))
    unit = fields.IntegerFilter(method="filter_unit", label=_("Unit id (a unit concerned)"))

    class Meta:
        model = Instruction
        fields = ["status", "kind", "target_kind", "task"]

    def filter_overdue(self, qs: QuerySet[Instruction], name: str, value: bool | None) -> QuerySet[Instruction]:
        if value is None:
            return qs
        late = Q(status=InstructionStatus.OPEN, reply_by__lt=timezone.localdate())
        return qs.filter(late) if value else qs.exclude(late)

    def filter_unit(self, qs: QuerySet[Instruction], name: str, value: int | None) -> QuerySet[Instruction]:
        return qs if value is None else qs.filter(unit_links__unit_id=value)


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, empty_label=_("Any status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Past the reply date"))
    task = fields.IntegerFilter(method="filter_task", label=_("Task id (asking or related)"))
    unit = fields.IntegerFilter(method="filter_unit", label=_("Unit id (asking or asked)"))

    class Meta:
        model = CoordinationRequest
        fields = ["status"]

    def filter_overdue(self, qs: QuerySet[CoordinationRequest], name: str,
                       value: bool | None) -> QuerySet[CoordinationRequest]:  # fmt: skip
        if value is None:
            return qs
        late = Q(status=RequestStatus.PENDING, reply_by__lt=timezone.localdate())
        return qs.filter(late) if value else qs.exclude(late)

    def filter_task(self, qs: QuerySet[CoordinationRequest], name: str,
                    value: int | None) -> QuerySet[CoordinationRequest]:  # fmt: skip
        return qs if value is None else qs.filter(Q(task_id=value) | Q(related_task_id=value))

    def filter_unit(self, qs: QuerySet[CoordinationRequest], name: str,
                    value: int | None) -> QuerySet[CoordinationRequest]:  # fmt: skip
        return qs if value is None else qs.filter(Q(from_unit_id=value) | Q(to_unit_id=value))


class InstructionForm(forms.Form):
    text = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={**TEXT, "rows": 4}))
    units = forms.ModelMultipleChoiceField(
        label=_("Units to reply"), queryset=Unit.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )  # fmt: skip
    reply_within = forms.IntegerField(label=_("Reply within (working days)"), min_value=1, max_value=60,
                                      initial=3, widget=forms.NumberInput(attrs=TEXT))  # fmt: skip

    def __init__(self, *args: Any, units: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units if units is not None else Unit.objects.filter(is_active=True)  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={**TEXT, "rows": 3}))
    ask_again_within = forms.IntegerField(
        label=_("Ask the units again, within (working days)"), min_value=1, max_value=60, required=False,
        widget=forms.NumberInput(attrs=TEXT),
    )  # fmt: skip


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=90, widget=forms.TextInput(attrs=TEXT))


class MakeTaskForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40, widget=forms.TextInput(attrs=TEXT))
    title = forms.CharField(label=_("Title"), max_length=500, widget=forms.TextInput(attrs=TEXT))
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.filter(is_active=True),
                                       widget=forms.Select(attrs=SELECT))  # fmt: skip
    due = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs=DATE))
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(), required=False,
                                      widget=forms.Select(attrs=SELECT))  # fmt: skip

    def __init__(self, *args: Any, plan_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(plan_id=plan_id or 0)  # type: ignore[attr-defined]


class MakeMilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=300, widget=forms.TextInput(attrs=TEXT))
    due = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs=DATE))
    planned_progress = forms.DecimalField(label=_("Planned progress (%)"), min_value=0, max_value=100,
                                          widget=forms.NumberInput(attrs=TEXT))  # fmt: skip


class RequestForm(forms.Form):
    to_unit = forms.ModelChoiceField(label=_("Ask a unit"), queryset=Unit.objects.filter(is_active=True),
                                     required=False, widget=forms.Select(attrs=SELECT))  # fmt: skip
    to_leader = forms.ModelChoiceField(
        label=_("or a leader"), required=False, widget=forms.Select(attrs=SELECT),
        queryset=Person.objects.filter(memberships__role=Role.LEADER).distinct(),
    )  # fmt: skip
    subject = forms.CharField(label=_("What is needed"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    body = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 3}))
    reply_within = forms.IntegerField(label=_("Reply within (working days)"), min_value=1, max_value=60,
                                      initial=5, widget=forms.NumberInput(attrs=TEXT))  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("to_unit") is None) == (data.get("to_leader") is None):
            raise forms.ValidationError(_("Ask one unit or one leader."))
        return data


class AcceptForm(forms.Form):
    related_task = forms.ModelChoiceField(
        label=_("Our related task"), queryset=Task.objects.none(), required=False,
        widget=forms.Select(attrs=SELECT),
        help_text=_("Both tasks then show each other's progress."),
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2}))

    def __init__(self, *args: Any, tasks: QuerySet[Task] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["related_task"].queryset = tasks if tasks is not None else Task.objects.none()  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={**TEXT, "rows": 3}))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why not"), widget=forms.Textarea(attrs={**TEXT, "rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=4000,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 2, "data-mention": "1"}))  # fmt: skip

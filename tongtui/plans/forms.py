"""Forms of the task pages: the charter editor, its milestones, and the small action forms."""

from decimal import Decimal
from typing import Any

from django import forms
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from tongtui.orgs.models import Person, Unit
from tongtui.plans.access import tasks_visible_to
from tongtui.plans.models import Milestone, Plan, Task

# The charter fields the editor changes; each is one of actions.TASK_FIELDS.
CHARTER_FIELDS = [
    "code",
    "title",
    "parent",
    "category",
    "source",
    "goal",
    "measures",
    "deliverables",
    "lead_unit",
    "leader",
    "owner",
    "start",
    "due",
    "deadline_text",
    "weight",
    "is_public",
    "note",
]
MILESTONE_FIELDS = ("title", "due", "planned_progress", "deliverable", "evidence_required")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TaskForm(forms.ModelForm):
    co_units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Co-units"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=200,
        help_text=_("Kept in the task's history."),
    )

    class Meta:
        model = Task
        fields = list(CHARTER_FIELDS)
        widgets = {
            "start": DateInput(),
            "due": DateInput(),
            "goal": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 4}),
            "deliverables": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, plan: Plan, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.instance.plan = plan
        tasks = tasks_visible_to(user).filter(plan=plan).order_by("code_sort", "code")
        if self.instance.pk:
            tasks = tasks.exclude(pk=self.instance.pk)
            self.fields["version"].initial = self.instance.version
            self.fields["co_units"].initial = list(self.instance.co_units.values_list("pk", flat=True))
        fields = self.fields
        fields["parent"].queryset = tasks.only("pk", "code", "title")  # type: ignore[attr-defined]
        fields["category"].queryset = plan.categories.all()  # type: ignore[attr-defined]
        units = Unit.objects.filter(is_active=True)
        fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        fields["co_units"].queryset = units  # type: ignore[attr-defined]
        people = Person.objects.order_by("name")
        fields["leader"].queryset = people  # type: ignore[attr-defined]
        fields["owner"].queryset = people  # type: ignore[attr-defined]
        for field in fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        clash = Task.objects.filter(plan=self.plan, code=code)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another task of this plan year already has this code."))
        return code

    def charter(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CHARTER_FIELDS}


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = list(MILESTONE_FIELDS)  # a copy: inline formsets append their foreign key to it
        widgets = {"due": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            else:
                field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in MILESTONE_FIELDS}


class BaseMilestoneFormSet(BaseInlineFormSet):
    """Milestones in the model's order (due, then seq); none for a task not saved yet."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


MilestoneFormSet = inlineformset_factory(
    Task,
    Milestone,
    form=MilestoneForm,
    formset=BaseMilestoneFormSet,
    fields=list(MILESTONE_FIELDS),
    extra=1,
    can_delete=True,
)


class ProgressForm(forms.Form):
    progress = forms.DecimalField(
        label=_("Progress (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "1", "inputmode": "decimal"}),
    )
    note = forms.CharField(
        label=_("What has been done"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


class AcknowledgeForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        label=_("Acknowledge for"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in units])  # type: ignore[attr-defined]
        if len(units) == 1:
            field.initial = units[0].pk
            field.widget = forms.HiddenInput()

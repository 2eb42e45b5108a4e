"""Forms of the office's supervision records and spot checks (Bootstrap classes set here, once)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongtui.dispatch.forms import EVIDENCE_ACCEPT, MultipleFileField, MultipleFileInput
from tongtui.orgs.models import Unit
from tongtui.plans.models import Category, Plan, Task
from tongtui.supervision.models import AccountabilityKind, CheckResult, FlagStatus


class BootstrapForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            w = field.widget
            if isinstance(w, forms.CheckboxInput):
                w.attrs.setdefault("class", "form-check-input")
            elif isinstance(w, forms.Select):
                w.attrs.setdefault("class", "form-select")
            else:
                w.attrs.setdefault("class", "form-control")


def _date() -> forms.DateField:
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def _text(label: Any, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


def _files() -> MultipleFileField:
    return MultipleFileField(
        label=_("Evidence files"), required=False, widget=MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT})
    )


class PlanUnitTaskForm(BootstrapForm):
    unit = forms.ModelChoiceField(Unit.objects.order_by("order", "name"), label=_("Unit"))
    task = forms.ModelChoiceField(Task.objects.none(), label=_("Task"), required=False)

    def __init__(self, plan: Plan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = Task.objects.filter(plan=plan).order_by("code_sort", "code")  # type: ignore[attr-defined]


class IssueOrderForm(PlanUnitTaskForm):
    problem = _text(_("Problem"))
    requirement = _text(_("Requirement"))
    workdays = forms.IntegerField(label=_("Working days allowed"), min_value=1, max_value=250, initial=10)


class ReportOrderForm(BootstrapForm):
    text = _text(_("What was rectified"), rows=4)
    evidence = _files()


class VerifyForm(BootstrapForm):
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Passed")), ("0", _("Not passed"))],
        coerce=lambda v: v == "1",
    )
    note = _text(_("Note"), rows=2, required=False)


class ExtendForm(BootstrapForm):
    workdays = forms.IntegerField(label=_("Working days from today"), min_value=1, max_value=250, initial=5)
    note = _text(_("Note"), rows=2, required=False)


class EscalateForm(BootstrapForm):
    note = _text(_("Why escalate"), rows=2)


class AdmonitionForm(BootstrapForm):
    unit = forms.ModelChoiceField(Unit.objects.order_by("order", "name"), label=_("Unit"))
    tasks = forms.ModelMultipleChoiceField(Task.objects.none(), label=_("Tasks"), required=False)
    reason = _text(_("Reason"))
    scheduled_for = _date()
    talked_by = forms.CharField(label=_("Talk given by"), max_length=200)
    talked_with = forms.CharField(label=_("Talked with"), max_length=200)

    def __init__(self, plan: Plan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = Task.objects.filter(plan=plan).order_by("code_sort", "code")  # type: ignore[attr-defined]
        self.fields["scheduled_for"].label = _("Scheduled for")


class HeldForm(BootstrapForm):
    held_on = _date()
    record = _text(_("Record of the talk"), rows=4)
    commitments = _text(_("Commitments"), rows=3, required=False)
    follow_up_due = forms.DateField(
        label=_("Follow-up due"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].label = _("Held on")


class FollowUpForm(BootstrapForm):
    follow_up = _text(_("How the commitments were kept"), rows=3)


class AccountabilityForm(PlanUnitTaskForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=AccountabilityKind.choices)
    persons = forms.CharField(label=_("Persons held accountable"), max_length=300)
    decided_by = forms.CharField(label=_("Decided by"), max_length=200)
    decided_on = _date()
    decision = _text(_("Decision"), rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].label = _("Decided on")


class DrawForm(BootstrapForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    size = forms.IntegerField(label=_("Sample size"), min_value=1, max_value=500, initial=10)
    seed = forms.CharField(
        label=_("Seed"),
        max_length=64,
        required=False,
        help_text=_("Leave empty for a fresh one; give an earlier draw's seed to repeat it."),
    )
    completed = forms.BooleanField(label=_("Completed tasks"), required=False, initial=True)
    advanced_since = forms.DateField(
        label=_("Tasks advanced since"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    category = forms.ModelChoiceField(Category.objects.none(), label=_("Category"), required=False)
    unit = forms.ModelChoiceField(
        Unit.objects.order_by("order", "name"), label=_("Lead unit"), required=False
    )

    def __init__(self, plan: Plan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(plan=plan)  # type: ignore[attr-defined]


class RecordCheckForm(BootstrapForm):
    result = forms.ChoiceField(
        label=_("Result"), choices=[c for c in CheckResult.choices if c[0] != CheckResult.PENDING]
    )
    notes = _text(_("Notes"), rows=2, required=False)
    checked_on = forms.DateField(
        label=_("Checked on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    evidence = _files()


class DecideFlagForm(BootstrapForm):
    status = forms.ChoiceField(label=_("Verdict"), choices=FlagStatus.choices)
    note = _text(_("Note"), rows=2, required=False)

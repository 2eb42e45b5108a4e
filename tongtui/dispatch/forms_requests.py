"""Forms for requests about a task (ask, approve, refuse, withdraw) and the one FilterSet of the request list
and its API."""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tongtui.api import fields
from tongtui.orgs.models import Unit
from tongtui.plans.models import ChangeRequest, Milestone, RequestKind, RequestStatus, Task

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATE = {"type": "date", "class": "form-control"}
WHOLE_TASK = "task"


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, empty_label=_("Any status"))
    kind = django_filters.ChoiceFilter(choices=RequestKind.choices, empty_label=_("Any kind"))
    task = fields.IntegerFilter(field_name="task_id", label=_("Task id"))
    unit = fields.IntegerFilter(field_name="unit_id", label=_("Requesting unit id"))

    class Meta:
        model = ChangeRequest
        fields = ["status", "kind", "task", "unit"]


def _units(exclude: int | None) -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True).exclude(pk=exclude or 0).order_by("order", "name")


class LeadRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should another unit lead this task?"),
        widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
    )
    proposed_unit = forms.ModelChoiceField(
        label=_("Proposed lead unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Leave it to the office"),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposed_unit"].queryset = _units(task.lead_unit_id)  # type: ignore[attr-defined]


class ExtensionRequestForm(forms.Form):
    target = forms.ChoiceField(label=_("What needs more time"), widget=forms.Select(attrs=SELECT))
    proposed_due = forms.DateField(
        label=_("New date asked for"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("Why is more time needed?"), widget=forms.Textarea(attrs={**TEXT, "rows": 4})
    )

    def __init__(self, *args: Any, task: Task, milestones: list[Milestone], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.milestones = {str(m.pk): m for m in milestones}
        due = f"{task.due:%Y-%m-%d}" if task.due else "—"
        choices = [(WHOLE_TASK, _("The whole task (due %(due)s)") % {"due": due})]
        choices += [
            (
                str(m.pk),
                _("Milestone: %(title)s (due %(due)s)") % {"title": m.title, "due": f"{m.due:%Y-%m-%d}"},
            )
            for m in milestones
        ]
        self.fields["target"].choices = choices  # type: ignore[attr-defined]

    @property
    def milestone(self) -> Milestone | None:
        return self.milestones.get(self.cleaned_data.get("target", ""))


class ApproveLeadForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("New lead unit"), queryset=Unit.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    keep_old = forms.TypedChoiceField(
        label=_("The present lead unit"),
        choices=[("co", _("stays on the task as a co-unit")), ("remove", _("leaves the task"))],
        initial="co",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label=_("Note to the unit"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )

    def __init__(self, *args: Any, change: ChangeRequest, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"unit": change.proposed_unit_id, "keep_old": "co"})
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(change.task.lead_unit_id)  # type: ignore[attr-defined]


class ApproveExtensionForm(forms.Form):
    due = forms.DateField(label=_("New date"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    note = forms.CharField(
        label=_("Note to the unit"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )

    def __init__(self, *args: Any, change: ChangeRequest, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"due": change.proposed_due})
        super().__init__(*args, **kwargs)


class RefuseForm(forms.Form):
    note = forms.CharField(
        label=_("Why is the request refused?"), widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, widget=forms.TextInput(attrs=TEXT))

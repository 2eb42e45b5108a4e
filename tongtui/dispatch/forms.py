from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongtui.plans.models import Indicator

EVIDENCE_ACCEPT = "image/*,.heic,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.wps,.et"
CONFIDENCE_CHOICES = [(i, str(i)) for i in range(1, 6)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _photos() -> MultipleFileField:
    return MultipleFileField(
        label=_("Take photos"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/*", "capture": "environment", "class": "form-control"}
        ),
    )


def _files() -> MultipleFileField:
    return MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=_("Photos, PDF, Word, Excel, PowerPoint or WPS files."),
        widget=MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT, "class": "form-control"}),
    )


class ReportForm(forms.Form):
    """The phone form: progress and what was done are needed to submit; everything else is optional."""

    progress = forms.DecimalField(
        label=_("Progress of the whole task (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(
            attrs={
                "inputmode": "decimal",
                "step": "any",
                "min": 0,
                "max": 100,
                "class": "form-control form-control-lg",
                "required": True,
            }
        ),
    )
    done = forms.CharField(
        label=_("What was done this period"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control", "required": True}),
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    problems = forms.CharField(
        label=_("Problems and difficulties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    confidence = forms.TypedChoiceField(
        label=_("Confidence of finishing on time"),
        choices=CONFIDENCE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("1: not at all, 5: certain. Kept apart from progress."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    photos = _photos()
    documents = _files()

    def __init__(self, *args: Any, indicators: Iterable[Indicator] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        progress = self.initial.get("progress")
        if isinstance(progress, Decimal):
            self.initial["progress"] = format(progress.normalize(), "f")  # 40.00 -> "40"
        self.indicators = list(indicators)
        for indicator in self.indicators:
            label = (
                f"{indicator.name}（{indicator.unit_of_measure}）"
                if indicator.unit_of_measure
                else indicator.name
            )
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=label,
                required=False,
                max_digits=18,
                decimal_places=4,
                widget=forms.NumberInput(
                    attrs={"inputmode": "decimal", "step": "any", "class": "form-control"}
                ),
            )

    def indicator_fields(self) -> list[forms.BoundField]:
        return [self[f"indicator_{i.pk}"] for i in self.indicators]

    def indicator_values(self) -> dict[int, Decimal | None]:
        return {i.pk: self.cleaned_data.get(f"indicator_{i.pk}") for i in self.indicators}

    def draft_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "progress": data.get("progress"),
            "done": data.get("done", ""),
            "next_steps": data.get("next_steps", ""),
            "problems": data.get("problems", ""),
            "confidence": data.get("confidence"),
        }

    def uploads(self) -> list[Any]:
        return list(self.cleaned_data.get("photos") or []) + list(self.cleaned_data.get("documents") or [])


class ContributionForm(forms.Form):
    text = forms.CharField(
        label=_("What your unit did for this task this period"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )
    photos = _photos()
    documents = _files()

    def uploads(self) -> list[Any]:
        return list(self.cleaned_data.get("photos") or []) + list(self.cleaned_data.get("documents") or [])


class EvidenceForm(forms.Form):
    photos = _photos()
    documents = _files()

    def uploads(self) -> list[Any]:
        return list(self.cleaned_data.get("photos") or []) + list(self.cleaned_data.get("documents") or [])


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class AcceptForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongtui.orgs.models import Unit
from tongtui.plans.models import Category, CoUnit, Plan, Task
from tongtui.publicity.forms import _styled
from tongtui.publicity.models import PracticeKind, PublicEntry


class TaskChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.title}"


class PracticeForm(forms.Form):
    unit = forms.ModelChoiceField(Unit.objects.none(), label=_("unit"))
    plan = forms.ModelChoiceField(Plan.objects.order_by("-year"), label=_("plan"))
    kind = forms.ChoiceField(label=_("kind"), choices=PracticeKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    summary = forms.CharField(label=_("summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("One or two sentences: what was done and what it achieved."))  # fmt: skip
    body = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 10}),
                           help_text=_("The practice in full: background, measures, results. One paragraph per line."))  # fmt: skip
    tasks = TaskChoices(Task.objects.none(), label=_("related tasks"), required=False,
                        widget=forms.CheckboxSelectMultiple)  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, unit_ids: set[int], plan: Plan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=unit_ids).order_by("name")  # type: ignore[attr-defined]
        if len(unit_ids) == 1:
            self.fields["unit"].initial = next(iter(unit_ids))
            self.fields["unit"].widget = forms.HiddenInput()
        if plan is not None:
            self.fields["plan"].initial = plan.pk
        co = CoUnit.objects.filter(unit_id__in=unit_ids).values("task_id")
        tasks = Task.objects.filter(Q(lead_unit_id__in=unit_ids) | Q(pk__in=co)).exclude(status="cancelled")
        self.fields["tasks"].queryset = tasks.select_related("plan").order_by("-plan__year", "code_sort", "pk")  # type: ignore[attr-defined]
        _styled(self)
        self.fields["tasks"].widget.attrs["class"] = "form-check-input"


class LibraryFilter(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=[("", _("All kinds")), *PracticeKind.choices])
    unit = forms.ModelChoiceField(Unit.objects.none(), label=_("unit"), required=False, empty_label=_("All units"))
    category = forms.ModelChoiceField(Category.objects.none(), label=_("category"), required=False,
                                      empty_label=_("All categories"))  # fmt: skip
    year = forms.TypedChoiceField(label=_("year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, unit_ids: list[int], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=unit_ids).order_by("name")  # type: ignore[attr-defined]
        self.fields["category"].queryset = Category.objects.filter(plan__year__in=years).select_related(  # type: ignore[attr-defined]
            "plan").order_by("-plan__year", "order")
        self.fields["category"].label_from_instance = lambda c: f"{c.plan.year} {c.name}"  # type: ignore[attr-defined]
        self.fields["year"].choices = [("", _("All years")), *((y, str(y)) for y in years)]  # type: ignore[attr-defined]
        _styled(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class PublicEntryForm(forms.ModelForm):
    public = forms.BooleanField(label=_("Show this task on the public page"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PublicEntry
        fields = ["title", "text", "show_milestones"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)
        for name in ("public", "show_milestones"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongtui.orgs.models import Person
from tongtui.plans.models import Category, Plan
from tongtui.publicity.models import SECTIONS, Bulletin, Scope


def _styled(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        kind = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", f"{kind} form-control-sm" if kind == "form-control" else kind)


class GenerateForm(forms.Form):
    plan = forms.ModelChoiceField(Plan.objects.order_by("-year"), label=_("plan"), to_field_name="year")
    period_start = forms.DateField(
        label=_("from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    as_of = forms.DateField(
        label=_("as of"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    scope = forms.ChoiceField(label=_("scope"), choices=Scope.choices, initial=Scope.PLAN)
    category = forms.ModelChoiceField(Category.objects.select_related("plan").order_by("plan__year", "order", "pk"),
                                      label=_("category"), required=False)  # fmt: skip
    leader = forms.ModelChoiceField(Person.objects.filter(led_tasks__isnull=False).distinct().order_by("name"),
                                    label=_("responsible leader"), required=False)  # fmt: skip
    ranking_period = forms.CharField(
        label=_("ranking period"), required=False, max_length=10,
        help_text=_("Empty: the latest ranking the office has published by that date."),
    )  # fmt: skip

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)
        if today is not None:
            self.fields["as_of"].initial = today
            self.fields["period_start"].initial = today.replace(month=1, day=1)
            plan = Plan.objects.filter(year=today.year).first()
            if plan is not None:
                self.fields["plan"].initial = plan.year


class EditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Bulletin
        fields = ["title", *SECTIONS]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in SECTIONS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)

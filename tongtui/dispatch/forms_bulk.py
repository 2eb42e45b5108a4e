"""Forms of the bulk confirmation page: the value each operation sets, and the reason kept in the history."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongtui.dispatch.actions_cycles import CYCLE_FIELDS
from tongtui.dispatch.models import ReportCycle
from tongtui.orgs.models import Person, Role
from tongtui.plans.models import Category, Plan


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        unit = obj.unit.label if obj.unit_id else ""
        return " · ".join(part for part in (str(obj), unit) if part)


class BulkForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in each task's history)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, plan: Plan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan

    def values(self) -> dict[str, Any]:
        """What the action sets, by name (the reason apart)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "reason"}


class LeaderForm(BulkForm):
    field_order = ["leader", "reason"]
    leader = PersonChoice(
        queryset=Person.objects.none(),
        label=_("Responsible leader"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The district's leaders, and whoever already leads a task of the year.
        leading = Q(memberships__role=Role.LEADER)
        if self.plan is not None:
            leading |= Q(led_tasks__plan=self.plan)
        people = Person.objects.filter(pk__in=Person.objects.filter(leading).values("pk"))
        self.fields["leader"].queryset = people.select_related("unit").order_by("name")  # type: ignore[attr-defined]


class OwnerForm(BulkForm):
    field_order = ["owner", "reason"]
    owner = PersonChoice(
        queryset=Person.objects.none(),
        label=_("Responsible person"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.select_related("unit").order_by("unit__order", "unit__name", "name")
        field = self.fields["owner"]
        field.queryset = people  # type: ignore[attr-defined]
        # One group per unit, in the units' order: a district has hundreds of people.
        groups: dict[str, list[tuple[int, str]]] = {}
        for person in people:
            unit = person.unit.label if person.unit is not None else "—"
            groups.setdefault(unit, []).append((person.pk, str(person)))
        field.choices = [("", "---------"), *groups.items()]  # type: ignore[attr-defined]


class CategoryForm(BulkForm):
    field_order = ["category", "reason"]
    category = forms.ModelChoiceField(
        queryset=Category.objects.none(),
        label=_("Category"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.plan is not None:
            self.fields["category"].queryset = self.plan.categories.all()  # type: ignore[attr-defined]


class CycleForm(forms.ModelForm):
    """A task's own report cycle: the frequency and the due rule, as the plan's cycle has them."""

    reason = BulkForm.base_fields["reason"]

    class Meta:
        model = ReportCycle
        fields = [
            "frequency",
            "due_kind",
            "day_of_month",
            "weekday",
            "workdays_before_end",
            "shift",
            "starts_on",
        ]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, plan: Plan | None = None, **kwargs: Any) -> None:
        if plan is not None and not kwargs.get("initial"):
            own = ReportCycle.objects.filter(plan=plan, category=None, task=None).first()
            if own is not None:
                kwargs["initial"] = {name: getattr(own, name) for name in CYCLE_FIELDS}
        super().__init__(*args, **kwargs)
        self.plan = plan
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            elif name != "reason":
                field.widget.attrs.setdefault("class", "form-control")

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "reason"}

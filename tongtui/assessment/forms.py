from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongtui.assessment.models import ManualEntry, Scheme
from tongtui.assessment.rules_data import MANUAL, RULE_ORDER, SHARED, RuleKind, SchemeData
from tongtui.orgs.models import Unit, UnitGroup
from tongtui.plans.models import Plan, Task

SETTINGS = ("co_unit_factor", "unit_deduction_cap", "unit_bonus_cap", "level_margin", "note")


def _dec(label: Any, required: bool = False, **kw: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, min_value=Decimal(0), max_digits=8,
                              decimal_places=2, **kw)  # fmt: skip


class SchemeForm(forms.Form):
    """The scheme's own settings and, per rule, its points, cap, co-unit factor and whether it is in use."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    co_unit_factor = _dec(Scheme._meta.get_field("co_unit_factor").verbose_name, True,
                          help_text=Scheme._meta.get_field("co_unit_factor").help_text)  # fmt: skip
    unit_deduction_cap = _dec(Scheme._meta.get_field("unit_deduction_cap").verbose_name,
                              help_text=Scheme._meta.get_field("unit_deduction_cap").help_text)  # fmt: skip
    unit_bonus_cap = _dec(Scheme._meta.get_field("unit_bonus_cap").verbose_name,
                          help_text=Scheme._meta.get_field("unit_bonus_cap").help_text)  # fmt: skip
    level_margin = _dec(Scheme._meta.get_field("level_margin").verbose_name, True,
                        help_text=Scheme._meta.get_field("level_margin").help_text)  # fmt: skip
    groups = forms.ModelMultipleChoiceField(
        UnitGroup.objects.order_by("name"), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Groups ranked separately"), help_text=Scheme._meta.get_field("groups").help_text,
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in RULE_ORDER:
            self.fields[f"{kind}-enabled"] = forms.BooleanField(label=_("in use"), required=False)
            self.fields[f"{kind}-points"] = _dec(_("points"), True)
            self.fields[f"{kind}-cap"] = _dec(_("cap per unit"))
            if kind in SHARED:
                self.fields[f"{kind}-co_factor"] = _dec(_("co-unit factor"))

    @staticmethod
    def initial_from(scheme: Scheme | None, data: SchemeData) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": scheme.version if scheme else 0, "co_unit_factor": data.co_unit_factor,
            "unit_deduction_cap": data.unit_deduction_cap, "unit_bonus_cap": data.unit_bonus_cap,
            "level_margin": data.level_margin, "note": scheme.note if scheme else "",
            "groups": [g for g, _n in data.groups],
        }  # fmt: skip
        for kind in RULE_ORDER:
            r = data.rules.get(kind)
            if r is not None:
                initial.update({f"{kind}-enabled": r.enabled, f"{kind}-points": r.points, f"{kind}-cap": r.cap,
                                f"{kind}-co_factor": r.co_factor})  # fmt: skip
        return initial

    def rule_rows(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        rows = []
        for kind in RULE_ORDER:
            names = ["enabled", "points", "cap"] + (["co_factor"] if kind in SHARED else [])
            rows.append((kind.value, str(kind.label), [self[f"{kind}-{n}"] for n in names]))
        return rows

    def settings_and_rules(self) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        d = self.cleaned_data
        settings = {k: d[k] for k in SETTINGS}
        rules = {
            kind.value: {"points": d[f"{kind}-points"], "cap": d[f"{kind}-cap"], "enabled": d[f"{kind}-enabled"],
                         "co_factor": d.get(f"{kind}-co_factor")}
            for kind in RULE_ORDER
        }  # fmt: skip
        return settings, rules


class ManualEntryForm(forms.ModelForm):
    class Meta:
        model = ManualEntry
        fields = ["unit", "kind", "points", "task", "on", "reason"]
        widgets = {"on": forms.DateInput(attrs={"type": "date"}), "reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("order", "name")  # type: ignore[attr-defined]
        self.fields["task"].queryset = Task.objects.filter(plan=plan).order_by("code_sort")  # type: ignore[attr-defined]
        self.fields["kind"].choices = [(k.value, k.label) for k in RuleKind if k in MANUAL]  # type: ignore[attr-defined]
        for f in self.fields.values():
            f.widget.attrs.setdefault(
                "class", "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class PublishForm(forms.Form):
    period = forms.CharField(max_length=10, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

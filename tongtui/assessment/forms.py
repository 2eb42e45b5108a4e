from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongtui.assessment.models import ManualEntry, Scheme
from tongtui.assessment.rules_data import MANUAL, RULE_ORDER, SHARED, ListMode, RuleKind, SchemeData
from tongtui.orgs.models import Unit, UnitGroup
from tongtui.plans.models import Plan, Task

SETTINGS = ("co_unit_factor", "unit_deduction_cap", "unit_bonus_cap", "level_margin", "note")
LIST_SETTINGS = (
    "list_mode",
    "red_places",
    "black_places",
    "red_from",
    "black_below",
    "black_needs_deduction",
)


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
    list_mode = forms.ChoiceField(
        label=Scheme._meta.get_field("list_mode").verbose_name, choices=ListMode.choices
    )
    red_places = forms.IntegerField(label=Scheme._meta.get_field("red_places").verbose_name, min_value=0,
                                    max_value=50, help_text=Scheme._meta.get_field("red_places").help_text)  # fmt: skip
    black_places = forms.IntegerField(label=Scheme._meta.get_field("black_places").verbose_name, min_value=0,
                                      max_value=50, help_text=Scheme._meta.get_field("black_places").help_text)  # fmt: skip
    red_from = forms.DecimalField(label=Scheme._meta.get_field("red_from").verbose_name, required=False,
                                  max_digits=8, decimal_places=2,
                                  help_text=Scheme._meta.get_field("red_from").help_text)  # fmt: skip
    black_below = forms.DecimalField(label=Scheme._meta.get_field("black_below").verbose_name, required=False,
                                     max_digits=8, decimal_places=2,
                                     help_text=Scheme._meta.get_field("black_below").help_text)  # fmt: skip
    black_needs_deduction = forms.BooleanField(
        label=Scheme._meta.get_field("black_needs_deduction").verbose_name, required=False,
        help_text=Scheme._meta.get_field("black_needs_deduction").help_text,
    )  # fmt: skip

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
            "groups": [g for g, _n in data.groups], "list_mode": data.lists.mode,
            "red_places": data.lists.red_places, "black_places": data.lists.black_places,
            "red_from": data.lists.red_from, "black_below": data.lists.black_below,
            "black_needs_deduction": data.lists.black_needs_deduction,
        }  # fmt: skip
        for kind in RULE_ORDER:
            r = data.rules.get(kind)
            if r is not None:
                initial.update({f"{kind}-enabled": r.enabled, f"{kind}-points": r.points, f"{kind}-cap": r.cap,
                                f"{kind}-co_factor": r.co_factor})  # fmt: skip
        return initial

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if (
            d.get("list_mode") == ListMode.SCORE
            and d.get("red_from") is None
            and d.get("black_below") is None
        ):
            self.add_error("red_from", _("With score thresholds, give at least one of the two scores."))
        return d

    def list_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in LIST_SETTINGS]

    def rule_rows(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        rows = []
        for kind in RULE_ORDER:
            names = ["enabled", "points", "cap"] + (["co_factor"] if kind in SHARED else [])
            rows.append((kind.value, str(kind.label), [self[f"{kind}-{n}"] for n in names]))
        return rows

    def settings_and_rules(self) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        d = self.cleaned_data
        settings = {k: d[k] for k in (*SETTINGS, *LIST_SETTINGS)}
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
    with_lists = forms.BooleanField(label=_("with the red and black lists"), required=False, initial=True)

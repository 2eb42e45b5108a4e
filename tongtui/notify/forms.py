from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongtui.notify.kinds import ROBOT_KINDS
from tongtui.notify.models import ROBOT_CHANNELS, Mode, Robot
from tongtui.orgs.models import Unit
from tongtui.plans.models import Plan


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("Also send me e-mails"), required=False)
    mode = forms.ChoiceField(label=_("E-mails"), choices=Mode.choices, widget=forms.RadioSelect)


def masked(value: str) -> str:
    """Enough of a secret to recognise it, never enough to use it."""
    if not value:
        return ""
    return "…" + value[-4:] if len(value) > 12 else "…"


class RobotForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("group robot", "Name"), max_length=100)
    platform = forms.ChoiceField(label=_("Platform"), choices=[(c.value, c.label) for c in ROBOT_CHANNELS])
    webhook = forms.CharField(
        label=_("Webhook address"),
        max_length=500,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("DingTalk 加签 (SEC…) or Feishu 签名校验; WeCom robots need none."),
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    plan = forms.ModelChoiceField(label=_("Plan year"), queryset=Plan.objects.none(), required=False)
    kinds = forms.MultipleChoiceField(
        label=_("Events posted"),
        choices=[(k.value, k.label) for k in ROBOT_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, robot: Robot | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.robot = robot
        unit_field, plan_field = self.fields["unit"], self.fields["plan"]
        assert isinstance(unit_field, forms.ModelChoiceField) and isinstance(
            plan_field, forms.ModelChoiceField
        )
        unit_field.queryset = Unit.objects.filter(is_active=True).order_by("name")
        plan_field.queryset = Plan.objects.order_by("-year")
        for name in ("name", "webhook", "secret"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"
        for name in ("platform", "unit", "plan"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        if robot is None or not robot.pk:
            self.fields["webhook"].required = True
        else:
            self.fields["webhook"].help_text = _("Stored: %(end)s. Leave empty to keep it.") % {
                "end": masked(robot.webhook)
            }
            if robot.secret:
                self.fields["secret"].help_text = _("Stored: %(end)s. Leave empty to keep it.") % {
                    "end": masked(robot.secret)
                }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("unit") and not data.get("plan"):
            raise forms.ValidationError(
                _("Choose the unit or the plan year whose messages this robot posts.")
            )
        return data

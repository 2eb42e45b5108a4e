"""Forms of chase notices (督办通知)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongtui.orgs.models import Unit
from tongtui.plans.models import Plan, Task
from tongtui.supervision.actions_chases import DEFAULT_WORKDAYS
from tongtui.supervision.forms_orders import BootstrapForm, _text


class IssueChaseForm(BootstrapForm):
    unit = forms.ModelChoiceField(Unit.objects.order_by("order", "name"), label=_("Unit"))
    tasks = forms.ModelMultipleChoiceField(Task.objects.none(), label=_("Tasks"), required=False)
    subject = forms.CharField(
        label=_("Subject"), max_length=200, help_text=_("e.g. 9月进度未报送, 里程碑逾期未完成")
    )
    content = _text(_("What is chased and why"), rows=4)
    workdays = forms.IntegerField(
        label=_("Working days to reply"), min_value=1, max_value=60, initial=DEFAULT_WORKDAYS
    )

    def __init__(self, plan: Plan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = Task.objects.filter(plan=plan).order_by("code_sort", "code")  # type: ignore[attr-defined]


class ReplyChaseForm(BootstrapForm):
    text = _text(_("Reply"), rows=4)


class CloseChaseForm(BootstrapForm):
    note = _text(_("Note"), rows=2, required=False)


class ReissueChaseForm(BootstrapForm):
    content = _text(_("Why chase again"), rows=3)
    workdays = forms.IntegerField(
        label=_("Working days to reply"), min_value=1, max_value=60, initial=DEFAULT_WORKDAYS
    )

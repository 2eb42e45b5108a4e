"""Forms of the plan-year settings: opening and editing a year, categories, report cycles, reminders,
light thresholds and working-day overrides. Model forms only validate; the actions write."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongtui.dispatch.models import ReminderPolicy, ReportCycle
from tongtui.plans.forms import DateInput
from tongtui.plans.models import Plan
from tongtui.supervision.actions_policy import POLICY_FIELDS as LIGHT_FIELDS
from tongtui.supervision.forms_orders import BootstrapForm
from tongtui.supervision.models import LightPolicy

OPEN_STATUSES = [(Plan.Status.DRAFT, Plan.Status.DRAFT.label), (Plan.Status.ACTIVE, Plan.Status.ACTIVE.label)]
RANGE_MAX_DAYS = 31


class OpenYearForm(BootstrapForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    source = forms.ModelChoiceField(
        Plan.objects.order_by("-year"),
        label=_("Copy the settings of"),
        required=False,
        empty_label=_("Nothing: start empty"),
        help_text=_(
            "Copies the categories, report cycles of the plan and its categories, the reminder policy, the light "
            "thresholds and the working days to acknowledge. Tasks are not copied."
        ),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Blank: “2027 key tasks”.")
    )
    status = forms.ChoiceField(label=_("Status"), choices=OPEN_STATUSES, initial=Plan.Status.DRAFT)

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if Plan.objects.filter(year=year).exists():
            raise forms.ValidationError(_("The plan year %(year)s already exists.") % {"year": year})
        return year


class PlanForm(BootstrapForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=OPEN_STATUSES)
    acknowledge_workdays = forms.IntegerField(
        label=_("Working days to acknowledge"),
        min_value=1,
        max_value=30,
        help_text=_("Units acknowledge (签收) an assigned task within this many working days."),
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"title": plan.title, "status": plan.status, "acknowledge_workdays": plan.acknowledge_workdays},
        )
        super().__init__(*args, **kwargs)
        if plan.status == Plan.Status.CLOSED:  # a closed year can be reopened here
            self.fields["status"].choices = Plan.Status.choices  # type: ignore[attr-defined]


class CategoryForm(BootstrapForm):
    name = forms.CharField(label=_("Category"), max_length=100)


class CycleForm(BootstrapForm, forms.ModelForm):
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
        widgets = {"starts_on": DateInput()}


class ReminderPolicyForm(BootstrapForm, forms.ModelForm):
    class Meta:
        model = ReminderPolicy
        fields = [
            "days_before",
            "on_the_day",
            "after_every",
            "escalate_to_head_after",
            "escalate_to_leader_after",
            "max_per_period",
            "by_email",
        ]


class LightPolicyForm(BootstrapForm, forms.ModelForm):
    class Meta:
        model = LightPolicy
        fields = list(LIGHT_FIELDS)

    SECTIONS = [
        (
            _("Behind plan"),
            [
                "behind_mode",
                "planned_basis",
                "yellow_behind",
                "yellow_inclusive",
                "red_behind",
                "red_inclusive",
            ],
        ),
        (
            _("Overdue and due soon"),
            ["milestone_overdue_red_days", "task_overdue_red_days", "milestone_soon_days", "working_days"],
        ),
        (
            _("Forecast"),
            ["forecast_slip_yellow_days", "forecast_slip_red_days", "forecast_min_elapsed_share"],
        ),
        (_("Reports and problems"), ["missed_cycles_yellow", "missed_cycles_red", "escalation_yellow_days"]),
    ]

    def sections(self) -> list[tuple[Any, list[Any]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]


class WorkdayForm(BootstrapForm):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    until = forms.DateField(
        label=_("To (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_("For several days in a row, e.g. the Spring Festival holiday."),
    )
    is_workday = forms.TypedChoiceField(
        label=_("The day is"),
        choices=[("0", _("a day off")), ("1", _("a working day (调休)"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    note = forms.CharField(
        label=_("Note"), max_length=200, required=False, help_text=_("e.g. 春节 / 国庆节调休上班")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["is_workday"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date"), data.get("until")
        if start and end:
            if end < start:
                self.add_error("until", _("The last day is before the first one."))
            elif (end - start).days >= RANGE_MAX_DAYS:
                self.add_error("until", _("At most %(n)s days at once.") % {"n": RANGE_MAX_DAYS})
        return data

    def days(self) -> list[datetime.date]:
        start = self.cleaned_data["date"]
        end = self.cleaned_data.get("until") or start
        return [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]


def year_choices(years: set[int]) -> list[int]:
    today = timezone.localdate()
    return sorted(years | {today.year, today.year + 1})

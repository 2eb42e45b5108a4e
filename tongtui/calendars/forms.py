"""The calendar's filters, read from the query string (the page works without JavaScript and can be
bookmarked): view, the date shown, unit, leader, category, kinds, and "only mine"."""

import datetime
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tongtui.calendars.events import KIND_LABELS, KINDS, Selection
from tongtui.orgs.models import Membership, Person, Role, Unit
from tongtui.orgs.roles import Roles
from tongtui.plans.models import Category, Plan

AUTO, MONTH, WEEK, LIST = "", "month", "week", "list"
VIEWS = ((MONTH, _("Month")), (WEEK, _("Week")), (LIST, _("List")))


class CalendarFilter(forms.Form):
    view = forms.ChoiceField(choices=((AUTO, ""), *VIEWS), required=False, widget=forms.HiddenInput)
    d = forms.DateField(required=False, widget=forms.HiddenInput)
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False, empty_value=None)
    leader = forms.TypedChoiceField(label=_("Leader"), coerce=int, required=False, empty_value=None)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, required=False, empty_value=None)
    kind = forms.MultipleChoiceField(
        label=_("Show"), choices=[(k, KIND_LABELS[k]) for k in KINDS], required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    def __init__(self, data: Any, roles: Roles) -> None:
        super().__init__(data)
        units = Unit.objects.order_by("order", "name")
        if not roles.sees_all:
            units = units.filter(pk__in=roles.unit_ids)
        everyone = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["unit"]).choices = everyone + [
            (pk, s or n) for pk, s, n in units.values_list("pk", "short_name", "name")
        ]
        leaders = Person.objects.filter(
            pk__in=Membership.objects.filter(role=Role.LEADER).values("person_id")
        ).order_by("name")
        cast(forms.ChoiceField, self.fields["leader"]).choices = everyone + list(
            leaders.values_list("pk", "name")
        )
        categories = Category.objects.filter(plan__status=Plan.Status.ACTIVE).order_by(
            "-plan__year", "order", "name"
        )
        cast(forms.ChoiceField, self.fields["category"]).choices = everyone + [
            (pk, f"{year} {name}") for pk, name, year in categories.values_list("pk", "name", "plan__year")
        ]

    def value(self, name: str) -> Any:
        """A field's value; a field that does not parse (a unit one may not filter by) counts as not given."""
        self.is_valid()
        return self.cleaned_data.get(name)

    def day(self, today: datetime.date) -> datetime.date:
        return self.value("d") or today

    def view_name(self) -> str:
        return self.value("view") or AUTO

    def selection(self, mine: Any) -> Selection:
        kinds = frozenset(self.value("kind") or KINDS)
        return Selection(
            unit_id=self.value("unit"),
            leader_id=self.value("leader"),
            category_id=self.value("category"),
            kinds=kinds,
            mine=mine if self.value("mine") else None,
        )

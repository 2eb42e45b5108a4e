"""Forms of the organisation's settings: units and aliases, unit groups, posts, people, roles and logins."""

from typing import Any

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongtui.orgs.models import Person, Post, Role, Unit, UnitKind
from tongtui.supervision.forms_orders import BootstrapForm


def _lines(text: str) -> list[str]:
    return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name if obj.is_active else f"{obj.name} ({_('deactivated')})"


def _units() -> Any:
    return Unit.objects.order_by("-is_active", "order", "name")


class UnitForm(BootstrapForm):
    name = forms.CharField(label=_("Full name"), max_length=100, help_text=_("e.g. 区发展和改革局"))
    short_name = forms.CharField(
        label=_("Short name"), max_length=50, required=False, help_text=_("e.g. 区发改局")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices, initial=UnitKind.DEPARTMENT)
    parent = UnitChoiceField(
        _units(), label=_("Parent unit"), required=False, empty_label=_("None (top of the tree)")
    )
    order = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        initial=0,
        help_text=_("Smaller numbers come first among the same parent."),
    )

    def __init__(self, *args: Any, unit: Unit | None = None, **kwargs: Any) -> None:
        if unit is not None:
            kwargs.setdefault(
                "initial",
                {"name": unit.name, "short_name": unit.short_name, "kind": unit.kind, "parent": unit.parent_id,
                 "order": unit.order},
            )  # fmt: skip
        super().__init__(*args, **kwargs)
        self.unit = unit
        if unit is not None:
            self.fields["parent"].queryset = _units().exclude(pk=unit.pk)  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        same = Unit.objects.filter(name=name)
        if self.unit is not None:
            same = same.exclude(pk=self.unit.pk)
        if same.exists():
            raise forms.ValidationError(_("A unit named “%(name)s” already exists.") % {"name": name})
        return name


class NewUnitForm(UnitForm):
    aliases = forms.CharField(
        label=_("Other names (aliases)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: every other way documents write the unit, e.g. 发改局, 区发改委."),
    )

    def clean_aliases(self) -> list[str]:
        return _lines(self.cleaned_data.get("aliases", ""))


class AliasForm(BootstrapForm):
    alias = forms.CharField(label=_("Alias"), max_length=100)


class GroupForm(BootstrapForm):
    name = forms.CharField(
        label=pgettext_lazy("unit group", "Name"), max_length=100, help_text=_("e.g. 各镇街, 区直各部门")
    )
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One name per line, e.g. 各街道 / 各镇(街道)."),
    )

    def clean_aliases(self) -> list[str]:
        return _lines(self.cleaned_data.get("aliases", ""))


class MembersForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        Unit.objects.filter(is_active=True), required=False, widget=forms.CheckboxSelectMultiple
    )


class FillPostForm(BootstrapForm):
    person = forms.ModelChoiceField(Person.objects.none(), label=_("Held by"), required=False,
                                    empty_label=_("Nobody yet"))  # fmt: skip

    def __init__(self, *args: Any, post: Post, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"person": post.holder_id})
        super().__init__(*args, **kwargs)
        own_unit_first = Case(
            When(unit_id=post.unit_id, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            Person.objects.select_related("unit").order_by(own_unit_first, "name")
        )
        self.fields["person"].label_from_instance = lambda p: (  # type: ignore[attr-defined]
            f"{p} · {p.unit.label}" if p.unit else str(p)
        )


class PersonForm(BootstrapForm):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    title = forms.CharField(
        label=pgettext_lazy("person", "Title"),
        max_length=100,
        required=False,
        help_text=_("e.g. 副局长, 科长"),
    )
    unit = UnitChoiceField(_units(), label=_("Unit"), required=False, empty_label=_("No unit"))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args: Any, person: Person | None = None, **kwargs: Any) -> None:
        if person is not None:
            kwargs.setdefault(
                "initial",
                {"name": person.name, "title": person.title, "unit": person.unit_id, "phone": person.phone,
                 "email": person.email},
            )  # fmt: skip
        super().__init__(*args, **kwargs)


class GrantRoleForm(BootstrapForm):
    unit = UnitChoiceField(Unit.objects.filter(is_active=True).order_by("order", "name"), label=_("Unit"))
    # No role is chosen in advance: granting one is a decision, never a default.
    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *Role.choices])


class LoginForm(BootstrapForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only, e.g. fgj-zhang."),
    )
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave blank to generate one. Either way the person must change it at the first login."),
    )


class ResetPasswordForm(BootstrapForm):
    password = forms.CharField(
        label=_("New temporary password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave blank to generate one. The person must change it at the next login."),
    )


class PeopleFilterForm(forms.Form):
    q = forms.CharField(required=False)
    unit = forms.ModelChoiceField(Unit.objects.order_by("order", "name"), required=False)

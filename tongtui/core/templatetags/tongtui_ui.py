"""Small template helpers shared by every page: optional links, status badges, percentages, who am I."""

import html
from decimal import Decimal
from typing import Any

from django import template
from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tongtui.core import choices

register = template.Library()

STATUS_CLASSES = {
    "draft": "text-bg-secondary",
    "assigned": "text-bg-info",
    "acknowledged": "text-bg-primary",
    "in_progress": "text-bg-primary",
    "completion_requested": "text-bg-warning",
    "closed": "text-bg-success",
    "suspended": "text-bg-dark",
    "cancelled": "text-bg-light border",
}

# a task's traffic light as a badge's colour (no light yet, or grey: secondary)
LIGHT_CLASSES = {
    "green": "text-bg-success",
    "yellow": "text-bg-warning",
    "red": "text-bg-danger",
    "blue": "text-bg-primary",
}


@register.simple_tag
def site_title() -> str:
    """The site's name from settings (views such as LoginView put another `site_name` in the context)."""
    return str(settings.SITE_NAME)


@register.simple_tag
def optional_url(name: str, *args: Any) -> str:
    """The URL named `name`, or "" when no such page exists (yet): a link to a page another part builds."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        if not args:
            return ""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-secondary")


@register.filter
def light_class(light: str) -> str:
    return LIGHT_CLASSES.get(light, "text-bg-secondary")


@register.filter
def shown(obj: Any, name: str) -> str:
    """`{{ task|shown:"status" }}`: what `get_status_display` says, from choices built once (core.choices)."""
    return choices.shown(obj, name) if obj is not None else ""


@register.filter
def pct(value: Any) -> str:
    """40.00 -> "40", 12.50 -> "12.5": a percentage without trailing zeros."""
    if value is None or value == "":
        return ""
    return format(Decimal(value).quantize(Decimal("0.1")).normalize(), "f")


@register.filter
def num(value: Any) -> str:
    """A decimal without trailing zeros and without exponent: 100.0000 -> "100"."""
    if value is None or value == "":
        return ""
    return format(Decimal(value).normalize(), "f")


@register.filter
def progress_class(value: Any) -> str:
    number = Decimal(value or 0)
    if number >= 100:
        return "bg-success"
    if number >= 50:
        return "bg-primary"
    return "bg-info"


@register.simple_tag(takes_context=True)
def whoami(context: template.Context) -> dict[str, str]:
    """The logged-in user's display name and role labels for the navbar."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"name": "", "roles": ""}
    roles = context.get("my_roles")
    if roles is not None and roles.person_name is not None:  # read with the roles: no query of its own
        name, unit = roles.person_name, roles.person_unit
    else:  # a person without a role (or none at all)
        Person = apps.get_model("orgs", "Person")
        person = Person.objects.filter(user=user).select_related("unit").first()
        name = person.name if person else (user.get_full_name() or user.get_username())
        unit = person.unit.label if person and person.unit else ""
    labels: list[str] = []
    if roles is not None:
        from tongtui.orgs.models import Role

        if roles.is_office:
            labels.append(str(Role.OFFICE.label))
        if roles.is_leader:
            labels.append(str(Role.LEADER.label))
        unit_roles = {r for rs in roles.by_unit.values() for r in rs} - {Role.OFFICE, Role.LEADER}
        labels += [str(Role(r).label) for r in sorted(unit_roles)]
    if not labels and user.is_superuser:
        labels.append(_("Administrator"))
    return {"name": name, "roles": " · ".join(labels), "unit": unit}


@register.simple_tag(takes_context=True)
def nav_plan_year(context: template.Context) -> int | None:
    """The year of the current plan, for links in the navbar."""
    from tongtui.plans.views import current_plan

    plan = current_plan(context.get("request"))
    return plan.year if plan else None


@register.simple_tag
def options(items: Any, selected: Any = None, label: str = "", blank: bool = False) -> str:
    """A select's `<option>`s, built in one call: a list page's filters offer every unit, leader and category,
    and the template language spends tens of microseconds on each option written as a loop.

    `items`: (value, label) pairs, or objects whose pk is the value and whose attribute `label` (a method is
    called; "__str__" for the object's own text) is shown. Pairs with an empty value are left out, as the
    template writes its own "All", unless `blank`.
    `selected`: the chosen value, or a list of them (a multiple select); compared as text, as a query string
    holds it.
    """
    if selected is None or selected == "":
        chosen: set[str] = set()
    elif isinstance(selected, list | tuple | set | frozenset):
        chosen = {str(v) for v in selected}
    else:
        chosen = {str(selected)}
    rows = []
    for item in items:
        if label:
            value, text = item.pk, getattr(item, label)
            text = text() if callable(text) else text
        else:
            value, text = item
        value = "" if value is None else str(value)
        if not value and not blank:
            continue
        mark = " selected" if value in chosen else ""
        rows.append(f'<option value="{html.escape(value)}"{mark}>{html.escape(str(text))}</option>')
    return mark_safe("".join(rows))  # every value and label escaped above

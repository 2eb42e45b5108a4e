"""Helpers of the set-up pages: which section a page belongs to, for the section bar."""

from django import template
from django.http import HttpRequest

register = template.Library()

SECTIONS = {
    "year": "years", "category": "years", "cycle": "years", "reminders": "years", "lights": "years",
    "unit": "units", "alias": "units", "group": "groups", "post": "posts",
    "person": "people", "role": "people", "login": "people", "workday": "workdays", "workdays": "workdays",
}  # fmt: skip


@register.simple_tag(takes_context=True)
def setup_section(context: template.Context) -> str:
    request: HttpRequest | None = context.get("request")
    match = getattr(request, "resolver_match", None)
    name = (match.url_name or "") if match else ""
    return SECTIONS.get(name.split("-")[0], "home")

from django import template

from tongtui.core.reasons import reason_text
from tongtui.core.system import display_name

register = template.Library()

REPORT_STATUS_CLASSES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-info",
    "signed_off": "text-bg-primary",
    "accepted": "text-bg-success",
    "returned": "text-bg-danger",
}


@register.filter
def report_status_class(status: str | None) -> str:
    return REPORT_STATUS_CLASSES.get(status or "", "text-bg-light border")


@register.filter
def person_name(user: object) -> str:
    """The person's name behind a login, 系统 (System) for the system account, else the user name."""
    return display_name(user)


@register.filter
def history_reason(stored: str | None) -> str:
    """A history row's reason in the reader's language where it is one of the catalogue's fixed phrases."""
    return reason_text(stored or "")

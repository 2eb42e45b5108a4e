from django import template

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
    """The person's name behind a login, else the user name."""
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return getattr(person, "name", None) or getattr(user, "get_username", lambda: str(user))()

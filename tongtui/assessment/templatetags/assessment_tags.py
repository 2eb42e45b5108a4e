from decimal import Decimal
from typing import Any

from django import template

from tongtui.assessment import access

register = template.Library()


@register.filter
def may_assess(user: Any) -> bool:
    """The 考核 menu entry: office, leaders and unit heads."""
    return bool(user and user.is_authenticated and access.may_use(user))


@register.filter
def signed(value: Decimal | None) -> str:
    if value is None:
        return ""
    value = value.normalize() if value == value.to_integral() else value
    text = f"{value:f}"
    return f"+{text}" if value > 0 else text


@register.filter
def of(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def kind_label(kind: str) -> str:
    from tongtui.assessment.rules_data import RuleKind

    try:
        return str(RuleKind(kind).label)
    except ValueError:
        return kind


@register.filter
def whole(value: Decimal | None) -> int:
    return int(value or 0)


@register.filter
def normalize_points(value: Decimal | None) -> str:
    return signed(value).lstrip("+")

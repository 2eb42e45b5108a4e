"""A model field's choice label, read from the field's choices built once per field.

Django's `get_<field>_display()` rebuilds the whole choices mapping on every call; a list of a hundred tasks
with a state and a light each, or a ledger of 50,000 tasks, calls it that many times. The labels stay lazy, so
each read speaks the language active at that moment.
"""

from functools import cache
from typing import Any

from django.db import models


@cache
def labels(model: type[models.Model], name: str) -> dict[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.choices, f"{model.__name__}.{name} has no choices"
    return dict(field.flatchoices)


def shown(obj: models.Model, name: str) -> str:
    """What `obj.get_<name>_display()` says."""
    value = getattr(obj, name)
    return str(labels(type(obj), name).get(value, value))

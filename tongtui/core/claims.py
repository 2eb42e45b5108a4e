"""Claiming a row for a state transition inside the action's transaction, so that of several requests at once
(a double click, two people) exactly one goes through and the others are refused with a Conflict.

`claim` is a conditional UPDATE (`… WHERE pk = … AND status IN (…)`): it holds the row until the transaction
ends, and a request waiting on it finds the row moved on (PostgreSQL re-reads the row after the wait; SQLite
runs write transactions one at a time). Without `update` the row is locked with SELECT … FOR NO KEY UPDATE
instead (rows that point at it can still be added), for changes that must not alter the row before their own
save. Tasks do the same in plans.actions.
"""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import models

from tongtui.core.errors import Conflict
from tongtui.core.loaded import remember

M = TypeVar("M", bound=models.Model)


def claim(
    obj: M,
    refused: Callable[[M | None], str],
    *,
    update: Mapping[str, Any] | None = None,
    versioned: bool = False,
    **where: Any,
) -> None:
    """Take obj's row while it still matches `where`, else raise Conflict(refused(the row as it is now)).

    On success obj is reloaded, so that the save that follows writes today's row and not the one the
    caller loaded. `versioned`: every write of this model's rows raises their `version` by one (the claims of
    its actions, its imports), and this claim's update is that raise: a row claimed at the very version obj
    was read at still holds what obj holds, so obj only takes the new version instead of being read again.
    """
    model = type(obj)
    rows = model._default_manager.filter(pk=obj.pk, **where)
    if update:
        taken = rows.update(**update) > 0
    else:
        taken = rows.select_for_update(no_key=True).values_list("pk", flat=True).first() is not None
    if not taken:
        current = model._default_manager.filter(pk=obj.pk).first()
        raise Conflict(refused(current), current_version=getattr(current, "version", 0) or 0)
    if versioned and "version" in where and where["version"] == obj.version:  # type: ignore[attr-defined]
        obj.version = where["version"] + 1  # type: ignore[attr-defined]
        remember(obj, ["version"])
        return
    obj.refresh_from_db()


def same_as_seen(obj: models.Model, *fields: str) -> dict[str, Any]:
    """`where` conditions saying the row still holds what the caller loaded in these fields (NULL as NULL)."""
    where: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if value is None:
            where[f"{name}__isnull"] = True
        else:
            where[name] = value
    return where

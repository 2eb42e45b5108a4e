"""What a row held in the database, so that a save validates only what changed (`core.history.validate`).

A model that mixes in `RemembersLoaded` keeps, for each instance read from the database, the values of the
fields that were read (`_loaded`), brought up to date by `refresh_from_db` and by every save; `unchanged`
compares the instance with them. Without the record (a new instance, a model without the mixin) every
field counts as changed, which is always safe: it only means more validation.
"""

from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:  # to the type checker it is a model, as every class that mixes it in
    _Base = models.Model
else:
    _Base = object

_MUTABLE = (models.JSONField,)  # changed in place, so never known to be unchanged


class RemembersLoaded(_Base):
    """Mix into a model before models.Model; it adds no field and no migration."""

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Any:
        obj = super().from_db(db, field_names, values)
        obj.__dict__["_loaded"] = dict(zip(field_names, values, strict=True))
        return obj

    def refresh_from_db(self, using: Any = None, fields: Any = None, from_queryset: Any = None) -> None:
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        remember(self, fields)

    def save_base(self, *args: Any, **kwargs: Any) -> None:
        super().save_base(*args, **kwargs)
        remember(self, kwargs.get("update_fields"))


def remember(obj: Any, names: Any = None) -> None:
    """Record the current values of these fields (by name or attname; all when None) as what the database holds.
    A save inside a transaction that later rolls back leaves the record ahead of the database: only a save that
    reuses the instance after the rollback validates less than it should, and the database still refuses it."""
    wanted = None if names is None else set(names)
    loaded = obj.__dict__.setdefault("_loaded", {})
    for f in obj._meta.concrete_fields:
        if wanted is not None and f.name not in wanted and f.attname not in wanted:
            continue
        if f.attname in obj.__dict__:
            loaded[f.attname] = obj.__dict__[f.attname]


def unchanged(obj: models.Model) -> set[str]:
    """Names of the fields that hold what the database held when the row was read (empty for a new row)."""
    loaded = obj.__dict__.get("_loaded")
    if obj._state.adding or not loaded:
        return set()
    same = set()
    for f in obj._meta.concrete_fields:
        if isinstance(f, _MUTABLE) or f.attname not in loaded or f.attname not in obj.__dict__:
            continue
        before, now = loaded[f.attname], obj.__dict__[f.attname]
        if type(before) is type(now) and before == now:
            same.add(f.name)
    return same


def prefetched(obj: models.Model, name: str) -> list[Any] | None:
    """The rows of relation `name` a caller prefetched into `obj` (`prefetch_related`), or None when it did not:
    a helper that needs only a little of them (ids, a maximum) uses these instead of a query of its own."""
    rows = getattr(obj, "_prefetched_objects_cache", {}).get(name)
    return None if rows is None else list(rows)

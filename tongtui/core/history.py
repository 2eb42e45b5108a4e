"""Helpers so that every write records who made it, also from commands and imports."""

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.db import models

from tongtui.core import stale
from tongtui.core.loaded import unchanged

REASON_MAX = 100  # simple_history's history_change_reason column


def clip_reason(reason: str) -> str:
    reason = " ".join(str(reason).split())
    return reason if len(reason) <= REASON_MAX else reason[: REASON_MAX - 1] + "…"


def save_with_history(
    obj: models.Model, *, by: Any, reason: str = "", vouched: Iterable[str] = (), **kwargs: Any
) -> None:
    """Save obj and record `by` and `reason` in its historical row.

    simple_history reads these two attributes at save time; the request middleware only
    covers web requests, so actions always set them explicitly. `vouched`: fields the caller has just taken
    from the database or checked there itself, validated no further (see `validate`).
    """
    obj._history_user = by  # type: ignore[attr-defined]
    obj._change_reason = clip_reason(reason)  # type: ignore[attr-defined]
    validate(obj, vouched)
    with stale.together():  # what the save's listeners mark stale, in one statement
        obj.save(**kwargs)


def validate(obj: models.Model, vouched: Iterable[str] = ()) -> None:
    """`full_clean`, less what cannot have become invalid since the row was read (see core.loaded):

    - a field that still holds what the database held is not cleaned again (for a foreign key, that is a query
      asking whether the row it points at exists);
    - nor is a foreign key whose row was itself read from the database in this request (it is loaded on obj);
    - a uniqueness or check constraint is checked when one of its fields changed, and skipped when none did
      (the database enforces all of them anyway; this check is there to say so in words);
    - nor are the `vouched` fields, which the caller copied from rows it read or checked itself (a new report's
      unit is its task's lead unit; its period, found free a moment ago, is caught by the database if taken since).
    """
    same = unchanged(obj) | set(vouched)
    known = {
        f.name for f in obj._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.is_cached(obj)
        and _saved_row(f.get_cached_value(obj), getattr(obj, f.attname))
    }  # fmt: skip
    obj.full_clean(exclude=same | known, validate_unique=False, validate_constraints=False)
    untouched = {name for name in same if all(group <= same for group in _groups(type(obj)).get(name, ()))}
    obj.validate_unique(exclude=untouched)
    obj.validate_constraints(exclude=untouched)


def _saved_row(related: Any, pk: Any) -> bool:
    return related is not None and not related._state.adding and related.pk is not None and related.pk == pk


@cache
def _groups(model: type[models.Model]) -> dict[str, tuple[frozenset[str], ...]]:
    """Each field's uniqueness and check groups: the fields that one constraint reads together."""
    every = frozenset(f.name for f in model._meta.concrete_fields)
    groups: list[frozenset[str]] = [frozenset(g) for g in model._meta.unique_together]
    groups += [frozenset({f.name}) for f in model._meta.concrete_fields if f.unique]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and not constraint.expressions:
            names = set(constraint.fields)
            if constraint.condition is not None:
                names |= constraint.condition.referenced_base_fields
            groups.append(frozenset(names))
        elif isinstance(constraint, models.CheckConstraint):
            groups.append(frozenset(models.Q(constraint.condition).referenced_base_fields))
        else:
            groups.append(every)  # what it reads is not known: checked whenever anything changed
    by_field: dict[str, tuple[frozenset[str], ...]] = {}
    for group in groups:
        for name in group:
            by_field[name] = (*by_field.get(name, ()), group)
    return by_field


def keep_history_managers() -> None:
    """simple_history builds its manager class anew each time a model's `history` is reached, which every save
    does when it writes the historical row: `Manager.from_queryset` inspects every method of the queryset class,
    about half a millisecond each time. Each model's descriptor builds the class once instead (at start-up)."""
    from django.apps import apps
    from simple_history.manager import HistoryDescriptor

    for model in apps.get_models():
        name = getattr(model._meta, "simple_history_manager_attribute", "")
        descriptor = model.__dict__.get(name) if name else None
        if type(descriptor) is HistoryDescriptor:
            setattr(model, name, _KeptHistory(descriptor.model, descriptor.manager_class, descriptor.queryset_class))


class _KeptHistory:
    """The history descriptor with its manager class built once; each access still gets its own manager."""

    def __init__(self, model: Any, manager: Any, queryset: Any) -> None:
        self.model = model
        self.manager_class = manager
        self.queryset_class = queryset
        self.built = manager.from_queryset(queryset)

    def __get__(self, instance: Any, owner: Any) -> Any:
        return self.built(self.model, instance)


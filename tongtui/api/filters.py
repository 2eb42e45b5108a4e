"""The API filters with each list's own FilterSet, but refuses values the HTML form would quietly ignore."""

from functools import lru_cache
from typing import Any

import django_filters
from django.template import loader
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.request import Request

from tongtui.api.fields import BigIntegerFormField, StrictBooleanFormField
from tongtui.api.schema import filter_type

NOT_FILTERS = frozenset({"include", "format"})  # query parameters of an object's address that no FilterSet reads


class FilterBackend(DjangoFilterBackend):
    """django-filter reads an unknown boolean ("maybe") as "no filter", and a NumberFilter over an id takes 0.5 (or
    a number no 64-bit column holds); through the API all are a 400, as the schema's types (`schema.filter_type`)
    say.

    Only this request's copy of the filters changes: the FilterSet class (shared with the HTML list) does not.
    """

    def filter_queryset(self, request: Request, queryset: Any, view: Any) -> Any:
        # One object's address (a read or a step) looks its row up through the list's filters, as DRF does; with
        # no filter in its query string the FilterSet would narrow nothing, so none is built (a copy of every
        # filter and a form per request).
        if getattr(view, "detail", False) and not set(request.query_params) - NOT_FILTERS:
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset(self, request: Request, queryset: Any, view: Any, *, every: bool = False) -> Any:
        """The list's FilterSet with the filters the query string names (`every`: all of them, for a form)."""
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        if not every:
            filterset_class = asked_only(filterset_class, frozenset(request.query_params))
        filterset = filterset_class(**self.get_filterset_kwargs(request, queryset, view))
        for item in filterset.filters.values():
            if isinstance(item, django_filters.BooleanFilter):
                item.field_class = StrictBooleanFormField
                item.__dict__.pop("_field", None)  # a form field built before the swap
            elif isinstance(item, django_filters.NumberFilter) and filter_type(item, queryset.model) == "integer":
                item.field_class = BigIntegerFormField  # whole numbers within 64 bits
                item.__dict__.pop("_field", None)
        return filterset

    def to_html(self, request: Request, queryset: Any, view: Any) -> Any:
        """The browsable API's filter form offers every filter of the list."""
        filterset = self.get_filterset(request, queryset, view, every=True)
        if filterset is None:
            return None
        return loader.get_template(self.template).render({"filter": filterset}, request)


def asked_for(name: str, params: frozenset[str]) -> bool:
    """Whether the query string names the filter: by its name, or by a name its widget reads (`due_after` for a
    range filter `due`, `due_0` for a multi-value one)."""
    return name in params or any(p.startswith(name + "_") for p in params)


def asked_only(filterset_class: Any, params: frozenset[str]) -> Any:
    """The FilterSet with only the filters this query string names. A filter without a value narrows nothing,
    yet each request copied every filter of the list and built a form field for each (a task list has 14): the
    request's copy is of those it uses."""
    names = frozenset(name for name in filterset_class.base_filters if asked_for(name, params))
    return _narrowed(filterset_class, names)


@lru_cache(maxsize=256)
def _narrowed(filterset_class: Any, names: frozenset[str]) -> Any:
    """Made once per class and set of filters."""
    if len(names) == len(filterset_class.base_filters):
        return filterset_class
    narrowed = type(filterset_class)(
        filterset_class.__name__, (filterset_class,), {"__module__": filterset_class.__module__}
    )
    narrowed.base_filters = {name: item for name, item in filterset_class.base_filters.items() if name in names}
    return narrowed

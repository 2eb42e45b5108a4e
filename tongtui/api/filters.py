"""The API filters with each list's own FilterSet, but refuses values the HTML form would quietly ignore."""

from typing import Any

import django_filters
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

    def get_filterset(self, request: Request, queryset: Any, view: Any) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for item in filterset.filters.values():
                if isinstance(item, django_filters.BooleanFilter):
                    item.field_class = StrictBooleanFormField
                    item.__dict__.pop("_field", None)  # a form field built before the swap
                elif (
                    isinstance(item, django_filters.NumberFilter)
                    and filter_type(item, queryset.model) == "integer"
                ):
                    item.field_class = BigIntegerFormField  # whole numbers within 64 bits
                    item.__dict__.pop("_field", None)
        return filterset

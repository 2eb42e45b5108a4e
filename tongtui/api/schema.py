"""OpenAPI schema: the error answers every endpoint can give, exact patterns for decimal strings, the types
query filters really take, and null where a value can be null."""

from decimal import Decimal
from typing import Any

import django_filters
import uritemplate
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField(help_text="The task's version now; reload and retry with it.")


ERROR = ErrorSerializer
FIELD_ERRORS = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="Messages by field name ({field: [message, …]}); errors not tied to a field are under "
    "`non_field_errors`, malformed requests under `detail`.",
)
LOCKED_OUT = OpenApiResponse(
    response=ErrorSerializer,
    description="The account is locked after too many wrong passwords; `detail` says until when.",
)
CONFLICT = OpenApiResponse(
    response=ConflictSerializer,
    description="Someone else changed the task since the given version was read.",
)


def decimal_pattern(field: serializers.DecimalField) -> str:
    """A pattern that accepts exactly the strings the field accepts (spectacular's also allows "" and "-")."""
    places = field.decimal_places
    low, high = field.min_value, field.max_value
    if low == Decimal(0) and high == Decimal(100):
        return rf"^(?:100(?:\.0{{1,{places}}})?|\d{{1,2}}(?:\.\d{{1,{places}}})?)$"
    sign = "" if low is not None and low >= 0 else "-?"
    return rf"^{sign}\d{{1,{field.max_whole_digits}}}(?:\.\d{{1,{places}}})?$"


def allowing_empty(parameters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Query filters and paging take an empty value (?plan=&page=) as "not given", like the HTML list."""
    return [{**p, "allowEmptyValue": True} if p.get("in") == "query" else p for p in parameters]


def _integer_column(field: Any) -> bool:
    while isinstance(field, models.ForeignKey | models.OneToOneField):
        field = field.target_field
    return isinstance(field, models.IntegerField | models.AutoField)


def filter_type(item: django_filters.Filter, model: type[models.Model] | None) -> str | None:
    """The JSON type of the value a filter takes, when spectacular's guess is wrong: ids are integers (a
    filter with a `method`, or a NumberFilter over a foreign key, is documented as a string or a number)."""
    if isinstance(item, django_filters.BooleanFilter):
        return "boolean"
    if isinstance(item, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
        queryset = item.extra.get("queryset")
        if isinstance(queryset, QuerySet | models.Manager):
            opts = queryset.model._meta
            column = (
                opts.get_field(item.extra["to_field_name"]) if item.extra.get("to_field_name") else opts.pk
            )
            return "integer" if _integer_column(column) else None
        return None
    if isinstance(item, django_filters.NumberFilter):
        if issubclass(item.field_class, forms.IntegerField):
            return "integer"
        try:
            column = model._meta.get_field(item.field_name) if model is not None else None
        except FieldDoesNotExist:
            return None
        return "integer" if _integer_column(column) else None
    return None


class FilterExtension(DjangoFilterExtension):
    """spectacular's reading of django-filter, with the value types corrected by `filter_type`."""

    target_class = "django_filters.rest_framework.DjangoFilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema: Any, model: Any, filterset_class: Any, field_name: str,
                             filter_field: Any) -> list[dict[str, Any]]:  # fmt: skip
        parameters: list[dict[str, Any]] = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        kind = filter_type(filter_field, model)
        if kind is not None:
            for parameter in parameters:
                schema = parameter["schema"]
                target = schema["items"] if schema.get("type") == "array" else schema
                target["type"] = kind
                target.pop("format", None)
        return parameters


def null_on_the_way(field: Any) -> bool:
    """A dotted source (`task.code`) reads null when a relation on the way is empty: DRF stops at None."""
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    source = getattr(field, "source", None)
    if model is None or not source or source == "*":
        return False
    for part in source.split(".")[:-1]:
        try:
            relation = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if not relation.is_relation or relation.many_to_many or relation.one_to_many:
            return False
        if relation.null:
            return True
        model = relation.related_model
    return False


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        extra: dict[str, Any] = {"401": OpenApiResponse(ERROR, description="Not logged in or bad token.")}
        if self.method not in SAFE_METHODS:
            if self.method != "DELETE":
                extra["400"] = FIELD_ERRORS
            extra["403"] = OpenApiResponse(ERROR, description="Your role does not allow this.")
        if self._is_list_view():
            extra["400"] = FIELD_ERRORS
            extra["404"] = OpenApiResponse(ERROR, description="No such page.")
        if uritemplate.variables(self.path):
            extra["404"] = OpenApiResponse(ERROR, description="No such object, or you may not see it.")
        for code, response in extra.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        return allowing_empty(super()._get_filter_parameters())

    def _get_pagination_parameters(self) -> list[dict[str, Any]]:
        return allowing_empty(super()._get_pagination_parameters())

    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.DecimalField) and isinstance(schema, dict) and "pattern" in schema:
            schema["pattern"] = decimal_pattern(field)
        if isinstance(schema, dict) and null_on_the_way(field):
            schema = (
                {"allOf": [schema], "nullable": True} if "$ref" in schema else {**schema, "nullable": True}
            )
        return schema

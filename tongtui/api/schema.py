"""OpenAPI schema: the error answers every endpoint can give, and exact patterns for decimal strings."""

from decimal import Decimal
from typing import Any

import uritemplate
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
        return schema

"""Fields that take JSON values only of the type the schema documents.

DRF is lenient: it reads 5 as "5" for a text field and "5" as 5 for a number or an id. The schema promises
clients a type, so the API refuses any other one (400) rather than guessing.
"""

import copy
from typing import TYPE_CHECKING, Any, ClassVar, cast

import django_filters
from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tongtui.api import reading

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class StrictTypeMixin:
    json_types: tuple[type, ...] = ()
    default_error_messages: "ClassVar[dict[str, StrOrPromise]]" = {
        "wrong_type": _("Expected a {expected}, got {received}.")
    }
    type_name = ""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) != (bool in self.json_types) or not isinstance(data, self.json_types):
            self.fail("wrong_type", expected=self.type_name, received=type(data).__name__)  # type: ignore[attr-defined]
        return super().to_internal_value(data)  # type: ignore[misc]


class CharField(StrictTypeMixin, serializers.CharField):
    json_types, type_name = (str,), "string"


class EmailField(StrictTypeMixin, serializers.EmailField):
    json_types, type_name = (str,), "string"


class IntegerField(StrictTypeMixin, serializers.IntegerField):
    json_types, type_name = (int,), "integer"


class DecimalField(StrictTypeMixin, serializers.DecimalField):
    """Decimals travel as strings ("12.50"), as the API writes them, so no precision is lost in floats."""

    json_types, type_name = (str,), "string"


class BooleanField(StrictTypeMixin, serializers.BooleanField):
    json_types, type_name = (bool,), "boolean"


class DateField(StrictTypeMixin, serializers.DateField):
    json_types, type_name = (str,), "string"


# A wall-clock time of the site's time zone as people write it; "format: time" would promise RFC 3339 times with
# an offset, which Django drops without a word (09:00Z would be stored as 09:00 in Beijing).
TIME_PATTERN = r"^(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?$"


@extend_schema_field(
    {
        "type": "string",
        "format": "partial-time",
        "pattern": TIME_PATTERN,
        "example": "09:30",
        "description": "Local time of day (the site's time zone), HH:MM or HH:MM:SS, without an offset.",
    }  # fmt: skip
)
class TimeField(StrictTypeMixin, serializers.TimeField):
    json_types, type_name = (str,), "string"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%H:%M", "%H:%M:%S"])
        kwargs.setdefault("format", "%H:%M:%S")
        super().__init__(**kwargs)


class DateTimeField(serializers.DateTimeField):
    """The current time zone looked up once per serializer, not once per value (a page of 100 tasks has 400)."""

    def default_timezone(self) -> Any:
        if not hasattr(self, "_zone"):
            self._zone = super().default_timezone()
        return self._zone


class PrimaryKeyRelatedField(StrictTypeMixin, serializers.PrimaryKeyRelatedField):
    json_types, type_name = (int,), "integer id"


class ModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: CharField,
        models.TextField: CharField,
        models.EmailField: EmailField,
        models.IntegerField: IntegerField,
        models.PositiveIntegerField: IntegerField,
        models.SmallIntegerField: IntegerField,
        models.BigIntegerField: IntegerField,
        models.DecimalField: DecimalField,
        models.BooleanField: BooleanField,
        models.DateField: DateField,
        models.TimeField: TimeField,
        models.DateTimeField: DateTimeField,
    }
    serializer_related_field = PrimaryKeyRelatedField

    def get_fields(self) -> dict[str, Any]:
        """DRF builds every field from the model's fields each time a serializer is made, and a request makes
        several (a task's 28 fields take about 2 ms): a class builds them once and each serializer copies them.
        What the build reads is the class's own (its Meta and declared fields, the model); labels and choices
        stay lazy, so a copy speaks the language of the request that reads it."""
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            type(self)._built_fields = built  # type: ignore[attr-defined]
        return {name: fresh_field(field) for name, field in built.items()}

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """DRF's writing of the row, with the plain columns read directly (`api.reading`). The plan is made once
        per serializer: a list's rows share their child serializer, so a page makes it once. Anything but a row of
        the serializer's model (a mapping, another model's row) goes DRF's general way."""
        if not isinstance(instance, self.Meta.model):
            return cast(dict[str, Any], super().to_representation(instance))
        steps = self.__dict__.get("_reading")
        if steps is None:
            steps = self._reading = reading.plan(self)
        return reading.write(steps, instance)


# What a field is made with and never changes: shared by the copies instead of deep-copied for each one.
# (DRF deep-copies every argument: a queryset's query, a model field, each choice's lazy label.)
_SHARED = (str, int, float, bool, type(None), Promise, models.Field, QuerySet, models.Manager)


# a field that binds another as its child (a list's, a many-relation's): made again, never copied
_HOLDS_A_FIELD = frozenset({"child", "child_relation"})


def fresh_field(field: serializers.Field) -> serializers.Field:
    """A new, unbound field made as `field` was. A plain field (no serializer, no child field) is a copy of its
    attributes: binding only sets attributes of its own (name, parent, source, label), and what it shares with the
    class's built field (its validators, error messages, choices) is read, never changed, after it is made. A
    serializer or a field holding a child is made again (DRF's `Field.__deepcopy__`, less the copying of what is
    shared), since binding changes the child: the values it was given that cannot change are shared; a field given
    to it is deep-copied; lists, dicts and the rest are deep-copied as DRF does."""
    if not isinstance(field, serializers.BaseSerializer) and not _HOLDS_A_FIELD.intersection(vars(field)):
        new = object.__new__(field.__class__)
        new.__dict__.update(vars(field))
        for key in ("default", "initial"):  # a list or dict given as the value: each serializer's own
            if isinstance(getattr(field, key, None), (list, dict, set)):
                setattr(new, key, copy.deepcopy(getattr(field, key)))
        return new

    def copied(key: str, value: Any) -> Any:
        if key in ("validators", "regex") or key == "choices" or isinstance(value, _SHARED) or callable(value):
            return value
        return copy.deepcopy(value)

    args = [copy.deepcopy(a) if isinstance(a, serializers.Field) else a for a in field._args]  # type: ignore[attr-defined]
    kwargs = {key: copied(key, value) for key, value in field._kwargs.items()}  # type: ignore[attr-defined]
    return field.__class__(*args, **kwargs)


class BigIntegerFormField(forms.IntegerField):
    """A whole number the databases can compare with a 64-bit column: a longer one is a 400 with the reason, not a
    500 from SQLite's driver (it refuses to bind it)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", -(2**63))
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)


class IntegerFilter(django_filters.NumberFilter):
    """An id or count in the query string: whole numbers only (django-filter's NumberFilter takes 0.5), within
    64 bits."""

    field_class = BigIntegerFormField


class StrictBooleanFormField(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("widget", None)
        super().__init__(
            choices=[("true", "true"), ("false", "false")],
            coerce=lambda v: v == "true",
            empty_value=None,
            **kwargs,
        )

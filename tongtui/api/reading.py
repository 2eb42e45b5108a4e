"""How a model serializer writes a row: DRF's own rules, with the plain fields read straight from the row.

DRF writes each field of each row through two general steps: `Field.get_attribute` (a walk along the field's
source that checks for mappings, callables and missing attributes) and `Field.to_representation`. For a field
whose source is one of the model's own columns, the walk always ends in the column's value; for the field types
whose writing is a plain conversion (text, whole number, yes/no, date, the id of a related row) the conversion is
known too. A page of 100 tasks has about 3,000 such cells, and DRF spends some 15 Python calls on each.

`plan(serializer)` looks at the serializer's readable fields once and says how each is read: a column written as
it is converted (`TEXT`, `WHOLE`, `YES_NO`, `DAY`, `MOMENT`, `KEY`), a column given to the field's own `to_representation`
(`COLUMN`), or DRF's general way (`GENERAL`: a nested serializer, a method field, a source along relations or
naming a property, a field class that changes how it reads). `write(plan, instance)` writes the row the way
`Serializer.to_representation` would: the same keys in the same order, None for a null column, the same
values (tests/api/test_reading.py holds every serializer of the API to that on rows with every field set and
with every nullable field empty).
"""

import datetime
from typing import Any, cast

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework import ISO_8601, relations, serializers
from rest_framework import fields as drf_fields
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

GENERAL, COLUMN, TEXT, WHOLE, YES_NO, DAY, MOMENT, KEY = range(8)

# the field's name, how it is read, the column's attribute, the field, and for a MOMENT the time zone it is written in
Step = tuple[str, int, str, serializers.Field, Any]


def _stock(field: serializers.Field, base: type, *methods: str) -> bool:
    """The field reads and writes as `base` does: none of these methods is overridden on its way to `base`."""
    cls = type(field)
    return isinstance(field, base) and all(getattr(cls, m) is getattr(base, m) for m in methods)


def _column(model: type[models.Model], source: str) -> models.Field | None:
    """The model's own column this source names (a field name, or a foreign key's `_id` attribute)."""
    try:
        field = model._meta.get_field(source)
    except FieldDoesNotExist:  # not a field: a property, a method, a reverse relation's accessor name
        return None
    if not getattr(field, "concrete", False) or getattr(field, "many_to_many", False):
        return None
    return field  # type: ignore[return-value]


def _read(field: serializers.Field, model: type[models.Model]) -> tuple[int, str]:
    attrs = getattr(field, "source_attrs", None)
    if not attrs or len(attrs) != 1:  # "*" (the whole row) or a walk along relations
        return GENERAL, ""
    column = _column(model, attrs[0])
    if column is None:
        return GENERAL, ""
    if isinstance(field, relations.RelatedField):
        if (
            _stock(field, relations.PrimaryKeyRelatedField, "get_attribute", "to_representation")
            and _stock(field, relations.PrimaryKeyRelatedField, "use_pk_only_optimization")
            and getattr(field, "pk_field", None) is None
            and isinstance(column, models.ForeignKey)
            and column.target_field.primary_key
            and column.name == attrs[0]
        ):
            return KEY, column.attname  # DRF: serializable_value(name), the row's `_id` value, as it is
        return GENERAL, ""
    if not _stock(field, drf_fields.Field, "get_attribute") or column.attname != attrs[0]:
        return GENERAL, ""
    if _stock(field, drf_fields.CharField, "to_representation"):
        return TEXT, column.attname
    if _stock(field, drf_fields.IntegerField, "to_representation") or (
        _stock(field, drf_fields.BigIntegerField, "to_representation")  # type: ignore[attr-defined]
        and not getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING)
    ):
        return WHOLE, column.attname
    if _stock(field, drf_fields.BooleanField, "to_representation"):
        return YES_NO, column.attname
    if (
        _stock(field, drf_fields.DateField, "to_representation")
        and isinstance(column, models.DateField)
        and not isinstance(column, models.DateTimeField)
        and str(getattr(field, "format", api_settings.DATE_FORMAT)).lower() == ISO_8601
    ):
        return DAY, column.attname
    if (
        _stock(field, drf_fields.DateTimeField, "to_representation", "enforce_timezone")
        and isinstance(column, models.DateTimeField)
        and str(getattr(field, "format", api_settings.DATETIME_FORMAT)).lower() == ISO_8601
    ):
        return MOMENT, column.attname
    return COLUMN, column.attname


def plan(serializer: serializers.ModelSerializer) -> list[Step]:
    """How each readable field of this serializer (bound, as DRF made it for this request) is read. How a field
    is read depends on its class, source and format and on the model, the same for every serializer of a class:
    decided once per class, and again when a serializer's fields are not the class's (names, classes or sources
    changed for a request); the time zone is the request's."""
    model = serializer.Meta.model
    fields = list(serializer._readable_fields)
    cls = type(serializer)
    decided = cls.__dict__.get("_reading_decided")
    names = [(f.field_name, type(f), f.source) for f in fields]
    if decided is None or decided[0] != names:
        decided = (names, [_read(f, model) for f in fields])
        cls._reading_decided = decided  # type: ignore[attr-defined]
    steps: list[Step] = []
    for field, (how, attname) in zip(fields, decided[1], strict=True):
        zone = None
        if how == MOMENT:
            moment = cast(drf_fields.DateTimeField, field)
            zone = moment.timezone if hasattr(moment, "timezone") else moment.default_timezone()
            if zone is None:
                how = COLUMN
        steps.append((cast(str, field.field_name), how, attname, field, zone))
    return steps


def write(steps: list[Step], instance: Any) -> dict[str, Any]:
    """The row as `Serializer.to_representation` writes it, reading its plain columns directly."""
    ret: dict[str, Any] = {}
    for name, how, attname, field, zone in steps:
        if how == GENERAL:
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            empty = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if empty is None else field.to_representation(attribute)
            continue
        value = getattr(instance, attname)
        if value is None or how == KEY:
            ret[name] = value
        elif how == TEXT:
            ret[name] = str(value)
        elif how == WHOLE:
            ret[name] = int(value)
        elif how == YES_NO and type(value) is bool:
            ret[name] = value
        elif how == DAY and type(value) is datetime.date:
            ret[name] = value.isoformat()
        elif how == MOMENT and type(value) is datetime.datetime and value.utcoffset() is not None:
            text = value.astimezone(zone).isoformat()  # DRF: in the field's zone, UTC written as Z
            ret[name] = text[:-6] + "Z" if text.endswith("+00:00") else text
        else:
            ret[name] = field.to_representation(value)
    return ret

"""The schema says what the API really takes and gives, checked over every endpoint: ids in query filters are
integers, yes/no filters booleans, a value that can be null is nullable, a meeting's time is a local time."""

import re

import django_filters
import pytest
from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.test import APIClient

from tongtui.dispatch.models import Meeting


@pytest.fixture(scope="module")
def generated():
    generator = SchemaGenerator()
    return generator, generator.get_schema(request=None, public=True)


def filtersets(generator, schema):
    """(operation, FilterSet) for every list that filters."""
    for path, _regex, method, callback in generator.endpoints:
        view = generator.create_view(callback, method)
        operation = schema["paths"].get(path, {}).get(method.lower())
        for backend in getattr(view, "filter_backends", []):
            if operation is not None and hasattr(backend, "get_filterset_class"):
                filterset = backend().get_filterset_class(view, getattr(view, "queryset", None))
                if filterset is not None:
                    yield operation, filterset


def test_id_filters_are_integers_and_yes_no_filters_booleans(generated):
    generator, schema = generated
    checked, wrong = 0, []
    for operation, filterset in filtersets(generator, schema):
        parameters = {p["name"]: p["schema"] for p in operation.get("parameters", []) if p["in"] == "query"}
        if not set(filterset.base_filters) & set(parameters):
            continue  # an object's page or an action: filters apply to lists only
        for name, item in filterset.base_filters.items():
            if isinstance(item, django_filters.ModelChoiceFilter | django_filters.NumberFilter):
                # no filter compares decimals: every number filter takes an id, a year or a count
                expected = "integer"
            elif isinstance(item, django_filters.BooleanFilter):
                expected = "boolean"
            else:
                continue
            checked += 1
            if parameters[name].get("type") != expected:
                wrong.append(f"{operation['operationId']} {name}: {parameters[name]}")
    assert checked > 50 and wrong == []


def nullable_source(model, source: str) -> bool:
    for part in source.split("."):
        field = model._meta.get_field(part)
        if field.many_to_many or field.one_to_many:
            raise FieldDoesNotExist
        if field.null:
            return True
        model = field.related_model
    return False


def test_every_field_that_can_be_null_is_nullable(generated):
    generator, schema = generated
    components = schema["components"]["schemas"]
    checked, wrong = 0, []
    for component in generator.registry._components.values():
        serializer = component.object
        if isinstance(serializer, serializers.ListSerializer):
            serializer = serializer.child
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if not isinstance(serializer, serializers.Serializer) or model is None:
            continue
        properties = components[component.name].get("properties", {})
        for name, field in serializer.fields.items():
            if name not in properties or field.source == "*":
                continue
            try:
                if not nullable_source(model, field.source):
                    continue
            except (FieldDoesNotExist, AttributeError):
                continue  # a method, a property, a reverse list: not a column
            checked += 1
            if not properties[name].get("nullable"):
                wrong.append(f"{component.name}.{name} ({field.source})")
    assert checked > 100 and wrong == []


def test_a_meetings_time_is_a_local_time_of_day(generated, cast):
    _generator, schema = generated
    for name in ("Meeting", "MeetingRequest"):
        time = schema["components"]["schemas"][name]["properties"]["time"]
        assert time["format"] == "partial-time" and time["type"] == "string"
        pattern = re.compile(time["pattern"])
        assert pattern.match("09:30") and pattern.match("14:05:00")
        assert not pattern.match("09:30:00+08:00") and not pattern.match("9:30") and not pattern.match("24:00")
    client = APIClient()
    client.force_authenticate(cast.user("office"))
    meeting = {"plan": cast.plan.pk, "title": "调度会", "date": "2026-03-02", "chair": cast.leader.pk}
    made = client.post("/api/meetings/", {**meeting, "time": "14:30"}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["time"] == "14:30:00" and re.match(time["pattern"], made.json()["time"])
    # an offset would be dropped without a word by Django: refused instead
    assert client.post("/api/meetings/", {**meeting, "time": "14:30:00Z"}, format="json").status_code == 400
    assert Meeting.objects.count() == 1


def test_an_id_filter_refuses_what_the_schema_refuses(cast):
    client = APIClient()
    client.force_authenticate(cast.user("office"))
    for url in ("/api/tasks/", "/api/lights/"):
        assert client.get(url, {"parent": "0.5"}).status_code == 400, url
        assert client.get(url, {"parent": str(cast.task_a.pk)}).status_code == 200, url

"""A serializer class builds its fields from the model once; each serializer gets its own copy, and the copies
speak the language of the request that reads them."""

from django.utils import translation
from rest_framework import serializers

from tongtui.plans.models import Task
from tongtui.plans.serializers import TaskSerializer


def fresh():
    """A subclass of its own, so that what other tests built does not count."""

    class Fresh(TaskSerializer):
        class Meta(TaskSerializer.Meta):
            pass

    return Fresh


def test_the_fields_are_built_from_the_model_once(monkeypatch):
    built = []
    original = serializers.ModelSerializer.build_field

    def counting(self, *args, **kwargs):
        built.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(serializers.ModelSerializer, "build_field", counting)
    cls = fresh()
    first = cls().fields
    assert "status" in built and len(built) >= 10
    count = len(built)
    second = cls().fields
    assert len(built) == count  # nothing built again
    assert list(first) == list(second)
    assert set(first) >= {"id", "code", "title", "status", "lead_unit", "co_units", "due", "version"}


def test_each_serializer_has_its_own_fields():
    cls = fresh()
    one, two = cls(), cls()
    assert one.fields["title"] is not two.fields["title"]
    one.fields["title"].read_only = True
    assert two.fields["title"].read_only is False
    assert cls().fields["title"].read_only is False
    assert one.fields["title"].parent is one and two.fields["title"].parent is two


def test_labels_and_choices_follow_the_language_of_each_request():
    cls = fresh()
    with translation.override("zh-hans"):
        chinese = cls().fields["status"]
        assert str(chinese.label) == str(Task._meta.get_field("status").verbose_name)
        chinese_choices = {k: str(v) for k, v in chinese.choices.items()}
        assert str(chinese.label) != "Status"
    with translation.override("en"):
        english = cls().fields["status"]
        assert str(english.label) == "Status"
        english_choices = {k: str(v) for k, v in english.choices.items()}
    assert chinese_choices.keys() == english_choices.keys()
    assert chinese_choices != english_choices

"""A choice's label from the field's choices built once says what `get_<field>_display()` says, in the language
active when it is read."""

import pytest
from django.template import Context, Template
from django.utils import translation

from tongtui.core.choices import shown
from tongtui.plans.models import Task, TaskStatus
from tongtui.supervision.models import LightState, TaskLight


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_label_is_the_models_own_in_each_language(cast, language):
    task = Task.objects.get(pk=cast.task_a.pk)
    with translation.override(language):
        for status in TaskStatus.values:
            task.status = status
            assert shown(task, "status") == task.get_status_display()
        assert shown(task, "source") == task.get_source_display()
        light = TaskLight(task=task, light=LightState.RED)
        assert shown(light, "light") == light.get_light_display()


def test_the_labels_built_in_one_language_read_in_another(cast):
    task = Task.objects.get(pk=cast.task_a.pk)
    task.status = TaskStatus.IN_PROGRESS
    with translation.override("zh-hans"):
        chinese = shown(task, "status")
    with translation.override("en"):
        assert shown(task, "status") == "In progress" != chinese


def test_a_value_outside_the_choices_reads_as_itself_and_a_field_without_choices_is_refused(cast):
    task = Task.objects.get(pk=cast.task_a.pk)
    task.status = "no-such-state"
    assert shown(task, "status") == "no-such-state"
    with pytest.raises(AssertionError):
        shown(task, "title")


def test_the_template_filter_reads_the_same_and_nothing_for_no_object(cast):
    task = Task.objects.get(pk=cast.task_a.pk)
    template = Template('{% load tongtui_ui %}[{{ task|shown:"status" }}][{{ none|shown:"light" }}]')
    with translation.override("en"):
        assert template.render(Context({"task": task, "none": None})) == f"[{task.get_status_display()}][]"

"""One colour per traffic light for every badge that shows one (the task list, the desk, the home's piles)."""

from django.template import Context, Template

from tongtui.core.templatetags.tongtui_ui import light_class
from tongtui.supervision.models import LightState


def test_each_light_has_its_badge_colour_and_anything_else_is_grey():
    assert {light: light_class(light) for light in LightState.values} == {
        "green": "text-bg-success",
        "yellow": "text-bg-warning",
        "red": "text-bg-danger",
        "blue": "text-bg-primary",
        "grey": "text-bg-secondary",
    }
    assert light_class("") == "text-bg-secondary"
    assert Template("{% load tongtui_ui %}{{ light|light_class }}").render(Context({"light": "red"})) == "text-bg-danger"

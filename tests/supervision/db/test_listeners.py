from decimal import Decimal

from tongtui.plans import actions as plan_actions
from tongtui.supervision.models import TaskLight

from .conftest import D


def light_of(task):
    return TaskLight.objects.filter(task=task).values_list("light", flat=True).first()


def test_a_submitted_report_recomputes_its_tasks_light_after_commit(
    lights, django_capture_on_commit_callbacks
):
    cast = lights.cast
    with django_capture_on_commit_callbacks(execute=True):
        lights.report(cast.task_a, 11, 95, submitted=D(2026, 11, 24))
    state = TaskLight.objects.get(task=cast.task_a)
    assert state.light == "green"
    assert state.actual_progress == 95.0
    assert light_of(cast.task_c) is None  # only the task that changed


def test_nothing_is_computed_before_the_commit(lights, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        lights.report(lights.cast.task_a, 11, 85, submitted=D(2026, 11, 24))
    assert callbacks
    assert light_of(lights.cast.task_a) is None


def test_a_milestone_change_recomputes_the_light(lights, django_capture_on_commit_callbacks):
    cast = lights.cast
    lights.report(cast.task_a, 11, 85, submitted=D(2026, 11, 24))
    with django_capture_on_commit_callbacks(execute=True):
        plan_actions.add_milestone(
            cast.task_a,
            by=cast.user("office"),
            title="提前完工",
            due=D(2026, 10, 31),
            planned_progress=Decimal(95),
        )
    state = TaskLight.objects.get(task=cast.task_a)
    assert state.light == "red"
    assert "milestone_overdue" in [r["code"] for r in state.reasons]


def test_a_task_transition_recomputes_the_light(lights, django_capture_on_commit_callbacks):
    cast = lights.cast
    with django_capture_on_commit_callbacks(execute=True):
        plan_actions.suspend_task(cast.task_c, by=cast.user("office"), reason="暂缓")
    assert light_of(cast.task_c) == "grey"


def test_it_can_be_switched_off(lights, settings, django_capture_on_commit_callbacks):
    settings.SUPERVISION_LIGHTS_ON_CHANGE = False
    with django_capture_on_commit_callbacks(execute=True):
        plan_actions.suspend_task(lights.cast.task_c, by=lights.cast.user("office"), reason="暂缓")
    assert light_of(lights.cast.task_c) is None

from tongtui.supervision.facts_db import today
from tongtui.supervision.models import LightHistory, LightPolicy, TaskLight
from tongtui.supervision.recompute import recompute_plan, recompute_tasks

from .conftest import D


def test_it_stores_each_tasks_light_with_its_reasons(lights):
    cast = lights.cast
    lights.report(cast.task_a, 10, 20, submitted=D(2026, 10, 24))
    counts = recompute_plan(cast.plan)
    assert sum(counts.values()) == 2
    state = TaskLight.objects.get(task=cast.task_a)
    assert state.light == "red"
    assert state.actual_progress == 20.0
    assert state.planned_progress is not None and state.planned_progress > 50
    assert "behind_plan" in [r["code"] for r in state.reasons]
    assert state.as_of == today()


def test_history_keeps_one_row_per_task_per_day(lights):
    cast = lights.cast
    recompute_plan(cast.plan)
    recompute_plan(cast.plan)
    recompute_tasks([cast.task_a.pk], D(2026, 5, 1))
    assert LightHistory.objects.filter(task=cast.task_a, date=today()).count() == 1
    assert LightHistory.objects.filter(task=cast.task_a).count() == 2
    assert TaskLight.objects.count() == 2


def test_a_past_day_adds_history_but_leaves_the_current_light(lights):
    cast = lights.cast
    recompute_tasks([cast.task_a.pk], D(2026, 5, 1))
    assert not TaskLight.objects.exists()
    assert LightHistory.objects.get(task=cast.task_a).date == D(2026, 5, 1)


def test_a_recompute_replaces_the_light_of_the_day(lights):
    cast = lights.cast
    recompute_plan(cast.plan)
    assert TaskLight.objects.get(task=cast.task_a).light == "red"
    lights.report(cast.task_a, 11, 95, submitted=D(2026, 11, 24))
    recompute_plan(cast.plan)
    assert TaskLight.objects.get(task=cast.task_a).light == "green"
    assert LightHistory.objects.get(task=cast.task_a, date=today()).light == "green"


def test_a_plans_policy_sets_its_thresholds(lights):
    cast = lights.cast
    lights.report(cast.task_a, 10, 20, submitted=D(2026, 10, 24))

    def reasons():
        recompute_plan(cast.plan)
        return {r["code"]: r for r in TaskLight.objects.get(task=cast.task_a).reasons}

    assert "behind_plan" in reasons()
    LightPolicy.objects.create(
        plan=cast.plan,
        behind_mode="ratio",
        yellow_behind=0,
        yellow_inclusive=False,
        red_behind=0.9,
        working_days=False,
    )
    found = reasons()
    assert "behind_plan" not in found
    assert found["behind_plan_ratio"]["light"] == "yellow"  # about 75 % behind: short of the 90 % for red
    assert found["milestone_overdue"]["figures"]["working"] is False


def test_a_policy_refuses_red_before_yellow(cast):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        LightPolicy(plan=cast.plan, yellow_behind=30, red_behind=10).full_clean()
    assert "red_behind" in refused.value.message_dict
    with pytest.raises(ValidationError):
        LightPolicy(plan=cast.plan, behind_mode="ratio", yellow_behind=0, red_behind=50).full_clean()
    LightPolicy(
        plan=cast.plan, behind_mode="ratio", yellow_behind=0, yellow_inclusive=False, red_behind=0.5
    ).full_clean()


def test_lights_as_of_a_past_day_are_that_days_and_write_nothing(lights):
    from tongtui.supervision.light_views import lights_as_of, reason_texts, stored_lights
    from tongtui.supervision.recompute import evaluate, reason_json

    def recompute_reason_texts(result):
        return reason_texts([reason_json(r) for r in result.reasons])

    cast = lights.cast
    a = cast.task_a.pk
    lights.report(cast.task_a, 10, 20, submitted=D(2026, 10, 24))
    recompute_plan(cast.plan)
    stored = stored_lights([a])
    assert stored[a].light == "red"
    history = LightHistory.objects.count()
    march = lights_as_of([a], D(2026, 3, 31))
    _loaded, results = evaluate([a], D(2026, 3, 31))
    assert (march[a].light, march[a].as_of) == (results[0].light.value, D(2026, 3, 31))
    # in March no report had come in (the October one came later): that day's reasons, not today's
    assert march[a].progress is None and stored[a].progress == 20.0
    assert march[a].reasons == tuple(recompute_reason_texts(results[0])) != stored[a].reasons
    assert lights_as_of([a], today()) == stored  # on or after the stored day: the stored light itself
    assert LightHistory.objects.count() == history
    assert TaskLight.objects.get(task_id=a).as_of == today()


def test_a_past_days_lights_are_computed_once_as_of_that_day_even_with_stale_ones(lights, monkeypatch):
    """A bulletin about a past day computes every light as of that day, once: it does not first compute today's
    light of the tasks a filed report marked stale (a province's pending marks cost seconds). A stale light is
    never shown for a past day as today's, even when every stored light is from before that day."""
    import datetime

    from django.utils import timezone

    from tongtui.core.models import Stale
    from tongtui.supervision import light_views, recompute

    cast = lights.cast
    a, b = cast.task_a.pk, cast.task_c.pk
    recompute_plan(cast.plan)
    calls = []
    real = recompute.evaluate
    monkeypatch.setattr(recompute, "evaluate", lambda ids, day=None, **kw: calls.append((sorted(ids), day)) or real(ids, day, **kw))
    Stale.objects.create(kind="light", key=b, marked_at=timezone.now())
    yesterday = today() - datetime.timedelta(days=1)

    past = light_views.lights_as_of([a, b], D(2026, 3, 31))  # the stored lights are today's: computed as of March
    assert calls == [([a, b], D(2026, 3, 31))]
    assert {v.as_of for v in past.values()} == {D(2026, 3, 31)}

    calls.clear()
    TaskLight.objects.update(as_of=yesterday)  # stored before the day asked, but b is stale: computed, not stored
    assert {v.as_of for v in light_views.lights_as_of([a, b], yesterday).values()} == {yesterday}
    assert calls == [([a, b], yesterday)]

    calls.clear()
    current = light_views.lights_as_of([a, b], today())  # today: the stored lights, the stale one computed live
    assert calls == [([b], today())]
    assert current[a].as_of == yesterday and current[b].as_of == today()

    calls.clear()
    Stale.objects.all().delete()
    assert light_views.lights_as_of([a, b], yesterday)[a].as_of == yesterday and calls == []  # stored, unchanged

"""The demo's light history replay, on the fixed cast: one row per task and past day, nothing for today."""

import datetime

from tongtui.demo.lights import replay_history
from tongtui.supervision.models import LightHistory, TaskLight


def test_it_stores_each_past_day_of_the_year_once(cast):
    today = datetime.date(2026, 1, 11)
    assert replay_history(cast.plan, today) == 10
    assert replay_history(cast.plan, today) == 10  # replaying again rewrites the same rows
    rows = LightHistory.objects.filter(task__plan=cast.plan)
    assert rows.count() == 2 * 10
    assert max(rows.values_list("date", flat=True)) == datetime.date(2026, 1, 10)
    assert not TaskLight.objects.exists()  # the current light is the ordinary recompute's


def test_it_can_replay_every_few_days(cast):
    assert replay_history(cast.plan, datetime.date(2026, 1, 11), step=7) == 2
    assert sorted(set(LightHistory.objects.values_list("date", flat=True))) == [
        datetime.date(2026, 1, 1), datetime.date(2026, 1, 8)
    ]

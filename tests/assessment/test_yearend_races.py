"""The year-end review's steps sent several times at once (double clicks, two people): recording outcomes,
freezing and carrying over each run once; the others are refused with 409 (carrying over finds the copies
made and makes none)."""

import datetime

import pytest
from django.utils import timezone

from tests.race import api_client, at_once, losers_say, one_wins, page_client, post_all, statuses
from tongtui.assessment.models import FrozenRow, YearFreeze
from tongtui.plans.actions_yearend import record_outcomes
from tongtui.plans.models import Outcome, Plan, Task, TaskOutcome

pytestmark = pytest.mark.django_db(transaction=True)

BASE = "/api/assessment/year-end/2026/"


@pytest.fixture
def started(cast):
    Task.objects.filter(plan=cast.plan).update(status="in_progress", assigned_at=timezone.make_aware(
        datetime.datetime(2026, 1, 10, 9)))  # fmt: skip
    return cast


def test_the_same_outcomes_recorded_three_times_at_once_are_recorded_once(started):
    body = {"tasks": [started.task_a.pk, started.task_c.pk], "outcome": "cancelled", "reason": "政策调整"}
    responses = post_all(started.user("office"), BASE + "outcomes/", body)
    assert one_wins(statuses(responses))
    losers_say(responses, "Already decided")
    assert TaskOutcome.objects.count() == 2
    assert TaskOutcome.history.count() == 2
    assert Task.objects.get(pk=started.task_a.pk).history.filter(status="cancelled").count() == 1


def test_a_double_clicked_decision_on_the_page_records_once(started):
    from django.urls import reverse

    url = reverse("assessment:yearend-decide", kwargs={"year": 2026})
    clients = [page_client(started.user("office")) for _ in range(2)]
    body = {"task": [started.task_a.pk], "outcome": "carried_over", "reason": "跨年"}
    responses = at_once(2, lambda i: clients[i].post(url, body))
    assert statuses(responses) == [302, 302]
    assert TaskOutcome.objects.count() == 1 and TaskOutcome.history.count() == 1


def test_three_freezes_at_once_freeze_once(started):
    office = started.user("office")
    record_outcomes(started.plan, [started.task_a.pk, started.task_c.pk], by=office, outcome=Outcome.CANCELLED,
                    reason="撤销")  # fmt: skip
    responses = post_all(office, BASE + "freeze/", {})
    assert one_wins(statuses(responses))
    losers_say(responses, "frozen already")
    assert YearFreeze.objects.count() == 1 and YearFreeze.history.count() == 1
    units = FrozenRow.objects.values_list("unit_id", flat=True)
    assert len(units) == len(set(units)) > 0


def test_carrying_over_three_times_at_once_makes_one_copy_each(started):
    office = started.user("office")
    record_outcomes(started.plan, [started.task_a.pk, started.task_c.pk], by=office,
                    outcome=Outcome.CARRIED_OVER, reason="跨年")  # fmt: skip
    Plan.objects.create(year=2027, title="2027")
    clients = [api_client(office) for _ in range(3)]
    responses = at_once(3, lambda i: clients[i].post(BASE + "carry-over/"))
    codes = statuses(responses)
    assert all(c in (200, 409) for c in codes) and 200 in codes
    made = sorted(r.json()["made"] for r in responses if r.status_code == 200)
    assert sum(made) == 2
    assert Task.objects.filter(plan__year=2027).count() == 2
    assert Task.history.filter(plan_id=Plan.objects.get(year=2027).pk, history_type="+").count() == 2


def test_settling_three_times_at_once_records_each_ended_task_once(started):
    from tongtui.plans.models import TaskStatus

    Task.objects.filter(plan=started.plan).update(status=TaskStatus.CLOSED)
    responses = post_all(started.user("office"), BASE + "settle/", {})
    codes = statuses(responses)
    assert all(c in (200, 409) for c in codes) and 200 in codes
    assert sum(r.json()["made"] for r in responses if r.status_code == 200) == 2
    assert TaskOutcome.objects.count() == 2 and TaskOutcome.history.count() == 2

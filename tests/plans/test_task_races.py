"""Every task transition, sent several times at once (double clicks, two people): exactly one wins, the rest
are refused with 409 and a message, and the history has one entry for the transition."""

import pytest
from django.urls import reverse

from tests.race import api_client, at_once, one_wins, statuses
from tongtui.plans import actions
from tongtui.plans.models import Task, TaskStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_three_assigns_at_once_assign_once(cast):
    task = cast.task_a
    task.history.all().delete()
    task.save()
    responses = at_once(3, lambda i: api_client(cast.user("office")).post(f"/api/tasks/{task.pk}/assign/"))
    assert one_wins(statuses(responses))
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED
    assert task.assignment_no == 1
    assert task.history.count() == 2  # created, assigned once
    for loser in (r for r in responses if r.status_code != 200):
        body = loser.json()  # 409: "detail"; 400 (it saw the task assigned before trying): the field's reason
        assert body.get("detail") or any(body.values())


def test_two_tasks_assigned_at_once_get_different_numbers(cast):
    tasks = [cast.task_a, cast.task_c]
    responses = at_once(2, lambda i: api_client(cast.user("office")).post(f"/api/tasks/{tasks[i].pk}/assign/"))
    assert statuses(responses) == [200, 200]
    assert sorted(Task.objects.values_list("assignment_no", flat=True)) == [1, 2]


def test_double_clicked_acknowledge_acknowledges_once(cast):
    actions.assign_task(cast.task_a, by=cast.user("office"))
    url = reverse("task-action", args=[cast.task_a.pk, "acknowledge"])
    before = cast.task_a.history.count()
    responses = at_once(3, lambda i: cast.client("head_a").post(url, {"acknowledge-unit": cast.unit_a.pk}))
    assert one_wins(statuses(responses), won=302, refused=(403, 409))
    task = Task.objects.get(pk=cast.task_a.pk)
    assert task.status == TaskStatus.ACKNOWLEDGED
    assert task.history.count() == before + 1


def test_close_and_cancel_at_once_leave_one_end(cast):
    office = cast.user("office")
    task = cast.task_a
    actions.assign_task(task, by=office)
    actions.acknowledge_task(task, by=office, unit=cast.unit_a)
    actions.record_progress(task, by=office, progress=90)
    before = task.history.count()
    paths = [(f"/api/tasks/{task.pk}/close/", {}), (f"/api/tasks/{task.pk}/cancel/", {"reason": "撤销"})]
    responses = at_once(2, lambda i: api_client(office).post(paths[i][0], paths[i][1], format="json"))
    assert one_wins(statuses(responses))
    task.refresh_from_db()
    closed = responses[0].status_code == 200
    assert task.status == (TaskStatus.CLOSED if closed else TaskStatus.CANCELLED)
    assert task.history.count() == before + 1


@pytest.mark.parametrize(
    "setup, path, body, final",
    [
        (["assign", "ack", "progress"], "request-completion", {}, TaskStatus.COMPLETION_REQUESTED),
        (["assign", "ack", "progress", "request"], "return", {"reason": "材料不全"}, TaskStatus.IN_PROGRESS),
        (["assign"], "suspend", {"reason": "暂缓"}, TaskStatus.SUSPENDED),
        (["assign", "suspend"], "resume", {}, TaskStatus.ASSIGNED),
    ],
)
def test_each_transition_sent_three_times_runs_once(cast, setup, path, body, final):
    office = cast.user("office")
    task = cast.task_a
    steps = {
        "assign": lambda: actions.assign_task(task, by=office),
        "ack": lambda: actions.acknowledge_task(task, by=office, unit=cast.unit_a),
        "progress": lambda: actions.record_progress(task, by=office, progress=50),
        "request": lambda: actions.request_completion(task, by=cast.user("head_a")),
        "suspend": lambda: actions.suspend_task(task, by=office, reason="暂缓"),
    }
    for step in setup:
        steps[step]()
    who = cast.user("head_a") if path == "request-completion" else office
    before = task.history.count()
    responses = at_once(3, lambda i: api_client(who).post(f"/api/tasks/{task.pk}/{path}/", body, format="json"))
    assert one_wins(statuses(responses))
    task.refresh_from_db()
    assert task.status == final
    assert task.history.count() == before + 1

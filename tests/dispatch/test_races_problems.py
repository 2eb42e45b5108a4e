"""Problems and dispatch meetings, each step sent several times at once: exactly one wins, the others are
refused (409 with a message, or 400 when they already saw the new state); history, answers, notifications,
escalations, minutes and decisions (with their tasks) happen once."""

import datetime

import pytest
from django.urls import reverse

from tests.dispatch.test_races_reports import api_client, page_client
from tests.plans.test_task_races import one_wins
from tests.race import at_once, statuses
from tongtui.core.errors import Conflict
from tongtui.dispatch import actions_meetings, actions_problems
from tongtui.dispatch.models import Decision, Meeting, MeetingStatus, Notification, Problem, ProblemStatus
from tongtui.plans.models import Task

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date


def problem(d, **kw) -> Problem:
    return actions_problems.raise_problem(
        d.task_a,
        by=d.user("liaison_a"),
        title="用地指标不足",
        addressed_to="office",
        answer_by=D(2026, 3, 10),
        **kw,
    )


def notices(p: Problem) -> int:
    return Notification.objects.filter(url=reverse("dispatch:problem-detail", args=[p.pk])).count()


def post_all(d, who: str, path: str, body: dict | None = None, n: int = 3) -> list:
    clients = [api_client(d.user(who)) for _ in range(n)]
    return at_once(n, lambda i: clients[i].post(path, body or {}, format="json"))


def test_three_answers_at_once_answer_once_and_notify_once(d):
    p = problem(d)
    before, told = p.history.count(), notices(p)
    responses = post_all(d, "office", f"/api/problems/{p.pk}/answer/", {"text": "已协调自然资源局"})
    assert one_wins(statuses(responses))
    p.refresh_from_db()
    assert p.status == ProblemStatus.ANSWERED
    assert p.answers.count() == 1
    assert p.history.count() == before + 1
    assert notices(p) == told + 2  # the liaison who raised it and the unit's head, once each
    for loser in (r for r in responses if r.status_code == 409):
        assert "This problem has just been answered." in loser.json()["detail"]


def test_three_resolves_at_once_resolve_once(d):
    p = problem(d)
    actions_problems.answer_problem(p, by=d.user("office"), text="已协调")
    p.refresh_from_db()
    before = p.history.count()
    responses = post_all(d, "liaison_a", f"/api/problems/{p.pk}/resolve/")
    assert one_wins(statuses(responses))
    p.refresh_from_db()
    assert p.status == ProblemStatus.RESOLVED
    assert p.history.count() == before + 1
    for loser in (r for r in responses if r.status_code == 409):
        assert "already been marked resolved" in loser.json()["detail"]


def test_three_reopens_at_once_reopen_once_and_notify_once(d):
    p = problem(d)
    actions_problems.answer_problem(p, by=d.user("office"), text="已协调")
    p.refresh_from_db()
    actions_problems.resolve_problem(p, by=d.user("liaison_a"))
    p.refresh_from_db()
    before, told = p.history.count(), notices(p)
    responses = post_all(d, "liaison_a", f"/api/problems/{p.pk}/reopen/", {"reason": "仍未解决"})
    assert one_wins(statuses(responses))
    p.refresh_from_db()
    assert p.status == ProblemStatus.OPEN
    assert p.history.count() == before + 1
    assert notices(p) == told + 1  # the office, as addressee, once


def test_resolve_and_reopen_at_once_leave_one(d):
    p = problem(d)
    actions_problems.answer_problem(p, by=d.user("office"), text="已协调")
    p.refresh_from_db()
    before = p.history.count()
    clients = [api_client(d.user("liaison_a")), api_client(d.user("liaison_a"))]
    sends = [
        lambda: clients[0].post(f"/api/problems/{p.pk}/resolve/", {}, format="json"),
        lambda: clients[1].post(f"/api/problems/{p.pk}/reopen/", {"reason": "答复不具体"}, format="json"),
    ]
    responses = at_once(2, lambda i: sends[i]())
    codes = statuses(responses)
    assert 200 in codes and all(c in (200, 400, 409) for c in codes)
    p.refresh_from_db()
    steps = list(p.history.order_by("history_date", "history_id").values_list("status", flat=True))[before:]
    # One went through. The other either came at the same moment (refused: it did not see the first) or
    # loaded the problem after the first and is a step of its own from there: never two from one state.
    assert len(steps) == codes.count(200)
    assert steps[-1] == p.status
    if len(steps) == 2:
        assert set(steps) == {ProblemStatus.RESOLVED, ProblemStatus.OPEN}


def test_answer_on_the_page_twice_at_once_answers_once(d):
    p = problem(d)
    url = reverse("dispatch:problem-step", args=[p.pk, "answer"])
    clients = [page_client(d.user("office")) for _ in range(2)]
    responses = at_once(2, lambda i: clients[i].post(url, {"text": "已协调"}))
    codes = statuses(responses)
    assert codes[0] == 302 and codes[1] in (400, 409)
    assert p.answers.count() == 1


def test_three_escalation_sweeps_at_once_escalate_once(d):
    p = problem(d)
    told = notices(p)
    now = datetime.datetime(2026, 3, 12, 9, tzinfo=datetime.UTC)
    counts = at_once(3, lambda i: actions_problems.escalate_overdue(now))
    assert sorted(counts) == [0, 0, 1]
    p.refresh_from_db()
    assert p.escalated_at is not None
    assert notices(p) == told + 2  # the office and the task's leader, once each


# dispatch meetings


@pytest.fixture
def meeting(d) -> Meeting:
    return actions_meetings.create_meeting(
        by=d.user("office"), plan=d.plan, date=D(2026, 4, 2), title="一季度重点工作调度会", chair=d.leader
    )


def test_three_minutes_at_once_are_recorded_once(d, meeting):
    before = meeting.history.count()
    responses = post_all(
        d, "office", f"/api/meetings/{meeting.pk}/minutes/", {"minutes": "会议议定三项事项。"}
    )
    assert one_wins(statuses(responses))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.minutes == "会议议定三项事项。"
    assert meeting.history.count() == before + 1
    for loser in (r for r in responses if r.status_code == 409):
        assert "saved this meeting's minutes a moment ago" in loser.json()["detail"]


def test_two_people_saving_different_minutes_at_once_do_not_overwrite_each_other(d, meeting):
    clients = [api_client(d.user("office")), api_client(d.user("office"))]
    responses = at_once(
        2,
        lambda i: clients[i].post(
            f"/api/meetings/{meeting.pk}/minutes/", {"minutes": f"纪要{i}"}, format="json"
        ),
    )
    assert one_wins(statuses(responses))
    winner = next(i for i, r in enumerate(responses) if r.status_code == 200)
    meeting.refresh_from_db()
    assert meeting.minutes == f"纪要{winner}"


def decision_body(d, text: str = "加快推进项目用地报批") -> dict:
    return {"text": text, "lead_unit": d.unit_a.pk, "deadline": "2026-04-30", "kind": "task"}


def test_a_decision_sent_three_times_at_once_becomes_one_task(d, meeting):
    tasks_before = Task.objects.count()
    responses = post_all(d, "office", f"/api/meetings/{meeting.pk}/decisions/", decision_body(d))
    assert one_wins(statuses(responses), won=201)
    assert Decision.objects.filter(meeting=meeting).count() == 1
    assert Task.objects.count() == tasks_before + 1
    for loser in (r for r in responses if r.status_code == 409):
        assert "This decision has already been recorded as No. 1." in loser.json()["detail"]


def test_three_different_decisions_at_once_get_their_own_numbers_and_tasks(d, meeting):
    clients = [api_client(d.user("office")) for _ in range(3)]
    responses = at_once(
        3,
        lambda i: clients[i].post(
            f"/api/meetings/{meeting.pk}/decisions/", decision_body(d, f"议定事项{i}"), format="json"
        ),
    )
    assert statuses(responses) == [201, 201, 201]
    decisions = Decision.objects.filter(meeting=meeting)
    assert sorted(decisions.values_list("seq", flat=True)) == [1, 2, 3]
    assert len({dec.created_task.code for dec in decisions}) == 3


def test_a_decision_double_clicked_on_the_page_is_recorded_once(d, meeting):
    url = reverse("dispatch:meeting-decision", args=[meeting.pk])
    clients = [page_client(d.user("office")) for _ in range(2)]
    body = {**decision_body(d), "co_units": []}
    responses = at_once(2, lambda i: clients[i].post(url, body))
    codes = statuses(responses)
    assert codes == [302, 409]
    assert (
        "This decision has already been recorded as No. 1."
        in next(r for r in responses if r.status_code == 409).content.decode()
    )
    assert Decision.objects.filter(meeting=meeting).count() == 1


def test_resolve_and_reopen_from_the_same_page_at_once_leave_one(d):
    """Both people looked at the answered problem: one resolves, the other reopens. Exactly one goes through,
    the other is told what happened instead of undoing it unseen."""
    p = problem(d)
    actions_problems.answer_problem(p, by=d.user("office"), text="已协调")
    seen = [Problem.objects.get(pk=p.pk), Problem.objects.get(pk=p.pk)]
    before = p.history.count()
    steps = [
        lambda: actions_problems.resolve_problem(seen[0], by=d.user("liaison_a")),
        lambda: actions_problems.reopen_problem(seen[1], by=d.user("office"), reason="答复不具体"),
    ]
    results = at_once(2, lambda i: steps[i]())
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], Conflict)
    assert p.history.count() == before + 1

"""Problems and dispatch meetings, each step sent several times at once: exactly one wins, the others are
refused (409 with a message, or 400 when they already saw the new state); history, answers, notifications,
escalations, minutes and decisions (with their tasks) happen once. Several races share a test (see
test_races_reports)."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.race import api_client, at_once, each_once, losers_say, one_wins, page_client, post_all, statuses
from tongtui.core.errors import Conflict
from tongtui.dispatch import actions_meetings, actions_problems
from tongtui.dispatch.models import Decision, Meeting, MeetingStatus, Notification, Problem, ProblemStatus
from tongtui.plans.models import Task

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date


def problem(d, title="用地指标不足") -> Problem:
    return actions_problems.raise_problem(
        d.task_a, by=d.user("liaison_a"), title=title, addressed_to="office", answer_by=D(2026, 3, 10)
    )


def notices(p: Problem) -> int:
    return Notification.objects.filter(url=reverse("dispatch:problem-detail", args=[p.pk])).count()


def test_every_problem_step_clicked_three_times_at_once_runs_once(d):
    office, liaison = d.user("office"), d.user("liaison_a")
    p = problem(d)
    path = f"/api/problems/{p.pk}/"

    # answer: one answer, the raising liaison and the unit's head told once each
    before, told = p.history.count(), notices(p)
    responses = post_all(office, f"{path}answer/", {"text": "已协调自然资源局"})
    assert one_wins(statuses(responses))
    p.refresh_from_db()
    assert p.status == ProblemStatus.ANSWERED and p.answers.count() == 1
    assert p.history.count() == before + 1 and notices(p) == told + 2
    losers_say(responses, "This problem has just been answered.")

    # resolve
    before = p.history.count()
    responses = post_all(liaison, f"{path}resolve/")
    assert one_wins(statuses(responses))
    p.refresh_from_db()
    assert p.status == ProblemStatus.RESOLVED and p.history.count() == before + 1
    losers_say(responses, "This problem has already been marked resolved.")

    # reopen: the office, as addressee, told once
    before, told = p.history.count(), notices(p)
    responses = post_all(liaison, f"{path}reopen/", {"reason": "仍未解决"})
    assert one_wins(statuses(responses))
    p.refresh_from_db()
    assert p.status == ProblemStatus.OPEN and p.history.count() == before + 1 and notices(p) == told + 1
    losers_say(responses, "This problem has just been reopened.")

    # the periodic escalation run three times at once: escalated once, the office and the leader told once
    late = problem(d, "资金缺口")
    told = notices(late)
    now = datetime.datetime(2026, 3, 12, 9, tzinfo=datetime.UTC)
    counts = at_once(3, lambda i: actions_problems.escalate_overdue(now))
    assert sum(counts) == 2  # the reopened problem and this one, past their dates: each escalated by one run
    late.refresh_from_db()
    assert late.escalated_at is not None and notices(late) == told + 2

    # answer double-clicked on the page
    other = problem(d, "审批流程长")
    url = reverse("dispatch:problem-step", args=[other.pk, "answer"])
    clients = [page_client(office) for _ in range(2)]
    codes = statuses(at_once(2, lambda i: clients[i].post(url, {"text": "已协调"})))
    assert codes[0] == 302 and codes[1] in (400, 409)
    assert other.answers.count() == 1

    # resolve and reopen at once, by two people who both looked at the answered problem: one goes through,
    # the other is told what happened instead of undoing it unseen
    p = other
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

    # the same through the API, where each request loads the problem itself: the later one either came at the
    # same moment (refused) or loaded it after the first and is a step of its own from there
    p.refresh_from_db()
    if p.status == ProblemStatus.RESOLVED:
        actions_problems.reopen_problem(p, by=d.user("office"), reason="再议")
    actions_problems.answer_problem(Problem.objects.get(pk=p.pk), by=d.user("office"), text="已再次协调")
    before = p.history.count()
    responses = each_once(
        (api_client(d.user("liaison_a")), "post", f"/api/problems/{p.pk}/resolve/", {}),
        (api_client(d.user("liaison_a")), "post", f"/api/problems/{p.pk}/reopen/", {"reason": "答复不具体"}),
    )
    codes = statuses(responses)
    assert 200 in codes and all(c in (200, 400, 409) for c in codes)
    p.refresh_from_db()
    steps_taken = list(p.history.order_by("history_date", "history_id").values_list("status", flat=True))[
        before:
    ]
    assert len(steps_taken) == codes.count(200) and steps_taken[-1] == p.status
    if len(steps_taken) == 2:
        assert set(steps_taken) == {ProblemStatus.RESOLVED, ProblemStatus.OPEN}


def decision_body(d, text: str = "加快推进项目用地报批") -> dict:
    return {"text": text, "lead_unit": d.unit_a.pk, "deadline": "2026-04-30", "kind": "task"}


def test_every_meeting_step_clicked_three_times_at_once_runs_once(d):
    office = d.user("office")

    def new_meeting(title: str) -> Meeting:
        return actions_meetings.create_meeting(
            by=office, plan=d.plan, date=D(2026, 4, 2), title=title, chair=d.leader
        )

    # minutes: recorded once, the meeting held
    meeting = new_meeting("一季度重点工作调度会")
    before = meeting.history.count()
    responses = post_all(office, f"/api/meetings/{meeting.pk}/minutes/", {"minutes": "会议议定三项事项。"})
    assert one_wins(statuses(responses))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.minutes == "会议议定三项事项。"
    assert meeting.history.count() == before + 1
    losers_say(responses, "saved this meeting's minutes a moment ago")

    # two people with the meeting page open save different minutes at once: one is kept, the other is told,
    # not written over it unseen
    other = new_meeting("二季度重点工作调度会")
    seen = [Meeting.objects.get(pk=other.pk), Meeting.objects.get(pk=other.pk)]
    results = at_once(2, lambda i: actions_meetings.record_minutes(seen[i], by=office, minutes=f"纪要{i}"))
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], Conflict)
    other.refresh_from_db()
    assert other.minutes == f"纪要{next(i for i, r in enumerate(results) if not isinstance(r, Exception))}"

    # one decision sent three times: one decision, one task
    tasks_before = Task.objects.count()
    responses = post_all(office, f"/api/meetings/{meeting.pk}/decisions/", decision_body(d))
    assert one_wins(statuses(responses), won=201)
    assert Decision.objects.filter(meeting=meeting).count() == 1 and Task.objects.count() == tasks_before + 1
    losers_say(responses, "This decision has already been recorded as No. 1.")

    # three different decisions at once: numbers 2, 3, 4 and a task each with its own code
    clients = [api_client(office) for _ in range(3)]
    responses = at_once(
        3,
        lambda i: clients[i].post(
            f"/api/meetings/{meeting.pk}/decisions/", decision_body(d, f"议定事项{i}"), format="json"
        ),
    )
    assert statuses(responses) == [201, 201, 201]
    decisions = Decision.objects.filter(meeting=meeting)
    assert sorted(decisions.values_list("seq", flat=True)) == [1, 2, 3, 4]
    assert len({decision.created_task.code for decision in decisions}) == 4

    # a decision double-clicked on the page: recorded once, the second click told so with 409
    url = reverse("dispatch:meeting-decision", args=[other.pk])
    clients = [page_client(office) for _ in range(2)]
    responses = at_once(2, lambda i: clients[i].post(url, {**decision_body(d), "co_units": []}))
    assert statuses(responses) == [302, 409]
    loser = next(r for r in responses if r.status_code == 409)
    assert "This decision has already been recorded as No. 1." in loser.content.decode()
    assert Decision.objects.filter(meeting=other).count() == 1

    # a planned meeting's pack rebuilt twice at once: both answer, one file is kept and none is left behind
    # (a held meeting's pack is never rebuilt)
    assert post_all(office, f"/api/meetings/{meeting.pk}/pack/", n=1)[0].status_code == 409
    meeting = new_meeting("三季度重点工作调度会")
    responses = post_all(office, f"/api/meetings/{meeting.pk}/pack/", n=2)
    assert statuses(responses) == [200, 200]
    meeting.refresh_from_db()
    folder = Path(settings.MEDIA_ROOT) / Path(meeting.pack.name).parent
    assert [p.name for p in folder.iterdir()] == [Path(meeting.pack.name).name]

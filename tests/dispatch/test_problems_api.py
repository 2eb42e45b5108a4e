"""Problems through the API: same scope and rules as the pages."""

import datetime

import pytest
from rest_framework.test import APIClient

from tests.dispatch.conftest import MARCH
from tongtui.dispatch import actions, actions_problems
from tongtui.dispatch.models import ProblemStatus

D = datetime.date


def api(d, who) -> APIClient:
    c = APIClient()
    if who != "anonymous":
        c.force_authenticate(d.user(who))
    return c


def problem(d, **kw):
    kw.setdefault("addressed_to", "leader")
    return actions_problems.raise_problem(
        d.task_a, by=d.user("liaison_a"), title="项目用地指标不足", answer_by=D(2026, 4, 10), **kw
    )


@pytest.mark.parametrize("who", ["office", "leader", "head_a", "liaison_a"])
def test_insiders_read_the_problem(d, who):
    p = problem(d)
    response = api(d, who).get(f"/api/problems/{p.pk}/")
    assert response.status_code == 200
    assert response.json()["addressee"] == str(d.leader)


@pytest.mark.parametrize("who", ["liaison_b", "liaison_c"])
def test_outsiders_get_404(d, who):
    p = problem(d)
    c = api(d, who)
    assert c.get(f"/api/problems/{p.pk}/").status_code == 404
    assert c.post(f"/api/problems/{p.pk}/answer/", {"text": "x"}, format="json").status_code == 404
    assert c.get("/api/problems/").json()["results"] == []


def test_anonymous_is_refused(d):
    p = problem(d)
    assert api(d, "anonymous").get("/api/problems/").status_code in (401, 403)
    assert api(d, "anonymous").get(f"/api/problems/{p.pk}/").status_code in (401, 403)


def test_a_liaison_raises_a_problem_from_a_report(d):
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    response = api(d, "liaison_a").post(
        "/api/problems/",
        {"report": report.pk, "title": "资金缺口", "addressed_to": "unit", "addressed_unit": d.unit_b.pk,
         "answer_by": "2026-04-30"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["task"] == d.task_a.pk and body["report"] == report.pk and body["unit"] == d.unit_a.pk


def test_an_outsider_cannot_raise_on_a_task_it_cannot_see(d):
    response = api(d, "liaison_b").post(
        "/api/problems/",
        {"task": d.task_a.pk, "title": "x", "addressed_to": "office", "answer_by": "2026-04-30"},
        format="json",
    )
    assert response.status_code == 400
    assert "task" in response.json()


def test_the_leader_answers_and_the_raiser_resolves_and_reopens(d):
    p = problem(d)
    answered = api(d, "leader").post(f"/api/problems/{p.pk}/answer/", {"text": "已协调"}, format="json")
    assert answered.status_code == 200
    assert answered.json()["status"] == ProblemStatus.ANSWERED
    assert answered.json()["answers"][0]["answered_by"] == "leader"
    assert api(d, "liaison_a").post(f"/api/problems/{p.pk}/resolve/", {}, format="json").json()["status"] == (
        ProblemStatus.RESOLVED
    )
    reopened = api(d, "liaison_a").post(
        f"/api/problems/{p.pk}/reopen/", {"reason": "没解决", "answer_by": "2026-05-20"}, format="json"
    )
    assert reopened.status_code == 200
    assert reopened.json()["status"] == ProblemStatus.OPEN and reopened.json()["answer_by"] == "2026-05-20"


def test_an_insider_who_may_not_answer_gets_403(d):
    p = problem(d)
    response = api(d, "head_a").post(f"/api/problems/{p.pk}/answer/", {"text": "x"}, format="json")
    assert response.status_code == 403


def test_the_list_has_boxes_and_the_html_filters(d):
    p = problem(d)
    q = problem(d, addressed_to="unit", addressed_unit=d.unit_b)
    actions_problems.answer_problem(q, by=d.user("liaison_b"), text="收到")
    leader = api(d, "leader")
    assert [r["id"] for r in leader.get("/api/problems/?box=to_me").json()["results"]] == [p.pk]
    assert [r["id"] for r in api(d, "liaison_b").get("/api/problems/?box=to_me").json()["results"]] == [q.pk]
    assert [r["id"] for r in leader.get("/api/problems/?status=answered").json()["results"]] == [q.pk]
    assert [r["id"] for r in leader.get(f"/api/problems/?unit={d.unit_b.pk}").json()["results"]] == [q.pk]

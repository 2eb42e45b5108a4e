"""Problem pages for the whole cast: list tabs and filters, raising from a task or a report, answer/resolve/reopen."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.dispatch.conftest import MARCH
from tongtui.dispatch import actions, actions_problems
from tongtui.dispatch.models import Problem, ProblemStatus

D = datetime.date
INSIDERS = ["office", "leader", "head_a", "liaison_a"]
OUTSIDERS = ["liaison_b", "liaison_c"]


def client(d, who) -> Client:
    c = Client()
    if who != "anonymous":
        c.force_login(d.user(who))
    return c


def problem(d, **kw):
    kw.setdefault("addressed_to", "leader")
    return actions_problems.raise_problem(
        d.task_a, by=d.user("liaison_a"), title="项目用地指标不足", answer_by=D(2026, 4, 10), **kw
    )


def assert_login_page(response):
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", INSIDERS)
def test_insiders_see_the_problem_page(d, who):
    p = problem(d)
    response = client(d, who).get(reverse("dispatch:problem-detail", args=[p.pk]))
    assert response.status_code == 200
    assert "项目用地指标不足".encode() in response.content


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_on_the_problem_page(d, who):
    p = problem(d)
    assert client(d, who).get(reverse("dispatch:problem-detail", args=[p.pk])).status_code == 404
    response = client(d, who).post(reverse("dispatch:problem-step", args=[p.pk, "answer"]), {"text": "x"})
    assert response.status_code == 404


def test_anonymous_gets_the_login_page(d):
    p = problem(d)
    for url in (
        reverse("dispatch:problem-list"),
        reverse("dispatch:problem-detail", args=[p.pk]),
        reverse("dispatch:problem-new") + f"?task={d.task_a.pk}",
    ):
        assert_login_page(client(d, "anonymous").get(url))


def test_the_list_shows_my_units_problems_and_hides_others(d):
    p = problem(d)
    mine = client(d, "liaison_a").get(reverse("dispatch:problem-list") + "?tab=mine")
    assert f'data-problem="{p.pk}"'.encode() in mine.content
    other = client(d, "liaison_b").get(reverse("dispatch:problem-list") + "?tab=mine")
    assert f'data-problem="{p.pk}"'.encode() not in other.content
    assert b'id="no-problems"' in other.content


def test_addressed_to_me_lists_what_the_leader_must_answer(d):
    p = problem(d)
    response = client(d, "leader").get(reverse("dispatch:problem-list") + "?tab=to_me")
    assert f'data-problem="{p.pk}"'.encode() in response.content
    assert (
        f'data-problem="{p.pk}"'.encode()
        not in client(d, "head_a").get(reverse("dispatch:problem-list") + "?tab=to_me").content
    )


def test_all_is_every_problem_for_the_office_and_what_a_unit_may_see_for_a_unit(d):
    p = problem(d, addressed_to="unit", addressed_unit=d.unit_b)
    other = actions_problems.raise_problem(
        d.task_c, by=d.user("office"), title="财政问题", addressed_to="office", answer_by=D(2026, 4, 1)
    )
    unit_view = client(d, "liaison_b").get(reverse("dispatch:problem-list") + "?tab=all")
    assert list(unit_view.context["page"].object_list) == [p]
    everything = client(d, "office").get(reverse("dispatch:problem-list"))
    assert everything.context["tab"] == "all"
    assert set(everything.context["page"].object_list) == {p, other}


def test_a_leader_starts_on_what_is_addressed_to_them(d):
    assert client(d, "leader").get(reverse("dispatch:problem-list")).context["tab"] == "to_me"


def test_the_list_filters_by_status_and_overdue(d):
    old = problem(d)
    answered = problem(d)
    actions_problems.answer_problem(answered, by=d.user("leader"), text="已答复")
    c = client(d, "office")
    by_status = c.get(reverse("dispatch:problem-list") + "?tab=all&status=answered")
    assert list(by_status.context["page"].object_list) == [answered]
    overdue = c.get(reverse("dispatch:problem-list") + "?tab=all&overdue=true")
    assert set(overdue.context["page"].object_list) == {old, answered}


def test_a_liaison_raises_a_problem_from_the_task(d):
    c = client(d, "liaison_a")
    url = reverse("dispatch:problem-new") + f"?task={d.task_a.pk}"
    assert c.get(url).status_code == 200
    response = c.post(
        reverse("dispatch:problem-new"),
        {"task": d.task_a.pk, "title": "资金缺口", "addressed_to": "office", "answer_by": "2026-04-30"},
    )
    created = Problem.objects.get(title="资金缺口")
    assert response.status_code == 302 and response.url == reverse(
        "dispatch:problem-detail", args=[created.pk]
    )
    assert created.unit == d.unit_a and created.addressed_to == "office"


def test_raising_from_a_report_prefills_its_problems_and_links_it(d):
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    actions.save_draft(report, by=d.user("liaison_a"), version=report.version, problems="征地拆迁进度慢")
    c = client(d, "liaison_a")
    page = c.get(reverse("dispatch:problem-new") + f"?report={report.pk}")
    assert page.context["form"].initial["title"] == "征地拆迁进度慢"
    c.post(
        reverse("dispatch:problem-new"),
        {"report": report.pk, "title": "征地拆迁进度慢", "addressed_to": "leader", "answer_by": "2026-04-30"},
    )
    assert Problem.objects.get().report == report
    detail = c.get(reverse("dispatch:report-detail", args=[report.pk]))
    assert b'id="raise-problem-link"' in detail.content


def test_the_form_refuses_a_unit_problem_without_the_unit(d):
    response = client(d, "liaison_a").post(
        reverse("dispatch:problem-new"),
        {"task": d.task_a.pk, "title": "x", "addressed_to": "unit", "answer_by": "2026-04-30"},
    )
    assert response.status_code == 400
    assert not Problem.objects.exists()


@pytest.mark.parametrize("who", ["liaison_b", "leader"])
def test_who_cannot_raise_on_the_task_gets_404(d, who):
    response = client(d, who).get(reverse("dispatch:problem-new") + f"?task={d.task_a.pk}")
    assert response.status_code == 404


def test_the_leader_answers_on_the_page(d):
    p = problem(d)
    c = client(d, "leader")
    page = c.get(reverse("dispatch:problem-detail", args=[p.pk]))
    assert b'id="answer-form"' in page.content and b'id="resolve"' not in page.content
    response = c.post(reverse("dispatch:problem-step", args=[p.pk, "answer"]), {"text": "下周协调"})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == ProblemStatus.ANSWERED
    assert "下周协调".encode() in c.get(reverse("dispatch:problem-detail", args=[p.pk])).content


def test_the_raiser_cannot_answer_and_is_told_why(d):
    p = problem(d)
    page = client(d, "liaison_a").get(reverse("dispatch:problem-detail", args=[p.pk]))
    assert b'id="answer-form"' not in page.content
    response = client(d, "liaison_a").post(
        reverse("dispatch:problem-step", args=[p.pk, "answer"]), {"text": "x"}
    )
    assert response.status_code == 403


def test_the_raiser_resolves_then_reopens_on_the_page(d):
    p = problem(d)
    c = client(d, "head_a")
    assert c.post(reverse("dispatch:problem-step", args=[p.pk, "resolve"])).status_code == 302
    p.refresh_from_db()
    assert p.status == ProblemStatus.RESOLVED
    bad = c.post(reverse("dispatch:problem-step", args=[p.pk, "reopen"]), {"reason": ""})
    assert bad.status_code == 400
    ok = c.post(
        reverse("dispatch:problem-step", args=[p.pk, "reopen"]),
        {"reason": "未落实", "answer_by": "2026-05-08"},
    )
    assert ok.status_code == 302
    p.refresh_from_db()
    assert p.status == ProblemStatus.OPEN and p.answer_by == D(2026, 5, 8)


def test_an_unknown_step_is_404(d):
    p = problem(d)
    assert (
        client(d, "office").post(reverse("dispatch:problem-step", args=[p.pk, "delete"])).status_code == 404
    )


def _queries(c, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url", ["/problems/?tab=all", "/api/problems/"])
def test_the_problem_list_takes_the_same_queries_for_1_or_6_problems(d, url):
    from rest_framework.test import APIClient

    c = client(d, "office") if not url.startswith("/api/") else APIClient()
    if url.startswith("/api/"):
        c.force_authenticate(d.user("office"))
    first = problem(d)
    actions_problems.answer_problem(first, by=d.user("leader"), text="已答复")
    one = _queries(c, url)
    for _ in range(5):
        p = problem(d, addressed_to="unit", addressed_unit=d.unit_b)
        actions_problems.answer_problem(p, by=d.user("liaison_b"), text="收到")
    assert _queries(c, url) == one


def _panel(d, who):
    from django.template import Context, Template

    html = Template('{% include "dispatch/problems_task_panel.html" %}').render(
        Context({"task": d.task_a, "user": d.user(who)})
    )
    return html


def test_the_task_panel_offers_raising_to_the_tasks_units_and_counts_open_problems(d):
    problem(d)
    html = _panel(d, "liaison_a")
    assert 'id="task-raise-problem"' in html and "(1)" in html
    leader = _panel(d, "leader")
    assert 'id="task-raise-problem"' not in leader and "(1)" in leader


def test_the_report_page_offers_raising_only_to_who_may_raise(d):
    report = actions.start_or_get_draft(d.task_a, MARCH, by=d.user("liaison_a"))
    url = reverse("dispatch:report-detail", args=[report.pk])
    assert b'id="raise-problem-link"' in client(d, "liaison_a").get(url).content
    assert b'id="raise-problem-link"' not in client(d, "leader").get(url).content

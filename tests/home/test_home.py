"""Each role's home: what waits for the person, each count a link to the list behind it, a fixed number of
queries whatever the number of tasks, and nothing of another unit's."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tongtui.plans import actions as plan_actions
from tongtui.plans.models import Task

URL = "/"


def english(user) -> Client:
    c = Client()
    c.force_login(user)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


def get(cast, who) -> tuple[str, dict]:
    with translation.override("en"):
        response = english(cast.user(who)).get(URL)
    assert response.status_code == 200
    return response.content.decode(), response.context


def piles(context) -> dict:
    return {p.key: p for s in context["home"].sections for p in s.piles}


def test_anonymous_is_sent_to_log_in(cast):
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_liaison_sees_a_returned_report_first_with_its_deadline_in_working_days(h, returned):
    html, context = get(h, "liaison_a")
    reports = piles(context)["reports"]
    assert reports.count >= 1
    assert reports.items[0].tag == "Returned"
    assert reports.items[0].url == f"/reports/{returned.pk}/"
    assert "working days overdue" in html
    assert 'id="pile-reports"' in html


def test_a_liaison_sees_tasks_to_acknowledge_and_orders_and_chases_to_answer(h, orders):
    html, context = get(h, "liaison_a")
    mine = piles(context)
    assert mine["acknowledge"].count == 1  # task A, as lead unit
    assert mine["orders"].count == 1 and mine["orders"].urgent == 1
    assert mine["chases"].count == 1
    assert [s.key for s in context["home"].sections] == ["liaison"]
    # each count is a plain link to the list behind it
    assert re.search(r'href="/acknowledge/"[^>]*data-count="1"', html)
    assert 'href="/supervision/orders/?state=open"' in html


def test_a_co_unit_is_asked_for_its_contribution(h):
    from django.contrib.auth import get_user_model

    from tongtui.orgs.models import Membership, Person, Role

    user = get_user_model().objects.create_user("liaison_c", password="x")
    Membership.objects.create(person=Person.objects.create(user=user, name="钱联络", unit=h.unit_c),
                              unit=h.unit_c, role=Role.LIAISON)  # fmt: skip
    c = Client()
    c.force_login(user)
    response = c.get(URL)
    mine = piles(response.context)
    assert mine["contributions"].count >= 1  # unit C is a co-unit of task A
    assert all("1 " in i.label for i in mine["contributions"].items)


def test_an_outsider_unit_sees_nothing_of_unit_as_work(h, orders, returned):
    _html, context = get(h, "liaison_b")
    mine = piles(context)
    assert mine["reports"].count == 0
    assert mine["acknowledge"].count == 0
    assert mine["orders"].count == 0 and mine["chases"].count == 0


def test_a_unit_head_sees_reports_to_sign_off_red_and_yellow_tasks_and_the_on_time_rate(h, submitted, lights):
    html, context = get(h, "head_a")
    mine = piles(context)
    assert mine["sign_off"].count == 1
    assert mine["lights"].count == 1  # task A is red; task C (yellow) is unit C's
    assert mine["lights"].rows[0]["url"] == f"/tasks/?plan={h.plan.pk}&lead_unit={h.unit_a.pk}&light=red"
    section = next(s for s in context["home"].sections if s.key == "unit_head")
    assert section.rates[0]["filed"] == 1 and section.rates[0]["rate"] == 0
    assert 'id="pile-on-time"' in html


def test_the_office_sees_the_review_queue_late_reports_flags_deadlines_and_requests(h, orders):
    html, context = get(h, "office")
    mine = piles(context)
    assert set(mine) == {"review", "late_reports", "flags", "past_deadline", "requests", "instructions_overdue",
                         "coordination_overdue"}
    assert mine["past_deadline"].count == 1  # the order; the chase is not due yet
    late = {r["unit"]: r for r in mine["late_reports"].rows}
    assert late["区发改局"]["count"] >= 10  # no report filed since January
    assert late["区发改局"]["url"] == f"/tasks/?plan={h.plan.pk}&lead_unit={h.unit_a.pk}"
    assert mine["past_deadline"].rows[0]["url"] == "/supervision/orders/?state=overdue"


def test_a_leader_lands_on_the_cockpit_of_their_own_tasks(h, lights):
    html, context = get(h, "leader")
    cockpit = context["home"].cockpit
    assert cockpit is not None and cockpit.leader_id == h.leader.pk
    assert cockpit.exceptions == 2
    assert f"/tasks/?plan={h.plan.pk}&amp;leader={h.leader.pk}&amp;light=red" in html
    assert 'id="cockpit-data"' in html


def test_a_person_with_several_roles_sees_the_sections_of_each(h):
    from tongtui.orgs.models import Membership, Role

    Membership.objects.create(person=h.head_a, unit=h.unit_a, role=Role.LIAISON)
    _html, context = get(h, "head_a")
    sections = [s.key for s in context["home"].sections]
    assert sections == ["liaison", "unit_head"]
    keys = [p.key for s in context["home"].sections for p in s.piles]
    assert keys.count("acknowledge") == 1  # shown once, not once per role


def more_tasks(h, n):
    office = h.user("office")
    for i in range(n):
        task = Task.objects.create(plan=h.plan, code=f"9.{i}", title=f"任务{i}", category=h.category,
                                   lead_unit=h.unit_a, leader=h.leader, owner=h.owner)  # fmt: skip
        task.co_units.add(h.unit_c)
        plan_actions.assign_task(task, by=office)


# session, user, roles (with the navbar's person), current plan, the navbar's unread count; then each pile's fixed queries; one for
# the featured practices (publicity), two for collaboration's piles; the leader lands on the cockpit (standing: 5);
# the office's late reports read the tasks as rows with their plan's year (one query: tasks, cycles, report keys,
# units)
QUERIES = {"liaison_a": 20, "head_a": 19, "office": 19, "leader": 23}


@pytest.mark.parametrize("who", sorted(QUERIES))
@pytest.mark.parametrize("n", [2, 12])
def test_each_home_runs_a_fixed_number_of_queries_whatever_the_number_of_tasks(
    h, lights, orders, who, n, django_assert_num_queries
):
    more_tasks(h, n)
    c = Client()
    c.force_login(h.user(who))
    c.get(URL)
    with django_assert_num_queries(QUERIES[who]):
        assert c.get(URL).status_code == 200

"""Requests about a task through the API: the task's read scope, the same rules as the pages, the schema."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tongtui.dispatch import actions_requests as requests
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import ChangeRequest, CoUnit, Milestone, RequestStatus, Task

URL = "/api/change-requests/"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def api(d, who) -> APIClient:
    c = APIClient()
    if who != "anonymous":
        c.force_authenticate(d.user(who))
    return c


@pytest.fixture
def r(d):
    Task.objects.filter(pk=d.task_a.pk).update(due=days(365))
    d.task_a.refresh_from_db()
    d.milestone = plan_actions.add_milestone(
        d.task_a, by=d.user("office"), title="完成立项", due=days(30), planned_progress=Decimal(30)
    )
    return d


def dispute(r) -> ChangeRequest:
    return requests.ask_lead_change(r.task_a, by=r.user("liaison_a"), reason="不属于本单位职责")


@pytest.mark.parametrize("who", ["office", "leader", "head_a", "liaison_a", "liaison_c"])
def test_whoever_sees_the_task_reads_its_requests(r, who):
    change = dispute(r)
    c = api(r, who)
    body = c.get(f"{URL}{change.pk}/").json()
    assert (body["kind"], body["status"], body["unit"], body["asked_late"]) == (
        "lead",
        "pending",
        r.unit_a.pk,
        False,
    )
    assert [row["id"] for row in c.get(URL).json()["results"]] == [change.pk]


def test_outsiders_get_404_and_an_empty_list(r):
    change = dispute(r)
    c = api(r, "liaison_b")
    assert c.get(f"{URL}{change.pk}/").status_code == 404
    for name, body in [("approve", {}), ("refuse", {"note": "x"}), ("withdraw", {})]:
        assert c.post(f"{URL}{change.pk}/{name}/", body, format="json").status_code == 404
    assert c.get(URL).json()["results"] == []
    assert ChangeRequest.objects.get(pk=change.pk).status == RequestStatus.PENDING


def test_anonymous_is_refused(r):
    change = dispute(r)
    assert api(r, "anonymous").get(URL).status_code in (401, 403)
    assert api(r, "anonymous").get(f"{URL}{change.pk}/").status_code in (401, 403)


def test_the_list_filters_by_status_kind_task_and_unit(r):
    change = dispute(r)
    c = api(r, "office")
    assert [x["id"] for x in c.get(URL + "?status=pending&kind=lead").json()["results"]] == [change.pk]
    assert c.get(URL + "?kind=extension").json()["results"] == []
    assert c.get(URL + f"?task={r.task_c.pk}").json()["results"] == []
    assert [x["id"] for x in c.get(URL + f"?unit={r.unit_a.pk}").json()["results"]] == [change.pk]


def test_the_lead_unit_asks_and_the_office_approves_a_milestone_extension(r):
    created = api(r, "liaison_a").post(
        URL,
        {
            "kind": "extension",
            "task": r.task_a.pk,
            "milestone": r.milestone.pk,
            "proposed_due": days(60).isoformat(),
            "reason": "用地审批延后",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["current_due"], body["proposed_due"]) == (days(30).isoformat(), days(60).isoformat())
    approved = api(r, "office").post(
        f"{URL}{body['id']}/approve/", {"due": days(45).isoformat()}, format="json"
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == "office"
    milestone = Milestone.objects.get(pk=r.milestone.pk)
    assert (milestone.due, milestone.original_due) == (days(45), days(30))


def test_the_office_approves_a_dispute_naming_the_lead_and_keeping_the_old_one(r):
    change = dispute(r)
    response = api(r, "office").post(
        f"{URL}{change.pk}/approve/", {"unit": r.unit_b.pk, "keep_old_as_co_unit": True}, format="json"
    )
    assert response.status_code == 200, response.json()
    task = Task.objects.get(pk=r.task_a.pk)
    assert task.lead_unit == r.unit_b
    assert CoUnit.objects.filter(task=task, unit=r.unit_a).exists()


def test_a_dispute_without_a_lead_to_name_is_400(r):
    change = dispute(r)
    response = api(r, "office").post(f"{URL}{change.pk}/approve/", {}, format="json")
    assert response.status_code == 400 and response.json()["non_field_errors"]


@pytest.mark.parametrize("who", ["liaison_c", "leader", "office"])
def test_only_the_lead_unit_asks(r, who):
    response = api(r, who).post(URL, {"kind": "lead", "task": r.task_a.pk, "reason": "x"}, format="json")
    assert response.status_code == 403
    assert not ChangeRequest.objects.exists()


def test_an_outsider_cannot_name_a_task_it_cannot_see(r):
    response = api(r, "liaison_b").post(
        URL, {"kind": "lead", "task": r.task_a.pk, "reason": "x"}, format="json"
    )
    assert response.status_code == 400 and "task" in response.json()


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "extension", "reason": "x"},  # no date
        {"kind": "lead", "reason": "x", "proposed_due": "2027-01-01"},  # a lead change has no date
        {"kind": "extension", "reason": "x", "proposed_due": "2027-01-01", "milestone": 0},
    ],
)
def test_malformed_asks_are_400(r, body):
    response = api(r, "liaison_a").post(URL, {**body, "task": r.task_a.pk}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["liaison_a", "head_a", "leader"])
def test_only_the_office_decides(r, who):
    change = dispute(r)
    c = api(r, who)
    assert c.post(f"{URL}{change.pk}/approve/", {"unit": r.unit_b.pk}, format="json").status_code == 403
    assert c.post(f"{URL}{change.pk}/refuse/", {"note": "x"}, format="json").status_code == 403


def test_refusing_needs_a_note_and_withdrawing_after_a_decision_is_400(r):
    change = dispute(r)
    office = api(r, "office")
    assert office.post(f"{URL}{change.pk}/refuse/", {}, format="json").status_code == 400
    assert office.post(f"{URL}{change.pk}/refuse/", {"note": "维持"}, format="json").status_code == 200
    assert api(r, "liaison_a").post(f"{URL}{change.pk}/withdraw/", {}, format="json").status_code == 400


def test_the_unit_withdraws(r):
    change = dispute(r)
    response = api(r, "head_a").post(f"{URL}{change.pk}/withdraw/", {"note": "已协商"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert api(r, "office").post(f"{URL}{dispute(r).pk}/withdraw/", {}, format="json").status_code == 403


def test_the_list_takes_the_same_queries_for_1_or_5_requests(r):
    c = api(r, "office")
    dispute(r)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(URL).status_code == 200
        return len(ctx)

    one = count()
    for i in range(4):
        milestone = plan_actions.add_milestone(
            r.task_a, by=r.user("office"), title=f"节点{i}", due=days(40), planned_progress=Decimal(40)
        )
        requests.ask_extension(
            r.task_a, by=r.user("head_a"), reason="x", proposed_due=days(90), milestone=milestone
        )
    assert count() == one


def test_the_schema_documents_the_endpoints():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths[URL])
    for name in ("approve", "refuse", "withdraw"):
        operation = paths[f"{URL}{{id}}/{name}/"]["post"]
        assert {"200", "400", "403", "404", "409"} <= set(operation["responses"])
        assert "requestBody" in operation

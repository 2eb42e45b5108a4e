"""The bulk API: the office assigns, sets the leader, person, category or report cycle of many tasks at once,
or downloads their ledger, with the rules of the bulk pages; everyone else is refused and nothing changes."""

import io

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tests.race import at_once, statuses
from tongtui.dispatch.models import ReportCycle
from tongtui.orgs.models import Person
from tongtui.plans import actions
from tongtui.plans.models import Category, Plan, Task, TaskStatus

BASE = "/api/bulk/tasks"
ENDPOINTS = ["assign", "set-leader", "set-owner", "set-category", "set-report-cycle", "ledger"]
NOT_OFFICE = ["leader", "head_a", "liaison_a", "liaison_b"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def api(api):
    """The API clients of the cast, asking for English: messages are checked whatever the catalogue says."""

    def client(who: str) -> APIClient:
        c = api(who)
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return c

    return client


@pytest.fixture
def drafts(cast):
    """Task 3 lacks a person; task 4 is assigned already."""
    three = Task.objects.create(plan=cast.plan, code="3", title="任务3", lead_unit=cast.unit_a, leader=cast.leader)
    four = Task.objects.create(plan=cast.plan, code="4", title="任务4", lead_unit=cast.unit_a, leader=cast.leader,
                               owner=cast.owner)
    actions.assign_task(four, by=cast.user("office"))
    return {"3": three, "4": four}


def body_for(cast, endpoint: str, **selection) -> dict:
    values = {
        "set-leader": {"leader": cast.leader.pk},
        "set-owner": {"owner": cast.owner.pk},
        "set-category": {"category": cast.category.pk},
        "set-report-cycle": {"cycle": {"frequency": "monthly", "due_kind": "day_of_month", "day_of_month": 25}},
    }.get(endpoint, {})
    return {**selection, **values}


def test_anonymous_callers_get_401(cast, api):
    for endpoint in ENDPOINTS:
        response = api("anonymous").post(f"{BASE}/{endpoint}/", {"tasks": [cast.task_a.pk]}, format="json")
        assert response.status_code == 401, endpoint


@pytest.mark.parametrize("who", NOT_OFFICE)
def test_everyone_but_the_office_gets_403_and_changes_nothing(cast, api, who):
    for endpoint in ENDPOINTS:
        for selection in ({"tasks": [cast.task_a.pk]}, {"filter": {"plan": cast.plan.pk}}):
            response = api(who).post(f"{BASE}/{endpoint}/", body_for(cast, endpoint, **selection), format="json")
            assert response.status_code == 403, (endpoint, response.content)
    task = Task.objects.get(pk=cast.task_a.pk)
    assert (task.status, task.history.count()) == (TaskStatus.DRAFT, 1)
    assert not ReportCycle.objects.exists()


def test_an_outsider_learns_nothing_about_a_task_it_cannot_see(cast, api):
    seen = api("liaison_b").post(f"{BASE}/assign/", {"tasks": [cast.task_a.pk]}, format="json")
    missing = api("liaison_b").post(f"{BASE}/assign/", {"tasks": [999999]}, format="json")
    assert (seen.status_code, seen.json()) == (missing.status_code, missing.json())


def test_the_office_assigns_by_ids_and_hears_what_was_refused(cast, api, drafts):
    ids = [cast.task_a.pk, cast.task_c.pk, drafts["3"].pk, drafts["4"].pk]
    response = api("office").post(f"{BASE}/assign/", {"tasks": ids, "reason": "集中交办"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["operation"] == "assign" and body["dry_run"] is False and body["selected"] == 4
    assert body["done"] == [cast.task_a.pk, cast.task_c.pk]
    assert body["refused"] == [
        {"task": drafts["3"].pk, "code": "3", "status": "draft", "reason": "lacks responsible person"},
        {"task": drafts["4"].pk, "code": "4", "status": "assigned", "reason": "not in draft, it is “Assigned”"},
    ]
    task = Task.objects.get(pk=cast.task_a.pk)
    assert task.status == TaskStatus.ASSIGNED
    assert task.history.first().history_user == cast.user("office")
    assert task.history.first().history_change_reason == "集中交办"


def test_a_dry_run_says_the_same_and_writes_nothing(cast, api, drafts):
    ids = [cast.task_a.pk, drafts["3"].pk]
    dry = api("office").post(f"{BASE}/assign/", {"tasks": ids, "dry_run": True}, format="json").json()
    assert dry["dry_run"] is True and dry["done"] == [cast.task_a.pk]
    assert Task.objects.get(pk=cast.task_a.pk).status == TaskStatus.DRAFT
    real = api("office").post(f"{BASE}/assign/", {"tasks": ids}, format="json").json()
    assert {k: v for k, v in real.items() if k != "dry_run"} == {k: v for k, v in dry.items() if k != "dry_run"}


def test_a_filter_selects_every_matching_task_on_the_server(cast, api, drafts):
    other = Plan.objects.create(year=2027, title="2027")
    Task.objects.create(plan=other, code="1", title="明年", lead_unit=cast.unit_a, leader=cast.leader,
                        owner=cast.owner)
    body = {"filter": {"plan": cast.plan.pk, "status": ["draft"], "unit": cast.unit_a.pk}}
    response = api("office").post(f"{BASE}/assign/", body, format="json").json()
    assert response["selected"] == 2  # tasks 1 and 3 (2 is unit C's, 4 assigned, the other year's left out)
    assert response["done"] == [cast.task_a.pk]


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "non_field_errors"),
        ({"tasks": [1], "filter": {}}, "non_field_errors"),
        ({"tasks": []}, "tasks"),
        ({"tasks": ["1"]}, "tasks"),
        ({"tasks": [999999]}, "tasks"),
        ({"filter": {"unit": 999999}}, "filter"),
        ({"filter": {"status": ["unknown"]}}, "filter"),
        ({"filter": {"top_level": "yes"}}, "filter"),
        ({"tasks": [1], "dry_run": "true"}, "dry_run"),
    ],
)
def test_a_selection_it_cannot_read_is_refused_with_400(cast, api, body, field):
    response = api("office").post(f"{BASE}/assign/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Task.objects.filter(status=TaskStatus.ASSIGNED).exists()


def test_the_person_leader_and_category_are_set_for_open_tasks(cast, api, drafts):
    office = api("office")
    person = Person.objects.create(name="孙责任", unit=cast.unit_a)
    response = office.post(f"{BASE}/set-owner/", {"tasks": [drafts["3"].pk], "owner": person.pk}, format="json")
    assert response.json()["done"] == [drafts["3"].pk]
    assert Task.objects.get(pk=drafts["3"].pk).owner == person
    assert office.post(f"{BASE}/assign/", {"tasks": [drafts["3"].pk]}, format="json").json()["done"] == [
        drafts["3"].pk
    ]
    response = office.post(
        f"{BASE}/set-leader/", {"filter": {"plan": cast.plan.pk}, "leader": cast.head_a.pk}, format="json"
    ).json()
    assert len(response["done"]) == 4
    ours = Category.objects.create(plan=cast.plan, name="民生保障")
    theirs = Category.objects.create(plan=Plan.objects.create(year=2027, title="2027"), name="民生保障")
    ok = office.post(f"{BASE}/set-category/", {"tasks": [cast.task_a.pk], "category": ours.pk}, format="json")
    assert ok.json()["done"] == [cast.task_a.pk]
    wrong = office.post(f"{BASE}/set-category/", {"tasks": [cast.task_a.pk], "category": theirs.pk}, format="json")
    assert wrong.status_code == 200 and wrong.json()["done"] == []
    assert "another plan year" in wrong.json()["refused"][0]["reason"]
    assert Task.objects.get(pk=cast.task_a.pk).category == ours


def test_closed_and_cancelled_tasks_are_refused_and_the_unchanged_listed(cast, api, drafts):
    actions.cancel_task(drafts["4"], by=cast.user("office"), reason="撤销")
    body = {"tasks": [cast.task_a.pk, drafts["4"].pk], "leader": cast.leader.pk}
    response = api("office").post(f"{BASE}/set-leader/", body, format="json").json()
    assert response["unchanged"] == [cast.task_a.pk]
    assert response["refused"][0]["task"] == drafts["4"].pk and response["refused"][0]["status"] == "cancelled"


def test_a_report_cycle_of_their_own(cast, api):
    office = api("office")
    ids = [cast.task_a.pk, cast.task_c.pk]
    rule = {"frequency": "weekly", "due_kind": "weekday", "weekday": 4}
    response = office.post(f"{BASE}/set-report-cycle/", {"tasks": ids, "cycle": rule}, format="json")
    assert response.status_code == 200 and response.json()["done"] == ids
    assert set(ReportCycle.objects.values_list("task_id", "frequency", "weekday")) == {
        (cast.task_a.pk, "weekly", 4),
        (cast.task_c.pk, "weekly", 4),
    }
    again = office.post(f"{BASE}/set-report-cycle/", {"tasks": ids, "cycle": rule}, format="json").json()
    assert again["unchanged"] == ids


def test_a_report_cycle_whose_rule_does_not_fit_is_refused_also_in_a_dry_run(cast, api):
    rule = {"frequency": "weekly", "due_kind": "day_of_month", "day_of_month": 5}
    for dry_run in (True, False):
        body = {"tasks": [cast.task_a.pk], "cycle": rule, "dry_run": dry_run}
        response = api("office").post(f"{BASE}/set-report-cycle/", body, format="json")
        assert response.status_code == 400 and "due_kind" in response.json()
    assert not ReportCycle.objects.exists()


def test_the_ledger_of_a_selection(cast, api):
    response = api("office").post(f"{BASE}/ledger/", {"tasks": [cast.task_c.pk]}, format="json")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "一般公共预算收入增长5%" in cells and "地区生产总值增长6%左右" not in cells
    other = Task.objects.create(plan=Plan.objects.create(year=2027, title="2027"), code="1", title="明年")
    two_years = api("office").post(f"{BASE}/ledger/", {"tasks": [cast.task_a.pk, other.pk]}, format="json")
    assert two_years.status_code == 400


def test_the_schema_documents_the_bulk_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for endpoint in ENDPOINTS:
        operation = schema["paths"][f"{BASE}/{endpoint}/"]["post"]
        assert {"200", "400", "401", "403"} <= set(operation["responses"]), endpoint
        assert "requestBody" in operation
    assert "409" in schema["paths"][f"{BASE}/assign/"]["post"]["responses"]
    outcome = schema["components"]["schemas"]["Outcome"]["properties"]
    assert set(outcome) == {"operation", "dry_run", "selected", "done", "unchanged", "refused"}


@pytest.mark.django_db(transaction=True)
def test_two_bulk_assigns_at_once_assign_each_task_once(cast, settings):  # noqa: F811
    from rest_framework.authtoken.models import Token

    settings.SUPERVISION_LIGHTS_ON_CHANGE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    extra = [Task.objects.create(plan=cast.plan, code=str(i), title=f"任务{i}", lead_unit=cast.unit_a,
                                 leader=cast.leader, owner=cast.owner) for i in range(3, 9)]
    everyone = [cast.task_a.pk, cast.task_c.pk, *(t.pk for t in extra)]
    token = Token.objects.create(user=cast.user("office")).key
    selections = [everyone[:5], everyone[2:]]

    def send(i: int):
        c = APIClient()
        c.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return c.post(f"{BASE}/assign/", {"tasks": selections[i]}, format="json")

    responses = at_once(2, send)
    assert statuses(responses) == [200, 200]
    done = sorted(pk for r in responses for pk in r.json()["done"])
    assert done == sorted(everyone)
    assert sorted(Task.objects.values_list("assignment_no", flat=True)) == list(range(1, len(everyone) + 1))

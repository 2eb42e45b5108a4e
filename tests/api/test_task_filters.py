"""The task endpoint filters with the HTML list's FilterSet, orders by code, due date or progress, and pages."""

import datetime
from decimal import Decimal

import pytest
from django.http import QueryDict
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from tongtui.api.filters import FilterBackend, asked_for, asked_only
from tongtui.orgs.models import Person
from tongtui.plans.access import tasks_visible_to
from tongtui.plans.api import TaskViewSet
from tongtui.plans.filters import TaskFilter
from tongtui.plans.models import Category, CoUnit, Task, TaskStatus


@pytest.fixture
def spread(cast):
    """Tasks across two categories, three lead units, two leaders and several states."""
    livelihood = Category.objects.create(plan=cast.plan, name="民生保障", order=2)
    deputy = Person.objects.create(name="刘副区长", unit=cast.district, title="副区长")
    rows = [
        ("3", "老旧小区改造", livelihood, cast.unit_b, deputy, TaskStatus.ASSIGNED, "2026-09-30", 30),
        ("4", "新建幼儿园2所", livelihood, cast.unit_a, deputy, TaskStatus.IN_PROGRESS, "2026-08-31", 55),
        (
            "5",
            "产业园区标准厂房",
            cast.category,
            cast.unit_c,
            cast.leader,
            TaskStatus.IN_PROGRESS,
            "2026-06-30",
            80,
        ),
        (
            "6",
            "城关街道背街小巷整治",
            livelihood,
            cast.unit_b,
            cast.leader,
            TaskStatus.CLOSED,
            "2026-05-31",
            100,
        ),
    ]
    for code, title, category, lead, leader, status, due, progress in rows:
        task = Task.objects.create(
            plan=cast.plan,
            code=code,
            title=title,
            category=category,
            lead_unit=lead,
            leader=leader,
            owner=cast.owner,
            status=status,
            due=datetime.date.fromisoformat(due),
            progress=Decimal(progress),
        )
        if code == "3":
            CoUnit.objects.create(task=task, unit=cast.unit_a)
    return {"livelihood": livelihood, "deputy": deputy}


def filter_cases(cast, spread) -> list[str]:
    return [
        f"category={spread['livelihood'].pk}",
        f"category={cast.category.pk}",
        f"unit={cast.unit_a.pk}",
        f"unit={cast.unit_c.pk}",
        f"lead_unit={cast.unit_b.pk}",
        f"leader={spread['deputy'].pk}",
        "status=in_progress",
        "status=in_progress&status=closed",
        "q=小区",
        "q=城关 整治",
        "q=区发改局",
        f"category={spread['livelihood'].pk}&unit={cast.unit_a.pk}&status=assigned",
        "due_before=2026-07-31",
    ]


@pytest.mark.parametrize("who", ["office", "liaison_a", "liaison_b"])
def test_every_filter_gives_what_the_html_filterset_gives(cast, spread, api, who):
    client = api(who)
    seen_results = set()
    for params in filter_cases(cast, spread):
        expected = TaskFilter(QueryDict(params), queryset=tasks_visible_to(cast.user(who))).qs
        response = client.get(f"/api/tasks/?{params}&page_size=100")
        assert response.status_code == 200, (params, response.content)
        got = [row["id"] for row in response.json()["results"]]
        assert got == list(expected.values_list("pk", flat=True)), params
        seen_results.add(len(got))
    assert len(seen_results) > 1  # the cases tell tasks apart


def test_filters_narrow_the_office_list_as_expected(cast, spread, api):
    client = api("office")

    def codes(params: str) -> list[str]:
        return [row["code"] for row in client.get(f"/api/tasks/?{params}").json()["results"]]

    assert codes(f"unit={cast.unit_a.pk}") == ["1", "3", "4"]
    assert codes(f"leader={spread['deputy'].pk}") == ["3", "4"]
    assert codes("status=in_progress&status=closed") == ["4", "5", "6"]
    assert codes("q=城关 整治") == ["6"]


def test_a_bad_filter_value_is_400_naming_the_filter(cast, api):
    response = api("office").get("/api/tasks/?status=unknown&due_before=someday")
    assert response.status_code == 400
    assert set(response.json()) == {"status", "due_before"}


def test_tasks_order_by_code_due_or_progress(cast, spread, api):
    client = api("office")

    def codes(ordering: str) -> list[str]:
        return [row["code"] for row in client.get(f"/api/tasks/?ordering={ordering}").json()["results"]]

    assert codes("code") == ["1", "2", "3", "4", "5", "6"]
    assert codes("-progress")[:3] == ["6", "5", "4"]
    assert codes("due")[:3] == ["6", "5", "4"]


def test_pages_have_the_asked_size(cast, spread, api):
    body = api("office").get("/api/tasks/?page_size=4&page=2").json()
    assert body["count"] == 6
    assert [row["code"] for row in body["results"]] == ["5", "6"]
    assert body["next"] is None and "page_size=4" in body["previous"]


def test_a_page_past_the_end_is_404(cast, api):
    assert api("office").get("/api/tasks/?page=9").status_code == 404


def test_a_list_copies_only_the_filters_its_query_names():
    """A filter without a value narrows nothing: the request's FilterSet holds, and its form validates, those the
    query string names (each copied filter and form field cost a list request time for nothing)."""
    query = {"status": ["in_progress", "assigned"], "due_after": "2026-01-01", "page_size": 5, "ordering": "due"}
    request = Request(APIRequestFactory().get("/api/tasks/", query))
    view = TaskViewSet(request=request, format_kwarg=None, action="list")
    filterset = FilterBackend().get_filterset(request, Task.objects.all(), view)
    assert isinstance(filterset, TaskFilter)
    assert set(filterset.filters) == {"status", "due_after"}
    assert set(filterset.form.fields) == {"status", "due_after"}
    every = FilterBackend().get_filterset(request, Task.objects.all(), view, every=True)
    assert set(every.filters) == set(TaskFilter.base_filters) and len(every.filters) > 10
    # one class per set of filters, the FilterSet itself when every filter is named
    assert asked_only(TaskFilter, frozenset({"page"})) is asked_only(TaskFilter, frozenset({"ordering"}))
    assert asked_only(TaskFilter, frozenset(TaskFilter.base_filters)) is TaskFilter
    assert set(TaskFilter.base_filters) > {"status", "due_after"}  # the class is not narrowed


def test_a_filter_is_named_by_its_name_or_a_name_its_widget_reads():
    assert asked_for("due", frozenset({"due_after"})) and asked_for("due", frozenset({"due_1"}))
    assert asked_for("status", frozenset({"status"}))
    assert not asked_for("due", frozenset({"overdue"}))
    assert not asked_for("unit", frozenset({"lead_unit"}))


def test_the_browsable_apis_filter_form_offers_every_filter(cast, spread):
    page = cast.client("office").get("/api/tasks/?status=in_progress", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("status", "due_before", "overdue", "category", "q"):
        assert f'name="{name}"' in html, name

"""List endpoints run a fixed number of queries whatever the page size: no query per row."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tongtui.orgs.models import Membership, Person, Role, Unit, UnitAlias, UnitGroup
from tongtui.plans.models import CoUnit, Indicator, IndicatorValue, Milestone, Task

ROWS = 60


@pytest.fixture
def crowd(cast):
    """Sixty of everything, each with related rows, so that a per-row query would show."""
    units = Unit.objects.bulk_create(
        Unit(name=f"第{i}单位", short_name=f"单位{i}", parent=cast.district) for i in range(ROWS)
    )
    UnitAlias.objects.bulk_create(UnitAlias(unit=u, name=f"别名{u.pk}") for u in units)
    people = Person.objects.bulk_create(Person(name=f"人{i}", unit=units[i]) for i in range(ROWS))
    Membership.objects.bulk_create(Membership(person=p, unit=p.unit, role=Role.LIAISON) for p in people)
    for i in range(ROWS):
        group = UnitGroup.objects.create(name=f"组{i}")
        group.units.set(units[i : i + 3])
    tasks = Task.objects.bulk_create(
        Task(
            plan=cast.plan,
            code=f"9.{i}",
            title=f"任务{i}",
            category=cast.category,
            lead_unit=cast.unit_a,
            leader=cast.leader,
            owner=people[i],
            due=datetime.date(2026, 12, 31),
        )
        for i in range(ROWS)
    )
    CoUnit.objects.bulk_create(CoUnit(task=t, unit=u) for t in tasks for u in (units[0], units[1]))
    Milestone.objects.bulk_create(
        Milestone(task=t, title="节点", due=datetime.date(2026, 6, 30), planned_progress=Decimal(50))
        for t in tasks
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(task=t, name="指标", target=Decimal(1)) for t in tasks
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=ind, period=datetime.date(2026, 3, 31), value=Decimal(1))
        for ind in indicators
    )


# endpoint -> queries for the office's token on a full page: token and user, then count and page, plus the
# scope's roles lookup and one query per prefetched relation. A page shorter than its size is the last one and
# tells the count itself: one query fewer (tongtui.core.paging).
EXPECTED = {
    "/api/units/": 4,  # token, count, page, aliases
    "/api/unit-groups/": 4,  # token, count, page, units
    "/api/people/": 4,  # token, the reader's roles (who sees contacts), count, page (user joined)
    "/api/memberships/": 4,  # token, roles, count, page
    "/api/plans/": 3,
    "/api/categories/": 3,
    "/api/tasks/": 5,  # token, roles, count, page (no joins), co-unit links (co-units and acknowledgements)
    "/api/milestones/": 4,  # token, roles, count, page
    "/api/indicators/": 4,
    "/api/indicator-values/": 4,
}


@pytest.mark.parametrize("url", sorted(EXPECTED))
@pytest.mark.parametrize("page_size", [10, 50])
def test_a_list_page_costs_the_same_queries_at_any_size(
    crowd, api, django_assert_num_queries, url, page_size
):
    client = api("office")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"page_size": page_size})
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == min(page_size, body["count"])
    full = len(body["results"]) == page_size
    assert len(ctx.captured_queries) == EXPECTED[url] - (0 if full else 1), [q["sql"] for q in ctx]


@pytest.mark.parametrize("page_size", [10, 50])
def test_a_unit_members_task_list_costs_the_same_queries_at_any_size(
    crowd, api, django_assert_num_queries, page_size
):
    client = api("liaison_a")
    with django_assert_num_queries(EXPECTED["/api/tasks/"]):
        response = client.get("/api/tasks/", {"page_size": page_size})
    assert len(response.json()["results"]) == page_size

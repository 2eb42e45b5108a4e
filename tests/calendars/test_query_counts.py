"""A month of a whole district costs a fixed number of queries, whatever the number of tasks and entries."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tongtui.calendars import loader
from tongtui.calendars.events import Selection
from tongtui.dispatch import actions_cycles
from tongtui.plans.models import CoUnit, Milestone, Task, TaskStatus
from tongtui.supervision import actions_chases, actions_orders

D = datetime.date
# roles; milestones; reportable tasks, their cycles, the working-day overrides of the three years the
# periods touch, their reports; meetings; orders; chases.
LOADER_QUERIES = 11
# Beyond what any page costs (session, user, the menu, which already read the roles): the loader less the
# roles, the filter choices (units, leaders, categories) and the override notes of the days shown.
PAGE_EXTRA = LOADER_QUERIES - 1 + 3 + 1
FEED_QUERIES = 1 + LOADER_QUERIES  # the feed with its owner, then the loader


def district(cast, n: int) -> None:
    office = cast.user("office")
    actions_cycles.set_report_cycle(
        by=office, plan=cast.plan, frequency="weekly", due_kind="weekday", weekday=4
    )
    assigned = datetime.datetime(2026, 1, 5, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    tasks = Task.objects.bulk_create(
        Task(
            plan=cast.plan, code=f"9.{i}", title=f"任务{i}", category=cast.category, lead_unit=cast.unit_a,
            leader=cast.leader, owner=cast.owner, status=TaskStatus.IN_PROGRESS, assigned_at=assigned,
            start=D(2026, 1, 1), due=D(2026, 12, 31),
        )
        for i in range(n)
    )  # fmt: skip
    CoUnit.objects.bulk_create(CoUnit(task=t, unit=cast.unit_b) for t in tasks)
    Milestone.objects.bulk_create(
        Milestone(task=t, title=f"节点{i}", due=D(2026, 4, 1 + i % 28), planned_progress=20)
        for i, t in enumerate(tasks)
    )
    for i in range(min(n, 5)):
        actions_orders.issue_order(
            by=office, plan=cast.plan, unit=cast.unit_b, task=tasks[i], problem=f"问题{i}", requirement="整改",
            workdays=5, issued_on=D(2026, 4, 1),
        )  # fmt: skip
        actions_chases.issue_chase(
            by=office, plan=cast.plan, unit=cast.unit_a, tasks=[tasks[i]], subject=f"督办{i}", content="请说明。",
            issued_on=D(2026, 4, 8),
        )  # fmt: skip


@pytest.mark.parametrize("n", [3, 40])
def test_loading_a_month_of_the_whole_district_costs_fixed_queries(cast, n, django_assert_num_queries):
    district(cast, n)
    office = get_user_model().objects.get(username="office")  # roles not cached yet
    with django_assert_num_queries(LOADER_QUERIES):
        found = loader.load(office, Selection(), D(2026, 3, 30), D(2026, 5, 3), D(2026, 4, 15))
    assert len(found) > 5 * n


@pytest.mark.parametrize("n", [3, 40])
def test_the_month_page_of_the_whole_district_costs_fixed_queries(cast, n):
    district(cast, n)
    client = cast.client("office")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with CaptureQueriesContext(connection) as plain:
        assert client.get(reverse("password-change")).status_code == 200
    with CaptureQueriesContext(connection) as page:
        response = client.get(reverse("calendars:calendar"), {"d": "2026-04-01", "view": "month"})
    assert response.status_code == 200
    assert len(page) - len(plain) == PAGE_EXTRA
    assert response.context["count"] > 5 * n  # weekly reports alone: n tasks × 5 Fridays


@pytest.mark.parametrize("n", [3, 40])
def test_a_feed_costs_fixed_queries(cast, n, django_assert_num_queries, client, monkeypatch):
    district(cast, n)
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2026, 4, 15))
    from tongtui.calendars import actions

    feed = actions.ensure_feeds(cast.user("leader"))[0]
    with django_assert_num_queries(FEED_QUERIES):
        response = client.get(reverse("calendars:ical", args=[feed.token]))
    assert response.status_code == 200 and response.content.count(b"BEGIN:VEVENT") > n

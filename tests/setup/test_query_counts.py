"""The set-up lists run a fixed number of queries, however many rows they show."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tongtui.core.models import WorkdayOverride
from tongtui.core.workdays import official_year_known
from tongtui.dispatch.models import ReportCycle
from tongtui.orgs.models import Membership, Person, Post, Unit, UnitAlias, UnitGroup
from tongtui.plans.models import Category, Plan, Task

# Every page also runs: session, user, roles (with the navbar's person), current plan (navbar import link), the
# bell's unread notifications.
PAGES = {
    "setup:home": 12,  # + units, groups, posts, people, logins, plans, overrides this/next year
    "setup:year-list": 6,  # + the plans with their counts
    "setup:unit-list": 7,  # + units, their aliases
    "setup:group-list": 6,  # + the groups with their counts
    "setup:post-list": 6,  # + the posts with holders and counts
    "setup:person-list": 8,  # + page, memberships with units, the unit filter's choices (no count: one page)
    "setup:workdays": 8,  # + overrides of the year, years with overrides, plan years
}
# The calendar warning looks for overrides only while this year or next is unknown to chinesecalendar.
WARNING = int(not all(official_year_known(timezone.localdate().year + i) for i in (0, 1)))


def crowd(cast, n: int) -> None:
    User = get_user_model()
    for i in range(n):
        unit = Unit.objects.create(name=f"第{i}镇", kind="town", parent=cast.district, order=i)
        UnitAlias.objects.create(unit=unit, name=f"{i}镇")
        UnitAlias.objects.create(unit=unit, name=f"{i}镇政府")
        group = UnitGroup.objects.create(name=f"组{i}")
        group.units.set([unit, cast.unit_a])
        user = User.objects.create_user(username=f"u{i}", password="x")
        person = Person.objects.create(name=f"人{i}", unit=unit, user=user)
        Membership.objects.create(person=person, unit=unit, role="liaison")
        Membership.objects.create(person=person, unit=cast.unit_a, role="viewer")
        post = Post.objects.create(unit=unit, title="负责人", holder=person if i % 2 else None)
        plan = Plan.objects.create(year=2030 + i, title=f"{2030 + i}年")
        category = Category.objects.create(plan=plan, name="板块")
        Task.objects.create(plan=plan, code="1", title="任务", category=category, owner_post=post)
        ReportCycle.objects.create(plan=plan, day_of_month=25)
        WorkdayOverride.objects.create(
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=i), is_workday=False
        )


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("n", [2, 12])
def test_a_list_page_runs_a_fixed_number_of_queries(cast, name, n, django_assert_num_queries):
    crowd(cast, n)
    client = cast.client("office")
    url = reverse(name)
    client.get(url)  # warm the session
    with django_assert_num_queries(
        PAGES[name] + (WARNING if name in ("setup:home", "setup:workdays") else 0)
    ):
        assert client.get(url, {"year": 2026} if name == "setup:workdays" else {}).status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_the_cycle_list_runs_a_fixed_number_of_queries(cast, n, django_assert_num_queries):
    for i in range(n):
        category = Category.objects.create(plan=cast.plan, name=f"板块{i}", order=i + 2)
        if i % 2:
            ReportCycle.objects.create(plan=cast.plan, category=category, day_of_month=20)
    ReportCycle.objects.create(plan=cast.plan, day_of_month=25)
    client = cast.client("office")
    url = reverse("setup:cycle-list", args=[cast.plan.year])
    client.get(url)
    # + the plan, its cycles, its categories, task cycles count, working-day overrides of the year
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200

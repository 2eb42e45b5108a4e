"""Every set-up page is the office's: everyone else gets 404 (as on the office's other pages), anonymous
visitors are sent to log in, and nothing is written for them."""

import pytest
from django.urls import reverse

from tests.setup.conftest import OTHERS
from tongtui.core.models import WorkdayOverride
from tongtui.orgs.models import Membership, Post, UnitAlias, UnitGroup


@pytest.fixture
def things(cast):
    group = UnitGroup.objects.create(name="各镇街")
    alias = UnitAlias.objects.create(unit=cast.unit_a, name="发改局")
    post = Post.objects.create(unit=cast.unit_a, title="负责人")
    override = WorkdayOverride.objects.create(date="2026-10-10", is_workday=True)
    membership = Membership.objects.get(person=cast.liaison_a)
    return {"group": group, "alias": alias, "post": post, "override": override, "membership": membership}


def pages(cast, t) -> list[str]:
    year, cat = cast.plan.year, cast.category.pk
    return [
        reverse("setup:home"),
        reverse("setup:year-list"),
        reverse("setup:year-open"),
        reverse("setup:year-detail", args=[year]),
        reverse("setup:year-close", args=[year]),
        reverse("setup:cycle-list", args=[year]),
        reverse("setup:cycle-plan", args=[year]),
        reverse("setup:cycle-category", args=[year, cat]),
        reverse("setup:cycle-preview", args=[year])
        + "?frequency=monthly&due_kind=day_of_month&day_of_month=25",
        reverse("setup:reminders", args=[year]),
        reverse("setup:lights", args=[year]),
        reverse("setup:unit-list"),
        reverse("setup:unit-create"),
        reverse("setup:unit-detail", args=[cast.unit_a.pk]),
        reverse("setup:group-list"),
        reverse("setup:group-create"),
        reverse("setup:group-edit", args=[t["group"].pk]),
        reverse("setup:group-members", args=[t["group"].pk]),
        reverse("setup:post-list"),
        reverse("setup:post-fill", args=[t["post"].pk]),
        reverse("setup:person-list"),
        reverse("setup:person-create"),
        reverse("setup:person-detail", args=[cast.owner.pk]),
        reverse("setup:workdays") + "?year=2026",
    ]


def writes(cast, t) -> list[str]:
    year, cat = cast.plan.year, cast.category.pk
    return [
        reverse("setup:category-add", args=[year]),
        reverse("setup:category-change", args=[cat, "delete"]),
        reverse("setup:cycle-delete", args=[year, cat]),
        reverse("setup:alias-add", args=[cast.unit_a.pk]),
        reverse("setup:alias-remove", args=[t["alias"].pk]),
        reverse("setup:unit-active", args=[cast.unit_c.pk, "deactivate"]),
        reverse("setup:role-grant", args=[cast.owner.pk]),
        reverse("setup:role-revoke", args=[t["membership"].pk]),
        reverse("setup:login-create", args=[cast.owner.pk]),
        reverse("setup:login-change", args=[cast.liaison_a.pk, "reset"]),
        reverse("setup:login-change", args=[cast.liaison_a.pk, "deactivate"]),
        reverse("setup:workday-add"),
        reverse("setup:workday-remove", args=[t["override"].pk]),
    ]


def test_the_office_opens_every_page(cast, things):
    client = cast.client("office")
    for url in pages(cast, things):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", OTHERS)
def test_everyone_else_gets_404_for_every_page(cast, things, who):
    client = cast.client(who)
    for url in pages(cast, things):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("who", OTHERS)
def test_everyone_else_gets_404_for_every_write_and_nothing_changes(cast, things, who):
    client = cast.client(who)
    data = {"name": "x", "alias": "x", "unit": cast.unit_a.pk, "role": "office", "username": "x",
            "date": "2026-10-01", "is_workday": "1"}  # fmt: skip
    for url in writes(cast, things) + pages(cast, things):
        assert client.post(url, data).status_code == 404, url
    assert UnitAlias.objects.filter(pk=things["alias"].pk).exists()
    assert Membership.objects.filter(pk=things["membership"].pk).exists()
    assert WorkdayOverride.objects.count() == 1
    cast.unit_c.refresh_from_db()
    assert cast.unit_c.is_active
    assert not Membership.objects.filter(person=cast.owner).exists()


def test_anonymous_visitors_are_sent_to_log_in(cast, things):
    client = cast.client("anonymous")
    for url in pages(cast, things) + writes(cast, things):
        response = client.get(url) if url in pages(cast, things) else client.post(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_the_settings_entry_is_in_the_office_navigation_only(cast):
    assert 'id="nav-setup"' in cast.client("office").get(reverse("task-list")).content.decode()
    for who in OTHERS:
        page = cast.client(who).get(reverse("task-list")).content.decode()
        assert 'id="nav-setup"' not in page
        assert 'id="nav-password"' in page  # every user changes their own password


def test_missing_objects_are_404_for_the_office_too(cast):
    client = cast.client("office")
    for url in ["/setup/years/1999/", "/setup/units/999999/", "/setup/groups/999999/members/",
                "/setup/people/999999/", "/setup/posts/999999/", "/setup/years/2026/cycles/999999/"]:  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("setup:unit-active", args=[cast.unit_a.pk, "explode"])).status_code == 404
    assert (
        client.post(reverse("setup:category-change", args=[cast.category.pk, "explode"])).status_code == 404
    )

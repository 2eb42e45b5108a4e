"""Who reads what through the API: the same scope as the web pages; an outsider gets 404."""

import pytest

from tongtui.orgs.models import Membership, UnitGroup

CAST = ["office", "leader", "head_a", "liaison_a", "liaison_b"]


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def group(cast):
    group = UnitGroup.objects.create(name="区直各部门", aliases="区直部门\n各部门")
    group.units.set([cast.unit_a, cast.unit_c])
    return group


@pytest.mark.parametrize("who", CAST)
def test_everyone_logged_in_reads_units_people_plans_and_categories(cast, api, group, who):
    client = api(who)
    assert cast.unit_a.pk in ids(client.get("/api/units/"))
    assert cast.owner.pk in ids(client.get("/api/people/"))
    assert ids(client.get("/api/plans/")) == {cast.plan.pk}
    assert ids(client.get("/api/categories/")) == {cast.category.pk}
    assert ids(client.get("/api/unit-groups/")) == {group.pk}
    for url in (
        f"/api/units/{cast.unit_b.pk}/",
        f"/api/people/{cast.owner.pk}/",
        f"/api/plans/{cast.plan.pk}/",
        f"/api/categories/{cast.category.pk}/",
        f"/api/unit-groups/{group.pk}/",
    ):
        assert client.get(url).status_code == 200, url


def test_a_unit_shows_its_parent_kind_short_name_and_aliases(cast, api):
    cast.unit_a.aliases.create(name="发改局")
    body = api("liaison_b").get(f"/api/units/{cast.unit_a.pk}/").json()
    assert body == {
        "id": cast.unit_a.pk,
        "name": "区发展和改革局",
        "short_name": "区发改局",
        "kind": "department",
        "parent": cast.district.pk,
        "order": 0,
        "is_active": True,
        "aliases": ["发改局"],
    }


def test_a_unit_group_lists_its_other_names_and_units(cast, api, group):
    body = api("liaison_a").get(f"/api/unit-groups/{group.pk}/").json()
    assert body["aliases"] == ["区直部门", "各部门"]
    assert sorted(body["units"]) == sorted([cast.unit_a.pk, cast.unit_c.pk])


def test_a_person_shows_the_login_name_or_null(cast, api):
    client = api("liaison_a")
    assert client.get(f"/api/people/{cast.head_a.pk}/").json()["username"] == "head_a"
    assert client.get(f"/api/people/{cast.owner.pk}/").json()["username"] is None


@pytest.mark.parametrize("who", ["office", "leader"])
def test_office_and_leaders_see_every_membership(cast, api, who):
    assert ids(api(who).get("/api/memberships/")) == set(Membership.objects.values_list("pk", flat=True))


def test_a_unit_member_sees_only_the_memberships_of_its_own_unit(cast, api):
    unit_a = set(Membership.objects.filter(unit=cast.unit_a).values_list("pk", flat=True))
    assert ids(api("head_a").get("/api/memberships/")) == unit_a
    assert len(unit_a) == 2


def test_an_outsider_gets_404_on_another_units_membership(cast, api):
    membership = Membership.objects.get(person=cast.head_a)
    assert api("liaison_b").get(f"/api/memberships/{membership.pk}/").status_code == 404
    assert api("liaison_a").get(f"/api/memberships/{membership.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("office", {"a", "c"}),
        ("leader", {"a", "c"}),
        ("head_a", {"a"}),
        ("liaison_a", {"a"}),
        ("liaison_b", set()),
    ],
)
def test_tasks_and_their_roadmaps_follow_the_task_scope(cast, api, roadmap, who, sees):
    client = api(who)
    tasks = {"a": cast.task_a.pk, "c": cast.task_c.pk}
    assert ids(client.get("/api/tasks/")) == {tasks[k] for k in sees}
    assert ids(client.get("/api/milestones/")) == {getattr(roadmap, f"milestone_{k}").pk for k in sees}
    assert ids(client.get("/api/indicators/")) == {getattr(roadmap, f"indicator_{k}").pk for k in sees}
    assert ids(client.get("/api/indicator-values/")) == {getattr(roadmap, f"value_{k}").pk for k in sees}


def test_a_co_unit_member_sees_the_task_it_co_operates_on(cast, api):
    # unit C leads task_c and co-operates on task_a
    cast.head_a.memberships.update(unit=cast.unit_c)
    assert ids(api("head_a").get("/api/tasks/")) == {cast.task_a.pk, cast.task_c.pk}


def detail_urls(cast, roadmap, key: str) -> list[str]:
    task = getattr(cast, f"task_{key}")
    return [
        f"/api/tasks/{task.pk}/",
        f"/api/milestones/{getattr(roadmap, f'milestone_{key}').pk}/",
        f"/api/indicators/{getattr(roadmap, f'indicator_{key}').pk}/",
        f"/api/indicator-values/{getattr(roadmap, f'value_{key}').pk}/",
    ]


@pytest.mark.parametrize(("who", "key"), [("liaison_b", "a"), ("liaison_a", "c"), ("head_a", "c")])
def test_an_outsider_gets_404_on_a_task_its_milestones_and_indicators(cast, api, roadmap, who, key):
    client = api(who)
    for url in detail_urls(cast, roadmap, key):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": response.json()["detail"]}


@pytest.mark.parametrize(
    ("who", "key"), [("liaison_a", "a"), ("head_a", "a"), ("leader", "c"), ("office", "c")]
)
def test_a_member_reads_its_task_milestones_and_indicators(cast, api, roadmap, who, key):
    client = api(who)
    for url in detail_urls(cast, roadmap, key):
        assert client.get(url).status_code == 200, url


def test_a_hidden_task_answers_like_a_missing_one(cast, api):
    client = api("liaison_b")
    hidden = client.get(f"/api/tasks/{cast.task_a.pk}/")
    missing = client.get("/api/tasks/999999/")
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())


def test_a_task_shows_its_charter_units_and_state(cast, api):
    body = api("liaison_a").get(f"/api/tasks/{cast.task_a.pk}/").json()
    assert body["code"] == "1"
    assert body["lead_unit"] == cast.unit_a.pk
    assert body["co_units"] == [cast.unit_c.pk]
    assert body["acknowledgements"] == [{"unit": cast.unit_c.pk, "acknowledged_at": None}]
    assert body["leader"] == cast.leader.pk
    assert body["owner"] == cast.owner.pk
    assert body["status"] == "draft"
    assert body["version"] == 1
    assert body["progress"] == "0.00"
    assert "reason" not in body


def test_contacts_show_to_the_office_leaders_and_the_persons_own_unit_only(cast, api):
    from tongtui.orgs.models import Person

    Person.objects.filter(pk=cast.head_a.pk).update(phone="13900000001", email="li@example.gov.cn")
    url = f"/api/people/{cast.head_a.pk}/"
    for who in ("office", "leader", "liaison_a"):
        body = api(who).get(url).json()
        assert (body["phone"], body["email"]) == ("13900000001", "li@example.gov.cn"), who
    other = api("liaison_b").get(url).json()
    assert (other["name"], other["phone"], other["email"]) == ("李局长", "", "")
    listed = {row["id"]: row for row in api("liaison_b").get("/api/people/").json()["results"]}
    assert listed[cast.head_a.pk]["phone"] == ""


def test_a_login_without_a_role_reads_no_one(cast, api, django_user_model):
    from rest_framework.test import APIClient

    loner = django_user_model.objects.create_user("loner", password="x")
    c = APIClient()
    c.force_authenticate(loner)
    assert c.get("/api/people/").json()["results"] == []
    assert c.get(f"/api/people/{cast.head_a.pk}/").status_code == 404

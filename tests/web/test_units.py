import pytest
from django.urls import reverse

from tongtui.orgs.models import UnitAlias
from tongtui.plans import actions


def test_the_urls_are_named(cast):
    assert reverse("unit-list") == "/units/"
    assert reverse("unit-detail", args=[cast.unit_a.pk]) == f"/units/{cast.unit_a.pk}/"


def rows(response):
    return {
        row["unit"].name: (row["led"], row["co"]) for g in response.context["groups"] for row in g["rows"]
    }


@pytest.mark.parametrize("who", ["office", "leader", "head_a", "liaison_a", "liaison_b"])
def test_every_logged_in_user_sees_all_units_grouped_by_kind(cast, who):
    response = cast.client(who).get(reverse("unit-list"))
    assert response.status_code == 200
    kinds = [g["kind"] for g in response.context["groups"]]
    assert kinds == ["district", "department", "subdistrict", "office"]
    assert set(rows(response)) == {
        "示范区人民政府",
        "区政府督查室",
        "区发展和改革局",
        "城关街道办事处",
        "区财政局",
    }


def test_task_counts_only_count_what_the_user_sees(cast):
    office = rows(cast.client("office").get(reverse("unit-list")))
    assert office["区财政局"] == (1, 1)  # leads task_c, co-operates on task_a
    assert office["区发展和改革局"] == (1, 0)
    liaison_a = rows(cast.client("liaison_a").get(reverse("unit-list")))
    assert liaison_a["区财政局"] == (0, 1)  # task_c is hidden from unit A
    liaison_b = rows(cast.client("liaison_b").get(reverse("unit-list")))
    assert liaison_b["区财政局"] == (0, 0)


def test_the_unit_page_shows_names_aliases_and_scoped_tasks(cast):
    UnitAlias.objects.create(unit=cast.unit_c, name="财政局")
    response = cast.client("liaison_a").get(reverse("unit-detail", args=[cast.unit_c.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "区财政局" in page and "财政局" in page
    assert response.context["led_tasks"] == []  # task_c is not visible to unit A
    assert [t.pk for t in response.context["co_tasks"]] == [cast.task_a.pk]
    assert cast.task_c.title not in page
    office = cast.client("office").get(reverse("unit-detail", args=[cast.unit_c.pk]))
    assert [t.pk for t in office.context["led_tasks"]] == [cast.task_c.pk]


def test_the_unit_page_counts_tasks_per_status(cast):
    actions.assign_task(cast.task_c, by=cast.user("office"))
    response = cast.client("office").get(reverse("unit-detail", args=[cast.unit_c.pk]))
    counts = {row["status"]: (row["led"], row["co"]) for row in response.context["status_rows"]}
    assert counts == {"draft": (0, 1), "assigned": (1, 0)}


def test_members_are_shown_to_the_office_leaders_and_the_units_own_people(cast):
    url = reverse("unit-detail", args=[cast.unit_a.pk])
    for who in ["office", "leader", "head_a", "liaison_a"]:
        response = cast.client(who).get(url)
        assert [m.person.name for m in response.context["members"]] == ["李局长", "张联络"], who
        assert 'id="unit-members"' in response.content.decode()
    response = cast.client("liaison_b").get(url)
    assert response.context["members"] is None
    assert "张联络" not in response.content.decode()


def test_a_missing_unit_is_404(cast):
    assert cast.client("office").get("/units/999999/").status_code == 404


def test_the_unit_pages_run_a_bounded_number_of_queries(cast, make_tasks, django_assert_max_num_queries):
    make_tasks(30)
    client = cast.client("office")
    client.get(reverse("unit-list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("unit-list"))
    with django_assert_max_num_queries(16):
        client.get(reverse("unit-detail", args=[cast.unit_a.pk]))

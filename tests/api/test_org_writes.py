"""The office keeps the organisation through the API; everyone else reads it."""

import pytest

from tongtui.orgs.models import Person, Unit, UnitAlias


def test_the_office_creates_a_unit_with_aliases_and_history_names_it(cast, api):
    body = {
        "name": "区工业和信息化局",
        "short_name": "区工信局",
        "kind": "department",
        "parent": cast.district.pk,
        "aliases": ["工信局", " 工信局 ", "区经信局"],
    }
    response = api("office").post("/api/units/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["aliases"] == ["区经信局", "工信局"]
    unit = Unit.objects.get(name="区工业和信息化局")
    assert unit.history.get().history_user == cast.user("office")
    assert UnitAlias.objects.get(name="工信局").history.get().history_user == cast.user("office")


def test_an_alias_already_naming_another_unit_is_refused(cast, api):
    UnitAlias.objects.create(unit=cast.unit_a, name="发改局")
    response = api("office").post("/api/units/", {"name": "新单位", "aliases": ["发改局"]}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["aliases"]
    assert not Unit.objects.filter(name="新单位").exists()


def test_a_unit_name_is_unique(cast, api):
    response = api("office").post("/api/units/", {"name": "区财政局"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["name"]


def test_the_office_renames_and_deactivates_a_unit(cast, api):
    response = api("office").patch(
        f"/api/units/{cast.unit_b.pk}/", {"short_name": "城关", "is_active": False}, format="json"
    )
    assert response.status_code == 200, response.content
    cast.unit_b.refresh_from_db()
    assert (cast.unit_b.short_name, cast.unit_b.is_active) == ("城关", False)
    assert cast.unit_b.history.order_by("-history_id").first().history_user == cast.user("office")


def test_a_unit_cannot_be_moved_under_itself(cast, api):
    response = api("office").patch(
        f"/api/units/{cast.district.pk}/", {"parent": cast.unit_a.pk}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["parent"]


@pytest.mark.parametrize("who", ["leader", "head_a", "liaison_a", "liaison_b"])
def test_only_the_office_changes_units_and_people(cast, api, who):
    client = api(who)
    assert client.post("/api/units/", {"name": "新单位"}, format="json").status_code == 403
    assert (
        client.patch(f"/api/units/{cast.unit_a.pk}/", {"short_name": "x"}, format="json").status_code == 403
    )
    assert client.post("/api/people/", {"name": "新人"}, format="json").status_code == 403
    assert not Unit.objects.filter(name="新单位").exists()
    assert not Person.objects.filter(name="新人").exists()


def test_the_office_adds_a_person(cast, api):
    body = {"name": "刘科长", "title": "科长", "unit": cast.unit_b.pk, "phone": "0931-1234567"}
    response = api("office").post("/api/people/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["username"] is None
    person = Person.objects.get(name="刘科长")
    assert (person.unit, person.history.get().history_user) == (cast.unit_b, cast.user("office"))


def test_memberships_and_unit_groups_are_read_only(cast, api):
    client = api("office")
    assert client.post("/api/memberships/", {}, format="json").status_code == 405
    assert client.post("/api/unit-groups/", {}, format="json").status_code == 405

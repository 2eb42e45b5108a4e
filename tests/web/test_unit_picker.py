"""With more units than a drop-down can hold (a province's thousands), the task list's unit filter is a box that
suggests units as one types (`/units/suggest/`); below the limit it stays the drop-down."""

from tongtui.orgs.models import Unit, UnitAlias
from tongtui.plans import views

URL = "/tasks/"
SUGGEST = "/units/suggest/"


def suggested(client, q: str) -> list[str]:
    response = client.get(SUGGEST, {"q": q})
    assert response.status_code == 200
    return [u["label"] for u in response.json()["units"]]


def test_a_district_keeps_the_drop_down(cast):
    page = cast.client("office").get(URL).content.decode()
    assert '<select name="unit" id="id_unit"' in page and "data-unit-picker" not in page


def test_many_units_make_a_box_that_shows_the_unit_chosen(cast, monkeypatch):
    monkeypatch.setattr(views, "UNIT_SELECT_MAX", 2)
    office = cast.client("office")
    page = office.get(URL).content.decode()
    assert "data-unit-picker" in page and '<select name="unit"' not in page
    assert f'<option value="{cast.unit_c.pk}"' not in page  # no option per unit
    response = office.get(URL, {"unit": cast.unit_a.pk})
    page = response.content.decode()
    assert f'name="unit" id="id_unit" value="{cast.unit_a.pk}"' in page
    assert f'value="{cast.unit_a.label}"' in page  # the box shows the unit chosen
    assert [t.code for t in response.context["page"].object_list] == ["1"]  # and the list is filtered by it


def test_the_box_asks_for_units_by_any_of_their_names(cast):
    office = cast.client("office")
    UnitAlias.objects.create(unit=cast.unit_a, name="发改委")
    assert suggested(office, "发改") == [cast.unit_a.label]  # name, short name and alias: once
    assert suggested(office, "区财政") == [cast.unit_c.label]
    assert suggested(office, "发改委") == [cast.unit_a.label]  # only another written name
    assert suggested(office, "  ") == [] and suggested(office, "没有这个") == []
    Unit.objects.filter(pk=cast.unit_c.pk).update(is_active=False)
    assert suggested(office, "财政") == []


def test_names_starting_with_the_words_come_first_and_at_most_twenty(cast):
    Unit.objects.bulk_create([Unit(name=f"某某财政所{i:02d}", short_name="", kind="town", order=i) for i in range(30)])
    Unit.objects.create(name="财政培训中心", kind="other", order=99)
    labels = suggested(cast.client("office"), "财政")
    assert len(labels) == 20
    assert labels[0] == "财政培训中心"  # the only name starting with the words, though last in the units' order
    assert labels[1:4] == [cast.unit_c.label, "某某财政所00", "某某财政所01"]  # then the units' order (order 0, name)


def test_the_suggestions_need_a_login(client):
    response = client.get(SUGGEST, {"q": "财政"})
    assert response.status_code == 302

"""The API takes values only of the documented type and answers in JSON at every address under /api/."""

import pytest
from django.http import QueryDict

from tongtui.plans.filters import TaskFilter


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": 12345}, "name"),  # text as a number
        ({"name": "新单位", "parent": "1"}, "parent"),  # an id as a string
        ({"name": "新单位", "order": "3"}, "order"),  # a count as a string
        ({"name": "新单位", "aliases": [7]}, "aliases"),
    ],
)
def test_a_value_of_the_wrong_json_type_is_refused(cast, api, body, field):
    response = api("office").post("/api/units/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_decimals_travel_as_strings(cast, api):
    body = {"task": cast.task_a.pk, "name": "投资额", "target": 10}
    response = api("office").post("/api/indicators/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["target"]
    body["target"] = "10"
    assert api("office").post("/api/indicators/", body, format="json").status_code == 201


@pytest.mark.parametrize("size", ["0", "abc", "501", "2.5"])
def test_a_page_size_outside_1_to_500_is_refused(cast, api, size):
    response = api("office").get(f"/api/units/?page_size={size}")
    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]


def test_empty_query_values_mean_not_given(cast, api):
    body = api("office").get("/api/tasks/?page_size=&page=&category=&top_level=&q=").json()
    assert body["count"] == 2


def test_a_boolean_filter_takes_only_true_or_false(cast, api):
    client = api("office")
    assert client.get("/api/tasks/?top_level=maybe").status_code == 400
    assert client.get("/api/units/?is_active=maybe").status_code == 400
    assert client.get("/api/tasks/?top_level=true").json()["count"] == 2
    # the HTML list's FilterSet keeps its own leniency
    assert TaskFilter(QueryDict("top_level=maybe")).is_valid()


def test_an_id_filter_takes_whole_numbers_only(cast, api):
    assert api("office").get("/api/milestones/?task=0.5").status_code == 400
    assert api("office").get("/api/plans/?year=2026.5").status_code == 400
    assert api("office").get("/api/plans/?year=2026").json()["count"] == 1


def test_an_id_longer_than_64_bits_is_a_400_not_a_server_error(cast, api):
    client = api("office")
    huge = "-27520941711837274112"
    assert client.get(f"/api/reports/?task={huge}").status_code == 400
    assert client.get(f"/api/milestones/?task={2**63}").status_code == 400
    assert client.get(f"/api/milestones/?task={2**63 - 1}").json()["count"] == 0  # the largest is a plain miss
    # a step's address with the filter in its query string: refused before the report is looked up
    assert client.post(f"/api/reports/1/milestones/?task={huge}", {"milestones": []}, format="json").status_code == 400


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_api_address_answers_404_in_json(cast, api, method):
    response = getattr(api("office"), method)("/api/tasks/1.5/assign/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_an_address_with_a_line_break_answers_404_in_json(cast, api):
    response = api("office").post("/api/meetings/.%0A/pack/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"

import pytest

from tongtui.plans import actions as plan_actions
from tongtui.supervision.recompute import recompute_plan

from .conftest import D


@pytest.fixture
def computed(lights):
    lights.report(lights.cast.task_a, 10, 20, submitted=D(2026, 10, 24), accept=True)
    recompute_plan(lights.cast.plan)
    return lights


def codes(response):
    return [item["code"] for item in response.json()["results"]]


def test_the_office_sees_every_tasks_light_with_its_reasons(computed):
    response = computed.cast.client("office").get("/api/lights/", {"plan": computed.cast.plan.pk})
    assert response.status_code == 200
    assert codes(response) == ["1", "2"]
    first = response.json()["results"][0]
    assert first["light"] == "red"
    assert first["actual_progress"] == 20.0
    assert all(r["text"] for r in first["reasons"])
    assert "behind_plan" in [r["code"] for r in first["reasons"]]


def test_a_liaison_sees_only_the_lights_of_its_units_tasks(computed):
    assert codes(computed.cast.client("liaison_a").get("/api/lights/")) == ["1"]
    assert codes(computed.cast.client("liaison_b").get("/api/lights/")) == []


def test_it_filters_by_light(computed):
    office = computed.cast.client("office")
    red = office.get("/api/lights/", {"light": "red"}).json()["results"]
    assert {item["light"] for item in red} == {"red"}
    assert office.get("/api/lights/", {"light": "purple"}).status_code == 400


def test_as_of_computes_the_lights_known_that_day(computed):
    office = computed.cast.client("office")
    response = office.get("/api/lights/", {"as_of": "2026-10-23", "plan": computed.cast.plan.pk})
    first = response.json()["results"][0]
    assert first["as_of"] == "2026-10-23"
    assert first["actual_progress"] is None  # the October report came in on the 24th
    later = office.get("/api/lights/", {"as_of": "2026-10-24", "light": "red"}).json()["results"]
    assert "1" in [i["code"] for i in later] and {i["light"] for i in later} == {"red"}
    assert office.get("/api/lights/", {"as_of": "yesterday"}).status_code == 400


def test_a_tasks_trajectory_has_its_series_and_forecast(computed):
    task = computed.cast.task_a
    data = computed.cast.client("head_a").get(f"/api/lights/{task.pk}/").json()
    assert data["light"] == "red"
    assert [p["progress"] for p in data["planned"]] == [0.0, 25.0, 50.0, 75.0, 100.0]
    assert data["reported"] == [{"date": "2026-10-31", "progress": 20.0}]
    assert data["verified"] == [{"date": "2026-10-26", "progress": 20.0}]
    assert data["forecast"]["spi"] is not None and data["forecast"]["spi"] < 1
    assert data["sentence"]
    assert data["history"][-1]["light"] == "red"


def test_a_done_milestone_counts_as_verified(computed):
    cast = computed.cast
    plan_actions.update_milestone(computed.milestones[0], by=cast.user("office"), done_on=D(2026, 4, 2))
    data = cast.client("office").get(f"/api/lights/{cast.task_a.pk}/", {"as_of": "2026-05-01"}).json()
    assert data["verified"] == [{"date": "2026-04-02", "progress": 25.0}]
    assert data["reported"] == []


def test_an_outsider_gets_404_for_a_tasks_trajectory(computed):
    task = computed.cast.task_a
    assert computed.cast.client("liaison_b").get(f"/api/lights/{task.pk}/").status_code == 404
    assert computed.cast.client("office").get("/api/lights/999999/").status_code == 404


def test_anonymous_is_refused(computed):
    anonymous = computed.cast.client("anonymous")
    assert anonymous.get("/api/lights/").status_code in (401, 403)
    assert anonymous.get(f"/api/lights/{computed.cast.task_a.pk}/").status_code in (401, 403)

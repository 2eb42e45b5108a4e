"""The office plans milestones and indicators through the API; units read those of their tasks."""

import pytest

from tongtui.plans.models import Indicator, Milestone


def milestone_body(task, **extra) -> dict:
    return {
        "task": task.pk,
        "title": "开工建设",
        "due": "2026-06-30",
        "planned_progress": "50",
        "deliverable": "施工许可证",
        **extra,
    }


def test_the_office_adds_a_milestone_and_history_names_it(cast, api, roadmap):
    response = api("office").post("/api/milestones/", milestone_body(cast.task_a), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["seq"], body["planned_progress"], body["done_on"]) == (2, "50.00", None)
    milestone = Milestone.objects.get(pk=body["id"])
    assert milestone.history.get().history_user == cast.user("office")


def test_the_office_marks_a_milestone_done_and_deletes_another(cast, api, roadmap):
    client = api("office")
    url = f"/api/milestones/{roadmap.milestone_a.pk}/"
    response = client.patch(url, {"done_on": "2026-03-28"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["done_on"] == "2026-03-28"
    assert client.delete(url).status_code == 204
    assert not Milestone.objects.filter(pk=roadmap.milestone_a.pk).exists()
    deleted = Milestone.history.filter(id=roadmap.milestone_a.pk).latest("history_id")
    assert (deleted.history_type, deleted.history_user) == ("-", cast.user("office"))


def test_a_milestone_cannot_move_to_another_task(cast, api, roadmap):
    client = api("office")
    response = client.patch(
        f"/api/milestones/{roadmap.milestone_a.pk}/", {"task": cast.task_c.pk}, format="json"
    )
    assert response.status_code == 200
    roadmap.milestone_a.refresh_from_db()
    assert roadmap.milestone_a.task == cast.task_a


@pytest.mark.parametrize("who", ["leader", "head_a", "liaison_a"])
def test_members_who_see_the_task_may_not_change_its_roadmap(cast, api, roadmap, who):
    client = api(who)
    url = f"/api/milestones/{roadmap.milestone_a.pk}/"
    assert client.post("/api/milestones/", milestone_body(cast.task_a), format="json").status_code == 403
    assert client.patch(url, {"title": "x"}, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    indicator = {"task": cast.task_a.pk, "name": "投资额", "target": "10"}
    assert client.post("/api/indicators/", indicator, format="json").status_code == 403
    assert Milestone.objects.filter(pk=roadmap.milestone_a.pk, title="完成立项").exists()


def test_an_outsider_gets_404_on_the_roadmap_of_a_task_it_cannot_see(cast, api, roadmap):
    client = api("liaison_b")
    url = f"/api/milestones/{roadmap.milestone_a.pk}/"
    assert client.patch(url, {"title": "x"}, format="json").status_code == 404
    assert client.delete(url).status_code == 404


def test_a_milestone_on_a_missing_task_is_refused(cast, api):
    body = milestone_body(cast.task_a) | {"task": 999999}
    response = api("office").post("/api/milestones/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["task"]


def test_planned_progress_stays_within_0_and_100(cast, api):
    body = milestone_body(cast.task_a, planned_progress="101")
    response = api("office").post("/api/milestones/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["planned_progress"]


def test_the_office_sets_an_indicator(cast, api):
    body = {
        "task": cast.task_a.pk,
        "name": "固定资产投资增速",
        "unit_of_measure": "%",
        "baseline": "4.5",
        "target": "8",
        "direction": "increase",
    }
    response = api("office").post("/api/indicators/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["target"] == "8.0000"
    indicator = Indicator.objects.get(pk=response.json()["id"])
    assert indicator.history.get().history_user == cast.user("office")


def test_milestones_indicators_and_values_filter_by_task(cast, api, roadmap):
    client = api("office")
    rows = client.get(f"/api/milestones/?task={cast.task_c.pk}").json()["results"]
    assert [r["id"] for r in rows] == [roadmap.milestone_c.pk]
    rows = client.get(f"/api/indicators/?task={cast.task_c.pk}").json()["results"]
    assert [r["id"] for r in rows] == [roadmap.indicator_c.pk]
    rows = client.get(f"/api/indicator-values/?indicator={roadmap.indicator_a.pk}").json()["results"]
    assert [r["id"] for r in rows] == [roadmap.value_a.pk]

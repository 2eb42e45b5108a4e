"""Writing tasks through the API: every change goes through an action and lands in history."""

import pytest

from tongtui.plans.models import Category, Plan, Task, TaskStatus


def latest(task: Task):
    return task.history.order_by("-history_id").first()


def new_task(cast, **extra) -> dict:
    return {
        "plan": cast.plan.pk,
        "code": "3",
        "title": "新建标准厂房10万平方米",
        "category": cast.category.pk,
        "lead_unit": cast.unit_a.pk,
        "co_units": [cast.unit_b.pk],
        "leader": cast.leader.pk,
        "owner": cast.owner.pk,
        "start": "2026-02-01",
        "due": "2026-11-30",
        "weight": "2",
        "reason": "区委常委会议定",
        **extra,
    }


def test_the_office_creates_a_task_and_history_names_it(cast, api):
    response = api("office").post("/api/tasks/", new_task(cast), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["code"], body["status"], body["co_units"], body["weight"]) == (
        "3",
        "draft",
        [cast.unit_b.pk],
        "2.00",
    )
    task = Task.objects.get(pk=body["id"])
    assert list(task.co_units.all()) == [cast.unit_b]
    row = latest(task)
    assert (row.history_user, row.history_change_reason) == (cast.user("office"), "区委常委会议定")


@pytest.mark.parametrize("who", ["leader", "head_a", "liaison_a", "liaison_b"])
def test_only_the_office_creates_tasks(cast, api, who):
    response = api(who).post("/api/tasks/", new_task(cast), format="json")
    assert response.status_code == 403
    assert not Task.objects.filter(code="3").exists()


def test_a_task_code_is_unique_within_its_plan(cast, api):
    response = api("office").post("/api/tasks/", new_task(cast, code="1"), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_the_category_must_belong_to_the_tasks_plan(cast, api):
    other = Category.objects.create(plan=Plan.objects.create(year=2025, title="2025"), name="乡村振兴")
    response = api("office").post("/api/tasks/", new_task(cast, category=other.pk), format="json")
    assert response.status_code == 400
    assert "category" in response.json()


def test_a_due_date_before_the_start_is_refused_by_the_model(cast, api):
    response = api("office").post(
        "/api/tasks/", new_task(cast, start="2026-12-01", due="2026-01-31"), format="json"
    )
    assert response.status_code == 400
    assert "due" in response.json()


def test_the_office_edits_a_task_with_the_version_it_read(cast, api):
    client = api("office")
    version = client.get(f"/api/tasks/{cast.task_a.pk}/").json()["version"]
    response = client.patch(
        f"/api/tasks/{cast.task_a.pk}/", {"title": "GDP增长6%", "version": version}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["title"], response.json()["version"]) == ("GDP增长6%", version + 1)
    cast.task_a.refresh_from_db()
    assert cast.task_a.title == "GDP增长6%"
    assert latest(cast.task_a).history_user == cast.user("office")


def test_put_replaces_the_co_units(cast, api):
    response = api("office").put(
        f"/api/tasks/{cast.task_a.pk}/", {"co_units": [cast.unit_b.pk], "version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["co_units"] == [cast.unit_b.pk]
    assert list(cast.task_a.co_units.all()) == [cast.unit_b]


def test_an_edit_without_the_version_is_refused(cast, api):
    response = api("office").patch(f"/api/tasks/{cast.task_a.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["version"]


def test_a_stale_version_gets_409_with_the_current_version(cast, api):
    client = api("office")
    assert (
        client.patch(
            f"/api/tasks/{cast.task_a.pk}/", {"title": "first", "version": 1}, format="json"
        ).status_code
        == 200
    )
    response = client.patch(f"/api/tasks/{cast.task_a.pk}/", {"title": "second", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    cast.task_a.refresh_from_db()
    assert (cast.task_a.title, cast.task_a.version) == ("first", 2)


@pytest.mark.parametrize("who", ["leader", "head_a", "liaison_a"])
def test_a_member_who_sees_the_task_may_not_edit_it(cast, api, who):
    response = api(who).patch(f"/api/tasks/{cast.task_a.pk}/", {"title": "x", "version": 1}, format="json")
    assert response.status_code == 403


def test_an_outsider_gets_404_when_editing(cast, api):
    response = api("liaison_b").patch(
        f"/api/tasks/{cast.task_a.pk}/", {"title": "x", "version": 1}, format="json"
    )
    assert response.status_code == 404
    cast.task_a.refresh_from_db()
    assert cast.task_a.title != "x"


def post(client, task: Task, name: str, body: dict | None = None):
    return client.post(f"/api/tasks/{task.pk}/{name}/", body or {}, format="json")


def test_the_lifecycle_walks_through_the_api_and_history_names_each_caller(cast, api):
    steps = [
        ("office", "assign", {}, TaskStatus.ASSIGNED),
        ("liaison_a", "acknowledge", {}, TaskStatus.ACKNOWLEDGED),
        (
            "liaison_a",
            "progress",
            {"progress": "60", "note": "主体完工", "on": "2026-06-30"},
            TaskStatus.IN_PROGRESS,
        ),
        ("head_a", "request-completion", {"note": "请求销号"}, TaskStatus.COMPLETION_REQUESTED),
        ("office", "return", {"reason": "佐证材料不全"}, TaskStatus.IN_PROGRESS),
        ("head_a", "request-completion", {}, TaskStatus.COMPLETION_REQUESTED),
        ("office", "close", {"on": "2026-12-20"}, TaskStatus.CLOSED),
    ]
    for who, name, body, expected in steps:
        response = post(api(who), cast.task_a, name, body)
        assert response.status_code == 200, (name, response.content)
        assert response.json()["status"] == expected
        assert latest(cast.task_a).history_user == cast.user(who), name
    cast.task_a.refresh_from_db()
    assert (str(cast.task_a.progress), str(cast.task_a.closed_on)) == ("100.00", "2026-12-20")
    assert cast.task_a.history.filter(history_change_reason="佐证材料不全").exists()


def test_a_co_unit_acknowledges_for_its_unit(cast, api):
    cast.head_a.memberships.update(unit=cast.unit_c)
    post(api("office"), cast.task_a, "assign")
    response = post(api("head_a"), cast.task_a, "acknowledge", {"unit": cast.unit_c.pk})
    assert response.status_code == 200
    assert response.json()["acknowledgements"][0]["acknowledged_at"] is not None
    assert response.json()["status"] == TaskStatus.ASSIGNED


def test_an_action_refused_by_the_task_state_is_400_with_the_message(cast, api):
    cast.task_a.owner = None
    cast.task_a.save()
    response = post(api("office"), cast.task_a, "assign")
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert post(api("liaison_a"), cast.task_c, "acknowledge").status_code == 404


@pytest.mark.parametrize("name", ["assign", "close", "resume"])
def test_a_unit_member_may_not_run_the_offices_actions(cast, api, name):
    assert post(api("head_a"), cast.task_a, name, {}).status_code == 403


@pytest.mark.parametrize(
    "name",
    [
        "assign",
        "acknowledge",
        "progress",
        "request-completion",
        "close",
        "return",
        "suspend",
        "resume",
        "cancel",
    ],
)
def test_an_outsider_gets_404_on_every_task_action(cast, api, name):
    response = post(api("liaison_b"), cast.task_a, name, {"reason": "x", "progress": "10"})
    assert response.status_code == 404


def test_the_wrong_unit_member_is_refused_with_403_when_it_sees_the_task(cast, api):
    post(api("office"), cast.task_a, "assign")
    post(api("liaison_a"), cast.task_a, "acknowledge")
    # the liaison may report but not ask for closure; that is the unit head's call
    assert post(api("liaison_a"), cast.task_a, "request-completion").status_code == 403
    assert post(api("leader"), cast.task_a, "progress", {"progress": "10"}).status_code == 403


@pytest.mark.parametrize("name", ["suspend", "cancel", "return"])
def test_actions_that_need_a_reason_refuse_without_one(cast, api, name):
    response = post(api("office"), cast.task_a, name, {})
    assert response.status_code == 400
    assert list(response.json()) == ["reason"]


def test_progress_above_100_is_refused(cast, api):
    post(api("office"), cast.task_a, "assign")
    response = post(api("office"), cast.task_a, "progress", {"progress": "100.5"})
    assert response.status_code == 400
    assert list(response.json()) == ["progress"]


def test_the_office_suspends_resumes_and_cancels(cast, api):
    client = api("office")
    post(client, cast.task_a, "assign")
    assert (
        post(client, cast.task_a, "suspend", {"reason": "上级调整"}).json()["status"] == TaskStatus.SUSPENDED
    )
    assert post(client, cast.task_a, "resume").json()["status"] == TaskStatus.ASSIGNED
    assert (
        post(client, cast.task_a, "cancel", {"reason": "不再实施"}).json()["status"] == TaskStatus.CANCELLED
    )
    assert latest(cast.task_a).history_change_reason == "不再实施"

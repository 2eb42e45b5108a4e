import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tongtui.plans import actions
from tongtui.plans.models import Milestone, Task


def edit_url(task) -> str:
    return reverse("task-edit", args=[task.pk])


def form_data(task, **overrides):
    """What the edit form posts for the task as it is now, with no milestone rows."""
    data = {
        "version": task.version,
        "code": task.code,
        "title": task.title,
        "parent": task.parent_id or "",
        "category": task.category_id or "",
        "source": task.source,
        "goal": task.goal,
        "measures": task.measures,
        "deliverables": task.deliverables,
        "lead_unit": task.lead_unit_id or "",
        "co_units": list(task.co_units.values_list("pk", flat=True)) if task.pk else [],
        "leader": task.leader_id or "",
        "owner": task.owner_id or "",
        "start": task.start.isoformat() if task.start else "",
        "due": task.due.isoformat() if task.due else "",
        "deadline_text": task.deadline_text,
        "weight": str(task.weight),
        "note": task.note,
        "reason": "",
        "ms-TOTAL_FORMS": "0",
        "ms-INITIAL_FORMS": "0",
        "ms-MIN_NUM_FORMS": "0",
        "ms-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_the_urls_are_named(cast):
    assert reverse("task-create") == "/tasks/new/"
    assert edit_url(cast.task_a) == f"/tasks/{cast.task_a.pk}/edit/"


def test_the_office_sees_the_editor(cast):
    response = cast.client("office").get(edit_url(cast.task_a))
    assert response.status_code == 200
    assert f'name="version" value="{cast.task_a.version}"' in response.content.decode()


@pytest.mark.parametrize("who", ["leader", "head_a", "liaison_a"])
def test_others_who_see_the_task_may_not_edit_or_create(cast, who):
    client = cast.client(who)
    assert client.get(edit_url(cast.task_a)).status_code == 403
    assert client.post(edit_url(cast.task_a), form_data(cast.task_a, title="改了")).status_code == 403
    assert client.get(reverse("task-create")).status_code == 403
    cast.task_a.refresh_from_db()
    assert cast.task_a.title != "改了"


def test_an_outsider_gets_404_from_the_editor(cast):
    assert cast.client("liaison_b").get(edit_url(cast.task_a)).status_code == 404
    assert cast.client("liaison_a").get(edit_url(cast.task_c)).status_code == 404


def test_the_edit_link_is_shown_to_the_office_only(cast):
    detail = reverse("task-detail", args=[cast.task_a.pk])
    assert 'id="task-edit"' in cast.client("office").get(detail).content.decode()
    assert 'id="task-edit"' not in cast.client("head_a").get(detail).content.decode()


def test_saving_changes_the_charter_and_co_units_with_a_reason_in_history(cast):
    data = form_data(cast.task_a, title="新标题", goal="新目标", co_units=[cast.unit_b.pk], reason="调整分工")
    response = cast.client("office").post(edit_url(cast.task_a), data)
    assert response.status_code == 302
    cast.task_a.refresh_from_db()
    assert cast.task_a.title == "新标题"
    assert cast.task_a.goal == "新目标"
    assert list(cast.task_a.co_units.all()) == [cast.unit_b]
    assert cast.task_a.history.first().history_change_reason == "调整分工"
    assert cast.task_a.history.first().history_user == cast.user("office")


def test_saving_nothing_changed_writes_nothing(cast):
    before = cast.task_a.history.count()
    response = cast.client("office").post(edit_url(cast.task_a), form_data(cast.task_a))
    assert response.status_code == 302
    assert cast.task_a.history.count() == before


def test_a_duplicate_code_is_refused(cast):
    response = cast.client("office").post(
        edit_url(cast.task_a), form_data(cast.task_a, code=cast.task_c.code)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["code"]


def test_milestones_are_added_changed_and_deleted_through_the_formset(cast):
    office = cast.user("office")
    keep = actions.add_milestone(
        cast.task_a, by=office, title="立项", due=datetime.date(2026, 3, 31), planned_progress=Decimal(20)
    )
    drop = actions.add_milestone(
        cast.task_a, by=office, title="作废", due=datetime.date(2026, 5, 31), planned_progress=Decimal(40)
    )
    cast.task_a.refresh_from_db()
    data = form_data(
        cast.task_a,
        **{
            "ms-TOTAL_FORMS": "3",
            "ms-INITIAL_FORMS": "2",
            "ms-0-id": keep.pk,
            "ms-0-task": cast.task_a.pk,
            "ms-0-title": "立项批复",
            "ms-0-due": "2026-03-31",
            "ms-0-planned_progress": "25",
            "ms-0-deliverable": "",
            "ms-1-id": drop.pk,
            "ms-1-task": cast.task_a.pk,
            "ms-1-title": "作废",
            "ms-1-due": "2026-05-31",
            "ms-1-planned_progress": "40",
            "ms-1-deliverable": "",
            "ms-1-DELETE": "on",
            "ms-2-id": "",
            "ms-2-task": cast.task_a.pk,
            "ms-2-title": "竣工",
            "ms-2-due": "2026-12-31",
            "ms-2-planned_progress": "100",
            "ms-2-deliverable": "验收报告",
            "ms-2-evidence_required": "on",
        },
    )
    response = cast.client("office").post(edit_url(cast.task_a), data)
    assert response.status_code == 302, response.context and response.context["formset"].errors
    rows = list(
        cast.task_a.milestones.order_by("due").values_list("title", "planned_progress", "evidence_required")
    )
    assert rows == [("立项批复", Decimal(25), False), ("竣工", Decimal(100), True)]
    assert not Milestone.objects.filter(pk=drop.pk).exists()
    assert Milestone.history.filter(id=drop.pk, history_type="-").get().history_user == office


def test_a_concurrent_edit_is_detected_and_nothing_typed_is_lost(cast):
    stale = form_data(cast.task_a, title="我的标题", goal="我写的目标")
    actions.update_task(cast.task_a, by=cast.user("office"), title="别人的标题")
    response = cast.client("office").post(edit_url(cast.task_a), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="conflict"' in page
    assert "别人的标题" in page  # the value now saved
    assert "我的标题" in page and "我写的目标" in page  # what the user typed, still in the form
    cast.task_a.refresh_from_db()
    assert cast.task_a.title == "别人的标题"
    assert response.context["form"]["version"].value() == str(cast.task_a.version)


def test_after_a_conflict_saving_again_overwrites_deliberately(cast):
    stale = form_data(cast.task_a, title="我的标题")
    actions.update_task(cast.task_a, by=cast.user("office"), title="别人的标题")
    client = cast.client("office")
    response = client.post(edit_url(cast.task_a), stale)
    again = dict(stale, version=response.context["form"]["version"].value())
    assert client.post(edit_url(cast.task_a), again).status_code == 302
    cast.task_a.refresh_from_db()
    assert cast.task_a.title == "我的标题"


def test_the_office_creates_a_task_with_milestones(cast):
    data = form_data(
        Task(
            plan=cast.plan,
            code="3",
            title="新建任务",
            category=cast.category,
            lead_unit=cast.unit_b,
            leader=cast.leader,
            owner=cast.owner,
            weight=Decimal(1),
        ),
        **{
            "co_units": [cast.unit_a.pk],
            "ms-TOTAL_FORMS": "1",
            "ms-0-title": "启动",
            "ms-0-due": "2026-04-30",
            "ms-0-planned_progress": "30",
        },
    )
    data.pop("version")
    response = cast.client("office").post(reverse("task-create") + f"?plan={cast.plan.pk}", data)
    assert response.status_code == 302
    task = Task.objects.get(plan=cast.plan, code="3")
    assert response["Location"] == reverse("task-detail", args=[task.pk])
    assert task.lead_unit == cast.unit_b
    assert list(task.co_units.all()) == [cast.unit_a]
    assert list(task.milestones.values_list("title", flat=True)) == ["启动"]
    assert task.history.get().history_user == cast.user("office")


def test_the_editor_runs_a_bounded_number_of_queries_however_many_milestones(
    cast, django_assert_max_num_queries
):
    office = cast.user("office")
    for i in range(12):
        actions.add_milestone(
            cast.task_a,
            by=office,
            title=f"节点{i}",
            due=datetime.date(2026, 1, 1 + i),
            planned_progress=Decimal(i),
        )
    client = cast.client("office")
    client.get(edit_url(cast.task_a))
    with django_assert_max_num_queries(16):
        response = client.get(edit_url(cast.task_a))
    assert len(response.context["formset"].forms) == 13

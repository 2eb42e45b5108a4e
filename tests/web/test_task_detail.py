import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tongtui.plans import actions


def url(task) -> str:
    return reverse("task-detail", args=[task.pk])


def test_the_url_is_named_task_detail(cast):
    assert url(cast.task_a) == f"/tasks/{cast.task_a.pk}/"


@pytest.mark.parametrize("who", ["office", "leader", "head_a", "liaison_a"])
def test_people_on_the_task_see_it(cast, who):
    response = cast.client(who).get(url(cast.task_a))
    assert response.status_code == 200
    assert cast.task_a.title in response.content.decode()


def test_an_outsider_gets_404(cast):
    assert cast.client("liaison_b").get(url(cast.task_a)).status_code == 404


@pytest.mark.parametrize("who", ["head_a", "liaison_a"])
def test_unit_a_gets_404_for_unit_cs_task(cast, who):
    assert cast.client(who).get(url(cast.task_c)).status_code == 404


def test_a_missing_task_is_404_like_a_hidden_one(cast):
    assert cast.client("office").get("/tasks/999999/").status_code == 404


def test_the_charter_shows_units_people_and_indicators(cast):
    office = cast.user("office")
    actions.update_task(cast.task_a, by=office, goal="GDP增长6%", measures="抓项目", deliverables="季度报告")
    actions.add_indicator(
        cast.task_a,
        by=office,
        name="GDP增速",
        target=Decimal(6),
        unit_of_measure="%",
        baseline=Decimal("5.5"),
    )
    page = cast.client("liaison_a").get(url(cast.task_a)).content.decode()
    for text in [
        "GDP增长6%",
        "抓项目",
        "季度报告",
        "区发展和改革局",
        "区财政局",
        "王副区长",
        "陈责任",
        "GDP增速",
        "5.5",
    ]:
        assert text in page, text


def test_co_units_show_whether_they_acknowledged(cast, liaison_c):
    actions.assign_task(cast.task_a, by=cast.user("office"))
    before = cast.client("office").get(url(cast.task_a)).content.decode()
    assert "bi-hourglass-split" in before
    assert "bi-check-circle-fill" not in before
    actions.acknowledge_task(cast.task_a, by=liaison_c)
    after = cast.client("office").get(url(cast.task_a)).content.decode()
    assert "bi-hourglass-split" not in after
    assert "bi-check-circle-fill" in after


def test_children_are_listed_only_when_visible(cast):
    office = cast.user("office")
    mine = actions.create_task(
        by=office, plan=cast.plan, code="1.1", title="子任务甲", parent=cast.task_a, lead_unit=cast.unit_a
    )
    actions.create_task(
        by=office, plan=cast.plan, code="1.2", title="子任务乙", parent=cast.task_a, lead_unit=cast.unit_b
    )
    page = cast.client("liaison_a").get(url(cast.task_a)).content.decode()
    assert "子任务甲" in page
    assert "子任务乙" not in page
    assert "子任务乙" in cast.client("office").get(url(cast.task_a)).content.decode()
    child_page = cast.client("liaison_a").get(url(mine)).content.decode()
    assert cast.task_a.title in child_page  # the parent, visible to unit A


def test_the_roadmap_marks_done_overdue_and_today(cast):
    office = cast.user("office")
    today = datetime.date.today()
    done = actions.add_milestone(
        cast.task_a,
        by=office,
        title="已完成节点",
        due=today - datetime.timedelta(days=30),
        planned_progress=Decimal(20),
    )
    actions.update_milestone(done, by=office, done_on=today - datetime.timedelta(days=31))
    actions.add_milestone(
        cast.task_a,
        by=office,
        title="逾期节点",
        due=today - datetime.timedelta(days=1),
        planned_progress=Decimal(40),
    )
    actions.add_milestone(
        cast.task_a,
        by=office,
        title="将来节点",
        due=today + datetime.timedelta(days=10),
        planned_progress=Decimal(100),
    )
    response = cast.client("liaison_a").get(url(cast.task_a))
    items = response.context["roadmap"]
    kinds = ["today" if i["today"] else i["milestone"].title for i in items]
    assert kinds == ["已完成节点", "逾期节点", "today", "将来节点"]
    assert items[0]["done"] and not items[0]["overdue"]
    assert items[1]["overdue"] and not items[1]["done"]
    page = response.content.decode()
    assert 'id="roadmap-today"' in page
    assert page.count("tt-overdue") == 1


def test_history_shows_who_changed_what_from_old_to_new_and_why(cast):
    office = cast.user("office")
    actions.update_task(cast.task_a, by=office, title="新的标题", reason="按会议要求修改")
    response = cast.client("liaison_a").get(url(cast.task_a))
    history = response.context["history"]
    change = next(e for e in history if e.subject == "task" and e.changes)
    assert change.who == "周督查"
    assert change.reason == "按会议要求修改"
    assert [(c.old, c.new) for c in change.changes] == [("地区生产总值增长6%左右", "新的标题")]
    page = response.content.decode()
    assert "按会议要求修改" in page
    assert "新的标题" in page


def test_history_names_a_person_and_an_account_without_one_from_the_rows_it_reads(cast, django_assert_num_queries):
    """Who made each change comes with the history rows (the user and the person behind it): no query for names;
    an account with no person is named by its login."""
    from django.contrib.auth.models import User

    from tongtui.plans.changes import task_history
    from tongtui.plans.models import Task

    actions.update_task(cast.task_a, by=cast.user("office"), title="新的标题")
    admin = User.objects.create_superuser(username="it_admin", password="pw-it_admin")
    actions.update_task(cast.task_a, by=admin, title="再改标题")
    task = Task.objects.get(pk=cast.task_a.pk)
    with django_assert_num_queries(3):  # the task's, its milestones' and its co-units' history rows
        history = task_history(task)
    titles = {e.changes[0].new: e.who for e in history if e.subject == "task" and e.changes}
    assert titles == {"新的标题": "周督查", "再改标题": "it_admin"}


def test_history_names_foreign_keys_and_choices(cast):
    office = cast.user("office")
    actions.update_task(cast.task_a, by=office, lead_unit=cast.unit_b)
    actions.assign_task(cast.task_a, by=office)
    history = cast.client("office").get(url(cast.task_a)).context["history"]
    pairs = {(c.old, c.new) for e in history for c in e.changes}
    assert ("区发改局", "城关街道") in pairs
    assert any(old == "Draft" or old == "草稿" for old, _new in pairs)


def test_history_includes_milestones_and_co_units(cast):
    office = cast.user("office")
    milestone = actions.add_milestone(
        cast.task_a, by=office, title="开工", due=datetime.date(2026, 6, 30), planned_progress=Decimal(50)
    )
    actions.update_milestone(milestone, by=office, planned_progress=Decimal(60))
    actions.update_task(cast.task_a, by=office, co_units=[cast.unit_b])
    history = cast.client("office").get(url(cast.task_a)).context["history"]
    subjects = {(e.subject, e.kind, e.name) for e in history}
    assert ("milestone", "+", "开工") in subjects
    assert ("milestone", "~", "开工") in subjects
    assert ("co-unit", "+", "城关街道") in subjects
    assert ("co-unit", "-", "区财政局") in subjects
    changed = next(e for e in history if e.subject == "milestone" and e.kind == "~")
    assert [(c.old, c.new) for c in changed.changes] == [("50", "60")]


def test_the_detail_page_runs_a_bounded_number_of_queries(cast, django_assert_max_num_queries):
    office = cast.user("office")
    for i in range(10):
        actions.add_milestone(
            cast.task_a,
            by=office,
            title=f"节点{i}",
            due=datetime.date(2026, 1 + i, 1),
            planned_progress=Decimal(10 * i),
        )
        actions.update_task(cast.task_a, by=office, note=f"第{i}次修改")
    client = cast.client("liaison_a")
    client.get(url(cast.task_a))
    # 19 (26 before the co-units and milestones were read once, the instructions in one query, and the people's
    # names with the history rows and the roles): session, user, roles (with the navbar's person); the task, its
    # co-units (read once for every panel, Task.co_unit_ids), its milestones (the roadmap's, also the problems
    # panel's verified progress), sub-tasks, indicators, the year-end conclusion, the co-unit groups as written,
    # three history tables (each with who made the change); the problems panel's open problems; the follow-up's
    # change requests; the collaboration panel (instructions with the ones the task came from, requests,
    # comments); the bell's unread count, the menu's year
    with django_assert_max_num_queries(19):
        client.get(url(cast.task_a))


def test_the_charter_shows_a_unit_group_as_written_and_says_when_it_is_empty(cast):
    from tongtui.orgs.models import UnitGroup
    from tongtui.plans.actions_groups import add_co_group

    group = UnitGroup.objects.create(name="各县(市)区政府")
    add_co_group(cast.task_a, group, by=cast.user("office"), written="各县（市）区政府")
    page = cast.client("office").get(url(cast.task_a)).content.decode()
    assert "各县（市）区政府" in page
    assert "待补充成员" in page
    assert f"/setup/groups/{group.pk}/members/" in page
    assert f"/setup/groups/{group.pk}/members/" not in cast.client("liaison_a").get(url(cast.task_a)).content.decode()

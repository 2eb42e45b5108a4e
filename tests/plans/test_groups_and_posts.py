"""Collective co-units follow their unit group; a post is filled once and every task naming it follows."""

import pytest

from tongtui.core.errors import Forbidden
from tongtui.orgs.models import Person, Post, Unit, UnitGroup
from tongtui.plans import actions
from tongtui.plans.actions_groups import add_co_group, fill_post, get_or_create_post, set_group_members
from tongtui.plans.models import CoUnit, Task


@pytest.fixture
def towns(cast):
    return [Unit.objects.create(name=f"第{i}镇", kind="town") for i in range(1, 4)]


def co_unit_names(task: Task) -> set[str]:
    return set(CoUnit.objects.filter(task=task).values_list("unit__name", flat=True))


def test_an_empty_group_named_on_a_task_gets_its_members_when_the_office_fills_it(cast, towns):
    office = cast.user("office")
    group = UnitGroup.objects.create(name="各县(市)区政府")
    add_co_group(cast.task_a, group, by=office, written="各县(市)区政府")
    assert co_unit_names(cast.task_a) == {"区财政局"}
    changed = set_group_members(group, towns[:2], by=office)
    assert changed == [cast.task_a.pk]
    assert co_unit_names(cast.task_a) == {"区财政局", "第1镇", "第2镇"}
    set_group_members(group, towns[1:], by=office)
    assert co_unit_names(cast.task_a) == {"区财政局", "第2镇", "第3镇"}
    assert cast.task_a.co_group_links.get().written == "各县(市)区政府"


def test_a_unit_that_acknowledged_keeps_its_link_when_it_leaves_the_group(cast, towns):
    office = cast.user("office")
    group = UnitGroup.objects.create(name="各镇街")
    set_group_members(group, towns, by=office)
    add_co_group(cast.task_a, group, by=office)
    CoUnit.objects.filter(task=cast.task_a, unit=towns[0]).update(acknowledged_at="2026-03-01T08:00:00+08:00")
    set_group_members(group, towns[1:], by=office)
    assert "第1镇" in co_unit_names(cast.task_a)


def test_the_lead_unit_is_never_its_own_co_unit_through_a_group(cast, towns):
    office = cast.user("office")
    group = UnitGroup.objects.create(name="区直各部门")
    set_group_members(group, [cast.unit_a, cast.unit_c], by=office)
    add_co_group(cast.task_a, group, by=office)
    assert co_unit_names(cast.task_a) == {"区财政局"}


def test_filling_a_post_fills_every_task_naming_it_once(cast):
    office = cast.user("office")
    post = get_or_create_post(cast.unit_a, "负责人", by=office)
    assert get_or_create_post(cast.unit_a, "负责人", by=office) == post
    Task.objects.filter(pk__in=[cast.task_a.pk, cast.task_c.pk]).update(owner=None, owner_post=post)
    holder = Person.objects.create(name="钱主任", unit=cast.unit_a)
    filled = fill_post(post, holder, by=office)
    assert sorted(filled) == sorted([cast.task_a.pk, cast.task_c.pk])
    cast.task_a.refresh_from_db()
    assert cast.task_a.owner == holder and cast.task_a.owner_post == post
    assert cast.task_a.history.first().history_user == office
    assert Post.objects.get(pk=post.pk).holder == holder
    actions.assign_task(cast.task_a, by=office)  # nothing missing any more


def test_only_the_office_changes_groups_and_posts(cast, towns):
    group = UnitGroup.objects.create(name="各镇街")
    with pytest.raises(Forbidden):
        set_group_members(group, towns, by=cast.user("head_a"))
    with pytest.raises(Forbidden):
        get_or_create_post(cast.unit_a, "局长", by=cast.user("liaison_a"))

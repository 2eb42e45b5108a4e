"""Unit groups (members follow onto the tasks that name the group) and posts (filled once, the tasks that
name the post follow), through the office's pages."""

import pytest
from django.urls import reverse

from tests.setup.conftest import history_user, messages_of
from tongtui.orgs.models import Person, Post, Unit, UnitGroup
from tongtui.plans.actions_groups import add_co_group
from tongtui.plans.models import CoUnit, Task


@pytest.fixture
def towns(cast):
    return [Unit.objects.create(name=f"第{i}镇", kind="town", order=10 + i) for i in range(1, 3)]


def co_units(task: Task) -> set[str]:
    return set(CoUnit.objects.filter(task=task).values_list("unit__name", flat=True))


def test_the_list_counts_members_and_shows_an_empty_group_plainly(cast, towns, office):
    full = UnitGroup.objects.create(name="各镇街")
    full.units.set([*towns, cast.unit_b])
    empty = UnitGroup.objects.create(name="各县(市)区政府", aliases="各县区")
    add_co_group(cast.task_a, empty, by=cast.user("office"))
    page = office.get(reverse("setup:group-list"))
    groups = {g.name: g for g in page.context["groups"]}
    assert (groups["各镇街"].n_units, groups["各镇街"].n_tasks) == (3, 0)
    assert (groups["各县(市)区政府"].n_units, groups["各县(市)区政府"].n_tasks) == (0, 1)
    html = page.content.decode()
    assert f'data-group="{empty.pk}"' in html and "Waiting for members" in html


def test_the_office_creates_a_group_then_chooses_its_members(cast, towns, office):
    response = office.post(
        reverse("setup:group-create"), {"name": "各镇街", "aliases": "各街道\n各镇(街道)\n"}
    )
    group = UnitGroup.objects.get(name="各镇街")
    assert response["Location"] == reverse("setup:group-members", args=[group.pk])
    assert group.all_names() == ["各镇街", "各街道", "各镇(街道)"] and history_user(group) == cast.user(
        "office"
    )
    page = office.get(response["Location"])
    kinds = {k["kind"]: [row["unit"] for row in k["units"]] for k in page.context["kinds"]}
    assert kinds["town"] == towns and kinds["subdistrict"] == [cast.unit_b]
    assert 'data-check-kinds="town subdistrict"' in page.content.decode()  # the “all towns” helper
    office.post(response["Location"], {"units": [u.pk for u in towns] + [cast.unit_b.pk]})
    assert set(group.units.all()) == {*towns, cast.unit_b}


def test_changing_the_members_moves_the_co_units_on_the_tasks_that_name_the_group(cast, towns, office):
    group = UnitGroup.objects.create(name="各镇街")
    add_co_group(cast.task_a, group, by=cast.user("office"))
    assert co_units(cast.task_a) == {"区财政局"}
    url = reverse("setup:group-members", args=[group.pk])
    response = office.post(url, {"units": [t.pk for t in towns]}, follow=True)
    assert co_units(cast.task_a) == {"区财政局", "第1镇", "第2镇"}
    assert "1 open tasks that name the group follow." in messages_of(response)
    office.post(url, {"units": [towns[1].pk, cast.unit_b.pk]})
    assert co_units(cast.task_a) == {"区财政局", "第2镇", "城关街道办事处"}
    link = CoUnit.objects.get(task=cast.task_a, unit=cast.unit_b)
    assert link.via_group == group and history_user(link) == cast.user("office")
    assert UnitGroup.history.filter(id=group.pk).first().history_user == cast.user("office")


def test_a_deactivated_unit_is_not_offered_as_a_member(cast, towns, office):
    Unit.objects.filter(pk=towns[0].pk).update(is_active=False)
    group = UnitGroup.objects.create(name="各镇街")
    url = reverse("setup:group-members", args=[group.pk])
    offered = [row["unit"] for k in office.get(url).context["kinds"] for row in k["units"]]
    assert towns[0] not in offered
    assert office.post(url, {"units": [towns[0].pk]}).status_code == 400
    assert not group.units.exists()


def test_the_office_renames_a_group_and_changes_its_other_names(cast, office):
    group = UnitGroup.objects.create(name="区直部门")
    url = reverse("setup:group-edit", args=[group.pk])
    assert office.post(url, {"name": "区直各部门", "aliases": "区直各单位\n区级各部门"}).status_code == 302
    group.refresh_from_db()
    assert group.all_names() == ["区直各部门", "区直各单位", "区级各部门"]
    UnitGroup.objects.create(name="各镇街")
    taken = office.post(url, {"name": "各镇街", "aliases": ""})
    assert taken.status_code == 400 and "name" in taken.context["form"].errors


def test_posts_without_a_holder_come_first_with_the_tasks_that_name_them(cast, office):
    filled = Post.objects.create(unit=cast.unit_c, title="局长", holder=cast.owner)
    empty = Post.objects.create(unit=cast.unit_a, title="负责人")
    Task.objects.filter(pk__in=[cast.task_a.pk, cast.task_c.pk]).update(owner_post=empty)
    Task.objects.filter(pk=cast.task_a.pk).update(leader_post=filled)
    posts = list(office.get(reverse("setup:post-list")).context["posts"])
    assert posts == [empty, filled]
    assert (posts[0].n_owner, posts[0].n_leader, posts[1].n_leader) == (2, 0, 1)


def test_filling_a_post_fills_the_tasks_that_name_it(cast, office):
    post = Post.objects.create(unit=cast.unit_a, title="负责人")
    Task.objects.filter(pk=cast.task_a.pk).update(owner=None, owner_post=post)
    holder = Person.objects.create(name="钱主任", unit=cast.unit_a)
    url = reverse("setup:post-fill", args=[post.pk])
    choices = list(office.get(url).context["form"].fields["person"].queryset)
    assert choices[0].unit == cast.unit_a  # people of the post's unit first
    response = office.post(url, {"person": holder.pk}, follow=True)
    assert "Post “区发改局负责人” saved; 1 tasks filled." in messages_of(response)
    task = Task.objects.get(pk=cast.task_a.pk)
    assert task.owner == holder and history_user(task) == cast.user("office")
    assert Post.objects.get(pk=post.pk).holder == holder

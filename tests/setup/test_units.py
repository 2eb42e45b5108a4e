"""Units: the tree, search, create with aliases, edit, aliases, deactivate (refused while the unit leads open
tasks, which are named) and reactivate."""

import pytest
from django.urls import reverse

from tests.race import at_once
from tests.setup.conftest import history_user, messages_of
from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.orgs import actions as org_actions
from tongtui.orgs.models import Unit, UnitAlias
from tongtui.plans import actions as plan_actions
from tongtui.setup import actions


def test_the_tree_lists_children_under_their_parent(cast, office):
    rows = office.get(reverse("setup:unit-list")).context["rows"]
    names = [(r["unit"].name, r["indent"]) for r in rows]
    assert names[0] == ("示范区人民政府", 0)
    assert ("区发展和改革局", 1) in names and len(names) == 5


def test_the_search_finds_a_unit_by_its_alias_or_short_name(cast, office):
    UnitAlias.objects.create(unit=cast.unit_a, name="区发改委")
    found = office.get(reverse("setup:unit-list"), {"q": "发改委"}).context["rows"]
    assert [r["unit"] for r in found] == [cast.unit_a]
    found = office.get(reverse("setup:unit-list"), {"q": "城关"}).context["rows"]
    assert [r["unit"] for r in found] == [cast.unit_b]


def test_deactivated_units_are_listed_on_request(cast, office):
    Unit.objects.filter(pk=cast.unit_c.pk).update(is_active=False)
    active = [r["unit"] for r in office.get(reverse("setup:unit-list")).context["rows"]]
    assert cast.unit_c not in active
    inactive = [
        r["unit"] for r in office.get(reverse("setup:unit-list"), {"show": "inactive"}).context["rows"]
    ]
    assert inactive == [cast.unit_c]


def test_the_office_creates_a_unit_with_its_aliases(cast, office):
    data = {"name": "区数据局", "short_name": "数据局", "kind": "department", "parent": cast.district.pk,
            "order": 40, "aliases": "区大数据局\n大数据中心\n区大数据局"}  # fmt: skip
    response = office.post(reverse("setup:unit-create"), data)
    unit = Unit.objects.get(name="区数据局")
    assert response["Location"] == reverse("setup:unit-detail", args=[unit.pk])
    assert (unit.parent, unit.order, unit.short_name) == (cast.district, 40, "数据局")
    assert sorted(unit.aliases.values_list("name", flat=True)) == ["区大数据局", "大数据中心"]
    assert history_user(unit) == cast.user("office")
    assert all(history_user(a) == cast.user("office") for a in unit.aliases.all())


def test_a_unit_name_or_alias_taken_elsewhere_is_refused_and_nothing_is_created(cast, office):
    response = office.post(
        reverse("setup:unit-create"), {"name": "区财政局", "kind": "department", "order": 0}
    )
    assert response.status_code == 400 and "name" in response.context["form"].errors
    data = {"name": "区数据局", "kind": "department", "order": 0, "aliases": "区发展和改革局"}
    response = office.post(reverse("setup:unit-create"), data)
    assert response.status_code == 400
    assert "already names" in " ".join(response.context["form"].non_field_errors())
    assert not Unit.objects.filter(name="区数据局").exists()


def test_the_office_edits_a_unit_and_cannot_put_it_under_itself(cast, office):
    url = reverse("setup:unit-detail", args=[cast.district.pk])
    data = {"name": "示范区人民政府", "short_name": "区政府", "kind": "district", "parent": "", "order": 1}
    assert office.post(url, data).status_code == 302
    cast.district.refresh_from_db()
    assert cast.district.order == 1 and history_user(cast.district) == cast.user("office")
    response = office.post(url, {**data, "parent": cast.unit_a.pk})
    assert response.status_code == 400 and "parent" in response.context["form"].errors
    cast.district.refresh_from_db()
    assert cast.district.parent is None


def test_aliases_are_added_and_removed(cast, office):
    url = reverse("setup:alias-add", args=[cast.unit_a.pk])
    assert office.post(url, {"alias": "区发改委"}).status_code == 302
    alias = UnitAlias.objects.get(name="区发改委")
    assert alias.unit == cast.unit_a and history_user(alias) == cast.user("office")
    taken = office.post(reverse("setup:alias-add", args=[cast.unit_c.pk]), {"alias": "区发改委"})
    assert taken.status_code == 400
    assert "“区发改委” already names 区发展和改革局." in taken.content.decode()
    office.post(reverse("setup:alias-remove", args=[alias.pk]))
    assert not UnitAlias.objects.filter(pk=alias.pk).exists()
    assert UnitAlias.history.filter(id=alias.pk, history_type="-").get().history_user == cast.user("office")
    with pytest.raises(ActionError):
        org_actions.remove_alias(alias, by=cast.user("office"))


def test_a_unit_that_leads_open_tasks_is_not_deactivated_and_the_tasks_are_named(cast, office):
    response = office.post(reverse("setup:unit-active", args=[cast.unit_a.pk, "deactivate"]), follow=True)
    text = " ".join(messages_of(response))
    assert "区发展和改革局 still leads open tasks: 2026-1 地区生产总值增长6%左右." in text
    cast.unit_a.refresh_from_db()
    assert cast.unit_a.is_active


def test_a_unit_whose_tasks_are_done_is_deactivated_and_reactivated(cast, office):
    plan_actions.cancel_task(cast.task_c, by=cast.user("office"), reason="合并到其他任务")
    url = reverse("setup:unit-active", args=[cast.unit_c.pk, "deactivate"])
    office.post(url, {"reason": "机构改革"})
    cast.unit_c.refresh_from_db()
    assert not cast.unit_c.is_active
    entry = cast.unit_c.history.first()
    assert entry.history_user == cast.user("office") and entry.history_change_reason == "机构改革"
    again = office.post(url, follow=True)
    assert "already deactivated" in " ".join(messages_of(again))
    assert cast.unit_c.history.filter(is_active=False).count() == 1
    office.post(reverse("setup:unit-active", args=[cast.unit_c.pk, "reactivate"]))
    cast.unit_c.refresh_from_db()
    assert cast.unit_c.is_active


@pytest.mark.django_db(transaction=True)
def test_two_deactivations_at_once_deactivate_once(cast):
    url = reverse("setup:unit-active", args=[cast.unit_b.pk, "deactivate"])
    at_once(3, lambda i: cast.client("office").post(url))
    unit = Unit.objects.get(pk=cast.unit_b.pk)
    assert not unit.is_active
    assert unit.history.filter(is_active=False).count() == 1


def test_only_the_office_changes_units(cast):
    head = cast.user("head_a")
    for run in (
        lambda: actions.deactivate_unit(cast.unit_b, by=head),
        lambda: actions.reactivate_unit(cast.unit_b, by=head),
        lambda: org_actions.add_alias(cast.unit_b, "城关办", by=head),
        lambda: org_actions.update_group(object(), by=head, name="x"),
        lambda: org_actions.revoke_role(object(), by=head),
    ):
        with pytest.raises(Forbidden):
            run()
    with pytest.raises(Conflict):
        actions.reactivate_unit(cast.unit_b, by=cast.user("office"))

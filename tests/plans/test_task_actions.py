import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.core.system import system_user
from tongtui.plans import actions
from tongtui.plans.models import Task, TaskStatus


def test_it_refuses_to_assign_without_leader_and_person(cast):
    cast.task_a.leader = None
    cast.task_a.owner = None
    cast.task_a.save()
    with pytest.raises(ActionError) as exc:
        actions.assign_task(cast.task_a, by=cast.user("office"))
    assert "责任领导" in str(exc.value) or "responsible leader" in str(exc.value)
    cast.task_a.refresh_from_db()
    assert cast.task_a.status == TaskStatus.DRAFT


def test_only_the_office_assigns(cast):
    with pytest.raises(Forbidden):
        actions.assign_task(cast.task_a, by=cast.user("head_a"))


def test_assignment_and_acknowledgement_walk_the_lifecycle(cast):
    actions.assign_task(cast.task_a, by=cast.user("office"))
    assert cast.task_a.status == TaskStatus.ASSIGNED
    # unit B is not on the task
    with pytest.raises(Forbidden):
        actions.acknowledge_task(cast.task_a, by=cast.user("liaison_b"), unit=cast.unit_b)
    actions.acknowledge_task(cast.task_a, by=cast.user("liaison_a"))
    cast.task_a.refresh_from_db()
    assert cast.task_a.status == TaskStatus.ACKNOWLEDGED
    assert cast.task_a.lead_acknowledged_at is not None
    actions.record_progress(cast.task_a, by=cast.user("liaison_a"), progress=Decimal(40), note="完成立项")
    assert cast.task_a.status == TaskStatus.IN_PROGRESS
    with pytest.raises(Forbidden):
        actions.request_completion(cast.task_a, by=cast.user("liaison_a"))
    actions.request_completion(cast.task_a, by=cast.user("head_a"))
    actions.close_task(cast.task_a, by=cast.user("office"))
    cast.task_a.refresh_from_db()
    assert cast.task_a.status == TaskStatus.CLOSED
    assert cast.task_a.progress == Decimal(100)


def test_every_transition_is_in_history_with_its_actor(cast):
    actions.assign_task(cast.task_a, by=cast.user("office"))
    actions.acknowledge_task(cast.task_a, by=cast.user("head_a"))
    rows = list(cast.task_a.history.order_by("history_date"))
    assert [r.status for r in rows[-2:]] == ["assigned", "acknowledged"]
    assert rows[-1].history_user == cast.user("head_a")
    assert rows[-2].history_user == cast.user("office")


def test_commands_act_as_the_system_account_in_history(cast):
    actions.update_task(cast.task_a, by=system_user(), title="新标题", reason="import_tasks book.xlsx")
    row = cast.task_a.history.latest()
    assert row.history_user.username == "tongtui-system"
    assert row.history_change_reason == "import_tasks book.xlsx"


def test_a_stale_edit_is_refused_not_overwritten(cast):
    seen = cast.task_a.version
    actions.update_task(Task.objects.get(pk=cast.task_a.pk), by=cast.user("office"), version=seen, title="甲")
    with pytest.raises(Conflict):
        actions.update_task(
            Task.objects.get(pk=cast.task_a.pk), by=cast.user("office"), version=seen, title="乙"
        )
    assert Task.objects.get(pk=cast.task_a.pk).title == "甲"


def test_co_unit_acknowledges_its_part(cast):
    actions.assign_task(cast.task_a, by=cast.user("office"))
    from tongtui.orgs.models import Membership, Role

    Membership.objects.create(person=cast.liaison_b, unit=cast.unit_c, role=Role.LIAISON)
    actions.acknowledge_task(cast.task_a, by=cast.user("liaison_b"), unit=cast.unit_c)
    link = cast.task_a.co_unit_links.get(unit=cast.unit_c)
    assert link.acknowledged_at is not None
    cast.task_a.refresh_from_db()
    assert cast.task_a.status == TaskStatus.ASSIGNED  # only the lead unit moves the task on


def test_parent_progress_rolls_up_by_weight(cast):
    office = cast.user("office")
    parent = cast.task_a
    kids = [
        actions.create_task(
            by=office,
            plan=cast.plan,
            parent=parent,
            code=f"1.{i}",
            title=f"子任务{i}",
            lead_unit=cast.unit_a,
            leader=cast.leader,
            owner=cast.owner,
            weight=Decimal(w),
        )
        for i, w in ((1, 3), (2, 1))
    ]
    for kid in kids:
        actions.assign_task(kid, by=office)
    actions.record_progress(kids[0], by=office, progress=Decimal(100))
    actions.record_progress(kids[1], by=office, progress=Decimal(20))
    parent.refresh_from_db()
    assert parent.progress == Decimal("80.00")  # (3*100 + 1*20) / 4


def test_due_before_start_is_invalid(cast):
    with pytest.raises(ValidationError):
        actions.update_task(
            cast.task_a,
            by=cast.user("office"),
            start=datetime.date(2026, 6, 1),
            due=datetime.date(2026, 3, 1),
        )


def test_the_office_acknowledges_on_behalf_of_a_unit(cast):
    actions.assign_task(cast.task_a, by=cast.user("office"))
    actions.acknowledge_task(cast.task_a, by=cast.user("office"), unit=cast.unit_c)
    assert cast.task_a.co_unit_links.get(unit=cast.unit_c).acknowledged_at is not None


def test_indicator_values_are_recorded_by_the_lead_unit_only(cast):
    indicator = actions.add_indicator(
        cast.task_a, by=cast.user("office"), name="地区生产总值增速", target=Decimal(6), unit_of_measure="%"
    )
    actions.record_indicator_value(
        indicator, by=cast.user("liaison_a"), period=datetime.date(2026, 6, 30), value=Decimal("5.8")
    )
    actions.record_indicator_value(
        indicator, by=cast.user("liaison_a"), period=datetime.date(2026, 6, 30), value=Decimal("5.9")
    )
    assert list(indicator.values.values_list("value", flat=True)) == [Decimal("5.9")]
    with pytest.raises(Forbidden):
        actions.record_indicator_value(
            indicator, by=cast.user("liaison_b"), period=datetime.date(2026, 6, 30), value=Decimal(1)
        )

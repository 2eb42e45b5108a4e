"""The office changes an assigned task's lead unit, or moves its date or a milestone's later."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tongtui.core.errors import ActionError, Forbidden
from tongtui.core.workdays import add_workdays
from tongtui.plans import actions
from tongtui.plans.actions_reassign import change_lead_unit, extend_due
from tongtui.plans.models import CoUnit, Milestone, Task, TaskStatus

D = datetime.date


@pytest.fixture
def assigned(cast):
    actions.assign_task(cast.task_a, by=cast.user("office"))
    cast.task_a.refresh_from_db()
    return cast


def test_the_new_lead_acknowledges_afresh_within_a_new_deadline(assigned):
    cast, office = assigned, assigned.user("office")
    task = cast.task_a
    actions.acknowledge_task(task, by=cast.user("head_a"), unit=cast.unit_a)
    Task.objects.filter(pk=task.pk).update(ack_due=D(2026, 1, 8))
    task.refresh_from_db()
    version = task.version

    change_lead_unit(task, cast.unit_b, by=office, keep_old_as_co_unit=True, reason="职责调整")

    task.refresh_from_db()
    assert task.lead_unit == cast.unit_b
    assert task.lead_acknowledged_at is None
    assert task.status == TaskStatus.ASSIGNED  # the lead's acknowledgement is reset
    assert task.ack_due == add_workdays(timezone.localdate(), cast.plan.acknowledge_workdays)
    assert task.version == version + 1
    last = task.history.first()
    assert last.history_user == office and last.history_change_reason == "职责调整"
    assert last.prev_record.lead_unit_id == cast.unit_a.pk


def test_the_old_lead_stays_as_a_co_unit_keeping_its_acknowledgement(assigned):
    cast = assigned
    task = cast.task_a
    actions.acknowledge_task(task, by=cast.user("head_a"), unit=cast.unit_a)
    acknowledged = Task.objects.get(pk=task.pk).lead_acknowledged_at
    change_lead_unit(task, cast.unit_b, by=cast.user("office"), keep_old_as_co_unit=True, reason="")
    links = {link.unit_id: link for link in CoUnit.objects.filter(task=task)}
    assert set(links) == {cast.unit_a.pk, cast.unit_c.pk}
    assert links[cast.unit_a.pk].acknowledged_at == acknowledged
    assert links[cast.unit_a.pk].history.first().history_user == cast.user("office")


def test_the_old_lead_can_leave_and_a_co_unit_can_become_the_lead(assigned):
    cast = assigned
    task = cast.task_a
    change_lead_unit(task, cast.unit_c, by=cast.user("office"), keep_old_as_co_unit=False, reason="")
    task.refresh_from_db()
    assert task.lead_unit == cast.unit_c
    assert not CoUnit.objects.filter(task=task).exists()  # unit C is no longer its own co-unit; A left


def test_an_in_progress_task_stays_in_progress(assigned):
    cast, office = assigned, assigned.user("office")
    task = cast.task_a
    actions.acknowledge_task(task, by=office, unit=cast.unit_a)
    actions.record_progress(task, by=office, progress=Decimal(30))
    change_lead_unit(task, cast.unit_b, by=office, keep_old_as_co_unit=False, reason="")
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.lead_acknowledged_at is None


def test_only_the_office_changes_the_lead_and_not_to_the_same_unit(assigned):
    cast = assigned
    with pytest.raises(Forbidden):
        change_lead_unit(
            cast.task_a, cast.unit_b, by=cast.user("head_a"), keep_old_as_co_unit=True, reason=""
        )
    with pytest.raises(ActionError):
        change_lead_unit(
            cast.task_a, cast.unit_a, by=cast.user("office"), keep_old_as_co_unit=True, reason=""
        )
    assert Task.objects.get(pk=cast.task_a.pk).lead_unit == cast.unit_a


def test_a_closed_task_keeps_its_lead(assigned):
    cast, office = assigned, assigned.user("office")
    actions.cancel_task(cast.task_a, by=office, reason="撤销")
    with pytest.raises(ActionError):
        change_lead_unit(cast.task_a, cast.unit_b, by=office, keep_old_as_co_unit=True, reason="")


def test_the_first_extension_keeps_the_original_date_and_later_ones_keep_it_too(assigned):
    cast, office = assigned, assigned.user("office")
    task = cast.task_a
    extend_due(task, D(2027, 3, 31), by=office, reason="延期一季度")
    task.refresh_from_db()
    assert (task.due, task.original_due) == (D(2027, 3, 31), D(2026, 12, 31))
    extend_due(task, D(2027, 6, 30), by=office, reason="再延期")
    task.refresh_from_db()
    assert (task.due, task.original_due) == (D(2027, 6, 30), D(2026, 12, 31))
    assert task.history.first().history_change_reason == "再延期"


def test_a_milestone_is_extended_within_its_task(assigned):
    cast, office = assigned, assigned.user("office")
    milestone = actions.add_milestone(
        cast.task_a, by=office, title="完成立项", due=D(2026, 6, 30), planned_progress=Decimal(30)
    )
    extend_due(milestone, D(2026, 9, 30), by=office, reason="用地审批延后")
    milestone.refresh_from_db()
    assert (milestone.due, milestone.original_due) == (D(2026, 9, 30), D(2026, 6, 30))
    assert milestone.history.first().history_user == office
    with pytest.raises(ActionError):  # after the task's own due date
        extend_due(milestone, D(2027, 1, 31), by=office, reason="")


@pytest.mark.parametrize("day", [D(2026, 12, 31), D(2026, 6, 1)])
def test_an_extension_moves_the_date_later(assigned, day):
    with pytest.raises(ActionError):
        extend_due(assigned.task_a, day, by=assigned.user("office"), reason="")


def test_a_done_milestone_is_not_extended(assigned):
    cast, office = assigned, assigned.user("office")
    milestone = actions.add_milestone(
        cast.task_a, by=office, title="完成立项", due=D(2026, 6, 30), planned_progress=Decimal(30)
    )
    actions.update_milestone(milestone, by=office, done_on=D(2026, 6, 20))
    with pytest.raises(ActionError):
        extend_due(Milestone.objects.get(pk=milestone.pk), D(2026, 9, 30), by=office, reason="")


def test_only_the_office_extends(assigned):
    with pytest.raises(Forbidden):
        extend_due(assigned.task_a, D(2027, 3, 31), by=assigned.user("liaison_a"), reason="")

"""Requests about an assigned task: the lead unit disputes the lead (申请调整牵头单位) or asks for an extension
(延期申请); the office approves or refuses; the unit may withdraw. Who may, what changes, who is told."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.dispatch import actions_requests as requests
from tongtui.dispatch.models import Notification
from tongtui.plans import actions as plan_actions
from tongtui.plans.models import (
    ChangeRequest,
    CoUnit,
    Milestone,
    RequestKind,
    RequestStatus,
    Task,
    TaskStatus,
)

D = datetime.date


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def r(d):
    """The dispatch cast; task_a runs for another year and has a milestone due in 30 days."""
    Task.objects.filter(pk=d.task_a.pk).update(due=days(365))
    d.task_a.refresh_from_db()
    d.milestone = plan_actions.add_milestone(
        d.task_a, by=d.user("office"), title="完成立项", due=days(30), planned_progress=Decimal(30)
    )
    return d


def lead_request(r, **kw) -> ChangeRequest:
    return requests.ask_lead_change(r.task_a, by=r.user("liaison_a"), reason="不属于本单位职责", **kw)


def extension(r, milestone=None, due=None) -> ChangeRequest:
    return requests.ask_extension(
        r.task_a,
        by=r.user("liaison_a"),
        reason="用地审批延后",
        proposed_due=due or days(60),
        milestone=milestone,
    )


def titles(r, who) -> list[str]:
    return list(Notification.objects.filter(recipient=r.user(who)).values_list("title", flat=True))


# asking


def test_the_lead_unit_disputes_the_lead_and_the_office_is_told(r):
    change = lead_request(r, proposed_unit=r.unit_b)
    assert (change.kind, change.status, change.unit) == (RequestKind.LEAD, RequestStatus.PENDING, r.unit_a)
    assert change.current_due == r.task_a.ack_due  # the acknowledgement deadline it is about
    assert change.requested_by == r.user("liaison_a")
    assert change.history.first().history_user == r.user("liaison_a")
    assert any(r.task_a.code in t for t in titles(r, "office"))


@pytest.mark.parametrize("who", ["liaison_c", "leader", "office"])
def test_only_the_lead_units_head_or_liaison_asks(r, who):
    with pytest.raises(Forbidden):
        requests.ask_lead_change(r.task_a, by=r.user(who), reason="x")
    assert not ChangeRequest.objects.exists()


def test_a_draft_task_cannot_be_disputed(cast):
    with pytest.raises(Forbidden):
        requests.ask_lead_change(cast.task_a, by=cast.user("head_a"), reason="x")


def test_the_reason_is_required_and_one_request_of_a_kind_waits_at_a_time(r):
    with pytest.raises(ActionError):
        requests.ask_lead_change(r.task_a, by=r.user("liaison_a"), reason="  ")
    first = lead_request(r)
    with pytest.raises(ActionError):
        lead_request(r)
    extension(r, due=days(400))  # another kind may wait beside it
    extension(r, milestone=r.milestone)  # and an extension of a milestone beside one of the task
    requests.withdraw_request(first, by=r.user("head_a"))
    lead_request(r)  # once withdrawn, the unit may ask again


def test_an_extension_of_a_milestone_records_the_date_it_replaces(r):
    change = extension(r, milestone=r.milestone, due=days(45))
    assert (change.milestone, change.current_due, change.proposed_due) == (r.milestone, days(30), days(45))
    assert not requests.asked_late(change)


@pytest.mark.parametrize("due", [None, 30, 10])
def test_an_extension_asks_for_a_later_date(r, due):
    with pytest.raises(ActionError):
        requests.ask_extension(
            r.task_a,
            by=r.user("liaison_a"),
            reason="用地审批延后",
            proposed_due=days(due) if due is not None else None,
            milestone=r.milestone,
        )


def test_a_done_milestone_or_another_tasks_milestone_is_refused(r):
    other = plan_actions.add_milestone(
        r.task_c, by=r.user("office"), title="别的任务", due=days(30), planned_progress=Decimal(50)
    )
    with pytest.raises(ActionError):
        extension(r, milestone=other)
    plan_actions.update_milestone(r.milestone, by=r.user("office"), done_on=timezone.localdate())
    with pytest.raises(ActionError):
        extension(r, milestone=Milestone.objects.get(pk=r.milestone.pk))


def test_an_extension_asked_after_the_date_is_marked_late(r):
    Milestone.objects.filter(pk=r.milestone.pk).update(due=days(-3))
    change = extension(r, milestone=Milestone.objects.get(pk=r.milestone.pk), due=days(20))
    assert requests.asked_late(change)
    assert change.current_due == days(-3)


# deciding


def test_approving_a_dispute_changes_the_lead_and_tells_both_units(r):
    change = lead_request(r, proposed_unit=r.unit_b)
    requests.approve_request(change, by=r.user("office"), note="同意调整", keep_old_as_co_unit=True)
    change.refresh_from_db()
    assert change.status == RequestStatus.APPROVED
    assert (change.decided_by, change.decision_note) == (r.user("office"), "同意调整")
    assert change.decided_at is not None
    task = Task.objects.get(pk=r.task_a.pk)
    assert task.lead_unit == r.unit_b and task.lead_acknowledged_at is None
    assert CoUnit.objects.filter(task=task, unit=r.unit_a).exists()
    assert task.history.first().history_user == r.user("office")
    assert any(task.code in t for t in titles(r, "liaison_a"))  # the asking unit hears the answer
    assert any(task.code in t for t in titles(r, "liaison_b"))  # the new lead unit is told to acknowledge
    assert change.history.first().history_user == r.user("office")


def test_the_office_may_choose_another_lead_and_remove_the_old_one(r):
    change = lead_request(r, proposed_unit=r.unit_b)
    requests.approve_request(change, by=r.user("office"), unit=r.unit_c, keep_old_as_co_unit=False)
    task = Task.objects.get(pk=r.task_a.pk)
    assert task.lead_unit == r.unit_c
    assert not CoUnit.objects.filter(task=task).exists()


def test_a_dispute_without_a_proposal_needs_the_office_to_name_the_lead(r):
    change = lead_request(r)
    with pytest.raises(ActionError):
        requests.approve_request(change, by=r.user("office"))
    change.refresh_from_db()
    assert change.status == RequestStatus.PENDING


def test_approving_an_extension_moves_the_date_and_keeps_the_first_one(r):
    change = extension(r, milestone=r.milestone, due=days(60))
    requests.approve_request(change, by=r.user("office"), due=days(50))
    milestone = Milestone.objects.get(pk=r.milestone.pk)
    assert (milestone.due, milestone.original_due) == (days(50), days(30))
    assert milestone.history.first().history_user == r.user("office")
    assert ChangeRequest.objects.get(pk=change.pk).status == RequestStatus.APPROVED


def test_approving_a_task_extension_moves_the_task(r):
    change = extension(r, due=days(400))
    requests.approve_request(change, by=r.user("office"))
    task = Task.objects.get(pk=r.task_a.pk)
    assert (task.due, task.original_due) == (days(400), days(365))


def test_refusing_needs_a_reason_and_changes_nothing(r):
    change = extension(r, milestone=r.milestone)
    with pytest.raises(ActionError):
        requests.refuse_request(change, by=r.user("office"), note=" ")
    requests.refuse_request(change, by=r.user("office"), note="理由不充分")
    change.refresh_from_db()
    assert (change.status, change.decision_note) == (RequestStatus.REFUSED, "理由不充分")
    assert Milestone.objects.get(pk=r.milestone.pk).due == days(30)
    assert any("理由不充分" == n.body for n in Notification.objects.filter(recipient=r.user("head_a")))


@pytest.mark.parametrize("who", ["liaison_a", "head_a", "leader"])
def test_only_the_office_decides(r, who):
    change = lead_request(r, proposed_unit=r.unit_b)
    with pytest.raises(Forbidden):
        requests.approve_request(change, by=r.user(who))
    with pytest.raises(Forbidden):
        requests.refuse_request(change, by=r.user(who), note="x")


def test_a_decided_request_is_not_decided_again(r):
    change = lead_request(r, proposed_unit=r.unit_b)
    stale = ChangeRequest.objects.get(pk=change.pk)
    requests.refuse_request(change, by=r.user("office"), note="维持原牵头单位")
    with pytest.raises(ActionError):
        requests.approve_request(ChangeRequest.objects.get(pk=change.pk), by=r.user("office"))
    with pytest.raises(Conflict):  # a clerk who loaded the page before the other decided
        requests.approve_request(stale, by=r.user("office"))
    assert Task.objects.get(pk=r.task_a.pk).lead_unit == r.unit_a


def test_a_failed_task_change_leaves_the_request_waiting(r):
    change = extension(r, milestone=r.milestone, due=days(60))
    with pytest.raises(ActionError):  # after the task's own due date
        requests.approve_request(change, by=r.user("office"), due=days(500))
    assert ChangeRequest.objects.get(pk=change.pk).status == RequestStatus.PENDING


# withdrawing


def test_the_unit_withdraws_while_the_request_waits_and_the_office_is_told(r):
    change = lead_request(r)
    requests.withdraw_request(change, by=r.user("head_a"), note="已协商解决")
    change.refresh_from_db()
    assert change.status == RequestStatus.WITHDRAWN
    assert len([t for t in titles(r, "office") if r.task_a.code in t]) == 2  # asked, withdrawn
    with pytest.raises(ActionError):
        requests.withdraw_request(change, by=r.user("head_a"))


@pytest.mark.parametrize("who", ["office", "liaison_c", "leader"])
def test_others_cannot_withdraw(r, who):
    change = lead_request(r)
    with pytest.raises(Forbidden):
        requests.withdraw_request(change, by=r.user(who))


# what follows


def test_the_light_is_recomputed_after_an_extension_is_approved(r, django_capture_on_commit_callbacks):
    from tongtui.supervision import listeners
    from tongtui.supervision.models import TaskLight

    late = plan_actions.add_milestone(
        r.task_a, by=r.user("office"), title="逾期节点", due=days(-10), planned_progress=Decimal(20)
    )
    with django_capture_on_commit_callbacks(execute=True):
        listeners.mark(r.task_a.pk)
    assert "milestone_overdue" in [x["code"] for x in TaskLight.objects.get(task=r.task_a).reasons]
    change = extension(r, milestone=late, due=days(20))
    with django_capture_on_commit_callbacks(execute=True):
        requests.approve_request(change, by=r.user("office"))
    assert "milestone_overdue" not in [x["code"] for x in TaskLight.objects.get(task=r.task_a).reasons]


def test_acknowledge_all_skips_what_someone_acknowledged_meanwhile(r):
    plan_actions.acknowledge_task(r.task_a, by=r.user("office"), unit=r.unit_c)
    done = requests.acknowledge_all(r.unit_c, [r.task_a, r.task_c], by=r.user("liaison_c"))
    assert done == 1
    assert Task.objects.get(pk=r.task_c.pk).status == TaskStatus.ACKNOWLEDGED

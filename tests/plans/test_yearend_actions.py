"""年终评估 in plans: outcomes recorded for many tasks at once (all or nothing, each refusal named), tasks closed
or cancelled during the year settled, carrying over into the next year (idempotent, linked both ways)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from tongtui.core.errors import ActionError, Conflict, Forbidden
from tongtui.orgs.models import UnitGroup
from tongtui.plans import actions
from tongtui.plans.actions_yearend import (
    Refused,
    carry_over,
    record_outcomes,
    refusal,
    settle_finished,
)
from tongtui.plans.models import CoGroup, Milestone, Outcome, Plan, Task, TaskOutcome, TaskStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _start(cast, task):
    office = cast.user("office")
    actions.assign_task(task, by=office)
    actions.acknowledge_task(task, by=office, unit=task.lead_unit)
    actions.record_progress(task, by=office, progress=Decimal(60))
    task.refresh_from_db()
    return task


def _next_year(cast):
    plan = Plan.objects.create(year=2027, title="2027年重点工作")
    plan.categories.create(name="产业转型升级", order=1)
    return plan


def test_refusal_rules_are_per_status():
    t = Task(status=TaskStatus.DRAFT)
    assert refusal(t, Outcome.CLOSED, "x")
    assert refusal(t, Outcome.CANCELLED, "") == "Give the reason."
    assert refusal(t, Outcome.CANCELLED, "不再实施") is None
    assert refusal(t, Outcome.CARRIED_OVER, "跨年") is None
    t.status = TaskStatus.IN_PROGRESS
    assert "give the reason for closing" in refusal(t, Outcome.CLOSED, "")
    assert refusal(t, Outcome.CLOSED, "已基本完成") is None
    t.status = TaskStatus.COMPLETION_REQUESTED
    assert refusal(t, Outcome.CLOSED, "") is None
    t.status = TaskStatus.CLOSED
    assert refusal(t, Outcome.CLOSED, "") is None
    assert refusal(t, Outcome.CANCELLED, "x")
    assert refusal(t, Outcome.CARRIED_OVER, "x")
    t.status = TaskStatus.CANCELLED
    assert refusal(t, Outcome.CLOSED, "")
    assert refusal(t, Outcome.CANCELLED, "x") is None


def test_all_or_nothing_names_each_refused_task(cast):
    office = cast.user("office")
    _start(cast, cast.task_a)  # in progress; task_c is a draft
    with pytest.raises(Refused) as info:
        record_outcomes(cast.plan, [cast.task_a.pk, cast.task_c.pk], by=office, outcome=Outcome.CLOSED,
                        reason="基本完成")  # fmt: skip
    assert list(info.value.refusals) == [cast.task_c.pk]
    assert "2 一般公共预算收入增长5%" in info.value.message_dict["tasks"][0]
    assert not TaskOutcome.objects.exists()
    cast.task_a.refresh_from_db()
    assert cast.task_a.status == TaskStatus.IN_PROGRESS  # nothing written


def test_closing_an_unfinished_task_needs_a_reason_and_closes_it(cast):
    office = cast.user("office")
    _start(cast, cast.task_a)
    with pytest.raises(Refused):
        record_outcomes(cast.plan, [cast.task_a.pk], by=office, outcome=Outcome.CLOSED)
    r = record_outcomes(cast.plan, [cast.task_a.pk], by=office, outcome=Outcome.CLOSED, reason="年底验收通过")
    assert r.outcomes[0].outcome == Outcome.CLOSED
    cast.task_a.refresh_from_db()
    assert cast.task_a.status == TaskStatus.CLOSED and cast.task_a.closed_on is not None
    assert cast.task_a.history.first().history_change_reason == "年底验收通过"


def test_completion_requested_closes_without_reason(cast):
    office = cast.user("office")
    _start(cast, cast.task_a)
    actions.request_completion(cast.task_a, by=office)
    record_outcomes(cast.plan, [cast.task_a.pk], by=office, outcome=Outcome.CLOSED)
    cast.task_a.refresh_from_db()
    assert cast.task_a.status == TaskStatus.CLOSED


def test_cancel_needs_a_reason_and_cancels(cast):
    office = cast.user("office")
    with pytest.raises(Refused):
        record_outcomes(cast.plan, [cast.task_c.pk], by=office, outcome=Outcome.CANCELLED)
    record_outcomes(
        cast.plan, [cast.task_c.pk], by=office, outcome=Outcome.CANCELLED, reason="政策调整不再实施"
    )
    cast.task_c.refresh_from_db()
    assert cast.task_c.status == TaskStatus.CANCELLED
    assert TaskOutcome.objects.get(task=cast.task_c).reason == "政策调整不再实施"


def test_a_decided_task_is_a_conflict(cast):
    office = cast.user("office")
    record_outcomes(cast.plan, [cast.task_c.pk], by=office, outcome=Outcome.CANCELLED, reason="撤销")
    with pytest.raises(Conflict, match="Already decided"):
        record_outcomes(cast.plan, [cast.task_c.pk, cast.task_a.pk], by=office, outcome=Outcome.CARRIED_OVER,
                        reason="跨年")  # fmt: skip
    assert TaskOutcome.objects.count() == 1


def test_only_the_office_and_only_the_plans_tasks(cast):
    with pytest.raises(Forbidden):
        record_outcomes(
            cast.plan, [cast.task_a.pk], by=cast.user("leader"), outcome=Outcome.CANCELLED, reason="x"
        )
    other = Plan.objects.create(year=2025, title="2025")
    with pytest.raises(ActionError):
        record_outcomes(
            other, [cast.task_a.pk], by=cast.user("office"), outcome=Outcome.CANCELLED, reason="x"
        )
    with pytest.raises(ActionError):
        record_outcomes(cast.plan, [], by=cast.user("office"), outcome=Outcome.CANCELLED, reason="x")


def test_settle_records_tasks_that_ended_during_the_year(cast):
    office = cast.user("office")
    _start(cast, cast.task_a)
    actions.close_task(cast.task_a, by=office)
    actions.cancel_task(cast.task_c, by=office, reason="并入其他任务")
    assert settle_finished(cast.plan, by=office) == 2
    assert settle_finished(cast.plan, by=office) == 0  # idempotent
    got = dict(TaskOutcome.objects.values_list("task_id", "outcome"))
    assert got == {cast.task_a.pk: Outcome.CLOSED, cast.task_c.pk: Outcome.CANCELLED}
    assert TaskOutcome.objects.get(task=cast.task_c).reason == "并入其他任务"


def test_carry_over_copies_into_the_next_year_linked_both_ways(cast):
    office = cast.user("office")
    nxt = _next_year(cast)
    group = UnitGroup.objects.create(name="各镇街")
    CoGroup.objects.create(task=cast.task_a, group=group, written="各镇街")
    actions.add_milestone(cast.task_a, by=office, title="完成立项", due=datetime.date(2026, 6, 30),
                          planned_progress=Decimal(30))  # fmt: skip
    done = actions.add_milestone(cast.task_a, by=office, title="开工", due=datetime.date(2026, 3, 1),
                                 planned_progress=Decimal(10))  # fmt: skip
    Milestone.objects.filter(pk=done.pk).update(done_on=datetime.date(2026, 3, 1))
    _start(cast, cast.task_a)
    r = record_outcomes(cast.plan, [cast.task_a.pk], by=office, outcome=Outcome.CARRIED_OVER,
                        reason="项目跨年度实施")  # fmt: skip
    assert (r.carried, r.waiting) == (1, 0)
    new = Task.objects.get(plan=nxt)
    old = Task.objects.get(pk=cast.task_a.pk)
    assert old.status == TaskStatus.IN_PROGRESS  # keeps its status
    assert new.carried_from_id == old.pk and new.status == TaskStatus.DRAFT
    assert (new.code, new.title, new.lead_unit_id, new.leader_id, new.owner_id) == (
        old.code, old.title, old.lead_unit_id, old.leader_id, old.owner_id)  # fmt: skip
    assert new.category.name == "产业转型升级" and new.category.plan_id == nxt.pk
    assert set(new.co_units.all()) == {cast.unit_c}
    assert list(new.co_group_links.values_list("written", flat=True)) == ["各镇街"]
    assert list(new.milestones.values_list("title", flat=True)) == ["完成立项"]  # the unfinished one
    assert TaskOutcome.objects.get(task=old).carried_to_id == new.pk
    assert "carried over from 2026" in new.history.last().history_change_reason
    assert "carried over to 2027" in old.history.first().history_change_reason
    # carrying again makes no second copy
    again = carry_over(cast.plan, by=office)
    assert (again.made, again.already) == (0, 1)
    assert Task.objects.filter(plan=nxt).count() == 1


def test_carried_over_before_the_next_year_waits_then_carries_once(cast):
    office = cast.user("office")
    r = record_outcomes(cast.plan, [cast.task_a.pk, cast.task_c.pk], by=office, outcome=Outcome.CARRIED_OVER,
                        reason="跨年度")  # fmt: skip
    assert (r.carried, r.waiting) == (0, 2)
    with pytest.raises(ActionError, match="Open the plan year 2027"):
        carry_over(cast.plan, by=office)
    nxt = _next_year(cast)
    assert carry_over(cast.plan, by=office).made == 2
    assert carry_over(cast.plan, by=office).made == 0
    assert Task.objects.filter(plan=nxt, carried_from__isnull=False).count() == 2


def test_a_taken_code_gets_the_year_in_front(cast):
    office = cast.user("office")
    nxt = _next_year(cast)
    Task.objects.create(plan=nxt, code="1", title="新任务")
    record_outcomes(cast.plan, [cast.task_a.pk], by=office, outcome=Outcome.CARRIED_OVER, reason="跨年")
    assert Task.objects.get(carried_from=cast.task_a).code == "2026-1"


def test_a_carried_sub_task_goes_under_its_carried_parent(cast):
    office = cast.user("office")
    nxt = _next_year(cast)
    child = Task.objects.create(
        plan=cast.plan, parent=cast.task_a, code="1.1", title="子任务", lead_unit=cast.unit_a
    )
    record_outcomes(
        cast.plan, [child.pk, cast.task_a.pk], by=office, outcome=Outcome.CARRIED_OVER, reason="跨年"
    )
    new_parent = Task.objects.get(plan=nxt, carried_from=cast.task_a)
    assert Task.objects.get(plan=nxt, carried_from=child).parent_id == new_parent.pk
